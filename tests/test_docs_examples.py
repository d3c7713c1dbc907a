"""Every Python block of the README and the docs runs, so the documentation cannot rot.

A page's ```python blocks become files of one inner pytest session (pytester): a block whose
first line is a comment naming a path (``# myapp/accounts.py``) is written there; any other block
becomes a test module of its own. The session must pass, and run at least one test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests  # noqa: F401 - imported before the inner sessions (see below)
import webauthn  # noqa: F401 - as requests: py_webauthn and the mock's fido2-based reader

from pytest_cognito_mock.backend import webauthn as _passkey_reader  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
_PATH_COMMENT = re.compile(r"#\s*([\w./-]+\.py)\s*$")


def python_blocks(page: Path) -> list[str]:
    return _BLOCK.findall(page.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "page", [p for p in PAGES if python_blocks(p)], ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_the_python_blocks_of_the_page_run(pytester: pytest.Pytester, page: Path):
    for number, block in enumerate(python_blocks(page)):
        first_line = block.splitlines()[0]
        named = _PATH_COMMENT.fullmatch(first_line)
        path = Path(named.group(1)) if named else Path(f"test_block_{number}.py")
        target = pytester.path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        for package in target.relative_to(pytester.path).parents:
            if package != Path(".") and not package.name.startswith("test"):
                (pytester.path / package / "__init__.py").touch()
        target.write_text(block, encoding="utf-8")
    pytester.syspathinsert()
    # In-process inner sessions unload the modules they imported; `requests` and the WebAuthn
    # libraries are imported by this module first so that no inner session re-imports them with
    # classes of their own (under the lowest dependencies, later passkey tests then failed).
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider")
    outcomes = result.parseoutcomes()
    assert result.ret == 0, result.stdout.str()
    assert outcomes.get("passed", 0) >= 1
