"""ForgotPassword, ConfirmForgotPassword, AdminResetUserPassword and ChangePassword."""

from __future__ import annotations

import pytest
from freezegun import freeze_time
from support.errors import error_of

from pytest_cognito_mock.backend.secret_hash import compute_secret_hash

PASSWORD = "Corr3ct-horse!"
NEW_PASSWORD = "N3w-battery-staple!"
FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/Cognito-UserImport-Role"
CODE_MISMATCH = ("CodeMismatchException", "Invalid verification code provided, please try again.")


def make_pool(cognito_idp, **settings) -> str:
    return cognito_idp.create_user_pool(
        PoolName="recovery", AutoVerifiedAttributes=["email"], **settings
    )["UserPool"]["Id"]


def make_client(cognito_idp, pool_id: str, **kwargs) -> str:
    return cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=FLOWS, **kwargs
    )["UserPoolClient"]["ClientId"]


def make_user(cognito_idp, pool_id: str, username: str = "ada", **attributes) -> None:
    given = {"email": f"{username}@example.com", "email_verified": "true", **attributes}
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": n, "Value": v} for n, v in given.items()],
    )
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )


def sign_in(cognito_idp, pool_id, client_id, password=PASSWORD, username="ada") -> dict:
    return cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )["AuthenticationResult"]


def confirm(cognito_idp, client_id, code, password=NEW_PASSWORD, username="ada") -> None:
    cognito_idp.confirm_forgot_password(
        ClientId=client_id, Username=username, ConfirmationCode=code, Password=password
    )


def status_of(cognito_idp, pool_id: str, username: str = "ada") -> str:
    return cognito_idp.admin_get_user(UserPoolId=pool_id, Username=username)["UserStatus"]


@pytest.fixture
def pool_id(cognito_idp) -> str:
    pool_id = make_pool(cognito_idp)
    make_user(cognito_idp, pool_id)
    return pool_id


@pytest.fixture
def client_id(cognito_idp, pool_id) -> str:
    return make_client(cognito_idp, pool_id)


