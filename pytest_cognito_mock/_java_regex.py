"""Java regular expressions, as AWS service models write them, compiled for Python's ``re``.

AWS validates ``pattern`` constraints with ``java.util.regex`` and ``Matcher.matches()``, so a
value must match the *whole* pattern: callers use :meth:`re.Pattern.fullmatch`. Where the two
dialects differ, the translation keeps Java's meaning:

* ``\\p{L}``, ``\\P{N}``, ``\\p{IsLu}``, ``\\p{Alpha}`` ... are Unicode general categories or
  POSIX classes that ``re`` lacks; they become explicit code point ranges, built once from
  :mod:`unicodedata` (no third-party regex engine at run time).
* ``\\w``, ``\\d``, ``\\s`` and ``\\b`` are ASCII-only in Java, hence :data:`re.ASCII`.
* ``.`` does not match any Java line terminator (``\\n``, ``\\r``, U+0085, U+2028, U+2029)
  unless the pattern starts with ``(?s)``.
* ``\\Q...\\E`` quoting and ``\\x{h...h}`` escapes are spelled out.

Constructs with no faithful translation (nested classes, ``&&`` intersections, script and block
properties) raise :class:`ValueError`, so an unsupported model pattern fails loudly in the tests
rather than validating wrongly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

__all__ = ["compile_java", "translate"]

_MAX_CODE_POINT = 0x10FFFF
_PLANE_SIZE = 0x10000
Ranges = list[tuple[int, int]]

# Java's POSIX character classes are US-ASCII only (without UNICODE_CHARACTER_CLASS).
_POSIX_CLASSES: dict[str, str] = {
    "Lower": "a-z",
    "Upper": "A-Z",
    "ASCII": "\\x00-\\x7f",
    "Alpha": "a-zA-Z",
    "Digit": "0-9",
    "Alnum": "a-zA-Z0-9",
    "Punct": "!-/:-@\\[-`{-~",
    "Graph": "!-~",
    "Print": " -~",
    "Blank": " \\t",
    "Cntrl": "\\x00-\\x1f\\x7f",
    "XDigit": "0-9a-fA-F",
    "Space": " \\t\\n\\x0b\\f\\r",
}

# Escapes whose Java meaning Python's ``re`` does not share (or lacks): refuse them.
_UNSUPPORTED_ESCAPES = frozenset("hHvVRXGZkN")
# Outside DOTALL, Java's ``.`` excludes every line terminator, not only ``\n``.
_JAVA_DOT = "[^\\n\\r\\x85\\u2028\\u2029]"


def compile_java(pattern: str) -> re.Pattern[str]:
    """Compile a Java pattern from a service model; use ``fullmatch`` for Java's ``matches()``."""
    return re.compile(translate(pattern), re.ASCII)


def translate(pattern: str) -> str:
    """The Python ``re`` source (for use with :data:`re.ASCII`) equivalent to ``pattern``."""
    return _Translator(pattern).run()


class _Translator:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.pos = 0
        self.out: list[str] = []
        self.dotall = pattern.startswith("(?s)")
        # The character class being read, if any: its literal text and its property ranges.
        self.in_class = False
        self.class_text: list[str] = []
        self.class_ranges: Ranges = []

    def fail(self, why: str) -> ValueError:
        return ValueError(f"unsupported Java regex construct ({why}) in {self.pattern!r}")

    def emit(self, text: str) -> None:
        (self.class_text if self.in_class else self.out).append(text)

    def run(self) -> str:
        pattern = self.pattern
        while self.pos < len(pattern):
            char = pattern[self.pos]
            if char == "\\":
                self.escape()
            elif self.in_class:
                self.class_char(char)
            elif char == "[":
                self.open_class()
            elif char == "." and not self.dotall:
                self.out.append(_JAVA_DOT)
                self.pos += 1
            else:
                self.out.append(char)
                self.pos += 1
        if self.in_class:
            raise self.fail("unclosed character class")
        return "".join(self.out)

    def open_class(self) -> None:
        self.in_class = True
        self.class_text = []
        self.class_ranges = []
        self.pos += 1
        negated = self.pattern.startswith("^", self.pos)
        if negated:
            self.pos += 1
        self.out.append("[^" if negated else "[")

    def class_char(self, char: str) -> None:
        pattern = self.pattern
        if char == "]":
            self.close_class()
        elif char == "[":
            raise self.fail("nested character class")
        elif char == "&" and pattern.startswith("&&", self.pos):
            raise self.fail("class intersection")
        elif char in "&~|":
            # Literal in Java; escaped so Python does not warn about future set operations.
            self.class_text.append("\\" + char)
        else:
            self.class_text.append(char)
        self.pos += 1

    def close_class(self) -> None:
        text = "".join(self.class_text)
        if text.endswith("-") and not text.endswith("\\-"):
            # A trailing literal '-' would otherwise open a range onto the appended ranges.
            text = text[:-1] + "\\-"
        self.out.append(text + _render(_merge(self.class_ranges)) + "]")
        self.in_class = False

    def escape(self) -> None:
        pattern = self.pattern
        if self.pos + 1 >= len(pattern):
            raise self.fail("trailing backslash")
        code = pattern[self.pos + 1]
        self.pos += 2
        if code in "pP":
            ranges = _property_ranges(self.property_name())
            if code == "P":
                ranges = _complement(ranges)
            if self.in_class:
                self.class_ranges.extend(ranges)
            else:
                self.out.append("[" + _render(ranges) + "]")
        elif code == "Q":
            end = pattern.find("\\E", self.pos)
            end = len(pattern) if end < 0 else end
            self.emit("".join(_escape_code_point(ord(c)) for c in pattern[self.pos : end]))
            self.pos = end + 2
        elif code == "x" and pattern.startswith("{", self.pos):
            end = pattern.index("}", self.pos)
            self.emit(_escape_code_point(int(pattern[self.pos + 1 : end], 16)))
            self.pos = end + 1
        elif code == "z":
            self.emit("\\Z")  # Java's \z (absolute end) is Python's \Z
        elif code in _UNSUPPORTED_ESCAPES:
            raise self.fail(f"\\{code}")
        else:
            self.emit("\\" + code)

    def property_name(self) -> str:
        pattern = self.pattern
        if pattern.startswith("{", self.pos):
            end = pattern.find("}", self.pos)
            if end < 0:
                raise self.fail("unclosed property name")
            name = pattern[self.pos + 1 : end]
            self.pos = end + 1
            return name
        if self.pos >= len(pattern):
            raise self.fail("missing property name")
        self.pos += 1
        return pattern[self.pos - 1]


