"""The domain objects of a user pool service, as plain data.

Shapes on the wire (member names, which fields are omitted when unset) are the operations
layer's business; these classes hold state only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .schema import AttributeDefinition

if TYPE_CHECKING:
    from .auth_events import AuthEventLog
    from .cimd import CIMDPolicy
    from .devices import Device
    from .identity_providers import IdentityProvider
    from .keys import PoolKeys
    from .managed_login_branding import ManagedLoginBranding
    from .messages import SentMessage
    from .mfa import SoftwareToken
    from .passkeys import Passkey, PendingRegistration, WebAuthnConfiguration
    from .point_in_time import Restoration
    from .published_secrets import PublishedSecret
    from .replicas import Replica
    from .resource_servers import ResourceServer
    from .risk_configuration import RiskConfiguration
    from .terms import Terms
    from .ui_customization import UICustomization
    from .user_data_history import UserDataHistory
    from .user_sessions import SessionTracking


@dataclass
class PasswordPolicy:
    minimum_length: int = 8
    require_uppercase: bool = True
    require_lowercase: bool = True
    require_numbers: bool = True
    require_symbols: bool = True
    temporary_password_validity_days: int = 7
    #: Only reported when set (newer pools); kept so Describe echoes it.
    password_history_size: int | None = None


@dataclass
class ClientSettings:
    """An app client's configuration. Defaults are what AWS applies to an omitted member.

    UpdateUserPoolClient builds a fresh instance from its request, which is how omitted
    members return to these defaults, as AWS documents.
    """

    # None means "not set": DescribeUserPoolClient omits the member.
    explicit_auth_flows: list[str] | None = None
    refresh_token_validity: int = 30
    access_token_validity: int | None = None
    id_token_validity: int | None = None
    token_validity_units: dict[str, str] | None = None
    read_attributes: list[str] | None = None
    write_attributes: list[str] | None = None
    supported_identity_providers: list[str] | None = None
    callback_urls: list[str] | None = None
    logout_urls: list[str] | None = None
    default_redirect_uri: str | None = None
    allowed_oauth_flows: list[str] | None = None
    allowed_oauth_scopes: list[str] | None = None
    allowed_oauth_flows_user_pool_client: bool = False
    analytics_configuration: dict[str, Any] | None = None
    prevent_user_existence_errors: str | None = None
    enable_token_revocation: bool = True
    enable_propagate_additional_user_context_data: bool = False
    auth_session_validity: int = 3
    refresh_token_rotation: dict[str, Any] | None = None


@dataclass(frozen=True)
class ClientSecret:
    """One secret of a confidential app client (see client_secrets.py)."""

    secret_id: str
    value: str
    created: float


@dataclass
class AppClient:
    client_id: str
    user_pool_id: str
    name: str
    created: float
    modified: float
    settings: ClientSettings
    #: Oldest first; at most two, so that a secret can be rotated without downtime. Empty for
    #: a public client.
    secrets: list[ClientSecret] = field(default_factory=list)
    #: The epoch second in the newest ClientSecretId issued, so that ids never repeat.
    last_secret_second: int = 0
    #: ClientType: REGULAR, or DCR for a client an application registered itself.
    client_type: str = "REGULAR"
    #: Set while Cognito keeps the secret in Secrets Manager (see published_secrets.py).
    published_secret: PublishedSecret | None = None

    @property
    def explicit_auth_flows(self) -> list[str] | None:
        return self.settings.explicit_auth_flows

    @property
    def secret(self) -> str | None:
        """The newest secret (DescribeUserPoolClient's ``ClientSecret``); None when public."""
        return self.secrets[-1].value if self.secrets else None


@dataclass
class PendingCode:
    """A code Cognito sent and is waiting to see again (confirmation or verification)."""

    code: str
    expires: float
    #: The attribute the code was delivered to ("email" or "phone_number"), if any.
    attribute: str | None = None


@dataclass(slots=True)  # a pool may hold 500,000 imported users: no per-user __dict__
class User:
    #: The internal username: what was given, or the `sub` in pools whose UsernameAttributes
    #: make email/phone the sign-in name.
    username: str
    sub: str
    created: float
    modified: float
    attributes: dict[str, str] = field(default_factory=dict)
    enabled: bool = True
    status: str = "UNCONFIRMED"
    password: str | None = None
    #: When a temporary password (AdminCreateUser) stops being accepted.
    temporary_password_expires: float | None = None
    # Immutable, shared empty defaults for what most users never have: a pool may hold 500,000
    # imported users, and each mutable container would be an allocation the cyclic GC tracks.
    # Code that changes them assigns a new value.
    preferred_mfa: str | None = None
    mfa_methods: tuple[str, ...] = ()
    #: WebAuthnMfaSettings: a user-verified passkey sign-in counts as MFA (see passkeys.py).
    passkey_mfa: bool = False
    #: The TOTP authenticator (AssociateSoftwareToken / VerifySoftwareToken), if any.
    software_token: SoftwareToken | None = None
    groups: frozenset[str] = frozenset()
    #: The sign-up confirmation code awaiting ConfirmSignUp, if one was sent.
    confirmation: PendingCode | None = None
    #: Attribute verification codes awaiting VerifyUserAttribute, by attribute name.
    verification_codes: dict[str, PendingCode] = field(default_factory=dict)
    #: The password-reset code awaiting ConfirmForgotPassword (ForgotPassword,
    #: AdminResetUserPassword), if one was sent.
    password_reset: PendingCode | None = None
    #: Devices the user signed in on, in pools that track devices, by device key.
    devices: dict[str, Device] = field(default_factory=dict)
    #: Registered passkeys, in registration order (see passkeys.py).
    passkeys: tuple[Passkey, ...] = ()
    #: The challenge of the last StartWebAuthnRegistration, until completed or expired.
    passkey_registration: PendingRegistration | None = None
    #: Threat protection's record of the user: auth events and a risk a test set (see
    #: auth_events.py). None until the first event or risk, so most users carry nothing.
    auth_events: AuthEventLog | None = None


@dataclass
class Group:
    name: str
    user_pool_id: str
    created: float
    modified: float
    description: str | None = None
    role_arn: str | None = None
    precedence: int | None = None
    members: set[str] = field(default_factory=set)  # internal usernames (user keys)


@dataclass
class UserPool:
    id: str
    region: str
    arn: str
    name: str
    created: float
    modified: float
    schema: list[AttributeDefinition]
    password_policy: PasswordPolicy = field(default_factory=PasswordPolicy)
    auto_verified_attributes: list[str] | None = None
    username_attributes: list[str] | None = None
    alias_attributes: list[str] | None = None
    #: None when UsernameConfiguration was not given: Describe omits it; sign-in names are
    #: then case sensitive (the API default).
    case_sensitive: bool | None = None
    mfa_configuration: str = "OFF"
    #: The second factors MFA may use (SetUserPoolMfaConfig); SMS is the legacy default.
    sms_mfa_enabled: bool = True
    software_token_mfa_enabled: bool = False
    #: Email MFA's EmailMfaConfiguration (Message, Subject) while it is on; None: off.
    email_mfa: dict[str, str] | None = None
    lambda_config: dict[str, Any] = field(default_factory=dict)
    device_configuration: dict[str, Any] | None = None
    deletion_protection: str = "INACTIVE"
    #: ``Policies.SignInPolicy.AllowedFirstAuthFactors`` (PASSWORD, EMAIL_OTP, SMS_OTP,
    #: WEB_AUTHN), in the order given.
    allowed_first_auth_factors: tuple[str, ...] = ("PASSWORD",)
    #: SetUserPoolMfaConfig's WebAuthnConfiguration; None until set (see passkeys.py).
    webauthn_configuration: WebAuthnConfiguration | None = None
    #: Settings the mock stores and echoes but does not act on (member name -> value).
    echoed_settings: dict[str, Any] = field(default_factory=dict)
    #: Tag key -> value: UserPoolTags and TagResource (see tags.py).
    tags: dict[str, str] = field(default_factory=dict)
    clients: dict[str, AppClient] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)  # user key -> user
    users_by_sub: dict[str, str] = field(default_factory=dict)  # sub -> user key
    #: Sign-in aliases: (attribute, normalised value) -> user key. Holds email/phone_number of
    #: UsernameAttributes pools, and verified email/phone_number and preferred_username of
    #: AliasAttributes pools, so resolving a sign-in name is a lookup, never a scan.
    aliases: dict[tuple[str, str], str] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    #: Latest confirmation/verification code per user key, for `CognitoMock.last_code`.
    last_codes: dict[str, str] = field(default_factory=dict)
    #: Every email and SMS message the pool would have sent, oldest first (see messages.py).
    messages: list[SentMessage] = field(default_factory=list)
    #: Signing keys, created on the first token this pool issues (see keys.pool_keys).
    keys: PoolKeys | None = None
    #: The pool's prefix domain and custom domain names, if any (see domains.py).
    domain: str | None = None
    custom_domain: str | None = None
    #: Resource servers by identifier (see resource_servers.py).
    resource_servers: dict[str, ResourceServer] = field(default_factory=dict)
    #: Classic hosted-UI branding by app client id, the pool default under "ALL" (see
    #: ui_customization.py).
    ui_customizations: dict[str, UICustomization] = field(default_factory=dict)
    #: Managed login branding styles by ManagedLoginBrandingId, at most one per app client
    #: (see managed_login_branding.py).
    managed_login_brandings: dict[str, ManagedLoginBranding] = field(default_factory=dict)
    #: Terms documents by TermsId, in creation order (see terms.py).
    terms: dict[str, Terms] = field(default_factory=dict)
    #: Identity providers by name, in creation order (see identity_providers.py).
    identity_providers: dict[str, IdentityProvider] = field(default_factory=dict)
    #: Federated identities linked to users (AdminLinkProviderForUser): (provider name, the
    #: provider's user id) -> user key (see identities.py).
    provider_links: dict[tuple[str, str], str] = field(default_factory=dict)
    #: GetSigningCertificate's base64 DER certificate, made on the first request.
    signing_certificate: str | None = None
    #: Secondary region -> the pool's replica there (see replicas.py). The pool itself is the
    #: primary, in ``region``; a replica answers for the same pool id in its own region.
    replicas: dict[str, Replica] = field(default_factory=dict)
    #: Region -> SetLogDeliveryConfiguration's LogConfigurations there (log export is one of
    #: the settings each replica keeps for itself; see log_delivery.py).
    log_configurations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: SetRiskConfiguration's settings by app client id; None keys the pool-level one (see
    #: risk_configuration.py).
    risk_configurations: dict[str | None, RiskConfiguration] = field(default_factory=dict)
    #: Session management's settings and records; None until SetUserPoolSessionConfiguration
    #: (see user_sessions.py).
    session_tracking: SessionTracking | None = None
    #: Client ID Metadata Document policies by CIMDPolicyId, in creation order (see cimd.py).
    cimd_policies: dict[str, CIMDPolicy] = field(default_factory=dict)
    #: The journal of user data changes and plan changes, for point-in-time recovery; None
    #: until the first change (see user_data_history.py).
    user_data_history: UserDataHistory | None = None
    #: Point-in-time recoveries, oldest first (see point_in_time.py).
    restorations: list[Restoration] = field(default_factory=list)

    def serves(self, region: str) -> bool:
        """Whether the pool answers in ``region``: its own, or a replica's."""
        return region == self.region or region in self.replicas

    def attribute(self, name: str) -> AttributeDefinition | None:
        for definition in self.schema:
            if definition.name == name:
                return definition
        return None

    def user_key(self, username: str) -> str:
        """The dictionary key of a username, honouring the pool's case sensitivity."""
        return username if self.case_sensitive is not False else username.lower()
