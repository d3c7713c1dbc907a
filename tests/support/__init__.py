"""Code shared by several test files (importable as `support`)."""
