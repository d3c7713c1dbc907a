"""AdminInitiateAuth and InitiateAuth: which flow may run, then the flow itself.

Checks come in AWS's order: the flow must belong to the operation, then the app client must
permit it (before any user is looked up), then the flow runs. Flows are a table
(:data:`FLOWS`) that holds every AuthFlow of the service model.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from . import CognitoBackend, auth_events, clock, sessions, sign_in, trigger_events, triggers
from .auth_flows import refusal_message
from .errors import (
    InvalidParameterException,
    NotAuthorizedException,
    PasswordResetRequiredException,
    UserNotConfirmedException,
    UserNotFoundException,
)
from .models import AppClient, User, UserPool
from .secret_hash import check_secret_hash
from .users import find_user, migrate_user

INITIATE_AUTH_FLOWS = frozenset(
    {
        "USER_SRP_AUTH",
        "USER_PASSWORD_AUTH",
        "REFRESH_TOKEN_AUTH",
        "REFRESH_TOKEN",
        "CUSTOM_AUTH",
        "USER_AUTH",
    }
)
ADMIN_INITIATE_AUTH_FLOWS = frozenset(
    {
        "USER_SRP_AUTH",
        "ADMIN_USER_PASSWORD_AUTH",
        "ADMIN_NO_SRP_AUTH",
        "REFRESH_TOKEN_AUTH",
        "REFRESH_TOKEN",
        "CUSTOM_AUTH",
        "USER_AUTH",
    }
)

#: Both "missing" and "wrong" SECRET_HASH on the authentication operations.
SECRET_HASH_MESSAGE = "Unable to verify secret hash for client {client_id}"
INCORRECT_CREDENTIALS = "Incorrect username or password."


@dataclass
class AuthRequest:
    backend: CognitoBackend
    pool: UserPool
    client: AppClient
    flow: str
    parameters: Mapping[str, str]
    admin: bool
    #: The request's ClientMetadata: pre authentication and user migration get it (as
    #: ``validationData``); no other trigger InitiateAuth runs does.
    client_metadata: Mapping[str, str] | None = None
    #: Set for a sign-in through the hosted pages: the scopes and nonce the tokens will carry.
    grant: sign_in.OAuthGrant | None = None
    #: InitiateAuth's ``Session``: USER_AUTH's continuation of a ConfirmSignUp.
    session: str | None = None
    #: The request's UserContextData / ContextData, for threat protection's event history.
    context: auth_events.EventContext | None = None


@dataclass
class AuthOutcome:
    """Either tokens, or a challenge to answer with RespondToAuthChallenge."""

    tokens: sign_in.IssuedTokens | None = None
    challenge_name: str | None = None
    session: str | None = None
    challenge_parameters: dict[str, str] = field(default_factory=dict)
    #: USER_AUTH's SELECT_CHALLENGE: the first factors the user may choose from.
    available_challenges: list[str] | None = None


def initiate_auth(request: AuthRequest) -> AuthOutcome:
    allowed = ADMIN_INITIATE_AUTH_FLOWS if request.admin else INITIATE_AUTH_FLOWS
    if request.flow not in allowed:
        raise InvalidParameterException("Initiate Auth method not supported.")
    refusal = refusal_message(request.client, request.flow)
    if refusal is not None:
        raise InvalidParameterException(refusal)
    return _recorded(request, FLOWS[request.flow])


def hosted_sign_in(request: AuthRequest) -> AuthOutcome:
    """A sign-in with username and password on the hosted pages (``request.grant`` set).

    The same checks as the API's password flows, in the same order, whatever the client's
    ExplicitAuthFlows (they govern the API only), and without SECRET_HASH: the browser never
    holds the client's secret.
    """
    return _recorded(request, _password_flow)


def _recorded(request: AuthRequest, flow: Callable[[AuthRequest], AuthOutcome]) -> AuthOutcome:
    """Run ``flow``; threat protection records the sign-in it was (see auth_events.py)."""
    return auth_events.signing_in(
        request.backend,
        request.pool,
        request.client,
        request.parameters.get("USERNAME"),
        request.context,
        lambda: flow(request),
        flow=request.flow,
        password_given="PASSWORD" in request.parameters,
    )


def _password_flow(request: AuthRequest) -> AuthOutcome:
    username = required_parameter(request.parameters, "USERNAME")
    password = required_parameter(request.parameters, "PASSWORD")
    if request.grant is None:
        check_auth_secret_hash(request.client, username, request.parameters)
    if find_user(request.pool, username) is None:
        _migrate_on_sign_in(request, username, password)
    user = signing_in_user(request, username)
    pre_authentication(request, user)
    refuse_before_the_password(user)
    if user.password != password:
        raise NotAuthorizedException(INCORRECT_CREDENTIALS)
    return after_password(request, user)


def _migrate_on_sign_in(request: AuthRequest, username: str, password: str) -> None:
    """UserMigration for a name the pool does not know: the function may bring the user over.

    A function that returns no user attributes brings nobody: the sign-in then fails as for an
    unknown user, except that without PreventUserExistenceErrors AWS names the migration.
    """
    if not triggers.is_configured(request.pool, "UserMigration"):
        return
    migrated = trigger_events.run(
        request.backend,
        request.pool,
        trigger_events.USER_MIGRATION,
        "UserMigration_Authentication",
        user_name=username,
        client_id=request.client.client_id,
        given=trigger_events.EventInput(password=password, validation_data=request.client_metadata),
    )
    if migrated is not None:
        migrate_user(request.pool, username, migrated, password)
    elif request.client.settings.prevent_user_existence_errors != "ENABLED":
        raise UserNotFoundException(
            f"Exception migrating user in app client {request.client.client_id}"
        )


def refuse_before_the_password(user: User) -> None:
    """Statuses AWS refuses whatever the password: an imported user has none yet (it must
    reset it), and an unconfirmed user is told so even with a wrong password (AWS's stated
    intent, so apps can send it to confirmation), at InitiateAuth in the SRP flow too."""
    if user.status == "RESET_REQUIRED":
        raise PasswordResetRequiredException("Password reset required for the user")
    if user.status == "UNCONFIRMED":
        raise UserNotConfirmedException("User is not confirmed.")


def pre_authentication(request: AuthRequest, user: User) -> None:
    """The pre authentication trigger, before the credentials are judged; raising refuses."""
    hides_users = request.client.settings.prevent_user_existence_errors == "ENABLED"
    trigger_events.run(
        request.backend,
        request.pool,
        trigger_events.PRE_AUTHENTICATION,
        "PreAuthentication_Authentication",
        user_name=user.username,
        client_id=request.client.client_id,
        given=trigger_events.for_user(
            user,
            validation_data=request.client_metadata,
            user_not_found=False if hides_users else None,
        ),
    )


#: The prefix of NEW_PASSWORD_REQUIRED's attribute answers: ``userAttributes.<name>``.
ATTRIBUTE_PREFIX = "userAttributes."


def missing_required_attributes(pool: UserPool, attributes: Mapping[str, str]) -> list[str]:
    """Names of the pool's required attributes (``sub`` aside) that ``attributes`` lack."""
    return [
        definition.name
        for definition in pool.schema
        if definition.required and definition.name != "sub" and not attributes.get(definition.name)
    ]


