"""Domain errors, named exactly after the error shapes of the cognito-idp service model.

The backend raises these; the wire layer turns them into ``{"__type": code, "message": ...}``
with HTTP 400 (500 for the one modelled fault), so botocore raises the modelled
``client.exceptions.<Code>``. Nothing here knows about HTTP or JSON.
"""

from __future__ import annotations


class ServiceError(Exception):
    """An error Cognito answers with. ``code`` is the AWS error code (the ``__type``)."""

    code: str = "ServiceError"
    #: Only ``InternalErrorException`` is a server fault (HTTP 500) in the model.
    fault: bool = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __repr__(self) -> str:
        return f"{self.code}({self.message!r})"


def _error(code: str, *, fault: bool = False) -> type[ServiceError]:
    return type(code, (ServiceError,), {"code": code, "fault": fault, "__module__": __name__})


# One class per modelled error the mock can raise. Declared through `_error` so the name, the
# class and the wire code can never disagree.
InvalidParameterException = _error("InvalidParameterException")
ResourceNotFoundException = _error("ResourceNotFoundException")
NotAuthorizedException = _error("NotAuthorizedException")
UserNotFoundException = _error("UserNotFoundException")
UsernameExistsException = _error("UsernameExistsException")
AliasExistsException = _error("AliasExistsException")
InvalidPasswordException = _error("InvalidPasswordException")
CodeMismatchException = _error("CodeMismatchException")
ExpiredCodeException = _error("ExpiredCodeException")
GroupExistsException = _error("GroupExistsException")
LimitExceededException = _error("LimitExceededException")
PreconditionNotMetException = _error("PreconditionNotMetException")
UnsupportedUserStateException = _error("UnsupportedUserStateException")
UserNotConfirmedException = _error("UserNotConfirmedException")
InvalidOAuthFlowException = _error("InvalidOAuthFlowException")
ScopeDoesNotExistException = _error("ScopeDoesNotExistException")
TooManyRequestsException = _error("TooManyRequestsException")
InternalErrorException = _error("InternalErrorException", fault=True)
# Not in the Cognito model: what AWS's JSON front end answers for a body of the wrong JSON type.
SerializationException = _error("SerializationException")
#: Not in the cognito-idp model: what every AWS JSON service answers for an unknown target.
UnknownOperationException = _error("UnknownOperationException")
PasswordResetRequiredException = _error("PasswordResetRequiredException")
UserLambdaValidationException = _error("UserLambdaValidationException")
InvalidLambdaResponseException = _error("InvalidLambdaResponseException")
UnexpectedLambdaException = _error("UnexpectedLambdaException")
# Devices and token revocation.
DeviceKeyExistsException = _error("DeviceKeyExistsException")
UnauthorizedException = _error("UnauthorizedException")
UnsupportedOperationException = _error("UnsupportedOperationException")
UnsupportedTokenTypeException = _error("UnsupportedTokenTypeException")
RefreshTokenReuseException = _error("RefreshTokenReuseException")
# Multi-factor authentication.
EnableSoftwareTokenMFAException = _error("EnableSoftwareTokenMFAException")
SoftwareTokenMFANotFoundException = _error("SoftwareTokenMFANotFoundException")
MFAMethodNotFoundException = _error("MFAMethodNotFoundException")
# Identity providers.
DuplicateProviderException = _error("DuplicateProviderException")
UnsupportedIdentityProviderException = _error("UnsupportedIdentityProviderException")
# Feature plans.
FeatureUnavailableInTierException = _error("FeatureUnavailableInTierException")
# Managed login branding styles and terms documents.
ManagedLoginBrandingExistsException = _error("ManagedLoginBrandingExistsException")
TermsExistsException = _error("TermsExistsException")
# Multi-Region replication and provisioned limits.
OperationNotEnabledException = _error("OperationNotEnabledException")
ServiceQuotaExceededException = _error("ServiceQuotaExceededException")
# Passkeys (WebAuthn).
WebAuthnNotEnabledException = _error("WebAuthnNotEnabledException")
WebAuthnConfigurationMissingException = _error("WebAuthnConfigurationMissingException")
WebAuthnChallengeNotFoundException = _error("WebAuthnChallengeNotFoundException")
WebAuthnClientMismatchException = _error("WebAuthnClientMismatchException")
WebAuthnRelyingPartyMismatchException = _error("WebAuthnRelyingPartyMismatchException")
WebAuthnOriginNotAllowedException = _error("WebAuthnOriginNotAllowedException")
WebAuthnCredentialNotSupportedException = _error("WebAuthnCredentialNotSupportedException")
# Threat protection.
UserPoolAddOnNotEnabledException = _error("UserPoolAddOnNotEnabledException")
# Client ID Metadata Document (CIMD) policies.
CachedCIMDURLDoesNotExistException = _error("CachedCIMDURLDoesNotExistException")
# Point-in-time recovery.
ConcurrentModificationException = _error("ConcurrentModificationException")
