"""The CSV file of a user import job: its header (GetCSVHeader), the file's checks, its rows.

A file is checked as a whole when it is opened (:class:`CsvImport`): any problem there is a
:class:`CsvFileError` and the job fails with nothing imported. Rows are then read one at a time
(:meth:`CsvImport.apply_rows`), so a job can advance at a chosen rate and a 500,000-row file is
held once, as one string, never as a list of rows. The rules of one row live in ``csv_rows``.

File format, as Cognito documents it, plus the choices where it does not (docs/fidelity.md):

* UTF-8 without a byte order mark; lines end with ``\\n`` or ``\\r\\n``.
* The first line is the header: exactly the columns of :func:`csv_header`, in any order, each
  once, names compared exactly (case-sensitive) after trimming whitespace.
* Values are not quoted (quotes are literal); ``\\,`` is a comma inside a value; values are
  trimmed. Blank lines at the end of the file are ignored; a blank line before the last row is
  a row, and fails.
* Lines are numbered as in the file, the header being line 1.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

from .csv_rows import MAX_ROW_CHARACTERS, RowPlan, apply_row, format_row
from .models import UserPool
from .user_pools import custom_attributes

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_ROW_CHARACTERS",
    "CsvFileError",
    "CsvImport",
    "RowOutcome",
    "csv_header",
]

MAX_ROWS = 500_000
#: Cognito's 100 MB limit on the file, read as MiB.
MAX_FILE_BYTES = 100 * 1024 * 1024

#: GetCSVHeader's standard columns, in the order AWS returns them.
STANDARD_COLUMNS = (
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "email",
    "email_verified",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "phone_number",
    "phone_number_verified",
    "address",
    "updated_at",
)
#: The columns after the custom attributes, always last.
TRAILING_COLUMNS = ("cognito:mfa_enabled", "cognito:username")

#: Byte order marks of UTF-8, UTF-16 and UTF-32 (a spreadsheet's "Unicode text" export).
_BYTE_ORDER_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_MESSAGE_LIMIT = 128  # CompletionMessage's maximum length in the service model
_SHOWN_NAME_LIMIT = 40
_TAIL_CHUNK = 4096

TOO_LARGE = "The CSV file is larger than 100 MB."
BYTE_ORDER_MARK = "The CSV file must not start with a byte order mark."
NOT_UTF8 = "The CSV file is not valid UTF-8."
EMPTY_FILE = "The CSV file is empty."
NO_HEADER = "The first line of the CSV file must be the header."
EMPTY_COLUMN_NAME = "The CSV header has an empty column name."
MISSING_COLUMNS = "The CSV header is missing the column(s): "
UNKNOWN_COLUMNS = "The CSV header has unknown column(s): "
REPEATED_COLUMNS = "The CSV header repeats the column(s): "
TOO_MANY_ROWS = "The CSV file has more than 500,000 users."


def csv_header(pool: UserPool) -> list[str]:
    """GetCSVHeader: the standard columns, custom attributes in creation order, then the two
    ``cognito:`` columns. Developer-only attributes appear as ``dev:custom:<name>``."""
    return [
        *STANDARD_COLUMNS,
        *(attribute.name for attribute in custom_attributes(pool)),
        *TRAILING_COLUMNS,
    ]


class CsvFileError(Exception):
    """The whole file is unusable: the job fails, nothing is imported.

    ``message`` is the job's CompletionMessage (at most 128 characters).
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RowOutcome(NamedTuple):
    """What became of one data row: SUCCEEDED, SKIPPED or FAILED, and why.

    A named tuple rather than a frozen dataclass: one is made per row of files of up to 500,000
    rows, and a tuple is built in half the time.
    """

    line: int  # the physical line number; the header is line 1
    status: str
    message: str

    @property
    def log_line(self) -> str:
        """The row's event in the job's CloudWatch log stream."""
        return f"[{self.status}] Line Number {self.line} - {self.message}"


