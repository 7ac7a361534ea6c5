"""Sending, fan-out, dedup, seq contiguity, online-only, pull/history and delete-for-me
(S1–S6, M2, M6, M8, M9)."""

from __future__ import annotations

import asyncio
from typing import Any

from .conftest import Service


def text_msg(msg_id: str, receiver: str, text: str = "hi", **extra: Any) -> dict[str, Any]:
    return {"msg_id": msg_id, "conv_type": 1, "sender": "", "receiver": receiver,
            "elems": [{"type": "text", "text": text}], **extra}


async def pull_all(client: Any, conv_id: str, after: int = 0) -> list[dict[str, Any]]:
    body = await client.call("msg.pull", {"ranges": [{"conv_id": conv_id, "after_seq": after}],
                                          "limit": 1000})
    assert body["more"] is False
    return body["messages"]


async def test_send_reaches_receiver_and_senders_other_sessions(service: Service) -> None:
    alice = await service.login("alice")
    alice_web = await service.login("alice", platform="web")
    bob = await service.login("bob")
    await alice.call("profile.set", {"nick": "Alice"})
    await alice_web.push("profile.changed")
    ack = await alice.call("msg.send", {"msg": text_msg("m1", "bob", sender="mallory")})
    assert ack["msg_id"] == "m1" and ack["seq"] == 1 and ack["time"] > 0
    for receiver in (bob, alice_web):
        pushed = await receiver.push("msg.new")
        assert pushed["seq"] == 1 and pushed["time"] == ack["time"]
        assert pushed["sender"] == "alice" and pushed["nick"] == "Alice"
    await alice.no_push()
    (stored,) = await pull_all(bob, "c2c_alice")
    assert stored["sender"] == "alice" and stored["elems"][0]["text"] == "hi"


async def test_resend_returns_the_original_ack_and_stores_once(service: Service) -> None:
    alice = await service.login("alice")
    await service.login("bob")
    first = await alice.call("msg.send", {"msg": text_msg("same", "bob")})
    again = await alice.call("msg.send", {"msg": text_msg("same", "bob", text="changed")})
    assert again == first
    # concurrent duplicates in one batch share the first one's result
    acks = await asyncio.gather(*(alice.call("msg.send", {"msg": text_msg("twin", "bob")})
                                  for _ in range(5)))
    assert len({(a["seq"], a["time"]) for a in acks}) == 1
    stored = await pull_all(alice, "c2c_bob")
    assert [m["msg_id"] for m in stored] == ["same", "twin"]
    assert stored[0]["elems"][0]["text"] == "hi"


