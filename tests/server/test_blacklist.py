"""The blacklist (R6, M12): blocking ends the friendship both ways and any request, refuses
new requests either way, and drops the blocked sender's C2C messages — silently by default,
20007 with ``blacklist_send_error``; ``c2c_friends_only`` refuses strangers with 20009."""

from __future__ import annotations

import pytest

from .conftest import Service
from .helpers_friends import (
    ALLOW_ANY,
    BOTH,
    NONE,
    SINGLE,
    add,
    allow,
    drain_events,
    event,
    kinds,
    relation,
)


async def test_blocking_ends_friendship_and_requests(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    carol = await service.login("carol")
    await allow(bob, ALLOW_ANY)
    assert await add(alice, "bob", BOTH) == 0
    assert await add(carol, "alice") == 30539  # a request waiting for alice
    for client in (alice, bob, carol):
        await drain_events(client)

    (blocked,) = (await alice.call("friend.black_add", {"user_ids": ["bob"]}))["results"]
    assert blocked.get("result_code", 0) == 0
    assert kinds(await drain_events(alice)) == ["friend_list_deleted", "black_list_added"]
    # bob hears only that his list lost alice; not that she blocked him
    assert kinds(await drain_events(bob)) == ["friend_list_deleted"]
    await carol.no_push()
    assert await relation(alice, "bob") == NONE
    (entry,) = (await alice.call("friend.black_list", {}))["users"]
    assert entry["user_id"] == "bob" and entry["profile"]["user_id"] == "bob"
    assert (await bob.call("friend.black_list", {}))["users"] == []
    assert await add(alice, "bob") == 30515
    assert await add(bob, "alice") == 30525

    (blocked,) = (await alice.call("friend.black_add", {"user_ids": ["carol"]}))["results"]
    assert kinds(await drain_events(alice)) == ["application_list_deleted", "black_list_added"]
    assert (await event(carol, "application_list_deleted"))["user_ids"] == ["alice"]
    assert (await alice.call("friend.applications", {}))["applications"] == []

    results = (await alice.call("friend.black_remove", {"user_ids": ["bob", "dave"]}))[
        "results"]
    assert [r.get("result_code", 0) for r in results] == [0, 30001]
    assert (await event(alice, "black_list_deleted"))["user_ids"] == ["bob"]
    await bob.no_push()
    assert await add(bob, "alice", SINGLE) == 30539  # alice needs to confirm again
    bad = (await alice.call("friend.black_add", {"user_ids": ["alice", "ghost"]}))["results"]
    assert [r["result_code"] for r in bad] == [30001, 30001]


async def test_blocked_sender_sees_success_receiver_gets_nothing(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    bob_web = await service.login("bob", platform="web")
    await alice.send("bob", "before")
    await bob.push("msg.new")
    await bob_web.push("msg.new")
    await alice.call("friend.black_add", {"user_ids": ["bob"]})
    await drain_events(alice)
    await drain_events(bob)
    await drain_events(bob_web)

    ack = await bob.send("alice", "you there?")
    assert ack["seq"] == 2  # stored, for bob: he sees it sent
    assert (await bob_web.push("msg.new"))["msg_id"] == ack["msg_id"]  # his other device too
    await alice.no_push()
    (conv,) = (await alice.call("conv.sync", {}))["conversations"]
    assert conv.get("unread", 0) == 0 and conv["last_msg"]["elems"][0]["text"] == "before"
    history = (await alice.call("msg.history", {"conv_id": "c2c_bob"}))["messages"]
    assert [m.get("deleted", False) for m in history] == [True, False]
    (mine,) = (await bob.call("conv.sync", {}))["conversations"]
    assert mine["last_msg"]["msg_id"] == ack["msg_id"]
    online = await bob.call("msg.send", {"msg": {
        "msg_id": "typing-1", "conv_type": 1, "sender": "bob", "receiver": "alice",
        "online_only": True,
        "elems": [{"type": "custom", "data": "typing"}]}})
    assert online.get("seq", 0) == 0
    await alice.no_push()
    # the blocker may still write to the one they block
    await alice.send("bob", "I can still talk")
    assert (await bob.push("msg.new"))["elems"][0]["text"] == "I can still talk"

    await alice.call("friend.black_remove", {"user_ids": ["bob"]})
    await bob.send("alice", "after")
    assert (await alice.push("msg.new"))["elems"][0]["text"] == "after"
    await alice.call("friend.black_add", {"user_ids": ["bob"]})  # a first message ever, blocked
    carol = await service.login("carol")
    await carol.call("friend.black_add", {"user_ids": ["bob"]})
    await bob.send("carol", "hello stranger")
    assert (await carol.call("conv.sync", {}))["conversations"] == []


@pytest.mark.parametrize("service_options", [{"blacklist_send_error": True}])
async def test_blocked_sender_gets_20007_when_configured(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    await alice.call("friend.black_add", {"user_ids": ["bob"]})
    await event(alice, "black_list_added")
    msg = {"msg_id": "b1", "conv_type": 1, "sender": "bob", "receiver": "alice",
           "elems": [{"type": "text", "text": "hi"}]}
    assert await bob.error("msg.send", {"msg": msg}) == 20007
    assert await bob.error("msg.send", {"msg": {**msg, "msg_id": "b2",
                                                "online_only": True}}) == 20007
    await alice.no_push()
    assert (await bob.call("conv.sync", {}))["conversations"] == []
    await alice.send("bob", "mine still goes")
    assert (await bob.push("msg.new"))["elems"][0]["text"] == "mine still goes"


@pytest.mark.parametrize("service_options", [{"c2c_friends_only": True}])
async def test_friends_only_c2c(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    msg = {"msg_id": "f1", "conv_type": 1, "sender": "bob", "receiver": "alice",
           "elems": [{"type": "text", "text": "hi"}]}
    assert await bob.error("msg.send", {"msg": msg}) == 20009
    await allow(bob, ALLOW_ANY)
    assert await add(alice, "bob", SINGLE) == 0  # alice has bob: bob may write to her
    assert (await bob.call("msg.send", {"msg": msg}))["seq"] == 1
    assert (await alice.push("msg.new"))["msg_id"] == "f1"
    assert await alice.error("msg.send", {"msg": {**msg, "msg_id": "f2",
                                                  "receiver": "bob"}}) == 20009
    await alice.send("alice", "notes to self are fine")
