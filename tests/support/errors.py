"""What a refused call said: the modelled error code and AWS's message, in one place."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError


def error_of(raised: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    """``(Code, Message)`` of the ``ClientError`` caught by ``pytest.raises``."""
    error = raised.value.response["Error"]
    return error["Code"], error["Message"]


def refused(call: Any, error: str, message: str, **kwargs: Any) -> None:
    """Call ``call(**kwargs)`` and check it raises exactly ``error`` with ``message``."""
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    assert error_of(raised) == (error, message)
