"""(o) The token endpoint, in process at the real domain URL, from ``requests``.

* **floor** - the same ``requests`` session posting the same form to the same URL, answered by a
  canned transport (an adapter mounted for the domain that builds the response with requests'
  own ``build_response``, as the mock's adapter does), plus the RS256 signatures the grant
  needs: one for client_credentials (the access token). The code exchange signs nothing: a
  hosted sign-in's tokens are minted when the sign-in completes, so its floor is the transport.
* **mock** - ``CognitoMock``: the requests adapter, the router, the domain endpoint, the grant.

The exchange's codes are made before each batch (untimed), a batch's worth at a time. The form
sign-in (GET authorize, GET the form, POST it, exchange the code) is timed per run and reported
without a target.
"""

from __future__ import annotations

import contextlib
import io
import itertools
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import Any

import requests
import urllib3
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from harness import REGION, Contender, Settings, Timing, compare
from table import Section, ratio, timed

from pytest_cognito_mock import CognitoMock

HOST = f"bench.auth.{REGION}.amazoncognito.com"
TOKEN_URL = f"https://{HOST}/oauth2/token"
CALLBACK = "https://app.example.com/cb"
API = "https://api.example.com"
PASSWORD = "Bench-pass-123"
TARGET = "token endpoint / (floor + signatures)"


class _CannedAdapter(requests.adapters.HTTPAdapter):
    """Answers every request with one canned body, built into a response as requests builds
    a network answer."""

    def __init__(self, body: bytes) -> None:
        super().__init__()
        self._body = body

    def send(self, request: Any, *args: Any, **kwargs: Any) -> requests.Response:
        raw = urllib3.HTTPResponse(
            body=io.BytesIO(self._body),
            headers={"Content-Type": "application/json", "Content-Length": str(len(self._body))},
            status=200,
            preload_content=False,
            decode_content=False,
            request_method=request.method,
            request_url=request.url,
        )
        return self.build_response(request, raw)


def _setup(mock: CognitoMock) -> dict[str, str]:
    """A pool with a domain, a resource server, a machine client, a code client and a user."""
    idp = mock.client(REGION)
    pool = idp.create_user_pool(PoolName="bench")["UserPool"]["Id"]
    idp.create_user_pool_domain(UserPoolId=pool, Domain="bench")
    idp.create_resource_server(
        UserPoolId=pool,
        Identifier=API,
        Name="API",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "Read"}],
    )
    machine = idp.create_user_pool_client(
        UserPoolId=pool,
        ClientName="machine",
        GenerateSecret=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=[f"{API}/read"],
        AllowedOAuthFlowsUserPoolClient=True,
    )["UserPoolClient"]
    web = idp.create_user_pool_client(
        UserPoolId=pool,
        ClientName="web",
        GenerateSecret=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"],
        AllowedOAuthFlowsUserPoolClient=True,
        CallbackURLs=[CALLBACK],
    )["UserPoolClient"]
    idp.admin_create_user(UserPoolId=pool, Username="ada", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool, Username="ada", Password=PASSWORD, Permanent=True)
    return {
        "machine": machine["ClientId"],
        "machine_secret": machine["ClientSecret"],
        "web": web["ClientId"],
        "web_secret": web["ClientSecret"],
    }


def _machine_form() -> dict[str, str]:
    return {"grant_type": "client_credentials"}