def _property_ranges(name: str) -> Ranges:
    for prefix in ("Is", "gc=", "general_category="):
        if name.startswith(prefix) and name[len(prefix) :] in _category_ranges():
            name = name[len(prefix) :]
    if name in _POSIX_CLASSES:
        return _ascii_ranges(_POSIX_CLASSES[name])
    categories = _category_ranges()
    if name not in categories:
        raise ValueError(f"unsupported Java regex property \\p{{{name}}}")
    return categories[name]


@cache
def _ascii_ranges(spec: str) -> Ranges:
    compiled = re.compile(f"[{spec}]")
    return _runs(cp for cp in range(0x80) if compiled.match(chr(cp)))


@lru_cache(maxsize=1)
def _category_ranges() -> dict[str, Ranges]:
    """Code point ranges per general category, two-letter (``Lu``) and one-letter (``L``).

    Built once per process, on first use. Planes whose every 16th code point shares one
    category (the unassigned and private-use planes) are taken as uniform instead of being
    scanned code point by code point: Unicode allocates in 16-aligned blocks, and this cuts
    the one-off cost by two thirds.
    """
    runs: dict[str, Ranges] = {}
    category = unicodedata.category
    for plane_start in range(0, _MAX_CODE_POINT + 1, _PLANE_SIZE):
        plane_end = plane_start + _PLANE_SIZE - 1
        sampled = {category(chr(cp)) for cp in range(plane_start, plane_end - 1, 16)}
        tail = [category(chr(plane_end - 1)), category(chr(plane_end))]
        if len(sampled) == 1:
            # Uniform body; the plane's last two code points are noncharacters (Cn).
            (body,) = sampled
            runs.setdefault(body, []).append((plane_start, plane_end - 2))
            for offset, tail_category in enumerate(tail):
                cp = plane_end - 1 + offset
                runs.setdefault(tail_category, []).append((cp, cp))
            continue
        run_start, run_category = plane_start, category(chr(plane_start))
        for cp in range(plane_start + 1, plane_end + 1):
            this = category(chr(cp))
            if this != run_category:
                runs.setdefault(run_category, []).append((run_start, cp - 1))
                run_start, run_category = cp, this
        runs.setdefault(run_category, []).append((run_start, plane_end))
    table = {name: _merge(ranges) for name, ranges in runs.items()}
    for major in {name[0] for name in runs}:
        table[major] = _merge(
            [r for name, ranges in runs.items() if name[0] == major for r in ranges]
        )
    return table


def _runs(code_points: Iterable[int]) -> Ranges:
    ranges: Ranges = []
    for cp in code_points:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return ranges


def _merge(ranges: Ranges) -> Ranges:
    merged: Ranges = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _complement(ranges: Ranges) -> Ranges:
    result: Ranges = []
    next_start = 0
    for start, end in _merge(ranges):
        if start > next_start:
            result.append((next_start, start - 1))
        next_start = end + 1
    if next_start <= _MAX_CODE_POINT:
        result.append((next_start, _MAX_CODE_POINT))
    return result


def _escape_code_point(cp: int) -> str:
    return f"\\U{cp:08x}"


def _render(ranges: Ranges) -> str:
    return "".join(
        _escape_code_point(start)
        if start == end
        else f"{_escape_code_point(start)}-{_escape_code_point(end)}"
        for start, end in ranges
    )