def _required_attributes_parameter(pool: UserPool, user: User) -> str:
    """NEW_PASSWORD_REQUIRED's ``requiredAttributes``: a JSON list of the required attributes
    the user lacks, each named as its answer is (``userAttributes.<name>``: the prefix
    amazon-cognito-identity-js and Amplify strip)."""
    missing = missing_required_attributes(pool, user.attributes)
    return json.dumps([ATTRIBUTE_PREFIX + name for name in missing], separators=(",", ":"))


def after_password(request: AuthRequest, user: User) -> AuthOutcome:
    """What a correct password leads to, by the user's status."""
    if user.status == "UNCONFIRMED":
        raise UserNotConfirmedException("User is not confirmed.")
    if user.status == "FORCE_CHANGE_PASSWORD":
        expires = user.temporary_password_expires
        if expires is not None and clock.now() >= expires:
            raise NotAuthorizedException(
                "Temporary password has expired and must be reset by an administrator."
            )
        return AuthOutcome(
            challenge_name="NEW_PASSWORD_REQUIRED",
            session=sessions.open_session(
                request.backend, request.pool, request.client, user, "NEW_PASSWORD_REQUIRED"
            ),
            challenge_parameters={
                "USER_ID_FOR_SRP": user.username,
                "requiredAttributes": _required_attributes_parameter(request.pool, user),
                "userAttributes": json.dumps(
                    {k: v for k, v in user.attributes.items() if k != "sub"}, separators=(",", ":")
                ),
            },
        )
    from . import flow_device  # the device flow uses this module's helpers

    # Threat protection may refuse the sign-in, or ask for MFA it would not otherwise ask.
    challenge = auth_events.adaptive_response(
        request.backend, request.pool, request.client, user
    ) or flow_device.challenge_after_password(
        request.backend, request.pool, request.client, user, request.parameters.get("DEVICE_KEY")
    )
    if challenge is not None:
        return AuthOutcome(
            challenge_name=challenge.name,
            session=challenge.session,
            challenge_parameters=challenge.parameters,
        )
    hosted = request.grant is not None
    return AuthOutcome(
        tokens=sign_in.issue_tokens(
            request.backend,
            request.pool,
            request.client,
            user,
            device_key=request.parameters.get("DEVICE_KEY"),
            source="TokenGeneration_HostedAuth" if hosted else "TokenGeneration_Authentication",
            grant=request.grant,
        )
    )


