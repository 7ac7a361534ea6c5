"""Recalling group messages (M5) over the real service: the sender within the window, the owner
or an admin over the roles they reach, never a tip, never an outsider — and every member told,
online at once and away at their next ``conv.sync``, with unread following."""

from __future__ import annotations

from typing import Any

from .conftest import Client, Service
from .test_group_flows import drain, history, send

CONV = "group_club"


async def recall(client: Client, seq: int, msg_id: str) -> dict[str, Any]:
    return await client.request("msg.revoke", {"conv_id": CONV, "seq": seq, "msg_id": msg_id})


async def club(service: Service) -> list[Client]:
    """A Public group: alice owns it, bob is an admin, carol and dave are members."""
    users = [await service.login(u) for u in ("alice", "bob", "carol", "dave", "eve")]
    alice = users[0]
    await alice.call("group.create", {
        "group_type": "Public", "group_id": "club", "name": "Club",
        "members": [{"user_id": "bob"}, {"user_id": "carol"}, {"user_id": "dave"}]})
    await alice.call("group.set_role", {"group_id": "club", "user_id": "bob", "role": 300})
    await drain(*users)
    return users


async def unread(client: Client) -> int:
    convs = (await client.call("conv.sync", {}))["conversations"]
    return next(c.get("unread", 0) for c in convs if c["conv_id"] == CONV)


async def test_who_may_recall_what(service: Service) -> None:
    alice, bob, carol, dave, eve = await club(service)
    own = await send(carol, "club", "oops")
    member_msg = await send(dave, "club", "spam")
    owner_msg = await send(alice, "club", "rules")
    admin_msg = await send(bob, "club", "welcome")
    for client in (alice, bob, carol, dave, eve):
        while not client.pushes.empty():
            client.pushes.get_nowait()

    refused = {
        "member recalls a member's": (dave, own),
        "admin recalls the owner's": (bob, owner_msg),
        "member recalls the admin's": (carol, admin_msg),
    }
    for why, (who, target) in refused.items():
        frame = await recall(who, target["seq"], target["msg_id"])
        assert frame.get("code") == 20031, (why, frame)
    frame = await recall(eve, own["seq"], own["msg_id"])
    assert frame.get("code") == 10012, frame
    tips = [m for m in await history(alice, "club") if m["elems"][0]["type"] == "group_tips"]
    frame = await recall(alice, tips[0]["seq"], tips[0]["msg_id"])
    assert frame.get("code") == 20031 and "tip" in frame["msg"], frame

    before = await unread(alice)
    assert before == 3
    frame = await recall(carol, own["seq"], own["msg_id"])
    assert frame.get("code", 0) == 0, frame
    frame = await recall(bob, member_msg["seq"], member_msg["msg_id"])
    assert frame.get("code", 0) == 0, frame
    frame = await recall(alice, admin_msg["seq"], admin_msg["msg_id"])
    assert frame.get("code", 0) == 0, frame
    frame = await recall(carol, own["seq"], own["msg_id"])
    assert frame.get("code") == 20023, frame

    for member in (alice, bob, carol, dave):
        told = [await member.push("msg.revoked") for _ in range(3)]
        assert [(p["seq"], p["sender"], p.get("revoker", "")) for p in told] == [
            (own["seq"], "carol", ""), (member_msg["seq"], "dave", "bob"),
            (admin_msg["seq"], "bob", "alice")], member.user_id
        assert {p["conv_id"] for p in told} == {CONV}
    await eve.no_push()
    assert await unread(alice) == before - 3  # all three were others' and unread

    shown = {m["seq"]: m for m in await history(dave, "club")}
    assert shown[own["seq"]]["revoked"] and not shown[own["seq"]].get("elems")
    assert shown[member_msg["seq"]].get("revoker") == "bob"
    assert "revoker" not in shown[own["seq"]]
    assert shown[owner_msg["seq"]]["elems"][0]["text"] == "rules"


async def test_a_member_away_learns_at_sync(service: Service) -> None:
    _alice, _bob, carol, dave, _eve = await club(service)
    sent = await send(carol, "club", "gone soon")
    state = (await dave.call("conv.sync", {}))
    version = state["version"]
    (seen,) = [c for c in state["conversations"] if c["conv_id"] == CONV]
    assert seen["unread"] >= 1
    await dave.close()
    frame = await recall(carol, sent["seq"], sent["msg_id"])
    assert frame.get("code", 0) == 0, frame

    again = await service.login("dave")
    page = await again.call("conv.sync", {"version": version,
                                          "known": {CONV: seen["max_seq"]}})
    (changed,) = [c for c in page["conversations"] if c["conv_id"] == CONV]
    assert changed["revoked"] == [sent["seq"]]
    assert changed.get("unread", 0) == seen["unread"] - 1
