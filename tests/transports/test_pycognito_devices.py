"""pycognito's device helpers send the JSON 1.1 API with ``requests.post`` straight to
``https://cognito-idp.<region>.amazonaws.com/`` (no botocore): confirmed, remembered and forgotten
devices reach the mock, and a second client sees them."""

from __future__ import annotations

from pycognito.aws_srp import AWSSRP

PASSWORD = "Corr3ct-horse!"


def test_pycognito_device_helpers_over_plain_http(cognito_idp, cognito_mock):
    pool_id = cognito_idp.create_user_pool(
        PoolName="devices",
        DeviceConfiguration={
            "ChallengeRequiredOnNewDevice": False,
            "DeviceOnlyRememberedOnUserPrompt": True,
        },
    )["UserPool"]["Id"]
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    cognito_idp.admin_create_user(UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS")
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True
    )
    srp = AWSSRP("ada", PASSWORD, pool_id, client_id, client=cognito_idp)
    tokens = srp.authenticate_user()  # boto3, for the tokens and the new device's key
    key = tokens["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"]
    access = tokens["AuthenticationResult"]["AccessToken"]

    response, device_password = srp.confirm_device(tokens, device_name="ada-laptop")
    assert response.status_code == 200
    assert response.json() == {"UserConfirmationNecessary": True}
    assert device_password
    device = cognito_idp.admin_get_device(DeviceKey=key, UserPoolId=pool_id, Username="ada")
    names = {a["Name"]: a["Value"] for a in device["Device"]["DeviceAttributes"]}
    assert names["device_name"] == "ada-laptop"
    assert names["device_status"] == "valid"
    assert names["dev:device_remembered_status"] == "not_remembered"  # until the user says

    assert srp.update_device_status(True, access, key).startswith("<Response [200]>")
    device = cognito_idp.admin_get_device(DeviceKey=key, UserPoolId=pool_id, Username="ada")
    names = {a["Name"]: a["Value"] for a in device["Device"]["DeviceAttributes"]}
    assert names["dev:device_remembered_status"] == "remembered"

    assert srp.forget_device(access, key).startswith("<Response [200]>")
    assert cognito_idp.admin_list_devices(UserPoolId=pool_id, Username="ada")["Devices"] == []
    assert [call.operation for call in cognito_mock.calls][-6:] == [
        "ConfirmDevice",
        "AdminGetDevice",
        "UpdateDeviceStatus",
        "AdminGetDevice",
        "ForgetDevice",
        "AdminListDevices",
    ]
