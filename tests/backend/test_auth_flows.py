"""Which AuthFlow an app client permits, for every shape of ExplicitAuthFlows."""

from __future__ import annotations

import pytest

from pytest_cognito_mock.backend.auth_flows import permitted_flows, refusal_message
from pytest_cognito_mock.backend.models import AppClient, ClientSettings

ALL_FLOWS = [
    "USER_SRP_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
    "CUSTOM_AUTH",
    "ADMIN_NO_SRP_AUTH",
    "USER_PASSWORD_AUTH",
    "ADMIN_USER_PASSWORD_AUTH",
    "USER_AUTH",
]


def client(flows: list[str] | None) -> AppClient:
    return AppClient("c", "us-east-1_x", "n", 0.0, 0.0, ClientSettings(explicit_auth_flows=flows))


@pytest.mark.parametrize(
    ("flows", "permitted"),
    [
        (None, {"USER_SRP_AUTH", "CUSTOM_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"}),
        (
            ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            {"USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"},
        ),
        (
            ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            {
                "ADMIN_USER_PASSWORD_AUTH",
                "ADMIN_NO_SRP_AUTH",
                "REFRESH_TOKEN_AUTH",
                "REFRESH_TOKEN",
            },
        ),
        (
            [
                "ALLOW_CUSTOM_AUTH",
                "ALLOW_USER_SRP_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH",
                "ALLOW_USER_AUTH",
            ],
            {"CUSTOM_AUTH", "USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "USER_AUTH"},
        ),
        (
            ["ADMIN_NO_SRP_AUTH"],
            {
                "USER_SRP_AUTH",
                "CUSTOM_AUTH",
                "REFRESH_TOKEN_AUTH",
                "REFRESH_TOKEN",
                "ADMIN_NO_SRP_AUTH",
                "ADMIN_USER_PASSWORD_AUTH",
            },
        ),
        (
            ["USER_PASSWORD_AUTH"],
            {
                "USER_SRP_AUTH",
                "CUSTOM_AUTH",
                "REFRESH_TOKEN_AUTH",
                "REFRESH_TOKEN",
                "USER_PASSWORD_AUTH",
            },
        ),
        (["CUSTOM_AUTH_FLOW_ONLY"], {"CUSTOM_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"}),
        (
            ["ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"],
            {"CUSTOM_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"},
        ),
    ],
)
def test_permitted_flows(flows, permitted):
    assert permitted_flows(client(flows)) == permitted
    for flow in ALL_FLOWS:
        assert (refusal_message(client(flows), flow) is None) == (flow in permitted)


def test_refusal_messages():
    default = client(None)
    assert (
        refusal_message(default, "USER_PASSWORD_AUTH")
        == "USER_PASSWORD_AUTH flow not enabled for this client"
    )
    assert (
        refusal_message(default, "ADMIN_USER_PASSWORD_AUTH")
        == "Auth flow not enabled for this client"
    )
    assert refusal_message(default, "ADMIN_NO_SRP_AUTH") == "Auth flow not enabled for this client"
    assert refusal_message(default, "USER_AUTH") == "USER_AUTH flow not enabled for this client"
    srp_less = client(["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    assert (
        refusal_message(srp_less, "USER_SRP_AUTH")
        == "USER_SRP_AUTH flow not enabled for this client"
    )
    custom_only = client(["CUSTOM_AUTH_FLOW_ONLY"])
    for flow in ("USER_SRP_AUTH", "USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH"):
        assert refusal_message(custom_only, flow) == (
            "Only custom auth (lambda driven) is enabled for this client."
        )