def test_forgot_password_then_confirm_then_sign_in(cognito_idp, cognito_mock, pool_id, client_id):
    sent = cognito_idp.forgot_password(ClientId=client_id, Username="ada")
    assert sent["CodeDeliveryDetails"] == {
        "Destination": "a***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    # Until the reset is confirmed, the old password still works.
    assert status_of(cognito_idp, pool_id) == "CONFIRMED"
    sign_in(cognito_idp, pool_id, client_id)
    confirm(cognito_idp, client_id, cognito_mock.last_code(pool_id, "ada"))
    assert sign_in(cognito_idp, pool_id, client_id, NEW_PASSWORD)["AccessToken"]
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        sign_in(cognito_idp, pool_id, client_id, PASSWORD)
    assert error_of(raised)[1] == "Incorrect username or password."


def test_a_code_works_once_and_only_the_latest_counts(
    cognito_idp, cognito_mock, pool_id, client_id
):
    cognito_idp.forgot_password(ClientId=client_id, Username="ada")
    old_code = cognito_mock.last_code(pool_id, "ada")
    cognito_idp.forgot_password(ClientId=client_id, Username="ada")
    code = cognito_mock.last_code(pool_id, "ada")
    for wrong in {old_code, "000000"} - {code}:
        with pytest.raises(cognito_idp.exceptions.CodeMismatchException) as raised:
            confirm(cognito_idp, client_id, wrong)
        assert error_of(raised) == CODE_MISMATCH
    confirm(cognito_idp, client_id, code)
    with pytest.raises(cognito_idp.exceptions.CodeMismatchException):
        confirm(cognito_idp, client_id, code, password="An0ther-one!")
    sign_in(cognito_idp, pool_id, client_id, NEW_PASSWORD)


def test_a_code_expires_after_an_hour(cognito_idp, cognito_mock, pool_id, client_id):
    with freeze_time("2024-01-01 12:00:00") as frozen:
        cognito_idp.forgot_password(ClientId=client_id, Username="ada")
        code = cognito_mock.last_code(pool_id, "ada")
        frozen.tick(3601)
        with pytest.raises(cognito_idp.exceptions.ExpiredCodeException) as raised:
            confirm(cognito_idp, client_id, code)
    assert error_of(raised) == (
        "ExpiredCodeException",
        "Invalid code provided, please request a code again.",
    )


def test_the_new_password_must_follow_the_policy(cognito_idp, cognito_mock, pool_id, client_id):
    cognito_idp.forgot_password(ClientId=client_id, Username="ada")
    code = cognito_mock.last_code(pool_id, "ada")
    with pytest.raises(cognito_idp.exceptions.InvalidPasswordException) as raised:
        confirm(cognito_idp, client_id, code, password="Sh0rt!")
    assert error_of(raised)[1] == "Password does not conform to policy: Password not long enough"
    # The refused call used nothing up.
    confirm(cognito_idp, client_id, code)
    sign_in(cognito_idp, pool_id, client_id, NEW_PASSWORD)


UNKNOWN_USER = ("UserNotFoundException", "Username/client id combination not found.")


def test_unknown_users(cognito_idp, pool_id, client_id):
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException) as raised:
        cognito_idp.forgot_password(ClientId=client_id, Username="nobody")
    assert error_of(raised) == UNKNOWN_USER
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException) as raised:
        confirm(cognito_idp, client_id, "123456", username="nobody")
    assert error_of(raised) == UNKNOWN_USER
    # Nobody was made on the way, and the pool's one user is untouched.
    names = [u["Username"] for u in cognito_idp.list_users(UserPoolId=pool_id)["Users"]]
    assert "nobody" not in names
    hiding = make_client(cognito_idp, pool_id, PreventUserExistenceErrors="ENABLED")
    sent = cognito_idp.forgot_password(ClientId=hiding, Username="nobody@example.org")
    assert sent["CodeDeliveryDetails"] == {
        "Destination": "n***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    with pytest.raises(cognito_idp.exceptions.CodeMismatchException):
        confirm(cognito_idp, hiding, "123456", username="nobody@example.org")


def test_no_verified_contact_no_reset(cognito_idp, pool_id, client_id):
    make_user(cognito_idp, pool_id, "grace", email_verified="false")
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.forgot_password(ClientId=client_id, Username="grace")
    assert error_of(raised)[1] == (
        "Cannot reset password for the user as there is no registered/verified email or "
        "phone_number"
    )


def test_account_recovery_setting_picks_the_medium(cognito_idp):
    pool_id = make_pool(
        cognito_idp,
        AccountRecoverySetting={
            "RecoveryMechanisms": [
                {"Name": "verified_phone_number", "Priority": 1},
                {"Name": "verified_email", "Priority": 2},
            ]
        },
    )
    client_id = make_client(cognito_idp, pool_id)
    make_user(cognito_idp, pool_id, phone_number="+14325551212", phone_number_verified="true")
    sent = cognito_idp.forgot_password(ClientId=client_id, Username="ada")
    assert sent["CodeDeliveryDetails"] == {
        "Destination": "+*******1212",
        "DeliveryMedium": "SMS",
        "AttributeName": "phone_number",
    }
    admin_only = make_pool(
        cognito_idp,
        AccountRecoverySetting={"RecoveryMechanisms": [{"Name": "admin_only", "Priority": 1}]},
    )
    make_user(cognito_idp, admin_only)
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.forgot_password(ClientId=make_client(cognito_idp, admin_only), Username="ada")
    assert error_of(raised)[1] == "Contact administrator to reset password."


def test_secret_clients_need_the_secret_hash(cognito_idp, cognito_mock, pool_id):
    client = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="server", GenerateSecret=True
    )["UserPoolClient"]
    client_id, secret = client["ClientId"], client["ClientSecret"]
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.forgot_password(ClientId=client_id, Username="ada")
    assert error_of(raised)[1] == (
        f"Client {client_id} is configured for secret but secret was not received"
    )
    secret_hash = compute_secret_hash(secret, "ada", client_id)
    cognito_idp.forgot_password(ClientId=client_id, Username="ada", SecretHash=secret_hash)
    cognito_idp.confirm_forgot_password(
        ClientId=client_id,
        Username="ada",
        SecretHash=secret_hash,
        ConfirmationCode=cognito_mock.last_code(pool_id, "ada"),
        Password=NEW_PASSWORD,
    )


def test_an_imported_user_resets_its_password_and_signs_in(cognito_idp, cognito_mock):
    pool_id = make_pool(cognito_idp)
    client_id = make_client(cognito_idp, pool_id)
    job_id = cognito_idp.create_user_import_job(
        JobName="migration", UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE_ARN
    )["UserImportJob"]["JobId"]
    row = {"cognito:username": "lin", "email": "lin@example.com", "email_verified": "TRUE"}
    cognito_mock.upload_csv(pool_id, job_id, [row])
    cognito_idp.start_user_import_job(UserPoolId=pool_id, JobId=job_id)
    assert status_of(cognito_idp, pool_id, "lin") == "RESET_REQUIRED"
    with pytest.raises(cognito_idp.exceptions.PasswordResetRequiredException):
        sign_in(cognito_idp, pool_id, client_id, "anything-1A!", username="lin")

    cognito_idp.forgot_password(ClientId=client_id, Username="lin")
    confirm(cognito_idp, client_id, cognito_mock.last_code(pool_id, "lin"), username="lin")
    assert status_of(cognito_idp, pool_id, "lin") == "CONFIRMED"
    assert sign_in(cognito_idp, pool_id, client_id, NEW_PASSWORD, username="lin")["IdToken"]


def test_admin_reset_user_password(cognito_idp, cognito_mock, pool_id, client_id):
    cognito_idp.admin_reset_user_password(UserPoolId=pool_id, Username="ada")
    assert status_of(cognito_idp, pool_id) == "RESET_REQUIRED"
    with pytest.raises(cognito_idp.exceptions.PasswordResetRequiredException) as raised:
        sign_in(cognito_idp, pool_id, client_id)
    assert error_of(raised)[1] == "Password reset required for the user"
    confirm(cognito_idp, client_id, cognito_mock.last_code(pool_id, "ada"))
    assert status_of(cognito_idp, pool_id) == "CONFIRMED"
    sign_in(cognito_idp, pool_id, client_id, NEW_PASSWORD)


