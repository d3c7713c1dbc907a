"""The login endpoints of a web backend, on an Amazon Cognito user pool.

Ordinary application code: each method of :class:`LoginService` stands for one HTTP endpoint
and answers a :class:`Response` (status and JSON body). The service makes its own boto3 client
and verifies tokens the way production code does, with PyJWT against the pool's published JWKS
(``https://cognito-idp.<region>.amazonaws.com/<pool id>/.well-known/jwks.json``). It knows
nothing about pytest-cognito-mock; the tests next to it show the plugin answering anyway.

Endpoints:

* ``login``: email and password, server-side (``ADMIN_USER_PASSWORD_AUTH``);
* ``refresh``: new ID and access tokens from a refresh token;
* ``start_code_login`` / ``finish_code_login``: passwordless sign-in with a one-time code sent by
  email, through Cognito's CUSTOM_AUTH flow and the Lambda functions of :mod:`.triggers`;
* ``profile``: who the bearer of an access token is, after verifying the token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import boto3
import jwt
from botocore.exceptions import ClientError

#: Cognito error code -> the HTTP status the endpoints answer it with (anything else: 500).
_STATUS_BY_ERROR = {
    "NotAuthorizedException": 401,
    "UserNotFoundException": 401,
    "CodeMismatchException": 401,
    "UserNotConfirmedException": 403,
    "PasswordResetRequiredException": 403,
    "InvalidPasswordException": 400,
}


@dataclass(frozen=True)
class Response:
    status: int
    body: dict[str, Any] = field(default_factory=dict)


class InvalidToken(Exception):
    """A token that is not a live token of this service's pool and app client."""


class LoginService:
    def __init__(self, user_pool_id: str, client_id: str, *, region: str = "us-east-1") -> None:
        self.user_pool_id = user_pool_id
        self.client_id = client_id
        self.cognito = boto3.client("cognito-idp", region_name=region)
        self.issuer = f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"
        self.jwks = jwt.PyJWKClient(f"{self.issuer}/.well-known/jwks.json")

    # -- endpoints ---------------------------------------------------------------------------

    def login(self, email: str, password: str) -> Response:
        try:
            answer = self.cognito.admin_initiate_auth(
                UserPoolId=self.user_pool_id,
                ClientId=self.client_id,
                AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": email, "PASSWORD": password},
            )
        except ClientError as error:
            return _failure(error)
        if "AuthenticationResult" not in answer:
            # A temporary password or MFA: not handled by this small service.
            return Response(409, {"challenge": answer["ChallengeName"]})
        return _tokens(answer["AuthenticationResult"])

    def refresh(self, refresh_token: str) -> Response:
        try:
            answer = self.cognito.initiate_auth(
                ClientId=self.client_id,
                AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": refresh_token},
            )
        except ClientError as error:
            return _failure(error)
        return _tokens(answer["AuthenticationResult"])

    def start_code_login(self, email: str) -> Response:
        """Email a one-time code; the caller sends back the ``session`` with the code."""
        try:
            answer = self.cognito.initiate_auth(
                ClientId=self.client_id,
                AuthFlow="CUSTOM_AUTH",
                AuthParameters={"USERNAME": email},
            )
        except ClientError as error:
            return _failure(error)
        return Response(
            200, {"session": answer["Session"], "sent_to": answer["ChallengeParameters"]["email"]}
        )

    def finish_code_login(self, email: str, session: str, code: str) -> Response:
        """Tokens for the right code; for a wrong one, 401 and the session to try again with."""
        try:
            answer = self.cognito.respond_to_auth_challenge(
                ClientId=self.client_id,
                ChallengeName="CUSTOM_CHALLENGE",
                Session=session,
                ChallengeResponses={"USERNAME": email, "ANSWER": code},
            )
        except ClientError as error:
            return _failure(error)
        if "AuthenticationResult" in answer:
            return _tokens(answer["AuthenticationResult"])
        return Response(401, {"error": "WrongCode", "session": answer["Session"]})

    def profile(self, authorization: str) -> Response:
        """The caller's identity, from an ``Authorization: Bearer <access token>`` header."""
        scheme, _, token = authorization.partition(" ")
        if scheme != "Bearer" or not token:
            return Response(401, {"error": "MissingToken"})
        try:
            claims = self.verify(token, token_use="access")
        except jwt.ExpiredSignatureError:
            return Response(401, {"error": "TokenExpired"})
        except (InvalidToken, jwt.PyJWTError):
            return Response(401, {"error": "InvalidToken"})
        return Response(200, {"sub": claims["sub"], "username": claims["username"]})

    # -- token verification ------------------------------------------------------------------

    def verify(self, token: str, *, token_use: str) -> dict[str, Any]:
        """The claims of a live ``token_use`` ("id" or "access") token of this app client.

        Raises PyJWT's errors (``jwt.ExpiredSignatureError`` for an expired token) or
        :class:`InvalidToken`.
        """
        key = self.jwks.get_signing_key_from_jwt(token)
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            algorithms=["RS256"],
            issuer=self.issuer,
            # ID tokens name the app client in "aud", access tokens in "client_id".
            audience=self.client_id if token_use == "id" else None,
            options={"require": ["exp", "iat", "sub", "token_use"]},
        )
        if claims["token_use"] != token_use:
            raise InvalidToken(f"not an {token_use} token")
        if token_use == "access" and claims.get("client_id") != self.client_id:
            raise InvalidToken("issued to another app client")
        return claims


def _tokens(result: dict[str, Any]) -> Response:
    body = {
        "id_token": result["IdToken"],
        "access_token": result["AccessToken"],
        "expires_in": result["ExpiresIn"],
    }
    if "RefreshToken" in result:  # a refresh returns no new refresh token
        body["refresh_token"] = result["RefreshToken"]
    return Response(200, body)


def _failure(error: ClientError) -> Response:
    details = error.response["Error"]
    status = _STATUS_BY_ERROR.get(details["Code"], 500)
    return Response(status, {"error": details["Code"], "message": details["Message"]})
