"""RFC 8693 token exchange at POST /oauth2/token (grant_type
``urn:ietf:params:oauth:grant-type:token-exchange``): Authlib performs the exchange, requests
and httpx read the exact answers, PyJWT checks every issued token against the JWKS the issuer
publishes. The token endpoint needs no operation of botocore's model, so these tests run under
every botocore; only the last compares the endpoint with GetDerivedToken (botocore 1.44)."""

from __future__ import annotations

import httpx
import jwt
import pytest
import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from freezegun import freeze_time
from support.hosted import API, CALLBACK, PASSWORD, REVOKE_URL, TOKEN_URL, Client
from support.model import requires_operation

GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS = "urn:ietf:params:oauth:token-type:access_token"
ID = "urn:ietf:params:oauth:token-type:id_token"
SAML2 = "urn:ietf:params:oauth:token-type:saml2"
EXCHANGE_FLOWS = [
    "ALLOW_TOKEN_EXCHANGE_IMPERSONATION",
    "ALLOW_TOKEN_EXCHANGE_DELEGATION",
    "ALLOW_REFRESH_TOKEN_AUTH",
]


def verified(token: str, pool_id: str, **options) -> dict:
    """The claims of ``token``, checked by PyJWT against the JWKS fetched from the issuer."""
    issuer = f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
    key = jwt.PyJWKClient(f"{issuer}/.well-known/jwks.json").get_signing_key_from_jwt(token)
    return jwt.decode(token, key.key, algorithms=["RS256"], issuer=issuer, **options)


def exchange_client(cognito_idp, hosted, *, flows=EXCHANGE_FLOWS, name="svc") -> Client:
    """An app client with a secret that exchanges tokens (no OAuth flow: none is needed).
    The ExplicitAuthFlows values are newer than botocore 1.43's model; botocore sends them
    unchecked and the mock accepts them."""
    created = cognito_idp.create_user_pool_client(
        UserPoolId=hosted.pool_id,
        ClientName=name,
        GenerateSecret=True,
        ExplicitAuthFlows=flows,
        AllowedOAuthScopes=["openid", f"{API}/read", f"{API}/write"],
    )["UserPoolClient"]
    return Client(created["ClientId"], created["ClientSecret"])


@pytest.fixture
def service(cognito_idp, hosted) -> Client:
    return exchange_client(cognito_idp, hosted)


