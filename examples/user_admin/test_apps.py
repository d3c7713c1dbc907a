"""Tenant apps: user pools and app clients made by the application's own boto3 clients."""

from __future__ import annotations

import pytest

from user_admin import accounts


def describe_client(cognito_idp, app):
    return cognito_idp.describe_user_pool_client(UserPoolId=app.pool_id, ClientId=app.client_id)[
        "UserPoolClient"
    ]


def test_the_client_made_at_import_time_is_answered_by_the_mock(cognito_mock):
    # accounts.cognito was created when pytest imported this module, before the mock started.
    accounts.create_app("shop")

    assert [call.operation for call in cognito_mock.calls] == [
        "CreateUserPool",
        "CreateUserPoolClient",
    ]
    assert all(call.succeeded and call.region == "us-east-1" for call in cognito_mock.calls)


def test_create_app_configures_the_pool_and_its_backend_client(cognito_idp):
    app = accounts.create_app("shop")

    pool = cognito_idp.describe_user_pool(UserPoolId=app.pool_id)["UserPool"]
    assert pool["Name"] == "shop"
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["AutoVerifiedAttributes"] == ["email"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    client = describe_client(cognito_idp, app)
    assert client["ClientName"] == "shop-backend"
    assert client["ExplicitAuthFlows"] == accounts.AUTH_FLOWS
    assert client["PreventUserExistenceErrors"] == "ENABLED"
    assert client["RefreshTokenValidity"] == 7
    assert "ClientSecret" not in client


@pytest.mark.cognito_mock(region="eu-west-1")
def test_an_app_made_in_another_region_exists_only_there(cognito_idp):
    app = accounts.create_app("shop-eu", region="eu-west-1")

    assert app.pool_id.startswith("eu-west-1_")
    assert cognito_idp.meta.region_name == "eu-west-1"
    assert cognito_idp.describe_user_pool(UserPoolId=app.pool_id)["UserPool"]["Name"] == "shop-eu"
    # The module's own client works in us-east-1, where there is no such pool.
    with pytest.raises(accounts.cognito.exceptions.ResourceNotFoundException) as raised:
        accounts.cognito.describe_user_pool(UserPoolId=app.pool_id)
    assert raised.value.response["Error"]["Message"] == f"User pool {app.pool_id} does not exist."


def test_rename_client_changes_the_name_and_nothing_else(cognito_idp, cognito_mock):
    app = accounts.create_app("shop")
    before = describe_client(cognito_idp, app)

    accounts.rename_client(app.pool_id, app.client_id, "shop-api")

    assert [call.operation for call in cognito_mock.calls[-2:]] == [
        "DescribeUserPoolClient",
        "UpdateUserPoolClient",
    ]
    after = describe_client(cognito_idp, app)
    assert after["ClientName"] == "shop-api"
    untouched = {"ClientName", "LastModifiedDate"}
    assert {k: v for k, v in after.items() if k not in untouched} == {
        k: v for k, v in before.items() if k not in untouched
    }
    # Server-side sign-in is still enabled: an unknown user gets the ordinary refusal.
    with pytest.raises(accounts.cognito.exceptions.NotAuthorizedException) as raised:
        accounts.sign_in(app, "nobody@example.com", "Not-the-password-1")
    assert raised.value.response["Error"]["Message"] == "Incorrect username or password."


def test_updating_a_client_with_only_a_new_name_resets_the_rest(cognito_idp):
    # The mistake rename_client avoids: UpdateUserPoolClient is not a patch.
    app = accounts.create_app("shop")

    cognito_idp.update_user_pool_client(
        UserPoolId=app.pool_id, ClientId=app.client_id, ClientName="shop-api"
    )

    client = describe_client(cognito_idp, app)
    assert client["ClientName"] == "shop-api"
    assert "ExplicitAuthFlows" not in client
    assert client["RefreshTokenValidity"] == 30
    with pytest.raises(accounts.cognito.exceptions.InvalidParameterException) as raised:
        accounts.sign_in(app, "nobody@example.com", "Not-the-password-1")
    assert raised.value.response["Error"]["Message"] == "Auth flow not enabled for this client"


def test_renaming_a_client_that_does_not_exist(cognito_idp):
    app = accounts.create_app("shop")

    with pytest.raises(accounts.cognito.exceptions.ResourceNotFoundException) as raised:
        accounts.rename_client(app.pool_id, "1example23456789abcdefghij", "shop-api")

    error = raised.value.response["Error"]
    assert error["Message"] == "User pool client 1example23456789abcdefghij does not exist."
    assert describe_client(cognito_idp, app)["ClientName"] == "shop-backend"