@contextlib.contextmanager
def _captured(grant: str) -> Iterator[tuple[bytes, bytes]]:
    """(a real answer's body, the signing input of its access token) for ``grant``."""
    with CognitoMock() as mock, requests.Session() as session:
        ids = _setup(mock)
        if grant == "client_credentials":
            answer = session.post(
                TOKEN_URL, data=_machine_form(), auth=(ids["machine"], ids["machine_secret"])
            )
        else:
            code = mock.authorization_code(ids["web"], "ada", PASSWORD)
            answer = session.post(
                TOKEN_URL,
                data={"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK},
                auth=(ids["web"], ids["web_secret"]),
            )
        answer.raise_for_status()
        access = answer.json()["access_token"]
        yield answer.content, access.rsplit(".", 1)[0].encode()


def floor_contender(grant: str, signatures: int, key: rsa.RSAPrivateKey) -> Contender:
    @contextlib.contextmanager
    def contender() -> Iterator[Callable[[], object]]:
        with _captured(grant) as (body, signing_input), requests.Session() as session:
            session.mount(f"https://{HOST}/", _CannedAdapter(body))
            form = _machine_form() if grant == "client_credentials" else _code_form("c")
            pkcs1, sha256 = padding.PKCS1v15(), hashes.SHA256()

            def call() -> object:
                answer = session.post(TOKEN_URL, data=form, auth=("client", "secret"))
                answer.json()
                for _ in range(signatures):
                    key.sign(signing_input, pkcs1, sha256)
                return answer

            yield call

    return contender


def _code_form(code: str) -> dict[str, str]:
    return {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK}


def mock_contender(grant: str, codes_per_batch: int) -> Contender:
    @contextlib.contextmanager
    def contender() -> Iterator[Callable[[], object]]:
        with CognitoMock() as mock, requests.Session() as session:
            ids = _setup(mock)
            if grant == "client_credentials":
                auth = (ids["machine"], ids["machine_secret"])
                form = _machine_form()
                yield lambda: session.post(TOKEN_URL, data=form, auth=auth).json()
                return
            auth = (ids["web"], ids["web_secret"])
            # Enough codes for the warm-up and every batch, made untimed.
            codes = iter(
                [
                    mock.authorization_code(ids["web"], "ada", PASSWORD)
                    for _ in range(codes_per_batch)
                ]
            )
            yield lambda: session.post(TOKEN_URL, data=_code_form(next(codes)), auth=auth).json()

    return contender


class _SignInForm(HTMLParser):
    """The action and fields of the page's form, as a script signing in reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.action, self.fields = "", {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self.action = found["action"] or ""
        elif tag == "input" and found.get("name"):
            self.fields[found["name"] or ""] = found.get("value") or ""


def _form_sign_in(ids: dict[str, str], counter: Iterator[int]) -> None:
    with requests.Session() as browser:
        url = (
            f"https://{HOST}/oauth2/authorize?response_type=code&client_id={ids['web']}"
            f"&redirect_uri={CALLBACK}&state={next(counter)}"
        )
        form = _SignInForm()
        form.feed(browser.get(url).text)
        back = browser.post(
            form.action,
            data={**form.fields, "username": "ada", "password": PASSWORD},
            allow_redirects=False,
        )
        code = back.headers["Location"].split("code=", 1)[1].split("&", 1)[0]
        browser.post(TOKEN_URL, data=_code_form(code), auth=(ids["web"], ids["web_secret"]))


def form_contender() -> Contender:
    @contextlib.contextmanager
    def contender() -> Iterator[Callable[[], object]]:
        with CognitoMock() as mock:
            ids = _setup(mock)
            counter = itertools.count()
            yield lambda: _form_sign_in(ids, counter)

    return contender


def measure_oauth_endpoints(settings: Settings) -> dict[str, dict[str, Timing]]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    count = settings.auth_calls
    # Codes for one contender run: the warm-up and every batch.
    codes = max(2, count // 10) + settings.batches * count
    results = {}
    for grant, signatures in (("client_credentials", 1), ("authorization_code", 0)):
        contenders: dict[str, Contender] = {
            "floor": floor_contender(grant, signatures, key),
            "mock": mock_contender(grant, codes),
        }
        results[grant] = compare(contenders, dict.fromkeys(contenders, count), settings)
    form_count = max(2, count // 10)
    results["form"] = compare({"mock": form_contender()}, {"mock": form_count}, settings)
    return results


def oauth_section(results: dict[str, dict[str, Timing]]) -> Section:
    section = Section("(o) OAuth 2.0 token endpoint, in process, from requests, per request")
    labels = {
        "client_credentials": "client_credentials (floor: canned transport + 1 RS256 signature)",
        "authorization_code": "authorization_code exchange (floor: canned transport; tokens "
        "were signed at sign-in)",
    }
    for grant, label in labels.items():
        timings = results[grant]
        section.rows += [
            timed(f"{label}: floor", timings["floor"]),
            timed(
                f"{grant}: pytest-cognito-mock",
                timings["mock"],
                ratio("mock / floor", timings["mock"].median, timings["floor"].median, TARGET),
            ),
        ]
    section.rows.append(
        timed(
            "form sign-in (authorize, form, post, exchange; 2 signatures), per run",
            results["form"]["mock"],
        )
    )
    return section
