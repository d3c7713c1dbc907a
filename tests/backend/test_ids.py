"""Generated identifiers have the shapes AWS's have."""

from __future__ import annotations

import re
import uuid

from pytest_cognito_mock.backend import ids


def test_subs_are_distinct_version_4_uuids_in_canonical_text():
    subs = [ids.sub() for _ in range(5000)]
    assert len(set(subs)) == len(subs)
    for sub in subs:
        parsed = uuid.UUID(sub)
        assert (parsed.version, parsed.variant) == (4, uuid.RFC_4122)
        assert str(parsed) == sub  # lowercase, dashes at 8-4-4-4-12


def test_import_job_ids_are_import_and_ten_alphanumerics():
    assert re.fullmatch(r"import-[0-9A-Za-z]{10}", ids.import_job_id())
