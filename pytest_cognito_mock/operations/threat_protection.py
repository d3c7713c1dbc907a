"""Threat protection: SetRiskConfiguration, DescribeRiskConfiguration, AdminListUserAuthEvents,
AdminUpdateAuthEventFeedback, UpdateAuthEventFeedback; and :func:`event_context`, which the
sign-in and account operations use to hand a request's context data to the event history."""

from __future__ import annotations

from typing import Any

from ..backend import app_clients, auth_events, users
from ..backend import risk_configuration as risk
from ..backend.auth_events import AuthEvent, EventContext
from ..backend.models import AppClient, UserPool
from ..backend.risk_configuration import RiskConfiguration
from ._registry import Params, RequestContext, Response, operation
from ._shapes import without_none


def event_context(params: Params) -> EventContext | None:
    """EventContextData from UserContextData (client operations) or ContextData (admin ones):
    the IP address, and the device name from the User-Agent header when ContextData has one."""
    given = params.get("UserContextData") or params.get("ContextData")
    if not isinstance(given, dict):
        return None
    agent = next(
        (
            header.get("headerValue")
            for header in given.get("HttpHeaders", ())
            if str(header.get("headerName", "")).lower() == "user-agent"
        ),
        None,
    )
    if given.get("IpAddress") is None and agent is None:
        return None
    return EventContext(ip_address=given.get("IpAddress"), device_name=agent)


def _client(pool: UserPool, params: Params) -> AppClient | None:
    client_id = params.get("ClientId")
    return app_clients.describe_user_pool_client(pool, client_id) if client_id else None


def _configuration(pool: UserPool, key: str | None, stored: RiskConfiguration | None) -> Response:
    shape: dict[str, Any] = {"UserPoolId": pool.id, "ClientId": key}
    if stored is not None:
        shape.update(
            {
                "CompromisedCredentialsRiskConfiguration": stored.compromised_credentials,
                "AccountTakeoverRiskConfiguration": stored.account_takeover,
                "RiskExceptionConfiguration": stored.risk_exceptions,
                "LastModifiedDate": stored.modified,
            }
        )
    return {"RiskConfiguration": without_none(shape)}


@operation("SetRiskConfiguration")
def set_risk_configuration(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    risk.require_add_on(pool)  # before the app client is looked up
    client = _client(pool, params)
    key, stored = risk.set_risk_configuration(
        pool,
        client,
        params.get("CompromisedCredentialsRiskConfiguration"),
        params.get("AccountTakeoverRiskConfiguration"),
        params.get("RiskExceptionConfiguration"),
    )
    return _configuration(pool, key, stored)


@operation("DescribeRiskConfiguration")
def describe_risk_configuration(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    risk.require_add_on(pool)
    key, stored = risk.describe_risk_configuration(pool, _client(pool, params))
    return _configuration(pool, key, stored)


def _event_shape(event: AuthEvent) -> Response:
    context = event.context
    feedback = event.feedback
    return without_none(
        {
            "EventId": event.event_id,
            "EventType": event.event_type,
            "CreationDate": event.created,
            "EventResponse": event.response,
            "EventRisk": without_none(
                {
                    "RiskDecision": event.risk_decision,
                    "RiskLevel": event.risk_level,
                    "CompromisedCredentialsDetected": event.compromised_credentials,
                }
            ),
            "ChallengeResponses": [
                {"ChallengeName": name, "ChallengeResponse": result}
                for name, result in event.challenges
            ],
            "EventContextData": without_none(
                {
                    "IpAddress": context.ip_address,
                    "DeviceName": context.device_name,
                    "Timezone": context.timezone,
                    "City": context.city,
                    "Country": context.country,
                }
            )
            if context is not None
            else None,
            "EventFeedback": {
                "FeedbackValue": feedback.value,
                "Provider": feedback.provider,
                "FeedbackDate": feedback.date,
            }
            if feedback is not None
            else None,
        }
    )


@operation("AdminListUserAuthEvents")
def admin_list_user_auth_events(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    risk.require_add_on(pool)
    user = users.get_user(pool, params["Username"])
    events, token = auth_events.list_events(
        pool, user, params.get("MaxResults"), params.get("NextToken")
    )
    return without_none({"AuthEvents": [_event_shape(e) for e in events], "NextToken": token})


@operation("AdminUpdateAuthEventFeedback")
def admin_update_auth_event_feedback(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    risk.require_add_on(pool)
    user = users.get_user(pool, params["Username"])
    auth_events.give_feedback(pool, user, params["EventId"], params["FeedbackValue"])
    return {}


@operation("UpdateAuthEventFeedback")
def update_auth_event_feedback(ctx: RequestContext, params: Params) -> Response:
    pool = ctx.pool(params)
    risk.require_add_on(pool)
    user = users.get_user(pool, params["Username"])
    auth_events.give_feedback(
        pool, user, params["EventId"], params["FeedbackValue"], token=params["FeedbackToken"]
    )
    return {}
