"""The HTML of the classic hosted UI: the sign-in form and the error page.

Plain HTML that any browser or HTML parser reads, with the names Cognito's classic pages use
(form ``cognitoSignInForm``, fields ``_csrf``, ``username``, ``password``, ``cognitoAsfData``,
button ``signInSubmitButton``), so scripts written against Cognito's pages find what they
expect. Every value is escaped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from html import escape

_STYLE = (
    "body{font-family:sans-serif;background:#f4f4f4}"
    "main{max-width:22rem;margin:3rem auto;background:#fff;padding:1.5rem;border-radius:6px}"
    "label,input{display:block;width:100%;margin:.3rem 0}"
    ".errorMessage-customizable{color:#b00}"
)


def document(title: str, body: str) -> str:
    """A whole page: ``body`` is trusted HTML, ``title`` is escaped."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def sign_in_form(
    action: str,
    csrf: str,
    *,
    error: str | None = None,
    username: str = "",
    message: str | None = None,
    links: dict[str, str] | None = None,
) -> str:
    """The sign-in page: ``action`` is where the form posts (the login URL with the authorize
    parameters), ``csrf`` the token that must come back with it; ``message`` a notice from the
    page before (an account confirmed); ``links`` the sign-up and forgot-password pages."""
    notices = (
        f'<p id="loginErrorMessage" class="errorMessage-customizable">{escape(error)}</p>'
        if error
        else ""
    )
    if message:
        notices += (
            f'<p id="loginMessage" class="textDescription-customizable">{escape(message)}</p>'
        )
    links = links or {}
    providers = "".join(
        f'<p><a class="idpButton-customizable" href="{escape(url)}">'
        f"Continue with {escape(key.removeprefix('provider:'))}</a></p>"
        for key, url in links.items()
        if key.startswith("provider:")
    )
    footer = providers + "".join(
        f'<p><a class="redirect-customizable" href="{escape(links[key])}">{label}</a></p>'
        for key, label in (("forgot", "Forgot your password?"), ("signup", "Sign up"))
        if key in links
    )
    form = (
        f'<form name="cognitoSignInForm" method="post" action="{escape(action)}">'
        f'<input type="hidden" name="_csrf" value="{escape(csrf)}">'
        '<input type="hidden" name="cognitoAsfData" value="">'
        '<label for="signInFormUsername">Username</label>'
        '<input id="signInFormUsername" name="username" type="text" autocomplete="username"'
        f' value="{escape(username)}" required>'
        '<label for="signInFormPassword">Password</label>'
        '<input id="signInFormPassword" name="password" type="password"'
        ' autocomplete="current-password" required>'
        '<input name="signInSubmitButton" type="submit" value="Sign in"'
        ' class="submitButton-customizable">'
        "</form>"
    )
    heading = "<h1>Sign in with your username and password</h1>"
    return document("Signin", f"{heading}{notices}{form}{footer}")


def error_page(error: str | None) -> str:
    detail = f"<p>Error: {escape(error)}</p>" if error else ""
    return document("Error", f"<h1>An error was encountered with the requested page.</h1>{detail}")


#: Each follow-on page: its title, what it asks, and its fields (name, label, input type).
_CHALLENGE_PAGES: dict[str, tuple[str, str, tuple[tuple[str, str, str], ...]]] = {
    "NEW_PASSWORD_REQUIRED": (
        "Change Password",
        "Please enter a new password.",
        (("new_password", "New Password", "password"),),
    ),
    "SOFTWARE_TOKEN_MFA": (
        "Multi-factor authentication",
        "Enter the code from your authenticator app.",
        (("code", "Code", "text"),),
    ),
    "SMS_MFA": (
        "Multi-factor authentication",
        "We have sent a code by text message. Enter it to sign in.",
        (("code", "Code", "text"),),
    ),
    "MFA_SETUP": (
        "Set up multi-factor authentication",
        "Add this secret key to your authenticator app, then enter the code it shows.",
        (("code", "Code", "text"), ("device_name", "Device name", "text")),
    ),
}


