"""Reading the forms of an HTML page with the standard library's HTML parser, as a script that
signs in through Cognito's pages would."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    name: str | None
    method: str
    action: str
    #: Named inputs and their values (hidden, text, and the submit button).
    fields: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.errors: list[str] = []
        self._in_error = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(
                Form(found.get("name"), found.get("method", "get").lower(), found.get("action", ""))
            )
        elif tag == "input" and self.forms and "name" in found:
            self.forms[-1].fields[found["name"]] = found.get("value", "")
        elif "errorMessage-customizable" in found.get("class", ""):
            self._in_error = True

    def handle_data(self, data: str) -> None:
        if self._in_error and data.strip():
            self.errors.append(data.strip())
            self._in_error = False


def forms(page: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(page)
    return parser.forms


def error_messages(page: str) -> list[str]:
    parser = _FormParser()
    parser.feed(page)
    return parser.errors