async def test_seqs_are_contiguous_and_pushed_in_order(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    sends = [alice.call("msg.send", {"msg": text_msg(f"a{i}", "bob")}) for i in range(60)]
    sends += [bob.call("msg.send", {"msg": text_msg(f"b{i}", "alice")}) for i in range(60)]
    acks = await asyncio.gather(*sends)
    assert sorted(a["seq"] for a in acks) == list(range(1, 121))
    stored = await pull_all(bob, "c2c_alice")
    assert [m["seq"] for m in stored] == list(range(1, 121))
    # each side's pushes (the other side's messages) arrive in seq order
    pushed = [(await bob.push("msg.new"))["seq"] for _ in range(60)]
    assert pushed == sorted(pushed)
    # a sender's own sends keep their order in the log
    mine = [m["msg_id"] for m in stored if m["sender"] == "alice"]
    assert mine == [f"a{i}" for i in range(60)]


async def test_online_only_is_relayed_not_stored(service: Service) -> None:
    alice = await service.login("alice")
    alice_web = await service.login("alice", platform="web")
    bob = await service.login("bob")
    await alice.send("bob", "stored")
    await bob.push("msg.new")
    await alice_web.push("msg.new")
    ack = await alice.call("msg.send", {"msg": text_msg("typing", "bob", online_only=True)})
    assert ack["seq"] == 0 and ack["time"] > 0
    pushed = await bob.push("msg.new")
    assert pushed.get("seq", 0) == 0 and pushed["online_only"] is True
    await alice_web.no_push()
    assert len(await pull_all(bob, "c2c_alice")) == 1
    (conv,) = (await bob.call("conv.sync", {}))["conversations"]
    assert conv["unread"] == 1 and conv["last_msg"]["msg_id"] != "typing"
    assert await alice.error("msg.send", {"msg": text_msg("o", "alice", online_only=True)}
                             ) == 20030


async def test_send_refusals(service: Service) -> None:
    alice = await service.login("alice")
    assert await alice.error("msg.send", {"msg": text_msg("bad id!", "bob")}) == 20010
    assert await alice.error("msg.send", {"msg": text_msg("m", "nobody")}) == 20003
    assert await alice.error("msg.send", {"msg": text_msg("m", "not:valid")}) == 20003
    assert await alice.error("msg.send", {"msg": {**text_msg("m", "bob"), "conv_type": 2}}
                             ) == 10015
    assert await alice.error("msg.send", {"msg": {**text_msg("m", "bob"), "conv_type": 2,
                                                  "group_id": "g1"}}) == 10010
    assert await alice.error("msg.send", {"msg": {**text_msg("m", "bob"), "conv_type": 3}}
                             ) == 20001
    assert await alice.error("msg.send", {"msg": {**text_msg("m", "bob"), "elems": []}}
                             ) == 20001
    assert await alice.error("msg.pull", {"ranges": [], "limit": 1001}) == 9003
    assert await alice.error("msg.pull", {"ranges": [{"conv_id": "nope"}]}) == 20020
    # a group one is not in has no history to show
    assert await alice.call("msg.history", {"conv_id": "group_g1"}) == {
        "messages": [], "is_finished": True}


async def test_pull_ranges_limits_and_history(service: Service) -> None:
    alice = await service.login("alice")
    await service.login("bob")
    await service.login("carol")
    for i in range(10):
        await alice.send("bob", f"b{i}")
    for i in range(3):
        await alice.send("carol", f"c{i}")
    body = await alice.call("msg.pull", {"ranges": [
        {"conv_id": "c2c_bob", "after_seq": 2, "until_seq": 6},
        {"conv_id": "c2c_carol"}], "limit": 6})
    assert [m["seq"] for m in body["messages"]] == [3, 4, 5, 6, 1, 2]
    assert body["more"] is True
    body = await alice.call("msg.pull", {"ranges": [
        {"conv_id": "c2c_bob", "after_seq": 8, "until_seq": 50}, {"conv_id": "c2c_nobody"}]})
    assert [m["seq"] for m in body["messages"]] == [9, 10] and body["more"] is False

    page = await alice.call("msg.history", {"conv_id": "c2c_bob", "limit": 4})
    assert [m["seq"] for m in page["messages"]] == [10, 9, 8, 7]
    assert page["is_finished"] is False
    page = await alice.call("msg.history", {"conv_id": "c2c_bob", "before_seq": 3,
                                            "limit": 4})
    assert [m["seq"] for m in page["messages"]] == [2, 1] and page["is_finished"] is True
    assert await alice.error("msg.history", {"conv_id": "c2c_bob", "limit": 101}) == 9003


async def test_delete_for_me_leaves_placeholders(service: Service) -> None:
    alice = await service.login("alice")
    alice_web = await service.login("alice", platform="web")
    bob = await service.login("bob")
    for i in range(4):
        await alice.send("bob", f"t{i}")
    await alice.call("msg.delete", {"conv_id": "c2c_bob", "seqs": [2, 4]})
    changed = await alice_web.push("conv.changed")
    (state,) = changed["conversations"]
    assert state["last_msg"]["seq"] == 3
    stored = await pull_all(alice, "c2c_bob")
    assert [m["seq"] for m in stored] == [1, 2, 3, 4]
    assert [m.get("deleted", False) for m in stored] == [False, True, False, True]
    bobs_view = await pull_all(bob, "c2c_alice")
    assert not any(m.get("deleted") for m in bobs_view)
    assert "elems" not in stored[1] and stored[1]["msg_id"] == bobs_view[1]["msg_id"]
    assert stored[1]["time"] == bobs_view[1]["time"]
    page = await alice.call("msg.history", {"conv_id": "c2c_bob"})
    assert [m.get("deleted", False) for m in page["messages"]] == [True, False, True, False]
    assert await alice.error("msg.delete", {"conv_id": "c2c_bob", "seqs": [5]}) == 20011
    assert await alice.error("msg.delete", {"conv_id": "c2c_bob", "seqs": list(range(31))}
                             ) == 9003