class CsvImport:
    """One uploaded file, checked as a whole up front and then applied one row at a time."""

    def __init__(self, data: bytes, header: Sequence[str]) -> None:
        """Check ``data`` against the expected ``header`` (GetCSVHeader's columns).

        Raises :class:`CsvFileError` for a file that cannot be imported at all.
        """
        text = _decode(data)
        header_end = text.find("\n")
        if header_end == -1:
            header_end = len(text)
        columns = _header_columns(text[:header_end], header)
        self._order = [name for name in header if name in columns]
        self._positions = {name: index for index, name in enumerate(columns)}
        start = header_end + 1
        end = _end_of_rows(text, start)
        rows = text.count("\n", start, end) + 1 if end > start else 0
        if rows > MAX_ROWS:
            raise CsvFileError(TOO_MANY_ROWS)
        self._text = text
        self._next = start
        self._end = end
        self._total = rows
        self._done = 0
        self._plan: RowPlan | None = None

    @property
    def total_rows(self) -> int:
        """Data rows in the file: every line after the header but the blank ones at the end."""
        return self._total

    @property
    def rows_done(self) -> int:
        """Rows applied so far."""
        return self._done

    def apply_rows(self, pool: UserPool, limit: float = math.inf) -> Iterator[RowOutcome]:
        """Apply up to ``limit`` more rows to ``pool`` as it is now, yielding each outcome.

        A SUCCEEDED row has added a RESET_REQUIRED user to the pool; any other outcome has
        changed nothing. The pool's schema and settings are read once, when iteration starts:
        nothing else may change the pool until the iteration ends (the backend's lock is held).
        """
        plan = self._plan_for(pool)
        text, end = self._text, self._end
        position, done = self._next, self._done
        last = self._total if limit >= self._total - done else done + int(limit)
        while done < last:
            line_end = text.find("\n", position, end)
            if line_end == -1:
                line_end = end
            line = text[position:line_end]
            if line.endswith("\r"):
                line = line[:-1]
            position = line_end + 1
            done += 1
            self._next, self._done = position, done
            status, message = apply_row(pool, plan, line)
            # Line 1 is the header, so data row n is line n + 1.
            yield RowOutcome(done + 1, status, message)

    def apply_next(self, pool: UserPool) -> RowOutcome | None:
        """Apply the next row to ``pool``; None once every row has been applied."""
        return next(self.apply_rows(pool, 1), None)

    def _plan_for(self, pool: UserPool) -> RowPlan:
        if self._plan is None or not self._plan.fits(pool):
            self._plan = RowPlan(pool, self._order, self._positions)
        return self._plan


def _decode(data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise CsvFileError(TOO_LARGE)
    if data.startswith(_BYTE_ORDER_MARKS):
        raise CsvFileError(BYTE_ORDER_MARK)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise CsvFileError(NOT_UTF8) from None
    if not text or text.isspace():  # isspace, unlike strip, copies nothing
        raise CsvFileError(EMPTY_FILE)
    return text


def _header_columns(line: str, expected: Sequence[str]) -> list[str]:
    """The file's column names, in file order, once they match ``expected`` exactly."""
    if not line.strip():
        raise CsvFileError(NO_HEADER)
    names = [name.strip() for name in line.split(",")]
    if "" in names:
        raise CsvFileError(EMPTY_COLUMN_NAME)
    given = set(names)
    missing = [name for name in expected if name not in given]
    if missing:
        raise CsvFileError(_listing(MISSING_COLUMNS, missing))
    known = set(expected)
    unknown = [name for name in dict.fromkeys(names) if name not in known]
    if unknown:
        raise CsvFileError(_listing(UNKNOWN_COLUMNS, unknown))
    repeated = [name for name, count in Counter(names).items() if count > 1]
    if repeated:
        raise CsvFileError(_listing(REPEATED_COLUMNS, repeated))
    return names


def _listing(prefix: str, names: Sequence[str]) -> str:
    """``prefix`` and as many names as fit in a CompletionMessage, then how many more."""
    shown = [_shortened(name) for name in names]
    for count in range(len(shown), 0, -1):
        rest = len(shown) - count
        message = prefix + ", ".join(shown[:count]) + (f" and {rest} more." if rest else ".")
        if len(message) <= _MESSAGE_LIMIT:
            return message
    return f"{prefix}{len(names)} columns."  # pragma: no cover - one short name always fits


def _shortened(name: str) -> str:
    return name if len(name) <= _SHOWN_NAME_LIMIT else name[: _SHOWN_NAME_LIMIT - 1] + "…"


def _end_of_rows(text: str, start: int) -> int:
    """Where the last non-blank line after ``start`` ends (``start`` when there is none).

    Scans back from the end in chunks so a large file is never copied whole.
    """
    end = len(text)
    while end > start:
        chunk_start = max(start, end - _TAIL_CHUNK)
        kept = text[chunk_start:end].rstrip()
        if kept:
            last_character = chunk_start + len(kept) - 1
            line_end = text.find("\n", last_character)
            return len(text) if line_end == -1 else line_end
        end = chunk_start
    return start


def csv_file(header: Sequence[str], rows: Iterable[Mapping[str, object]]) -> bytes:
    """A file this parser reads back as ``rows``: the header line, then one line per row with
    the columns in header order (missing ones empty). Commas are escaped as ``\\,``; a value
    the format cannot carry (one ending in a backslash, or holding a line break) is refused
    with ValueError naming its row and column."""
    columns = list(header)
    known = set(columns)
    lines = [",".join(columns)]
    for number, row in enumerate(rows, start=1):
        unknown = set(row) - known
        if unknown:
            raise ValueError(f"row {number} has columns not in the CSV header: {sorted(unknown)}")
        lines.append(format_row([str(row.get(column, "")) for column in columns], columns, number))
    return ("\n".join(lines) + "\n").encode("utf-8")
