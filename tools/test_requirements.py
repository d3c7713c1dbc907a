"""Print the ``test`` extra of pyproject.toml, one requirement a line, leaving some out.

``tox -e newest`` installs the suite's dependencies without aiobotocore: every aiobotocore
release pins one botocore, older than the newest, and the newest botocore's model is the one
whose operations that environment proves. Usage::

    python tools/test_requirements.py --without aiobotocore --output requirements.txt
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

if sys.version_info < (3, 11):
    sys.exit("tools/test_requirements.py needs Python 3.11 or newer (tomllib)")

import tomllib

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def requirements(without: set[str]) -> list[str]:
    extras = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    listed: list[str] = extras["optional-dependencies"]["test"]
    # The project name of a requirement: what comes before its extras, markers or versions.
    return [line for line in listed if re.split(r"[\[<>=!~; ]", line, maxsplit=1)[0] not in without]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--without", action="append", default=[], metavar="PROJECT")
    parser.add_argument("--output", type=Path, help="the file to write (default: print)")
    args = parser.parse_args()
    text = "\n".join(requirements(set(args.without))) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
