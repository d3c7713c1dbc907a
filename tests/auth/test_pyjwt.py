"""Third-party verification of the mock's tokens: PyJWT's PyJWKClient fetching the pool's JWKS
over urllib, and pycognito's verify_tokens fetching it over requests."""

from __future__ import annotations

import jwt
import pytest
from pycognito import Cognito

PASSWORD = "Corr3ct-horse!"


def pool_with_signed_in_user(cognito_idp, name: str = "app") -> tuple[str, str, dict]:
    """(pool id, client id, AuthenticationResult) after an ADMIN_USER_PASSWORD_AUTH sign-in."""
    pool_id = cognito_idp.create_user_pool(PoolName=name)["UserPool"]["Id"]
    client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username="ada",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "ada@example.com"}],
    )
    cognito_idp.admin_set_user_password(
        UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True
    )
    result = cognito_idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    return pool_id, client_id, result


def issuer(pool_id: str) -> str:
    return f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"


def jwks_client(pool_id: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(f"{issuer(pool_id)}/.well-known/jwks.json")


def test_pyjwt_verifies_an_id_token(cognito_idp):
    pool_id, client_id, result = pool_with_signed_in_user(cognito_idp)
    id_token = result["IdToken"]
    signing_key = jwks_client(pool_id).get_signing_key_from_jwt(id_token)
    claims = jwt.decode(
        id_token,
        signing_key.key,
        algorithms=["RS256"],
        audience=client_id,
        issuer=issuer(pool_id),
    )
    assert claims["token_use"] == "id"
    assert claims["cognito:username"] == "ada"
    assert claims["email"] == "ada@example.com"


def test_pyjwt_verifies_an_access_token_with_the_other_key(cognito_idp):
    pool_id, client_id, result = pool_with_signed_in_user(cognito_idp)
    client = jwks_client(pool_id)
    access_key = client.get_signing_key_from_jwt(result["AccessToken"])
    id_key = client.get_signing_key_from_jwt(result["IdToken"])
    assert access_key.key_id != id_key.key_id
    # Access tokens carry client_id, not aud.
    claims = jwt.decode(
        result["AccessToken"], access_key.key, algorithms=["RS256"], issuer=issuer(pool_id)
    )
    assert (claims["token_use"], claims["client_id"]) == ("access", client_id)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(result["AccessToken"], id_key.key, algorithms=["RS256"], issuer=issuer(pool_id))


def test_a_token_of_another_pool_finds_no_key(cognito_idp):
    pool_id, _, _ = pool_with_signed_in_user(cognito_idp, "first")
    _, _, other = pool_with_signed_in_user(cognito_idp, "second")
    with pytest.raises(jwt.PyJWKClientError, match="Unable to find a signing key"):
        jwks_client(pool_id).get_signing_key_from_jwt(other["IdToken"])


def test_pyjwt_reports_an_unknown_pool_as_a_fetch_failure(cognito_mock):
    with pytest.raises(jwt.PyJWKClientConnectionError, match="404"):
        jwks_client("us-east-1_nothere00").get_jwk_set()


def test_pycognito_verifies_tokens_over_requests(cognito_mock, cognito_idp):
    pool_id, client_id, result = pool_with_signed_in_user(cognito_idp)
    user = Cognito(
        pool_id,
        client_id,
        id_token=result["IdToken"],
        access_token=result["AccessToken"],
        refresh_token=result["RefreshToken"],
    )
    user.verify_tokens()
    assert user.id_claims["cognito:username"] == "ada"
    assert user.access_claims["client_id"] == client_id
    assert user.get_keys() == cognito_mock.jwks(pool_id)
