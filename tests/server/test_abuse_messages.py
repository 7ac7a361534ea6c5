"""Messages inside the documented limits, counted in bytes over everything the sender chose:
elements, cloud custom data and the notification texts; one element per SDK message; a pull
names a bounded number of ranges. Refused input stores nothing."""

from __future__ import annotations

from typing import Any

from app.protocol import DEFAULT_LIMITS, ErrorCode

from .conftest import Service

LIMIT = DEFAULT_LIMITS.payload_bytes


def _msg(msg_id: str, **fields: Any) -> dict[str, Any]:
    return {"msg_id": msg_id, "conv_type": 1, "sender": "alice", "receiver": "bob",
            "elems": [{"type": "text", "text": "hi"}], **fields}


async def _stored(service: Service, user: Any) -> int:
    convs = (await user.call("conv.sync", {}))["conversations"]
    return sum(conv["max_seq"] for conv in convs)


async def test_notification_texts_count_toward_the_payload(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    for name in ("title", "desc", "ext", "sound"):
        error = await alice.error("msg.send", {"msg": _msg(
            f"big-{name}", push={name: "é" * (LIMIT // 2 + 1)})})  # 2 bytes each: over
        assert error == ErrorCode.MESSAGE_TOO_LONG, name
    spread = _msg("spread", elems=[{"type": "text", "text": "a" * (LIMIT // 2)}],
                  push={"desc": "b" * (LIMIT // 2)})
    assert await alice.error("msg.send", {"msg": spread}) == ErrorCode.MESSAGE_TOO_LONG
    assert await _stored(service, bob) == 0
    fits = _msg("fits", push={"title": "t" * 100, "desc": "d" * 1000, "ext": "e" * 2000})
    assert (await alice.call("msg.send", {"msg": fits}))["seq"] == 1


async def test_one_element_per_message_from_the_sdk(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    two = _msg("two", elems=[{"type": "text", "text": "a"}, {"type": "text", "text": "b"}])
    assert await alice.error("msg.send", {"msg": two}) == ErrorCode.INVALID_MESSAGE
    many = _msg("many", elems=[{"type": "text", "text": "x"}] * 400)
    assert await alice.error("msg.send", {"msg": many}) == ErrorCode.INVALID_MESSAGE
    assert await _stored(service, bob) == 0


async def test_rest_messages_keep_several_elements_within_the_payload(
        service: Service) -> None:
    await service.admin("im_open_login_svc/account_import", {"UserID": "bob"})
    body = {"To_Account": "bob", "MsgRandom": 7, "MsgBody": [
        {"MsgType": "TIMTextElem", "MsgContent": {"Text": "hello"}},
        {"MsgType": "TIMTextElem", "MsgContent": {"Text": "again"}}]}
    assert (await service.admin("openim/sendmsg", body))["ErrorCode"] == 0
    too_big = {**body, "MsgRandom": 8, "OfflinePushInfo": {"Desc": "d" * LIMIT}}
    assert (await service.admin("openim/sendmsg", too_big))["ErrorCode"] == \
        ErrorCode.MESSAGE_TOO_LONG


async def test_a_pull_names_a_bounded_number_of_ranges(service: Service) -> None:
    alice = await service.login("alice")
    await service.login("bob")
    await alice.send("bob", "one")
    most = DEFAULT_LIMITS.pull_ranges_max
    ranges = [{"conv_id": "c2c_bob"}] * most
    assert len((await alice.call("msg.pull", {"ranges": ranges}))["messages"]) == most
    assert await alice.error("msg.pull", {"ranges": [*ranges, {"conv_id": "c2c_bob"}]}) == \
        ErrorCode.INVALID_BODY
    assert await alice.error("msg.pull", {"ranges": []}) == ErrorCode.INVALID_BODY
