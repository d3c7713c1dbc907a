"""Class-level patches that restore their library exactly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class ClassPatch:
    """Replaces one attribute of a library class while any mock is active.

    Looked up on the class at call time, a patch also catches objects created before the mock
    started. Restores the original on removal only if our replacement is still the attribute;
    if another library patched over it meanwhile, its patch stays (ours, underneath, passes
    through when no mock is active) and is not stacked a second time on the next install.
    """

    def __init__(self, owner: Any, name: str, replacement: Callable[..., Any]) -> None:
        self.owner = owner
        self.name = name
        self.replacement = replacement
        self.original: Any = None

    def install(self) -> None:
        current = self.owner.__dict__[self.name]
        if self.original is None:
            self.original = current
        if current is self.original:
            setattr(self.owner, self.name, self.replacement)

    def uninstall(self) -> None:
        if self.owner.__dict__.get(self.name) is self.replacement:
            setattr(self.owner, self.name, self.original)
            self.original = None

    @property
    def installed(self) -> bool:
        return self.owner.__dict__.get(self.name) is self.replacement