def challenge_form(
    action: str,
    csrf: str,
    *,
    challenge_name: str,
    session: str,
    username: str,
    parameters: dict[str, str],
    error: str | None = None,
) -> str:
    """The page of a further sign-in step; it posts back to the sign-in URL with the step's
    session in hidden fields."""
    title, prompt, inputs = _CHALLENGE_PAGES.get(
        challenge_name, ("Sign in", "Choose how to verify it is you.", ())
    )
    rows = [
        f'<label for="{name}">{escape(label)}</label>'
        f'<input id="{name}" name="{name}" type="{kind}" required>'
        for name, label, kind in inputs
    ]
    if challenge_name == "NEW_PASSWORD_REQUIRED":
        for attribute in _json_list(parameters.get("requiredAttributes")):
            name = attribute.removeprefix("userAttributes.")
            rows.append(
                f"<label>{escape(name)}</label>"
                f'<input name="requiredAttributes[{escape(name)}]" type="text" required>'
            )
    if challenge_name == "SELECT_MFA_TYPE":
        for factor in _json_list(parameters.get("MFAS_CAN_CHOOSE")):
            rows.append(
                f'<label><input type="radio" name="mfa_type" value="{escape(factor)}" required>'
                f"{escape(factor)}</label>"
            )
    secret = parameters.get("SECRET_CODE")
    shown = f'<p>Secret key: <code id="secretCode">{escape(secret)}</code></p>' if secret else ""
    if secret:  # posted back, so that a mistyped code shows the same key again
        rows.append(f'<input type="hidden" name="secret" value="{escape(secret)}">')
    message = f'<p class="errorMessage-customizable">{escape(error)}</p>' if error else ""
    form = (
        f'<form name="cognitoChallengeForm" method="post" action="{escape(action)}">'
        f'<input type="hidden" name="_csrf" value="{escape(csrf)}">'
        f'<input type="hidden" name="challenge_name" value="{escape(challenge_name)}">'
        f'<input type="hidden" name="session" value="{escape(session)}">'
        f'<input type="hidden" name="username" value="{escape(username)}">'
        f"{''.join(rows)}"
        '<input name="submitButton" type="submit" value="Continue"'
        ' class="submitButton-customizable"></form>'
    )
    return document(title, f"<h1>{escape(title)}</h1><p>{escape(prompt)}</p>{shown}{message}{form}")


def _json_list(value: str | None) -> list[str]:
    try:
        items = json.loads(value or "[]")
    except ValueError:
        return []
    return [str(item) for item in items] if isinstance(items, list) else []


#: The account pages: title, form name, and fields (name, label, input type).
_ACCOUNT_PAGES: dict[str, tuple[str, str, tuple[tuple[str, str, str], ...]]] = {
    "signup": (
        "Sign up",
        "cognitoSignUpForm",
        (("username", "Username", "text"), ("password", "Password", "password")),
    ),
    "confirm": (
        "Confirm your account",
        "cognitoConfirmForm",
        (("confirmation_code", "Verification code", "text"),),
    ),
    "forgot": (
        "Forgot your password?",
        "cognitoForgotPasswordForm",
        (("username", "Username", "text"),),
    ),
    "reset": (
        "Reset your password",
        "cognitoResetPasswordForm",
        (
            ("code", "Code", "text"),
            ("password", "New Password", "password"),
            ("confirmPassword", "Enter New Password Again", "password"),
        ),
    ),
}


def account_form(
    kind: str,
    action: str,
    csrf: str,
    *,
    fields: Sequence[str] = (),
    username: str | None = None,
    error: str | None = None,
    values: Mapping[str, str] | None = None,
    terms_links: Sequence[tuple[str, str]] = (),
) -> str:
    """A sign-up, confirmation or password-reset page: ``fields`` are the pool's required
    attributes (sign-up), ``username`` the user the page is for, ``terms_links`` the (terms
    name, URL) links a managed login sign-up page shows."""
    title, name, inputs = _ACCOUNT_PAGES[kind]
    values = values or {}
    extra = [(field, field, "text") for field in fields]
    rows = []
    for field_name, label, kind_of_input in (*inputs, *extra):
        kept = "" if kind_of_input == "password" else values.get(field_name, "")
        rows.append(
            f'<label for="{escape(field_name)}">{escape(label)}</label>'
            f'<input id="{escape(field_name)}" name="{escape(field_name)}" type="{kind_of_input}"'
            f' value="{escape(kept)}" required>'
        )
    if username:
        rows.append(f'<input type="hidden" name="username" value="{escape(username)}">')
    message = f'<p class="errorMessage-customizable">{escape(error)}</p>' if error else ""
    form = (
        f'<form name="{name}" method="post" action="{escape(action)}">'
        f'<input type="hidden" name="_csrf" value="{escape(csrf)}">'
        f"{''.join(rows)}{_terms_notice(terms_links)}"
        '<input name="submitButton" type="submit" value="Continue"'
        ' class="submitButton-customizable"></form>'
    )
    return document(title, f"<h1>{escape(title)}</h1>{message}{form}")


_TERMS_LABELS = {"terms-of-use": "Terms of use", "privacy-policy": "Privacy policy"}


def _terms_notice(links: Sequence[tuple[str, str]]) -> str:
    """The sign-up page's line linking the client's terms documents (CreateTerms)."""
    if not links:
        return ""
    anchors = " and ".join(
        f'<a class="terms-link" data-terms-name="{escape(name)}" href="{escape(url)}"'
        f' target="_blank" rel="noopener">{escape(_TERMS_LABELS.get(name, name))}</a>'
        for name, url in links
    )
    return f'<p class="legalText-customizable">By signing up, you agree to the {anchors}.</p>'