def test_admin_reset_refuses_users_with_a_temporary_password(cognito_idp, pool_id):
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="grace", MessageAction="SUPPRESS")
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.admin_reset_user_password(UserPoolId=pool_id, Username="grace")
    assert error_of(raised)[1] == "User password cannot be reset in the current state."
    assert status_of(cognito_idp, pool_id, "grace") == "FORCE_CHANGE_PASSWORD"
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException):
        cognito_idp.admin_reset_user_password(UserPoolId=pool_id, Username="nobody")


def test_confirm_forgot_password_runs_post_confirmation(cognito_idp, cognito_mock):
    arn = "arn:aws:lambda:us-east-1:123456789012:function:post-confirmation"
    events = []

    def handler(event, context):
        events.append(event)
        return event

    cognito_mock.register_lambda(arn, handler)
    pool_id = make_pool(cognito_idp, LambdaConfig={"PostConfirmation": arn})
    make_user(cognito_idp, pool_id)
    client_id = make_client(cognito_idp, pool_id)
    cognito_idp.forgot_password(ClientId=client_id, Username="ada")
    cognito_idp.confirm_forgot_password(
        ClientId=client_id,
        Username="ada",
        ConfirmationCode=cognito_mock.last_code(pool_id, "ada"),
        Password=NEW_PASSWORD,
        ClientMetadata={"source": "test"},
    )
    [event] = events
    assert event["triggerSource"] == "PostConfirmation_ConfirmForgotPassword"
    assert event["request"]["clientMetadata"] == {"source": "test"}
    assert event["request"]["userAttributes"]["email"] == "ada@example.com"
    assert event["request"]["userAttributes"]["cognito:user_status"] == "CONFIRMED"


def test_change_password(cognito_idp, pool_id, client_id):
    access_token = sign_in(cognito_idp, pool_id, client_id)["AccessToken"]
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.change_password(
            AccessToken=access_token, PreviousPassword="Wr0ng-horse!", ProposedPassword=NEW_PASSWORD
        )
    assert error_of(raised) == ("NotAuthorizedException", "Incorrect username or password.")
    with pytest.raises(cognito_idp.exceptions.InvalidPasswordException) as raised:
        cognito_idp.change_password(
            AccessToken=access_token, PreviousPassword=PASSWORD, ProposedPassword="nouppercase1!"
        )
    assert error_of(raised)[1] == (
        "Password does not conform to policy: Password must have uppercase characters"
    )
    sign_in(cognito_idp, pool_id, client_id)  # nothing changed yet
    cognito_idp.change_password(
        AccessToken=access_token, PreviousPassword=PASSWORD, ProposedPassword=NEW_PASSWORD
    )
    sign_in(cognito_idp, pool_id, client_id, NEW_PASSWORD)
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException):
        sign_in(cognito_idp, pool_id, client_id, PASSWORD)


def test_change_password_needs_a_valid_access_token(cognito_idp, pool_id, client_id):
    with pytest.raises(cognito_idp.exceptions.NotAuthorizedException) as raised:
        cognito_idp.change_password(
            AccessToken="abc.def.ghi", PreviousPassword=PASSWORD, ProposedPassword=NEW_PASSWORD
        )
    assert error_of(raised) == ("NotAuthorizedException", "Invalid Access Token")


def test_forgot_password_migrates_an_unknown_user_first(cognito_idp, cognito_mock):
    arn = "arn:aws:lambda:us-east-1:123456789012:function:migrate"
    events = []

    def handler(event, context):
        events.append(event)
        if event["userName"] == "lin":
            event["response"]["userAttributes"] = {
                "email": "lin@example.com",
                "email_verified": "true",
            }
        return event

    cognito_mock.register_lambda(arn, handler)
    pool_id = make_pool(cognito_idp, LambdaConfig={"UserMigration": arn})
    client_id = make_client(cognito_idp, pool_id)
    sent = cognito_idp.forgot_password(
        ClientId=client_id, Username="lin", ClientMetadata={"app": "web"}
    )
    assert sent["CodeDeliveryDetails"]["Destination"] == "l***@e***"
    [event] = events
    assert event["triggerSource"] == "UserMigration_ForgotPassword"
    assert event["request"]["clientMetadata"] == {"app": "web"}
    assert "password" not in event["request"]
    assert status_of(cognito_idp, pool_id, "lin") == "RESET_REQUIRED"
    confirm(cognito_idp, client_id, cognito_mock.last_code(pool_id, "lin"), username="lin")
    sign_in(cognito_idp, pool_id, client_id, NEW_PASSWORD, username="lin")
    # A function that brings nobody: the user stays unknown.
    with pytest.raises(cognito_idp.exceptions.UserNotFoundException) as raised:
        cognito_idp.forgot_password(ClientId=client_id, Username="nobody")
    assert error_of(raised)[1] == f"Exception migrating user in app client {client_id}"
