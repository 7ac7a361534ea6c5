"""Group flows over the real service: who is told what (§1.10), tips in the stream (§1.11), what
a member sees of the log by type, the application race, and AVChatRoom's rules."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

from .conftest import Client, Service

_ids = itertools.count(1)


async def send(client: Client, group_id: str, text: str, **options: Any) -> dict[str, Any]:
    return await client.call("msg.send", {"msg": {
        "msg_id": f"gm{next(_ids)}", "conv_type": 2, "sender": client.user_id,
        "group_id": group_id, "elems": [{"type": "text", "text": text}], **options}})


async def events(client: Client) -> list[dict[str, Any]]:
    """Every group event queued for the connection, after a barrier proves nothing more is on
    its way; other pushes are dropped."""
    await client.call("profile.set", {})
    found = []
    while not client.pushes.empty():
        frame = client.pushes.get_nowait()
        if frame["push"] == "group.event":
            found.append(frame["body"])
    return found


def kinds(found: list[dict[str, Any]]) -> list[str]:
    return [e["kind"] for e in found]


async def history(client: Client, group_id: str) -> list[dict[str, Any]]:
    page = await client.call("msg.history", {"conv_id": f"group_{group_id}", "limit": 100})
    return list(reversed(page["messages"]))


async def drain(*clients: Client) -> None:
    for client in clients:
        await events(client)


async def test_work_group_events_tips_and_history(service: Service) -> None:
    alice, bob, carol, dave = [await service.login(u) for u in ("alice", "bob", "carol", "dave")]
    created = await alice.call("group.create", {
        "group_type": "Work", "name": "Launch", "members": [{"user_id": "bob"}]})
    group_id = created["group_id"]
    assert group_id.startswith("@TGS#")
    assert kinds(await events(bob)) == ["group_created"]
    assert kinds(await events(dave)) == []
    await send(alice, group_id, "before carol")
    await bob.call("group.invite", {"group_id": group_id, "user_ids": ["carol"]})
    for member in (alice, bob, carol):
        invited = [e for e in await events(member) if e["kind"] == "member_invited"]
        assert [m["user_id"] for m in invited[0]["members"]] == ["carol"]
        assert invited[0]["op_user"] == "bob"
    assert kinds(await events(dave)) == []
    await send(alice, group_id, "after carol")
    # carol sees from her invitation on: the tip of it and what followed, nothing before
    seen = await history(carol, group_id)
    assert [m["elems"][0]["type"] for m in seen] == ["group_tips", "text"]
    assert seen[0]["elems"][0]["tips_type"] == 2 and seen[1]["elems"][0]["text"] == "after carol"
    assert [m["elems"][0].get("text") for m in await history(bob, group_id)] == [
        "before carol", None, "after carol"]
    # unread: messages from others only, tips never
    state = (await carol.call("conv.sync", {}))["conversations"]
    mine = next(c for c in state if c["conv_id"] == f"group_{group_id}")
    assert mine["unread"] == 1
    # an outsider can neither read nor send
    assert (await history(dave, group_id)) == []
    assert await dave.error("msg.send", {"msg": {
        "msg_id": "d1", "conv_type": 2, "sender": "dave", "group_id": group_id,
        "elems": [{"type": "text", "text": "let me in"}]}}) == 10012
    await drain(alice, bob, carol)
    await carol.call("group.quit", {"group_id": group_id})
    assert kinds(await events(carol)) == ["quit_from_group"]
    for member in (alice, bob):
        assert kinds(await events(member)) == ["member_leave"]
    await send(alice, group_id, "carol has gone")
    assert (await history(carol, group_id)) == []
    assert await alice.error("group.dismiss", {"group_id": group_id}) == 10007


async def test_meeting_shows_earlier_history_no_tips_no_unread(service: Service) -> None:
    alice, bob = await service.login("alice"), await service.login("bob")
    await alice.call("group.create", {"group_type": "Meeting", "name": "Standup",
                                      "group_id": "standup"})
    assert kinds(await events(alice)) == ["group_created"]
    await send(alice, "standup", "agenda: one")
    assert (await bob.call("group.join", {"group_id": "standup"}))["status"] == "joined"
    assert kinds(await events(alice)) == ["member_enter"]
    assert kinds(await events(bob)) == ["member_enter"]
    await send(alice, "standup", "agenda: two")
    seen = await history(bob, "standup")
    assert [m["elems"][0]["text"] for m in seen] == ["agenda: one", "agenda: two"]
    state = (await bob.call("conv.sync", {}))["conversations"]
    assert next(c for c in state if c["conv_id"] == "group_standup").get("unread", 0) == 0


async def test_first_decider_wins_and_everyone_concerned_is_told(service: Service) -> None:
    alice, bob, carol, dave = [await service.login(u) for u in ("alice", "bob", "carol", "dave")]
    await alice.call("group.create", {"group_type": "Public", "name": "Readers",
                                      "group_id": "readers",
                                      "members": [{"user_id": "bob", "role": 300}]})
    await drain(alice, bob)
    assert (await carol.call("group.join", {"group_id": "readers", "message": "hi"}))[
        "status"] == "pending"
    for decider in (alice, bob):
        (told,) = await events(decider)
        assert told["kind"] == "join_application"
        assert told["application"]["applicant"] == "carol"
        assert told["application"]["message"] == "hi"
    assert kinds(await events(dave)) == []
    assert [a["applicant"] for a in (await bob.call("group.applications"))["applications"]] \
        == ["carol"]
    body = {"group_id": "readers", "applicant": "carol", "accept": True}
    answers = await asyncio.gather(alice.request("group.decide", body),
                                   bob.request("group.decide", {**body, "accept": False}))
    codes = sorted(a.get("code", 0) for a in answers)
    assert codes == [0, 10024]
    winner = "alice" if answers[0].get("code", 0) == 0 else "bob"
    processed = [e for e in await events(carol) if e["kind"] == "application_processed"]
    assert len(processed) == 1 and processed[0]["op_user"] == winner
    accepted = processed[0]["application"]["status"] == 1
    members = await alice.call("group.members", {"group_id": "readers"})
    assert ("carol" in [m["user_id"] for m in members["members"]]) == accepted
    loser = bob if winner == "alice" else alice
    assert "application_processed" in kinds(await events(loser))


async def test_avchatroom_stores_nothing_and_holds_one_room_at_a_time(service: Service) -> None:
    alice, bob = await service.login("alice"), await service.login("bob")
    await alice.call("group.create", {"group_type": "AVChatRoom", "name": "Live",
                                      "group_id": "live-1"})
    await bob.call("group.join", {"group_id": "live-1"})
    ack = await send(alice, "live-1", "welcome")
    assert ack["seq"] == 0
    pushed = await bob.push("msg.new")
    assert pushed["elems"][0]["text"] == "welcome" and "seq" not in pushed
    assert await history(bob, "live-1") == []
    assert (await bob.call("group.joined"))["groups"] == []
    await alice.call("group.create", {"group_type": "AVChatRoom", "name": "Live 2",
                                      "group_id": "live-2"})
    await drain(alice, bob)
    await bob.call("group.join", {"group_id": "live-2"})
    assert "quit_from_group" in kinds(await events(bob))
    assert await bob.error("msg.send", {"msg": {
        "msg_id": "b1", "conv_type": 2, "sender": "bob", "group_id": "live-1",
        "elems": [{"type": "text", "text": "still here?"}]}}) == 10012


async def test_profile_limits_and_ids(service: Service) -> None:
    alice = await service.login("alice")
    base = {"group_type": "Public", "name": "ok"}
    assert await alice.error("group.create", {**base, "name": "x" * 31}) == 10038
    assert await alice.error("group.create", {**base, "name": "  "}) == 10004
    assert await alice.error("group.create", {**base, "introduction": "字" * 81}) == 10038
    assert await alice.error("group.create", {**base, "group_id": "@TGS#mine"}) == 10015
    assert await alice.error("group.create", {**base, "group_type": "Club"}) == 10004
    assert await alice.error("group.create", {"group_type": "Work", "name": "w",
                                              "join_option": 2}) == 10033
    assert await alice.error("group.create", {**base, "members": [{"user_id": "ghost"}]}) \
        == 10019
    await alice.call("group.create", {**base, "group_id": "taken"})
    assert await alice.error("group.create", {**base, "group_id": "taken"}) == 10021
    info = await alice.call("group.set_info", {"group_id": "taken", "custom": {"topic": "x"}})
    assert info["custom"] == {"topic": "x"} and info["join_option"] == 1
    assert await alice.error("group.set_info", {"group_id": "taken",
                                                "custom": {"k" * 17: "v"}}) == 10038
