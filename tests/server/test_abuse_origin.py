"""A web page must not drive the local service: foreign ``Origin``s and (for a service bound to
loopback) foreign ``Host`` names are refused on ``/api`` and ``/ws``, and ``/api`` takes JSON
only, so a cross-site form or ``text/plain`` fetch cannot create an account."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
import websockets

from app.protocol import ErrorCode
from app.server.origin import OriginGuard

from .conftest import Service

EVIL = "http://evil.example"
ACCOUNT = {"UserID": "alice", "Password": "secret1"}


async def _register(service: Service, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    async with service.http() as http:
        reply = await http.post("/api/register", **kwargs)
    return reply.status_code, msgspec.json.decode(reply.content)


async def _exists(service: Service, user_id: str) -> bool:
    reply = await service.admin("im_open_login_svc/account_check",
                                {"CheckItem": [{"UserID": user_id}]})
    return bool(reply["ResultItem"][0]["AccountStatus"] == "Imported")


async def test_a_foreign_origin_is_refused(service: Service) -> None:
    status, reply = await _register(service, json=ACCOUNT, headers={"origin": EVIL})
    assert status == 403 and reply["ErrorCode"] == ErrorCode.ORIGIN_NOT_ALLOWED
    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(service.endpoint.ws, origin=EVIL)  # type: ignore[arg-type]
    assert refused.value.response.status_code == 403
    assert not await _exists(service, "alice")
    status, reply = await _register(service, json=ACCOUNT)  # the SDK sends no Origin
    assert reply["ErrorCode"] == 0


async def test_a_rebinding_host_name_is_refused_on_loopback(service: Service) -> None:
    status, reply = await _register(service, json=ACCOUNT,
                                    headers={"host": "evil.example:8700"})
    assert status == 403 and reply["ErrorCode"] == ErrorCode.ORIGIN_NOT_ALLOWED
    assert not await _exists(service, "alice")
    status, reply = await _register(service, json=ACCOUNT, headers={"host": "localhost:8700"})
    assert reply["ErrorCode"] == 0


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", None])
async def test_api_bodies_must_be_declared_json(service: Service,
                                                content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    _, reply = await _register(service, content=msgspec.json.encode(ACCOUNT),
                                    headers=headers)
    assert reply["ErrorCode"] == ErrorCode.NOT_JSON
    assert not await _exists(service, "alice")
    _, reply = await _register(service, content=msgspec.json.encode(ACCOUNT),
                                    headers={"content-type": "application/json; charset=utf-8"})
    assert reply["ErrorCode"] == 0


@pytest.mark.parametrize("service_options", [{"allowed_origins": ("https://chat.example",)}])
async def test_an_allowed_origin_gets_in(service: Service) -> None:
    _, reply = await _register(service, json=ACCOUNT,
                                    headers={"origin": "https://chat.example"})
    assert reply["ErrorCode"] == 0
    client = await websockets.connect(service.endpoint.ws,
                                      origin="https://chat.example")  # type: ignore[arg-type]
    await client.close()


def test_host_rules_follow_the_bind_address() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None: ...

    lan = OriginGuard(app, bound_host="0.0.0.0", allowed_origins=(), allowed_hosts=())
    local = OriginGuard(app, bound_host="127.0.0.1", allowed_origins=(), allowed_hosts=())
    pinned = OriginGuard(app, bound_host="0.0.0.0", allowed_origins=(),
                         allowed_hosts=("chat.example",))
    assert lan._host_allowed("192.168.1.20:8700") and lan._host_allowed("chat.lan")
    assert local._host_allowed("127.0.0.1:8700") and local._host_allowed("[::1]:8700")
    assert local._host_allowed("localhost") and not local._host_allowed("evil.example")
    assert pinned._host_allowed("chat.example:443") and not pinned._host_allowed("other")
