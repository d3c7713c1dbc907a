"""What the installed botocore's cognito-idp model has. Tests that send a member or call an
operation that newer models add skip under an older botocore, naming its version and what its
model lacks (botocore refuses such a request before it is sent); tests that quote the model quote
the installed one."""

from __future__ import annotations

import functools

import botocore
import botocore.session
import pytest
from botocore.model import ServiceModel


@functools.cache
def service_model() -> ServiceModel:
    return botocore.session.get_session().get_service_model("cognito-idp")


def has_operation(name: str) -> bool:
    return name in service_model().operation_names


def has_member(operation: str, member: str) -> bool:
    if not has_operation(operation):
        return False
    shape = service_model().operation_model(operation).input_shape
    return shape is not None and member in shape.members


def has_shape_member(shape_name: str, member: str) -> bool:
    return member in service_model().shape_for(shape_name).members


def _lacks(what: str) -> str:
    return f"botocore {botocore.__version__}'s cognito-idp model has no {what}"


def requires_operation(name: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(not has_operation(name), reason=_lacks(f"{name} operation"))


def requires_member(operation: str, member: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not has_member(operation, member), reason=_lacks(f"{member} on {operation}")
    )


def requires_shape_member(shape_name: str, member: str) -> pytest.MarkDecorator:
    """Skip unless the model's structure ``shape_name`` has ``member`` (a nested member, say
    ``FactorConfiguration`` of ``WebAuthnConfigurationType``)."""
    shape = service_model().shape_for(shape_name)
    return pytest.mark.skipif(
        member not in shape.members, reason=_lacks(f"{member} in {shape_name}")
    )


def pattern(shape_name: str) -> str:
    """The regular expression the installed model gives ``shape_name``."""
    return service_model().shape_for(shape_name).metadata["pattern"]