def user_tokens(cognito_mock, hosted, scopes=("openid", f"{API}/read")) -> dict:
    """The user's tokens from the web app's code flow."""
    code = cognito_mock.authorization_code(hosted.web.client_id, "ada", PASSWORD, scopes=scopes)
    answer = requests.post(
        TOKEN_URL,
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK},
        auth=(hosted.web.client_id, hosted.web.secret),
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def machine_token(hosted) -> str:
    answer = requests.post(
        TOKEN_URL,
        data={"grant_type": "client_credentials"},
        auth=(hosted.machine.client_id, hosted.machine.secret),
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def post(client: Client | None, **form) -> tuple[int, dict]:
    """A token-exchange request with HTTP Basic client authentication: status and body."""
    auth = (client.client_id, client.secret) if client is not None else None
    answer = requests.post(TOKEN_URL, data={"grant_type": GRANT, **form}, auth=auth)
    return answer.status_code, answer.json()


def test_authlib_exchanges_a_users_token_for_a_resource(cognito_mock, hosted, service):
    subject = user_tokens(cognito_mock, hosted)
    with OAuth2Session(service.client_id, service.secret) as session:
        token = session.fetch_token(
            TOKEN_URL,
            grant_type=GRANT,
            subject_token=subject["access_token"],
            subject_token_type=ACCESS,
            resource=API,
        )
    assert token["issued_token_type"] == ACCESS
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == 3600
    # Bound to the resource server: only its scopes that the subject token held remain.
    assert token["scope"] == f"{API}/read"
    assert "refresh_token" not in token
    claims = verified(token["access_token"], hosted.pool_id, audience=API)
    original = verified(subject["access_token"], hosted.pool_id)
    assert claims["token_use"] == "access"
    assert claims["client_id"] == service.client_id
    assert claims["scope"] == f"{API}/read"
    assert (claims["sub"], claims["username"]) == (original["sub"], "ada")
    assert claims["origin_jti"] == original["origin_jti"]
    assert "act" not in claims


def test_the_answer_is_rfc_8693s_with_the_token_endpoints_headers(cognito_mock, hosted, service):
    subject = user_tokens(cognito_mock, hosted)["access_token"]
    answer = requests.post(
        TOKEN_URL,
        data={
            "grant_type": GRANT,
            "client_id": service.client_id,
            "client_secret": service.secret,  # client_secret_post
            "subject_token": subject,
            "subject_token_type": ACCESS,
            "requested_token_type": ACCESS,
            "scope": f"openid {API}/write {API}/read",
            "audience": "billing",
        },
    )
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json;charset=UTF-8"
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    body = answer.json()
    assert list(body) == ["access_token", "issued_token_type", "token_type", "expires_in", "scope"]
    # The write scope is the service's but not the subject's: the intersection drops it.
    assert body["scope"] == f"openid {API}/read"
    assert verified(body["access_token"], hosted.pool_id, audience="billing")["aud"] == "billing"


def test_delegation_names_the_actor(cognito_mock, hosted, service):
    subject = user_tokens(cognito_mock, hosted)["access_token"]
    with OAuth2Session(service.client_id, service.secret) as session:
        token = session.fetch_token(
            TOKEN_URL,
            grant_type=GRANT,
            subject_token=subject,
            subject_token_type=ACCESS,
            actor_token=machine_token(hosted),
            actor_token_type=ACCESS,
        )
    claims = verified(token["access_token"], hosted.pool_id)
    machine = hosted.machine.client_id
    assert claims["act"] == {"sub": machine, "client_id": machine}
    assert claims["username"] == "ada"
    assert token["scope"] == f"openid {API}/read"


def test_an_id_token_for_an_id_token(cognito_mock, hosted, service):
    subject = user_tokens(cognito_mock, hosted)["id_token"]
    status, body = post(
        service, subject_token=subject, subject_token_type=ID, requested_token_type=ID
    )
    assert status == 200
    assert (body["issued_token_type"], body["token_type"]) == (ID, "N_A")
    claims = verified(body["access_token"], hosted.pool_id, audience=service.client_id)
    assert claims["token_use"] == "id"
    assert claims["cognito:username"] == "ada"
    assert claims["email"] == "ada@example.com"


def test_the_loopback_endpoint_serves_the_grant(cognito_mock, hosted, service):
    subject = user_tokens(cognito_mock, hosted)["access_token"]
    with httpx.Client() as client:
        answer = client.post(
            cognito_mock.loopback_url(TOKEN_URL),
            data={"grant_type": GRANT, "subject_token": subject, "subject_token_type": ACCESS},
            auth=(service.client_id, service.secret),
        )
    assert answer.status_code == 200, answer.text
    assert verified(answer.json()["access_token"], hosted.pool_id)["username"] == "ada"


def test_authlib_reads_the_refusal(cognito_mock, hosted, service):
    with (
        OAuth2Session(service.client_id, service.secret) as session,
        pytest.raises(OAuthError) as raised,
    ):
        session.fetch_token(
            TOKEN_URL, grant_type=GRANT, subject_token="a.b.c", subject_token_type=ACCESS
        )
    assert (raised.value.error, raised.value.description) == (
        "invalid_grant",
        "Invalid Access Token",
    )


def test_client_authentication(cognito_idp, cognito_mock, hosted, service):
    subject = user_tokens(cognito_mock, hosted)["access_token"]
    form = {"subject_token": subject, "subject_token_type": ACCESS}
    invalid_client = (400, {"error": "invalid_client"})
    assert post(Client(service.client_id, "wrong"), **form) == invalid_client
    assert post(None, client_id=service.client_id, **form) == invalid_client
    assert post(Client("no-such-client", "x"), **form) == invalid_client
    # A public client sends only its id: with the exchange flows it is answered, without them
    # it is not an exchanging client.
    public = cognito_idp.create_user_pool_client(
        UserPoolId=hosted.pool_id,
        ClientName="public-svc",
        ExplicitAuthFlows=EXCHANGE_FLOWS,
        AllowedOAuthScopes=["openid"],
    )["UserPoolClient"]["ClientId"]
    answer = requests.post(TOKEN_URL, data={"grant_type": GRANT, "client_id": public, **form})
    assert answer.status_code == 200, answer.text
    assert answer.json()["scope"] == "openid"
    assert verified(answer.json()["access_token"], hosted.pool_id)["client_id"] == public
    answer = requests.post(
        TOKEN_URL, data={"grant_type": GRANT, "client_id": hosted.spa.client_id, **form}
    )
    assert (answer.status_code, answer.json()) == refusal(
        "unauthorized_client", "TOKEN_EXCHANGE_IMPERSONATION flow not enabled for this client"
    )


def test_each_exchange_needs_its_flow(cognito_idp, cognito_mock, hosted):
    subject = user_tokens(cognito_mock, hosted)["access_token"]
    impersonating = exchange_client(
        cognito_idp,
        hosted,
        flows=["ALLOW_TOKEN_EXCHANGE_IMPERSONATION", "ALLOW_REFRESH_TOKEN_AUTH"],
    )
    form = {"subject_token": subject, "subject_token_type": ACCESS}
    assert post(impersonating, **form)[0] == 200
    assert post(impersonating, actor_token=subject, actor_token_type=ACCESS, **form) == (
        400,
        {
            "error": "unauthorized_client",
            "error_description": "TOKEN_EXCHANGE_DELEGATION flow not enabled for this client",
        },
    )
    # An OAuth client of the code flow is no exchanging client.
    assert post(hosted.web, **form)[1]["error"] == "unauthorized_client"


def test_a_pool_moved_to_lite_refuses_the_exchange_its_client_was_set_up_for(
    cognito_idp, cognito_mock, hosted, service
):
    subject = user_tokens(cognito_mock, hosted)["access_token"]
    cognito_idp.update_user_pool(UserPoolId=hosted.pool_id, UserPoolTier="LITE")
    assert post(service, subject_token=subject, subject_token_type=ACCESS) == (
        400,
        {
            "error": "unauthorized_client",
            "error_description": "The following features need to be disabled for the LITE "
            "pricing tier configured: Token Exchange",
        },
    )


def refusal(error: str, description: str) -> tuple[int, dict]:
    return 400, {"error": error, "error_description": description}


def test_malformed_requests(cognito_mock, hosted, service):
    subject = user_tokens(cognito_mock, hosted)["access_token"]
    form = {"subject_token": subject, "subject_token_type": ACCESS}
    assert post(service, subject_token_type=ACCESS) == refusal(
        "invalid_request", "subject_token is required."
    )
    assert post(service, subject_token=subject) == refusal(
        "invalid_request", "subject_token_type is required."
    )
    jwt_type = "urn:ietf:params:oauth:token-type:jwt"
    assert post(service, subject_token=subject, subject_token_type=jwt_type) == refusal(
        "invalid_request", f"Unsupported subject_token_type: {jwt_type}"
    )
    assert post(service, requested_token_type=SAML2, **form) == refusal(
        "invalid_request", f"Unsupported requested_token_type: {SAML2}"
    )
    assert post(service, actor_token=subject, **form) == refusal(
        "invalid_request", "ActorTokenType is required when ActorToken is provided."
    )
    assert post(service, actor_token_type=ACCESS, **form) == refusal(
        "invalid_request", "ActorToken is required when ActorTokenType is provided."
    )
    assert post(service, subject_token="PHNhbWw+", subject_token_type=SAML2) == refusal(
        "invalid_request",
        "SubjectToken from a third-party identity provider can't be exchanged: "
        "pytest-cognito-mock exchanges only this user pool's own access and ID tokens.",
    )


def test_targets_and_scopes(cognito_mock, hosted, service):
    subject = user_tokens(cognito_mock, hosted)["access_token"]
    form = {"subject_token": subject, "subject_token_type": ACCESS}
    assert post(service, audience=["billing", "shipping"], **form) == refusal(
        "invalid_target", "Only one audience can be requested."
    )
    assert post(service, resource=[API, "https://other.example.com"], **form) == refusal(
        "invalid_target", "Only one resource can be requested."
    )
    assert post(service, audience="billing", resource=API, **form) == refusal(
        "invalid_target", "Audiences and Resources can't both be provided in the same request."
    )
    assert post(service, resource="https://nowhere.example.com", **form) == refusal(
        "invalid_target", "Invalid resource requested: https://nowhere.example.com"
    )
    assert post(service, scope=f"{API}/delete", **form) == refusal(
        "invalid_scope", f"Invalid scope requested: {API}/delete"
    )
    assert post(service, scope=f"{API}/write", **form) == refusal(
        "invalid_scope",
        "The requested scopes, the scopes of the SubjectToken and the scopes allowed for the app "
        f"client {service.client_id} have none in common.",
    )


def test_presented_tokens_are_checked(cognito_idp, cognito_mock, hosted, service):
    tokens = user_tokens(cognito_mock, hosted)
    assert post(service, subject_token="a.b.c", subject_token_type=ACCESS) == refusal(
        "invalid_grant", "Invalid Access Token"
    )
    assert post(service, subject_token=tokens["id_token"], subject_token_type=ACCESS) == refusal(
        "invalid_grant", "Invalid Access Token"
    )
    assert post(
        service,
        subject_token=tokens["access_token"],
        subject_token_type=ACCESS,
        actor_token=tokens["access_token"],
        actor_token_type=ID,
    ) == refusal("invalid_grant", "ActorToken: Invalid ID Token")
    assert post(service, subject_token=machine_token(hosted), subject_token_type=ACCESS) == (
        refusal(
            "invalid_grant",
            "A SubjectToken must represent a user: a client credentials token can't be one.",
        )
    )


def test_expired_revoked_and_deleted_subjects(cognito_idp, cognito_mock, hosted, service):
    with freeze_time() as frozen:
        expiring = user_tokens(cognito_mock, hosted)["access_token"]
        frozen.tick(3601)
        assert post(service, subject_token=expiring, subject_token_type=ACCESS) == refusal(
            "invalid_grant", "Access Token has expired"
        )

    tokens = user_tokens(cognito_mock, hosted)
    form = {"subject_token": tokens["access_token"], "subject_token_type": ACCESS}
    status, derived = post(service, **form)
    assert status == 200
    revoked = requests.post(
        REVOKE_URL,
        data={"token": tokens["refresh_token"]},
        auth=(hosted.web.client_id, hosted.web.secret),
    )
    assert revoked.status_code == 200
    assert post(service, **form) == refusal("invalid_grant", "Access Token has been revoked")
    # The derived token belongs to the revoked family: exchanging it again is refused too.
    again = {"subject_token": derived["access_token"], "subject_token_type": ACCESS}
    assert post(service, **again) == refusal("invalid_grant", "Access Token has been revoked")

    form["subject_token"] = user_tokens(cognito_mock, hosted)["access_token"]
    cognito_idp.admin_delete_user(UserPoolId=hosted.pool_id, Username="ada")
    assert post(service, **form) == refusal("invalid_grant", "User does not exist.")


@requires_operation("GetDerivedToken")
def test_the_endpoint_and_get_derived_token_issue_the_same_token(
    cognito_idp, cognito_mock, hosted, service
):
    subject = user_tokens(cognito_mock, hosted)["access_token"]
    actor = machine_token(hosted)
    status, body = post(
        service,
        subject_token=subject,
        subject_token_type=ACCESS,
        actor_token=actor,
        actor_token_type=ACCESS,
        audience="billing",
    )
    assert status == 200
    result = cognito_idp.get_derived_token(
        ClientId=service.client_id,
        ClientSecret=service.secret,
        SubjectToken=subject,
        SubjectTokenType="ACCESS_TOKEN",
        ActorToken=actor,
        ActorTokenType="ACCESS_TOKEN",
        Audiences=["billing"],
    )
    assert body["scope"].split() == result["Scopes"]
    assert body["expires_in"] == result["ExpiresIn"]
    per_token = {"jti", "iat", "exp", "event_id"}
    from_endpoint = verified(body["access_token"], hosted.pool_id, audience="billing")
    from_api = verified(result["IssuedToken"], hosted.pool_id, audience="billing")
    assert {k: v for k, v in from_endpoint.items() if k not in per_token} == {
        k: v for k, v in from_api.items() if k not in per_token
    }
