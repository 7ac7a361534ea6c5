"""Registration and password sign-in against a service's business API (L4, PROTOCOL §7).

The service answers with a UserSig; the app signs the SDK in with that and never keeps the
password. Everything that goes wrong comes back as an IMError — the service's own codes (71001
…71005), SDK_NETWORK_UNAVAILABLE when nothing answers, SDK_REQUEST_TIMEOUT when it answers too
slowly, UNKNOWN_API when something that is not a Tidings service answers — so the sign-in
window has one thing to turn into words.
"""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

import httpx

from app.protocol import ErrorCode, IMError
from app.protocol.addresses import is_loopback

TIMEOUT_S = 10.0

SignedIn = tuple[str, str, int]
"""(user ID, UserSig, SDKAppID): what the SDK needs to sign in."""


def base_url(text: str) -> str:
    """A server address as people type it — `host:8700`, `http://host:8700`, or the WebSocket
    URL `ws://host:8700/ws` — as the service's HTTP base URL; IMError if it is not one."""
    text = text.strip()
    if text and "://" not in text:
        text = "http://" + text
    try:
        url = httpx.URL(text)
    except httpx.InvalidURL:
        url = None
    schemes = {"http": "http", "https": "https", "ws": "http", "wss": "https"}
    if url is None or url.scheme not in schemes or not url.host:
        raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, f"not a server address: {text!r}")
    path = url.path.rstrip("/").removesuffix("/ws")
    return str(url.copy_with(scheme=schemes[url.scheme], path=path or "/", query=None,
                             fragment=None)).rstrip("/")


async def register(base: str, user_id: str, password: str, nick: str = "") -> SignedIn:
    """Create the account and return a sig for it."""
    async with await _client(base) as http:
        sdk_app_id = await _sdk_app_id(http)
        reply = await _call(http, "POST", "/api/register",
                            {"UserID": user_id, "Password": password, "Nick": nick})
    return str(reply["UserID"]), str(reply["UserSig"]), sdk_app_id


async def sign_in(base: str, user_id: str, password: str) -> SignedIn:
    async with await _client(base) as http:
        sdk_app_id = await _sdk_app_id(http)
        reply = await _call(http, "POST", "/api/login",
                            {"UserID": user_id, "Password": password})
    return str(reply["UserID"]), str(reply["UserSig"]), sdk_app_id


async def _client(base: str) -> httpx.AsyncClient:
    """An HTTP client for one exchange. The TLS context (~30 ms to load the CA store) is built
    on a worker thread; a loopback service ignores proxy settings, which would not reach it."""
    url = httpx.URL(base)
    verify: ssl.SSLContext | bool = False  # plain http: there is no certificate to verify
    if url.scheme == "https":
        verify = await asyncio.to_thread(ssl.create_default_context)
    return httpx.AsyncClient(base_url=base, timeout=TIMEOUT_S, verify=verify,
                             trust_env=not is_loopback(url.host))


async def _sdk_app_id(http: httpx.AsyncClient) -> int:
    info = await _call(http, "GET", "/api/info")
    try:
        return int(info["SDKAppID"])
    except (KeyError, TypeError, ValueError):
        raise _not_tidings(http) from None


async def _call(http: httpx.AsyncClient, method: str, path: str,
                body: dict[str, Any] | None = None) -> dict[str, Any]:
    try:
        reply = await http.request(method, path, json=body)
    except httpx.TimeoutException as exc:
        raise IMError(ErrorCode.SDK_REQUEST_TIMEOUT, str(exc) or "timed out") from None
    except httpx.HTTPError as exc:
        raise IMError(ErrorCode.SDK_NETWORK_UNAVAILABLE, str(exc) or type(exc).__name__
                      ) from None
    try:
        data = reply.json()
    except ValueError:
        data = None
    if not isinstance(data, dict) or "ActionStatus" not in data:
        raise _not_tidings(http)
    if data["ActionStatus"] != "OK":
        raise IMError(int(data.get("ErrorCode") or ErrorCode.INTERNAL_ERROR),
                      str(data.get("ErrorInfo") or ""))
    return data


def _not_tidings(http: httpx.AsyncClient) -> IMError:
    return IMError(ErrorCode.UNKNOWN_API, f"no Tidings service answers at {http.base_url}")
