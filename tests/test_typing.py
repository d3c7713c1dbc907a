"""docs/typing.md's test files pass `mypy --strict` as a user would run it, and the fixtures'
types are real: the same file with a mistyped request fails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api", reason="mypy is not installed")

PAGE = Path(__file__).resolve().parents[1] / "docs" / "typing.md"
BLOCKS = re.findall(r"```python\n(.*?)```", PAGE.read_text(), flags=re.S)


def strict(tmp_path: Path, *sources: str) -> tuple[str, int]:
    files = []
    for n, source in enumerate(sources):
        path = tmp_path / f"test_user_{n}.py"
        path.write_text(source)
        files.append(str(path))
    cache = str(tmp_path / ".mypy_cache")
    stdout, stderr, status = mypy_api.run(["--strict", "--cache-dir", cache, *files])
    return stdout + stderr, status


@pytest.mark.slow
def test_the_typing_page_s_test_files_pass_mypy_strict(tmp_path):
    assert len(BLOCKS) == 2  # mypy-boto3 and types-boto3
    pytest.importorskip("mypy_boto3_cognito_idp", reason="mypy-boto3-cognito-idp not installed")
    pytest.importorskip("types_boto3_cognito_idp", reason="types-boto3-cognito-idp not installed")

    output, status = strict(tmp_path, *BLOCKS)
    assert status == 0, output

    mistyped = BLOCKS[0].replace('PoolName="app"', "PoolName=1")
    output, status = strict(tmp_path, mistyped)
    assert status == 1
    assert 'Argument "PoolName"' in output and '"int"' in output, output
