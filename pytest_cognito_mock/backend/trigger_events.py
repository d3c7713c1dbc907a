"""The events of the Lambda triggers: what Cognito sends each one, and what it reads back.

Each trigger is one :class:`TriggerSpec` of :data:`SPECS`: a builder for the event's ``request``,
the ``response`` Cognito fills in before the call, and a reader that turns the ``response`` the
handler returns into a typed answer. Readers refuse values Cognito could not use with
InvalidLambdaResponseException, so a handler's mistake fails the way it would on AWS.
:func:`run` fires a trigger only when the pool configures it, so a flow's call site is one
statement. (The three custom-authentication triggers live with their flow.)

What ClientMetadata reaches follows the botocore model's documentation of the member: SignUp,
AdminCreateUser, ConfirmSignUp and AdminConfirmSignUp pass it to the triggers they run
(``clientMetadata``); InitiateAuth and AdminInitiateAuth pass it to pre authentication and user
migration only, where the developer guide shows it as ``validationData``; RespondToAuthChallenge
and ForgotPassword pass it as ``clientMetadata``. A member the request has no value for is
omitted, except ``validationData``, which real events carry as ``null``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from . import CognitoBackend, triggers
from .errors import InvalidLambdaResponseException, ServiceError
from .models import User, UserPool
from .tokens import ClaimOverrides

Answer = TypeVar("Answer")

UNRECOGNIZABLE = "Unrecognizable lambda output"


@dataclass(frozen=True)
class GroupConfiguration:
    """The group claims of a token: ``groupConfiguration`` in, ``groupOverrideDetails`` out."""

    groups: tuple[str, ...] = ()
    iam_roles: tuple[str, ...] = ()
    preferred_role: str | None = None

    def as_event(self) -> dict[str, Any]:
        return {
            "groupsToOverride": list(self.groups),
            "iamRolesToOverride": list(self.iam_roles),
            "preferredRole": self.preferred_role,
        }


@dataclass(frozen=True)
class EventInput:
    """What a flow knows when it fires a trigger; each builder takes the members it needs."""

    #: The user's attributes as strings (see :func:`for_user` for existing users).
    user_attributes: Mapping[str, str] = field(default_factory=dict)
    validation_data: Mapping[str, str] | None = None
    client_metadata: Mapping[str, str] | None = None
    password: str | None = None
    #: Only for app clients with PreventUserExistenceErrors ENABLED (None: not in the event).
    user_not_found: bool | None = None
    new_device_used: bool = False
    group_configuration: GroupConfiguration = field(default_factory=GroupConfiguration)
    scopes: tuple[str, ...] = ()


def for_user(user: User, **given: Any) -> EventInput:
    """An :class:`EventInput` for an existing user: its attributes and ``cognito:user_status``."""
    attributes = {**user.attributes, "cognito:user_status": user.status}
    return EventInput(user_attributes=attributes, **given)


# -- answers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreSignUpAnswer:
    auto_confirm: bool = False
    auto_verify_email: bool = False
    auto_verify_phone: bool = False

    def verified(self, attributes: Mapping[str, str]) -> dict[str, str]:
        """``attributes`` with the email/phone number the function auto-verifies marked verified.

        Verifying needs the user confirmed too, and an attribute to verify.
        """
        flags = (("email", self.auto_verify_email), ("phone_number", self.auto_verify_phone))
        wanted = [attribute for attribute, verify in flags if verify]
        if wanted and not self.auto_confirm:
            raise InvalidLambdaResponseException(
                "Phone or email cannot be auto verified, when user is not being auto confirmed."
            )
        after = dict(attributes)
        for attribute in wanted:
            if not after.get(attribute):
                raise InvalidLambdaResponseException(
                    f"{attribute} cannot be auto verified, when the user has no {attribute}."
                )
            after[f"{attribute}_verified"] = "true"
        return after


@dataclass(frozen=True)
class MigrationAnswer:
    """The user a user migration function brings over."""

    attributes: dict[str, str]
    #: CONFIRMED or RESET_REQUIRED.
    final_status: str = "CONFIRMED"
    message_action: str | None = None
    delivery_mediums: tuple[str, ...] = ()
    force_alias_creation: bool = False
    enable_sms_mfa: bool = False


@dataclass(frozen=True)
class TokenCustomization:
    """What a pre token generation function changes in the tokens about to be minted."""

    id_token: ClaimOverrides = field(default_factory=ClaimOverrides)
    access_token: ClaimOverrides = field(default_factory=ClaimOverrides)
    #: The group claims to write instead of the user's own; None keeps the user's.
    groups: GroupConfiguration | None = None
    scopes_to_add: tuple[str, ...] = ()
    scopes_to_suppress: tuple[str, ...] = ()

    def scopes(self, granted: Sequence[str]) -> list[str]:
        """``granted`` with the added scopes, less the suppressed ones."""
        wanted = list(dict.fromkeys([*granted, *self.scopes_to_add]))
        return [scope for scope in wanted if scope not in self.scopes_to_suppress]


# -- reading a response ------------------------------------------------------------------------


def _unrecognizable() -> ServiceError:
    return InvalidLambdaResponseException(UNRECOGNIZABLE)


def _object(value: Any) -> dict[str, Any]:
    """A JSON object member; null or absent is an empty one."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _unrecognizable()
    return value