def _refresh_flow(request: AuthRequest) -> AuthOutcome:
    token = request.parameters.get("REFRESH_TOKEN")
    record = sign_in.refresh_record(
        request.backend,
        request.pool,
        request.client,
        token,
        device_key=request.parameters.get("DEVICE_KEY"),
    )
    user = request.pool.users.get(request.pool.users_by_sub.get(record.sub, ""))
    if user is None:
        raise UserNotFoundException("User does not exist.")
    # The hash of a refresh uses the real (internal) username, not the alias typed at sign-in.
    check_auth_secret_hash(request.client, user.username, request.parameters)
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    return AuthOutcome(
        tokens=sign_in.refreshed_tokens(
            request.pool, request.client, user, record, backend=request.backend
        )
    )


def signing_in_user(request: AuthRequest, username: str) -> User:
    user = find_user(request.pool, username)
    if user is None:
        if request.client.settings.prevent_user_existence_errors == "ENABLED":
            raise NotAuthorizedException(INCORRECT_CREDENTIALS)
        raise UserNotFoundException("User does not exist.")
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    return user


def required_parameter(parameters: Mapping[str, str], name: str) -> str:
    value = parameters.get(name)
    if not value:
        raise InvalidParameterException(f"Missing required parameter {name}")
    return value


def check_auth_secret_hash(client: AppClient, username: str, parameters: Mapping[str, str]) -> None:
    check_secret_hash(
        client,
        username,
        parameters.get("SECRET_HASH"),
        missing_message=SECRET_HASH_MESSAGE,
        wrong_message=SECRET_HASH_MESSAGE,
    )


def _srp_flow(request: AuthRequest) -> AuthOutcome:
    from . import flow_srp  # the flow modules use this one's helpers

    return flow_srp.start(request)


def _custom_flow(request: AuthRequest) -> AuthOutcome:
    from . import flow_custom

    return flow_custom.start(request)


def _user_auth_flow(request: AuthRequest) -> AuthOutcome:
    from . import flow_user_auth

    return flow_user_auth.start(request)


FLOWS: dict[str, Callable[[AuthRequest], AuthOutcome]] = {
    "USER_SRP_AUTH": _srp_flow,
    "CUSTOM_AUTH": _custom_flow,
    "USER_AUTH": _user_auth_flow,
    "USER_PASSWORD_AUTH": _password_flow,
    "ADMIN_USER_PASSWORD_AUTH": _password_flow,
    "ADMIN_NO_SRP_AUTH": _password_flow,
    "REFRESH_TOKEN_AUTH": _refresh_flow,
    "REFRESH_TOKEN": _refresh_flow,
}
