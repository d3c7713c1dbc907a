"""CreateUserPool, DescribeUserPool, UpdateUserPool, ListUserPools, DeleteUserPool,
AddCustomAttributes."""

from __future__ import annotations

from typing import Any

from .._validation import model_has_member
from ..backend import dcr, feature_plans, pagination, tags, user_pools, user_sessions
from ..backend.models import PasswordPolicy, UserPool
from ..backend.schema import AttributeDefinition, AttributeRequest
from ._registry import Params, RequestContext, Response, operation
from ._shapes import timestamp, without_none

# Members stored as given and echoed by DescribeUserPool, with the value a pool reports when the
# request leaves them out (None: omitted from the response).
_ECHOED_MEMBERS: dict[str, Any] = {
    "SmsVerificationMessage": None,
    "EmailVerificationMessage": None,
    "EmailVerificationSubject": None,
    "VerificationMessageTemplate": {"DefaultEmailOption": "CONFIRM_WITH_CODE"},
    "SmsAuthenticationMessage": None,
    "UserAttributeUpdateSettings": None,
    "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
    "SmsConfiguration": None,
    "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": False, "UnusedAccountValidityDays": 7},
    "UserPoolAddOns": None,
    "AccountRecoverySetting": None,
    "UserPoolTier": "ESSENTIALS",
}


#: VerificationMessageTemplate's members and the older top-level members AWS keeps in step with
#: them: a pool describes the same text under both names, whichever the request used.
_MIRRORED_MESSAGES = (
    ("SmsMessage", "SmsVerificationMessage"),
    ("EmailMessage", "EmailVerificationMessage"),
    ("EmailSubject", "EmailVerificationSubject"),
)


def _mirror_verification_messages(echoed: dict[str, Any]) -> None:
    """Fill each of a mirrored pair from the other; where a request gives both, the template's
    value wins (it is the documented replacement of the older members)."""
    template = dict(echoed.get("VerificationMessageTemplate") or {})
    template.setdefault("DefaultEmailOption", "CONFIRM_WITH_CODE")
    for in_template, older in _MIRRORED_MESSAGES:
        text = template.get(in_template) or echoed.get(older)
        if text is not None:
            template[in_template] = echoed[older] = text
    echoed["VerificationMessageTemplate"] = template


#: Echoed settings UpdateUserPool keeps when its request leaves them out.
_KEPT_WHEN_OMITTED = (
    "SignInPolicy",
    "UserAttributeUpdateSettings",
    "UserPoolTier",
    "DcrConfiguration",
)


def _password_policy(params: Params) -> PasswordPolicy:
    given = params.get("Policies", {}).get("PasswordPolicy")
    if given is None:
        return PasswordPolicy()
    # Inside a given PasswordPolicy, an omitted requirement is off (it is a plain boolean).
    return PasswordPolicy(
        minimum_length=given.get("MinimumLength", 8),
        require_uppercase=given.get("RequireUppercase", False),
        require_lowercase=given.get("RequireLowercase", False),
        require_numbers=given.get("RequireNumbers", False),
        require_symbols=given.get("RequireSymbols", False),
        temporary_password_validity_days=given.get("TemporaryPasswordValidityDays", 7),
        password_history_size=given.get("PasswordHistorySize"),
    )


def _settings(params: Params) -> user_pools.PoolSettings:
    echoed = {m: params.get(m, default) for m, default in _ECHOED_MEMBERS.items()}
    _mirror_verification_messages(echoed)
    sign_in_policy = params.get("Policies", {}).get("SignInPolicy")
    if sign_in_policy is not None:
        echoed["SignInPolicy"] = sign_in_policy
    # Only under a model that has it: an older botocore's mock answers as it always did.
    if "DcrConfiguration" in params and model_has_member("UserPoolType", "DcrConfiguration"):
        echoed["DcrConfiguration"] = dcr.configuration(params["DcrConfiguration"])
    username_configuration = params.get("UsernameConfiguration")
    return user_pools.PoolSettings(
        password_policy=_password_policy(params),
        auto_verified_attributes=params.get("AutoVerifiedAttributes"),
        username_attributes=params.get("UsernameAttributes"),
        alias_attributes=params.get("AliasAttributes"),
        case_sensitive=(
            username_configuration.get("CaseSensitive", True) if username_configuration else None
        ),
        mfa_configuration=params.get("MfaConfiguration", "OFF"),
        lambda_config=dict(params.get("LambdaConfig", {})),
        device_configuration=params.get("DeviceConfiguration"),
        deletion_protection=params.get("DeletionProtection", "INACTIVE"),
        allowed_first_auth_factors=tuple(
            (sign_in_policy or {}).get("AllowedFirstAuthFactors") or ("PASSWORD",)
        ),
        echoed_settings=without_none(echoed),
    )


