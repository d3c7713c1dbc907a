"""The decorator and context-manager entry points: each call runs inside a fresh mock."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload

from ._options import MockOptions, make_options

if TYPE_CHECKING:
    from .mock import CognitoMock

F = TypeVar("F", bound=Callable[..., Any])


def _new_mock(kwargs: dict[str, Any]) -> CognitoMock:
    from .mock import CognitoMock  # mock.py imports this module

    return CognitoMock(**kwargs)


def decorate(target: Any, options: MockOptions) -> Any:
    """Wrap ``target`` so that each call runs inside a fresh ``CognitoMock(**options)``."""
    kwargs = {name: getattr(options, name) for name in options.__dataclass_fields__}
    if inspect.isclass(target):
        return _decorate_test_case(target, kwargs)
    if inspect.iscoroutinefunction(target):

        @functools.wraps(target)
        async def run_async(*args: Any, **kw: Any) -> Any:
            async with _new_mock(kwargs):
                return await target(*args, **kw)

        return run_async

    @functools.wraps(target)
    def run(*args: Any, **kw: Any) -> Any:
        with _new_mock(kwargs):
            return target(*args, **kw)

    return run


def _decorate_test_case(cls: type[Any], kwargs: dict[str, Any]) -> type[Any]:
    import unittest

    if not issubclass(cls, unittest.TestCase):
        raise TypeError(
            f"mock_cognito_import can decorate functions, coroutine functions and "
            f"unittest.TestCase classes, not {cls.__qualname__}"
        )
    original_set_up = cls.setUp

    def setUp(self: unittest.TestCase) -> None:
        mock = _new_mock(kwargs).start()
        self.addCleanup(mock.stop)
        self.cognito_mock = mock  # type: ignore[attr-defined]
        original_set_up(self)

    cls.setUp = setUp  # type: ignore[method-assign]
    return cls


@overload
def mock_cognito_import(target: F, /) -> F: ...


@overload
def mock_cognito_import(target: None = None, /, **options: Any) -> CognitoMock: ...


def mock_cognito_import(target: Any = None, /, **options: Any) -> Any:
    """A Cognito mock as a decorator or a context manager, with or without parentheses.

    ``@mock_cognito_import`` and ``@mock_cognito_import(region="eu-west-1")`` decorate functions,
    coroutine functions and ``unittest.TestCase`` classes (each call or test gets a fresh mock;
    a TestCase finds it at ``self.cognito_mock``). ``with mock_cognito_import() as cognito:``
    yields the :class:`CognitoMock` controller. Options are the marker's keywords.
    """
    if target is not None:
        if options:
            raise TypeError("pass options as mock_cognito_import(**options), then decorate")
        return decorate(target, make_options())
    return _new_mock(options)
