"""One small driver per HTTP client library: the same request, sent the library's own way.

Each driver sends ``method url`` with headers and a body through its library's public API and
returns ``(status, headers with lower-case names, body bytes)``; ``connection_error`` is what
the library raises for a host that cannot be reached (a DNS failure).
"""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import aiohttp
import httpx
import requests
import urllib3

API = "https://cognito-idp.us-east-1.amazonaws.com/"
TARGET = "AWSCognitoIdentityProviderService."
JSON_11 = "application/x-amz-json-1.1"


def api_headers(operation: str) -> dict[str, str]:
    return {"X-Amz-Target": TARGET + operation, "Content-Type": JSON_11}


def jwks_url(pool_id: str, region: str = "us-east-1") -> str:
    return f"https://cognito-idp.{region}.amazonaws.com/{pool_id}/.well-known/jwks.json"


Send = Callable[[str, str, Mapping[str, str], bytes | None], tuple[int, dict[str, str], bytes]]


@dataclass(frozen=True)
class Driver:
    name: str
    send: Send
    connection_error: type[BaseException] | tuple[type[BaseException], ...]

    def __str__(self) -> str:
        return self.name


def _lower(headers) -> dict[str, str]:
    return {str(name).lower(): value for name, value in headers.items()}


def _requests(method, url, headers, body):
    response = requests.request(method, url, headers=dict(headers), data=body, timeout=10)
    return response.status_code, _lower(response.headers), response.content


def _urllib3(method, url, headers, body):
    # Closed here: urllib3 before 2.0 has no finalizer closing a collected pool's connections.
    with urllib3.PoolManager() as pool:
        response = pool.request(method, url, headers=dict(headers), body=body)
        return response.status, _lower(response.headers), response.data


def _httpx(method, url, headers, body):
    with httpx.Client() as client:
        response = client.request(method, url, headers=dict(headers), content=body)
    return response.status_code, _lower(response.headers), response.content


def _httpx_async(method, url, headers, body):
    async def send():
        async with httpx.AsyncClient() as client:
            response = await client.request(method, url, headers=dict(headers), content=body)
        return response.status_code, _lower(response.headers), response.content

    return asyncio.run(send())


def _aiohttp(method, url, headers, body):
    async def send():
        async with (
            aiohttp.ClientSession() as session,
            session.request(method, url, headers=dict(headers), data=body) as response,
        ):
            return response.status, _lower(response.headers), await response.read()

    return asyncio.run(send())


def _urllib(method, url, headers, body):
    request = urllib.request.Request(url, data=body, headers=dict(headers), method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, _lower(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, _lower(error.headers), error.read()


DRIVERS = (
    Driver("requests", _requests, requests.ConnectionError),
    Driver("urllib3", _urllib3, urllib3.exceptions.MaxRetryError),
    Driver("httpx", _httpx, httpx.ConnectError),
    Driver("httpx-async", _httpx_async, httpx.ConnectError),
    Driver("aiohttp", _aiohttp, aiohttp.ClientConnectorError),
    Driver("urllib", _urllib, urllib.error.URLError),
)
