"""Hostile JSON: nesting deeper than any decoder recurses is a refusal with a code, on the
WebSocket (the connection stays open) and over REST, never a traceback or a dropped link."""

from __future__ import annotations

import logging

import msgspec
import pytest

from app.protocol import ErrorCode

from .conftest import ADMIN, APP_ID, Service, sig

DEPTH = 1000
NESTED = "[" * DEPTH + "]" * DEPTH  # 2 KB


def _no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR], \
        [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_a_nested_frame_is_refused_and_the_connection_stays(
        service: Service, caplog: pytest.LogCaptureFixture) -> None:
    alice = await service.login("alice")
    await service.login("bob")
    assert (await alice.send_text(NESTED))["code"] == ErrorCode.MALFORMED_FRAME
    # Not even the id can be read past such nesting: the refusal answers request 0.
    envelope = await alice.send_text(f'{{"id": 40, "cmd": "heartbeat", "body": {NESTED}}}')
    assert envelope["code"] == ErrorCode.MALFORMED_FRAME and "nested" in envelope["msg"]
    body = await alice.send_text(
        f'{{"id": 41, "cmd": "msg.send", "body": {{"msg": {{"elems": {NESTED}}}}}}}')
    assert body["code"] == ErrorCode.MALFORMED_FRAME and "nested" in body["msg"]
    deep_id = await alice.send_text(f'{{"cmd": {NESTED}, "id": 42}}')
    assert deep_id["code"] == ErrorCode.MALFORMED_FRAME
    # Still signed in on the same connection, and nothing was stored.
    await alice.call("heartbeat", {})
    assert (await alice.call("msg.history", {"conv_id": "c2c_bob"}))["messages"] == []
    await alice.send("bob", "still here")
    _no_traceback(caplog)


async def test_a_nested_rest_body_is_refused(service: Service,
                                             caplog: pytest.LogCaptureFixture) -> None:
    params = {"sdkappid": APP_ID, "identifier": ADMIN, "usersig": sig(ADMIN), "random": 1,
              "contenttype": "json"}
    async with service.http() as http:
        for path, query in (("/v4/im_open_login_svc/account_import", params),
                            ("/api/login", None)):
            reply = await http.post(path, params=query, content=f'{{"a": {NESTED}}}',
                                    headers={"content-type": "application/json"})
            answer = msgspec.json.decode(reply.content)
            assert answer["ErrorCode"] == ErrorCode.JSON_PARSE_FAILED, (path, answer)
            assert "nested" in answer["ErrorInfo"]
    _no_traceback(caplog)
