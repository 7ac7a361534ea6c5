"""Read positions, unread, receipts (M7, C3), conv.sync versions (S4), pin/draft/receive option
(C4, C6), deletion and revival (C5)."""

from __future__ import annotations

from typing import Any

from .conftest import Service


async def state(client: Any, conv_id: str, version: int = 0) -> dict[str, Any]:
    body = await client.call("conv.sync", {"version": version})
    (found,) = [c for c in body["conversations"] if c["conv_id"] == conv_id]
    return found


async def test_read_unread_and_receipts(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    bob_web = await service.login("bob", platform="web")
    for i in range(3):
        await alice.send("bob", f"t{i}")
    conv = await state(bob, "c2c_alice")
    assert (conv["max_seq"], conv.get("read_seq", 0), conv["unread"]) == (3, 0, 3)

    assert await bob.call("msg.read", {"conv_id": "c2c_alice", "seq": 2}) == {
        "read_seq": 2, "unread": 1, "max_seq": 3}
    (changed,) = (await bob_web.push("conv.changed"))["conversations"]
    assert changed["read_seq"] == 2 and changed["unread"] == 1
    receipt = await alice.push("msg.receipt")
    assert receipt["conv_id"] == "c2c_bob" and receipt["reader"] == "bob"
    assert receipt["read_seq"] == 2 and receipt["time"] > 0
    assert (await state(alice, "c2c_bob"))["peer_read_seq"] == 2

    # backwards or repeated reads change nothing and push nothing
    assert await bob.call("msg.read", {"conv_id": "c2c_alice", "seq": 1}) == {
        "read_seq": 2, "unread": 1, "max_seq": 3}
    await bob_web.no_push()
    await alice.no_push()

    # own messages, excluded and deleted-for-me messages never count
    await bob.send("alice", "mine")
    await alice.send("bob", "quiet", exclude_unread=True)
    await alice.send("bob", "hidden")
    await bob.call("msg.delete", {"conv_id": "c2c_alice", "seqs": [6]})
    fresh = await service.login("bob", platform="mobile")
    assert (await state(fresh, "c2c_alice"))["unread"] == 1
    assert await bob.call("msg.read", {"conv_id": "c2c_alice", "seq": 6}) == {
        "read_seq": 6, "unread": 0, "max_seq": 6}
    assert (await state(fresh, "c2c_alice")).get("unread", 0) == 0


async def test_sync_returns_what_changed_since_a_version(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    bob_web = await service.login("bob", platform="web")
    await service.login("carol")
    await alice.send("bob", "one")
    await alice.send("carol", "two")
    everything = await alice.call("conv.sync", {})
    assert sorted(c["conv_id"] for c in everything["conversations"]) == ["c2c_bob", "c2c_carol"]
    base = everything["version"]
    known = {"c2c_bob": 1, "c2c_carol": 1}
    assert (await alice.call("conv.sync", {"version": base, "known": known}))[
        "conversations"] == []
    # a per-user change bumps the version and returns that row only
    await bob.call("msg.read", {"conv_id": "c2c_alice", "seq": 1})  # alice's peer_read_seq
    body = await alice.call("conv.sync", {"version": base, "known": known})
    assert [c["conv_id"] for c in body["conversations"]] == ["c2c_bob"]
    assert body["version"] > base and body["conversations"][0]["version"] == body["version"]
    # a new message moves max_seq past what the client knows
    await bob.send("alice", "back")
    body2 = await alice.call("conv.sync", {"version": body["version"], "known": known})
    assert [(c["conv_id"], c["max_seq"]) for c in body2["conversations"]] == [("c2c_bob", 2)]
    assert body2["version"] == body["version"]
    await bob_web.push("msg.new")


async def test_update_pins_drafts_and_receive_option(service: Service) -> None:
    alice = await service.login("alice")
    alice_web = await service.login("alice", platform="web")
    await service.login("bob")
    await alice.send("bob", "hi")
    await alice_web.push("msg.new")
    updated = await alice.call("conv.update", {"conv_id": "c2c_bob", "pinned": True,
                                               "draft": "half a thought", "recv_opt": 2})
    assert updated["pinned"] is True and updated["draft"] == "half a thought"
    assert updated["draft_time"] > 0 and updated["recv_opt"] == 2 and updated["version"] > 0
    (pushed,) = (await alice_web.push("conv.changed"))["conversations"]
    assert pushed == updated
    again = await alice.call("conv.update", {"conv_id": "c2c_bob", "pinned": True})
    assert again["version"] == updated["version"]
    await alice_web.no_push()
    assert await alice.error("conv.update", {"conv_id": "c2c_bob", "recv_opt": 7}) == 9003
    assert await alice.error("conv.update", {"conv_id": "c2c_bob",
                                             "draft": "x" * (12 * 1024 + 1)}) == 9003
    assert await alice.error("conv.update", {"conv_id": "c2c_nobody", "pinned": True}
                             ) == 20021


async def test_delete_hides_history_until_a_new_message_revives(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    bob_web = await service.login("bob", platform="web")
    for i in range(3):
        await alice.send("bob", f"old{i}")
    await bob.call("conv.update", {"conv_id": "c2c_alice", "pinned": True})
    await bob.call("conv.delete", {"conv_id": "c2c_alice"})
    deleted = await state(bob_web, "c2c_alice")
    assert deleted["deleted"] is True and deleted["min_seq"] == 4
    assert deleted.get("unread", 0) == 0
    assert "last_msg" not in deleted and not deleted.get("pinned", False)
    history = await bob.call("msg.history", {"conv_id": "c2c_alice"})
    assert history == {"messages": [], "is_finished": True}

    await alice.send("bob", "new")
    revived = await state(bob, "c2c_alice")
    assert revived.get("deleted", False) is False and revived["min_seq"] == 4
    assert revived["unread"] == 1 and revived["last_msg"]["elems"][0]["text"] == "new"
    changes = [await bob_web.push("conv.changed") for _ in range(3)]  # pin, delete, revival
    assert changes[-1]["conversations"][0].get("deleted", False) is False
    pulled = await bob.call("msg.pull", {"ranges": [{"conv_id": "c2c_alice"}]})
    assert [m.get("deleted", False) for m in pulled["messages"]] == [True, True, True, False]
    assert [m["seq"] for m in (await bob.call("msg.history", {"conv_id": "c2c_alice"}))[
        "messages"]] == [4]
    # alice's side is untouched
    assert len((await alice.call("msg.history", {"conv_id": "c2c_bob"}))["messages"]) == 4
