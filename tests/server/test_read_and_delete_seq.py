"""msg.read names an explicit seq, and conv.delete hides only up to the seq the device had
(issue 6, item 1.3; M7, C5)."""

from __future__ import annotations

from typing import Any

from .conftest import Service


async def state(client: Any, conv_id: str) -> dict[str, Any]:
    body = await client.call("conv.sync", {})
    (found,) = [c for c in body["conversations"] if c["conv_id"] == conv_id]
    return found


async def test_read_needs_a_seq_of_at_least_one(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    await alice.send("bob", "one")
    for body in ({"conv_id": "c2c_alice"}, {"conv_id": "c2c_alice", "seq": 0},
                 {"conv_id": "c2c_alice", "seq": -4}):
        frame = await bob.request("msg.read", body)
        assert frame["code"] == 9003 and "seq" in frame["msg"], frame
    assert (await state(bob, "c2c_alice"))["unread"] == 1


async def test_read_is_clamped_moves_forward_only_and_receipts_the_clamped_seq(
        service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    for i in range(3):
        await alice.send("bob", f"t{i}")
    assert await bob.call("msg.read", {"conv_id": "c2c_alice", "seq": 1}) == {
        "read_seq": 1, "unread": 2, "max_seq": 3}
    assert (await alice.push("msg.receipt"))["read_seq"] == 1
    assert await bob.call("msg.read", {"conv_id": "c2c_alice", "seq": 1000}) == {
        "read_seq": 3, "unread": 0, "max_seq": 3}
    assert (await alice.push("msg.receipt"))["read_seq"] == 3
    assert (await state(alice, "c2c_bob"))["peer_read_seq"] == 3
    # backwards changes nothing and tells nobody
    assert await bob.call("msg.read", {"conv_id": "c2c_alice", "seq": 2}) == {
        "read_seq": 3, "unread": 0, "max_seq": 3}
    await alice.no_push()
    # what arrives after the seq the device named stays unread
    await alice.send("bob", "unseen")
    assert (await state(bob, "c2c_alice"))["unread"] == 1
    assert await bob.call("msg.read", {"conv_id": "c2c_nobody", "seq": 5}) == {
        "read_seq": 0, "unread": 0, "max_seq": 0}


async def test_delete_up_to_a_seq_spares_what_arrived_later(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    bob_web = await service.login("bob", platform="web")
    for i in range(5):
        await alice.send("bob", f"m{i + 1}")
    await bob.call("conv.update", {"conv_id": "c2c_alice", "pinned": True, "draft": "d"})
    answer = await bob.call("conv.delete", {"conv_id": "c2c_alice", "seq": 3})
    conv = await state(bob_web, "c2c_alice")
    assert answer == conv  # the deleting device gets the state its other devices are pushed
    assert conv.get("deleted", False) is False and conv["min_seq"] == 4
    assert conv["unread"] == 2 and conv["last_msg"]["elems"][0]["text"] == "m5"
    assert not conv.get("pinned", False) and not conv.get("draft")
    history = await bob.call("msg.history", {"conv_id": "c2c_alice"})
    assert [m["seq"] for m in history["messages"]] == [5, 4] and history["is_finished"]
    pulled = await bob.call("msg.pull", {"ranges": [{"conv_id": "c2c_alice"}]})
    assert [m.get("deleted", False) for m in pulled["messages"]] == [True] * 3 + [False] * 2

    # A replay of the same delete hides nothing new, so it changes nothing (the pin set since
    # stays); an older seq neither.
    pinned = await bob.call("conv.update", {"conv_id": "c2c_alice", "pinned": True})
    for seq in (3, 2):
        replayed = await bob.call("conv.delete", {"conv_id": "c2c_alice", "seq": seq})
        assert replayed == pinned
    again = await state(bob, "c2c_alice")
    assert again["pinned"] is True and again["version"] == pinned["version"]

    # Deleting an unread message for me answers the state without it in the unread count.
    after = await bob.call("msg.delete", {"conv_id": "c2c_alice", "seqs": [5]})
    assert after["unread"] == 1 and after["version"] > pinned["version"]
    assert after["hidden"] == [5] and after == await state(bob_web, "c2c_alice")

    # Up to the newest (or past it) is the whole conversation, like seq 0.
    await bob.call("conv.delete", {"conv_id": "c2c_alice", "seq": 99})
    gone = await state(bob, "c2c_alice")
    assert gone["deleted"] is True and gone["min_seq"] == 6 and gone.get("unread", 0) == 0
    assert await bob.error("conv.delete", {"conv_id": "c2c_alice", "seq": -1}) == 9003
    # alice's side is untouched
    assert len((await alice.call("msg.history", {"conv_id": "c2c_bob"}))["messages"]) == 5


async def test_delete_without_a_seq_hides_everything(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    for i in range(2):
        await alice.send("bob", f"m{i}")
    await bob.call("conv.delete", {"conv_id": "c2c_alice"})
    conv = await state(bob, "c2c_alice")
    assert conv["deleted"] is True and conv["min_seq"] == 3
