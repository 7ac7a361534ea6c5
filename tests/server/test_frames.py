"""Frame-level rules (PROTOCOL §2, S7): every request gets one answer, nothing closes the
connection except heartbeat silence, and a refused message leaves nothing behind."""

from __future__ import annotations

from typing import Any

from .conftest import Service


async def stored_count(client: Any, conv_id: str) -> int:
    body = await client.call("msg.pull", {"ranges": [{"conv_id": conv_id}], "limit": 1000})
    return len(body["messages"])


async def test_malformed_unknown_and_invalid_frames(service: Service) -> None:
    client = await service.login("alice")
    assert (await client.send_text("{not json"))["code"] == 9001
    assert (await client.send_text('{"id": 0, "cmd": "heartbeat"}'))["code"] == 9001
    # the id is still readable when only other fields are wrong
    frame = await client.send_text('{"id": 6, "cmd": 7}', expect_re=6)
    assert frame["code"] == 9001
    assert await client.error("no.such.command") == 9002
    assert await client.error("msg.pull", {"ranges": "nope"}) == 9003
    assert await client.error("msg.send", {"msg": {"msg_id": "x"}}) == 9003
    assert await client.error("msg.send", {"msg": {
        "msg_id": "x", "conv_type": 1, "sender": "alice", "receiver": "bob",
        "elems": [{"type": "hologram", "kind": 1}]}}) == 9003
    # a known element only the service writes
    assert await client.error("msg.send", {"msg": {
        "msg_id": "x", "conv_type": 1, "sender": "alice", "receiver": "bob",
        "elems": [{"type": "group_tips", "tips_type": 1}]}}) == 20001
    await client.call("heartbeat")


async def test_payload_and_frame_limits(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    big = "x" * (12 * 1024)
    code = await alice.error("msg.send", {"msg": {
        "msg_id": "big", "conv_type": 1, "receiver": "bob", "sender": "alice",
        "elems": [{"type": "text", "text": big}]}})
    assert code == 80002
    code = await alice.error("msg.send", {"msg": {
        "msg_id": "big2", "conv_type": 1, "receiver": "bob", "sender": "alice",
        "elems": [{"type": "custom", "data": "d"}], "cloud_custom_data": big}})
    assert code == 80002
    huge = '{"id": 9, "cmd": "heartbeat", "body": {}, "pad": "' + "y" * (1024 * 1024) + '"}'
    assert (await alice.send_text(huge))["code"] == 9522
    await alice.send("bob", "small")
    assert await stored_count(alice, "c2c_bob") == 1
    assert (await bob.push("msg.new"))["elems"] == [{"type": "text", "text": "small"}]
    await bob.no_push()