def _attribute_requests(items: list[dict[str, Any]]) -> list[AttributeRequest]:
    requests = []
    for item in items:
        strings = item.get("StringAttributeConstraints", {})
        numbers = item.get("NumberAttributeConstraints", {})
        requests.append(
            AttributeRequest(
                name=item.get("Name", ""),
                data_type=item.get("AttributeDataType"),
                developer_only=item.get("DeveloperOnlyAttribute", False),
                mutable=item.get("Mutable", True),
                required=item.get("Required", False),
                string_min=strings.get("MinLength"),
                string_max=strings.get("MaxLength"),
                number_min=numbers.get("MinValue"),
                number_max=numbers.get("MaxValue"),
            )
        )
    return requests


def _schema_attribute(definition: AttributeDefinition) -> Response:
    shape: Response = {
        "Name": definition.name,
        "AttributeDataType": definition.data_type,
        "DeveloperOnlyAttribute": definition.developer_only,
        "Mutable": definition.mutable,
        "Required": definition.required,
    }
    if definition.data_type == "String" and (
        definition.custom or definition.string_max is not None
    ):
        shape["StringAttributeConstraints"] = without_none(
            {"MinLength": definition.string_min, "MaxLength": definition.string_max}
        )
    if definition.data_type == "Number" and (
        definition.custom or definition.number_min is not None
    ):
        shape["NumberAttributeConstraints"] = without_none(
            {"MinValue": definition.number_min, "MaxValue": definition.number_max}
        )
    return shape


def _policy_shape(pool: UserPool) -> Response:
    policy = pool.password_policy
    policies: Response = {
        "PasswordPolicy": without_none(
            {
                "MinimumLength": policy.minimum_length,
                "RequireUppercase": policy.require_uppercase,
                "RequireLowercase": policy.require_lowercase,
                "RequireNumbers": policy.require_numbers,
                "RequireSymbols": policy.require_symbols,
                "PasswordHistorySize": policy.password_history_size,
                "TemporaryPasswordValidityDays": policy.temporary_password_validity_days,
            }
        )
    }
    if "SignInPolicy" in pool.echoed_settings:
        policies["SignInPolicy"] = pool.echoed_settings["SignInPolicy"]
    return policies


def pool_shape(pool: UserPool) -> Response:
    """UserPoolType as DescribeUserPool returns it."""
    echoed = {k: v for k, v in pool.echoed_settings.items() if k != "SignInPolicy"}
    shape = {
        "Id": pool.id,
        "Name": pool.name,
        "Policies": _policy_shape(pool),
        "DeletionProtection": pool.deletion_protection,
        "LambdaConfig": pool.lambda_config,
        "LastModifiedDate": timestamp(pool.modified),
        "CreationDate": timestamp(pool.created),
        "SchemaAttributes": [_schema_attribute(d) for d in pool.schema],
        "AutoVerifiedAttributes": pool.auto_verified_attributes,
        "AliasAttributes": pool.alias_attributes,
        "UsernameAttributes": pool.username_attributes,
        "MfaConfiguration": pool.mfa_configuration,
        "DeviceConfiguration": pool.device_configuration,
        "EstimatedNumberOfUsers": len(pool.users),
        "UsernameConfiguration": (
            {"CaseSensitive": pool.case_sensitive} if pool.case_sensitive is not None else None
        ),
        "Arn": pool.arn,
        "Domain": pool.domain,
        "CustomDomain": pool.custom_domain,
        "UserPoolTags": dict(pool.tags) or None,
        **echoed,
    }
    return without_none(shape)


