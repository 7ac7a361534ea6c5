"""Group system notices (§1.12) on the real service: each targeted event is kept in the system
conversation of exactly the users it concerns, so someone offline when it happened — even one
no longer in the group — reads it on their next sync; no one else gets one, and no client can
write one or write to the system account."""

from __future__ import annotations

from typing import Any

from .conftest import Client, Service
from .test_group_flows import drain
from .test_rest_groups import SVC

SYSTEM = "c2c_@TIM#SYSTEM"


async def notices(client: Client) -> list[dict[str, Any]]:
    """The user's system conversation as a fresh sync and its history show it."""
    states = (await client.call("conv.sync", {}))["conversations"]
    state = next((c for c in states if c["conv_id"] == SYSTEM), None)
    if state is None:
        return []
    page = await client.call("msg.history", {"conv_id": SYSTEM, "limit": 50})
    found = [m["elems"][0] for m in reversed(page["messages"])]
    assert state.get("unread", 0) == len(found)
    assert all(m["sender"] == "@TIM#SYSTEM" for m in page["messages"])
    return found


async def test_each_notice_reaches_only_the_users_it_concerns(service: Service) -> None:
    alice, bob, carol, dave = [await service.login(u) for u in ("alice", "bob", "carol", "dave")]
    group_id = (await alice.call("group.create", {
        "group_type": "Public", "name": "Club", "join_option": 1,
        "members": [{"user_id": "bob"}, {"user_id": "carol"}]}))["group_id"]
    work_id = (await alice.call("group.create", {"group_type": "Work", "name": "Ops"}))[
        "group_id"]
    await alice.call("group.invite", {"group_id": work_id, "user_ids": ["carol"]})
    await alice.call("group.set_role", {"group_id": group_id, "user_id": "bob", "role": 300})
    await dave.call("group.join", {"group_id": group_id, "message": "let me in"})
    await bob.call("group.decide", {"group_id": group_id, "applicant": "dave",
                                    "accept": False, "reason": "members only"})
    await carol.close()
    await alice.call("group.kick", {"group_id": group_id, "user_ids": ["carol"]})
    reply = await service.admin(SVC + "send_group_system_notification", {
        "GroupId": group_id, "ToMembers_Account": ["bob"], "Content": "maintenance at 9"})
    assert reply["ActionStatus"] == "OK", reply
    await alice.call("group.dismiss", {"group_id": group_id})

    carol = await service.login("carol")  # away, and no longer in the group
    assert [(n["notice_type"], n["op_user"], n["group_id"], n["group_name"])
            for n in await notices(carol)] == [(7, "alice", work_id, "Ops"),
                                               (4, "alice", group_id, "Club")]
    bob_sees = await notices(bob)
    assert [n["notice_type"] for n in bob_sees] == [9, 255, 5]
    assert bob_sees[1]["data"] == "maintenance at 9"
    dave_sees = await notices(dave)
    assert [(n["notice_type"], n.get("handle_message")) for n in dave_sees] == [
        (3, "members only")]
    assert await notices(alice) == []  # the owner did all of it


async def test_no_client_writes_a_notice_or_to_the_system(service: Service) -> None:
    alice = await service.login("alice")
    await drain(alice)
    notice = {"type": "group_system", "notice_type": 4, "group_id": "x"}
    refused = await alice.error("msg.send", {"msg": {
        "msg_id": "n1", "conv_type": 1, "sender": "alice", "receiver": "bob",
        "elems": [notice]}})
    assert refused == 20001
    to_system = await alice.error("msg.send", {"msg": {
        "msg_id": "n2", "conv_type": 1, "sender": "alice", "receiver": "@TIM#SYSTEM",
        "elems": [{"type": "text", "text": "hello?"}]}})
    assert to_system == 20003