def _flag(value: Any) -> bool:
    """A boolean member; null or absent is false. Strings "true"/"false" are coerced, as a JSON
    binding would."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise _unrecognizable()


def _strings(value: Any) -> tuple[str, ...]:
    """A list-of-strings member; null or absent is empty."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _unrecognizable()
    return tuple(value)


def _optional_string(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise _unrecognizable()
    return value


def _string_map(value: Any) -> dict[str, str]:
    """A map of strings; booleans and numbers become their JSON text, as a JSON binding would."""
    result: dict[str, str] = {}
    for name, item in _object(value).items():
        if isinstance(item, bool):
            result[name] = "true" if item else "false"
        elif isinstance(item, (int, float, str)):
            result[name] = str(item)
        else:
            raise _unrecognizable()
    return result


def _one_of(value: Any, allowed: Sequence[str], default: str | None) -> str | None:
    if value is None:
        return default
    if value not in allowed:
        raise _unrecognizable()
    return str(value)


def _claims(details: Mapping[str, Any]) -> ClaimOverrides:
    return ClaimOverrides(
        add_or_override=dict(_object(details.get("claimsToAddOrOverride"))),
        suppress=frozenset(_strings(details.get("claimsToSuppress"))),
    )


def _group_override(details: Mapping[str, Any]) -> GroupConfiguration | None:
    # Absent: the user's groups stay. Present, even null or empty: it replaces them, so what it
    # leaves out is suppressed (AWS: "If you provide an empty or null object ... the groups are
    # suppressed").
    if "groupOverrideDetails" not in details:
        return None
    override = _object(details["groupOverrideDetails"])
    return GroupConfiguration(
        groups=_strings(override.get("groupsToOverride")),
        iam_roles=_strings(override.get("iamRolesToOverride")),
        preferred_role=_optional_string(override.get("preferredRole")),
    )


def _read_nothing(response: dict[str, Any]) -> None:
    return None


def _read_pre_sign_up(response: dict[str, Any]) -> PreSignUpAnswer:
    return PreSignUpAnswer(
        auto_confirm=_flag(response.get("autoConfirmUser")),
        auto_verify_email=_flag(response.get("autoVerifyEmail")),
        auto_verify_phone=_flag(response.get("autoVerifyPhone")),
    )


def _read_migration(response: dict[str, Any]) -> MigrationAnswer | None:
    attributes = _string_map(response.get("userAttributes"))
    if not attributes:
        return None  # an empty response: there is no such user to bring over
    return MigrationAnswer(
        attributes=attributes,
        final_status=str(
            _one_of(response.get("finalUserStatus"), ("CONFIRMED", "RESET_REQUIRED"), "CONFIRMED")
        ),
        message_action=_one_of(response.get("messageAction"), ("SUPPRESS", "RESEND"), None),
        delivery_mediums=_strings(response.get("desiredDeliveryMediums")),
        force_alias_creation=_flag(response.get("forceAliasCreation")),
        enable_sms_mfa=_flag(response.get("enableSMSMFA")),
    )


def _read_tokens_v1(response: dict[str, Any]) -> TokenCustomization:
    details = _object(response.get("claimsOverrideDetails"))
    # Version 1 customises the ID token; its group override still reaches both tokens.
    return TokenCustomization(id_token=_claims(details), groups=_group_override(details))


def _read_tokens_v2(response: dict[str, Any]) -> TokenCustomization:
    details = _object(response.get("claimsAndScopeOverrideDetails"))
    access = _object(details.get("accessTokenGeneration"))
    return TokenCustomization(
        id_token=_claims(_object(details.get("idTokenGeneration"))),
        access_token=_claims(access),
        groups=_group_override(details),
        scopes_to_add=_strings(access.get("scopesToAdd")),
        scopes_to_suppress=_strings(access.get("scopesToSuppress")),
    )


# -- building a request ------------------------------------------------------------------------


def _with_client_metadata(request: dict[str, Any], given: EventInput) -> dict[str, Any]:
    if given.client_metadata is not None:
        request["clientMetadata"] = dict(given.client_metadata)
    return request


def _validation_data(given: EventInput) -> dict[str, str] | None:
    return dict(given.validation_data) if given.validation_data is not None else None


def _pre_sign_up_request(given: EventInput) -> dict[str, Any]:
    request = {
        "userAttributes": dict(given.user_attributes),
        "validationData": _validation_data(given),
    }
    return _with_client_metadata(request, given)


def _attributes_request(given: EventInput) -> dict[str, Any]:
    return _with_client_metadata({"userAttributes": dict(given.user_attributes)}, given)


def _pre_authentication_request(given: EventInput) -> dict[str, Any]:
    request: dict[str, Any] = {
        "userAttributes": dict(given.user_attributes),
        "validationData": _validation_data(given),
    }
    if given.user_not_found is not None:
        request["userNotFound"] = given.user_not_found
    return _with_client_metadata(request, given)


def _post_authentication_request(given: EventInput) -> dict[str, Any]:
    request = {
        "userAttributes": dict(given.user_attributes),
        "newDeviceUsed": given.new_device_used,
    }
    return _with_client_metadata(request, given)


def _migration_request(given: EventInput) -> dict[str, Any]:
    request: dict[str, Any] = {}
    if given.password is not None:  # the forgot-password flow has none
        request["password"] = given.password
    request["validationData"] = _validation_data(given)
    return _with_client_metadata(request, given)


def _tokens_v1_request(given: EventInput) -> dict[str, Any]:
    request = {
        "userAttributes": dict(given.user_attributes),
        "groupConfiguration": given.group_configuration.as_event(),
    }
    return _with_client_metadata(request, given)


def _tokens_v2_request(given: EventInput) -> dict[str, Any]:
    request = {
        "userAttributes": dict(given.user_attributes),
        "scopes": list(given.scopes),
        "groupConfiguration": given.group_configuration.as_event(),
    }
    return _with_client_metadata(request, given)


# -- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TriggerSpec(Generic[Answer]):
    """One trigger's event: its LambdaConfig member, request, pre-filled response, reader."""

    trigger: str
    request: Callable[[EventInput], dict[str, Any]]
    read: Callable[[dict[str, Any]], Answer]
    #: The ``response`` Cognito sends, before the function fills it in.
    response: Mapping[str, Any] = field(default_factory=dict)
    version: str = "1"


PRE_SIGN_UP = TriggerSpec(
    "PreSignUp",
    _pre_sign_up_request,
    _read_pre_sign_up,
    {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False},
)
POST_CONFIRMATION = TriggerSpec("PostConfirmation", _attributes_request, _read_nothing)
PRE_AUTHENTICATION = TriggerSpec("PreAuthentication", _pre_authentication_request, _read_nothing)
POST_AUTHENTICATION = TriggerSpec("PostAuthentication", _post_authentication_request, _read_nothing)
USER_MIGRATION = TriggerSpec(
    "UserMigration",
    _migration_request,
    _read_migration,
    dict.fromkeys(
        (
            "userAttributes",
            "finalUserStatus",
            "messageAction",
            "desiredDeliveryMediums",
            "forceAliasCreation",
        )
    ),
)
PRE_TOKEN_GENERATION_V1 = TriggerSpec(
    "PreTokenGeneration", _tokens_v1_request, _read_tokens_v1, {"claimsOverrideDetails": None}
)
PRE_TOKEN_GENERATION_V2 = TriggerSpec(
    "PreTokenGeneration",
    _tokens_v2_request,
    _read_tokens_v2,
    {"claimsAndScopeOverrideDetails": None},
    version="2",
)
#: Version 3 differs from 2 only for machine-to-machine tokens, which the API never issues.
PRE_TOKEN_GENERATION_V3 = TriggerSpec(
    "PreTokenGeneration",
    _tokens_v2_request,
    _read_tokens_v2,
    {"claimsAndScopeOverrideDetails": None},
    version="3",
)

#: PreTokenGenerationConfig's LambdaVersion -> the event it gets.
_TOKEN_SPECS: dict[str, TriggerSpec[TokenCustomization]] = {
    "V1_0": PRE_TOKEN_GENERATION_V1,
    "V2_0": PRE_TOKEN_GENERATION_V2,
    "V3_0": PRE_TOKEN_GENERATION_V3,
}

#: Every trigger wired here, by LambdaConfig member (pre token generation: its version 1 event).
SPECS: dict[str, TriggerSpec[Any]] = {
    spec.trigger: spec
    for spec in (
        PRE_SIGN_UP,
        POST_CONFIRMATION,
        PRE_AUTHENTICATION,
        POST_AUTHENTICATION,
        USER_MIGRATION,
        PRE_TOKEN_GENERATION_V1,
    )
}


def pre_token_generation(pool: UserPool) -> TriggerSpec[TokenCustomization]:
    """The pre token generation event the pool sends: PreTokenGenerationConfig's LambdaVersion,
    or version 1 (also for the older ``PreTokenGeneration`` member)."""
    config = pool.lambda_config.get("PreTokenGenerationConfig") or {}
    return _TOKEN_SPECS.get(str(config.get("LambdaVersion")), PRE_TOKEN_GENERATION_V1)


def run(
    backend: CognitoBackend | None,
    pool: UserPool,
    spec: TriggerSpec[Answer],
    source: str,
    *,
    user_name: str,
    client_id: str | None,
    given: EventInput,
) -> Answer | None:
    """Fire ``spec``'s trigger with ``triggerSource`` ``source`` if the pool configures it.

    Returns the reader's answer, or None when the pool has no such trigger (or there is no
    ``backend``: pure-domain callers run no triggers). Errors are AWS's (see
    :func:`triggers.invoke`, and InvalidLambdaResponseException from the readers).
    """
    if backend is None or not triggers.is_configured(pool, spec.trigger):
        return None
    response = triggers.invoke(
        backend,
        pool,
        spec.trigger,
        source,
        user_name=user_name,
        client_id=client_id,
        request=spec.request(given),
        response=spec.response,
        version=spec.version,
    )
    return spec.read(response)