def _check_feature_plan(
    settings: user_pools.PoolSettings, email_mfa: bool = False, pool: UserPool | None = None
) -> None:
    """Refuse a plan that lacks what the settings, or the pool being updated, use."""
    echoed = settings.echoed_settings
    used = feature_plans.pool_features(
        settings.allowed_first_auth_factors, echoed.get("UserPoolAddOns"), email_mfa
    )
    if pool is not None:
        used += _features_in_use(pool)
    if dcr.is_enabled(echoed.get("DcrConfiguration")):
        # Also why a pool moves to LITE only with its registration Disabled.
        used.append(feature_plans.DYNAMIC_CLIENT_REGISTRATION)
    feature_plans.require(echoed.get("UserPoolTier", feature_plans.DEFAULT_TIER), used)


def _features_in_use(pool: UserPool) -> list[str]:
    """What other operations turned on that the pool's plan must keep: its replicas and
    session tracking (moving to LITE needs them gone first; see docs/fidelity.md). What app
    clients use is not among them: such clients are refused at sign-in instead."""
    used = []
    if pool.replicas:
        used.append(feature_plans.MULTI_REGION_REPLICATION)
    if user_sessions.tracking_of(pool) is not None:
        used.append(feature_plans.SESSION_MANAGEMENT)
    return used


@operation("CreateUserPool")
def create_user_pool(ctx: RequestContext, params: Params) -> Response:
    settings = _settings(params)
    pool_tags = tags.checked_tags(params.get("UserPoolTags", {}))
    _check_feature_plan(settings)
    pool = user_pools.create_user_pool(
        ctx.backend,
        ctx.region,
        params["PoolName"],
        settings,
        _attribute_requests(params.get("Schema", [])),
    )
    pool.tags = pool_tags
    return {"UserPool": pool_shape(pool)}


@operation("DescribeUserPool")
def describe_user_pool(ctx: RequestContext, params: Params) -> Response:
    return {"UserPool": pool_shape(ctx.pool(params))}


@operation("UpdateUserPool")
def update_user_pool(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    settings = _settings(params)
    # Given UserPoolTags replace the pool's tags; omitted, the tags stay (see docs/fidelity.md).
    new_tags = tags.checked_tags(params["UserPoolTags"]) if "UserPoolTags" in params else None
    # Most omitted members return to their defaults, but AWS keeps these when they are left out
    # (see docs/fidelity.md).
    policies = params.get("Policies", {})
    if "PasswordPolicy" not in policies:
        settings.password_policy = pool.password_policy
    if "MfaConfiguration" not in params:
        settings.mfa_configuration = pool.mfa_configuration
    if "SignInPolicy" not in policies:
        settings.allowed_first_auth_factors = pool.allowed_first_auth_factors
    for member in _KEPT_WHEN_OMITTED:
        if member not in params and member not in policies and member in pool.echoed_settings:
            settings.echoed_settings[member] = pool.echoed_settings[member]
    _check_feature_plan(settings, email_mfa=pool.email_mfa is not None, pool=pool)
    user_pools.update_user_pool(pool, settings)
    if new_tags is not None:
        pool.tags = new_tags
    if "PoolName" in params:
        pool.name = params["PoolName"]
    return {}


@operation("DeleteUserPool")
def delete_user_pool(ctx: RequestContext, params: Params) -> Response:
    user_pools.delete_user_pool(ctx.backend, ctx.pool(params))
    return {}


@operation("ListUserPools")
def list_user_pools(ctx: RequestContext, params: Params) -> Response:
    pools, next_token = pagination.page(
        ctx.backend.pools_in(ctx.region),
        scope=f"pools:{ctx.region}",
        limit=params["MaxResults"],
        token=params.get("NextToken"),
    )
    descriptions = [
        {
            "Id": p.id,
            "Name": p.name,
            "LambdaConfig": p.lambda_config,
            "LastModifiedDate": timestamp(p.modified),
            "CreationDate": timestamp(p.created),
        }
        | ({"ReplicaRegions": sorted(p.replicas)} if p.replicas else {})
        for p in pools
    ]
    return without_none({"UserPools": descriptions, "NextToken": next_token})


@operation("AddCustomAttributes")
def add_custom_attributes(ctx: RequestContext, params: Params) -> Response:
    user_pools.add_custom_attributes(
        ctx.pool(params), _attribute_requests(params["CustomAttributes"])
    )
    return {}
