"""What the client does when the service is not what it was: restored from an earlier copy,
answers larger than a frame, and gaps wider than the catch-up window."""

from __future__ import annotations

import asyncio
import shutil

import httpx

from app.protocol import DEFAULT_LIMITS, Platform
from app.sdk import HistoryType, Message, MessageStatus
from tests.support.clients import Peer, wait_until
from tests.support.history import full_history


async def _exchange(sender: Peer, receiver: Peer, texts: list[str]) -> list[Message]:
    sent = [await sender.mm.send_message(sender.mm.create_text_message(t),
                                         receiver=receiver.user_id) for t in texts]
    await wait_until(lambda: sent[-1].msg_id in {m.msg_id for m in receiver.recorder.messages},
                     what="the receiver to get the last message")
    return sent


async def _ids(peer: Peer, conv_id: str, local: bool = True) -> list[tuple[int, str]]:
    return [(m.seq, m.msg_id) for m in await full_history(peer.client, conv_id, local=local)]


async def test_a_service_restored_from_an_earlier_copy_is_detected_and_resynced(
        peers, service, tmp_path):
    alice, bob = await peers("alice"), await peers("bob")
    await _exchange(alice, bob, [f"kept {i}" for i in range(10)])

    # A plain restart is not a rollback: nothing is reset.
    service.stop()
    backup = tmp_path / "backup"
    shutil.copytree(service.data_dir, backup)
    service.start()
    await _exchange(alice, bob, [f"lost {i}" for i in range(10)])
    assert "data_reset" not in bob.recorder.events
    assert len(await _ids(bob, "c2c_alice")) == 20

    # Bob writes while the service is down; then it comes back from the earlier copy.
    service.kill()
    await wait_until(lambda: not bob.client.ready, what="bob to notice the drop")
    unsent = bob.mm.create_text_message("written while it was down")
    sending = asyncio.create_task(bob.mm.send_message(unsent, receiver="alice"))
    await wait_until(lambda: bool(bob.client.cache), what="bob's cache")
    shutil.rmtree(service.data_dir)
    shutil.copytree(backup, service.data_dir)
    service.start()

    await wait_until(lambda: "data_reset" in bob.recorder.events, timeout=30,
                     what="bob to detect the rollback")
    sent = await asyncio.wait_for(sending, 30)
    assert sent.status == MessageStatus.SEND_SUCC and sent.seq == 11

    # Every long-lived device now shows exactly what a fresh device shows.
    fresh = await peers("bob", device="fresh", platform=Platform.MOBILE)
    expected = await _ids(fresh, "c2c_alice", local=False)
    assert [seq for seq, _ in expected] == list(range(1, 12))
    assert expected[-1][1] == unsent.msg_id
    await wait_until(lambda: "data_reset" in alice.recorder.events, timeout=30,
                     what="alice to detect the rollback")
    for device, conv in ((bob, "c2c_alice"), (alice, "c2c_bob")):
        async def agrees(d: Peer = device, c: str = conv) -> bool:
            return await _ids(d, c) == expected
        await wait_until(agrees, timeout=30, what=f"{device.user_id} to resync")
    fresh_conv = await fresh.cm.get_conversation("c2c_alice")
    bob_conv = await bob.cm.get_conversation("c2c_alice")
    assert bob_conv is not None and fresh_conv is not None
    assert bob_conv.unread_count == fresh_conv.unread_count


async def test_catch_up_larger_than_a_frame_arrives_in_pages(peers):
    """400 messages of ~11 KB are ~4.5 MB, more than the client takes in one frame: the service
    must page them by bytes, or the client would drop the link and ask again for ever."""
    alice, bob = await peers("alice"), await peers("bob")
    await bob.close()
    body = "汉" * 3600  # ~10.8 KB encoded, under the 12 KB payload limit
    sent = await asyncio.gather(*(
        alice.mm.send_message(alice.mm.create_text_message(f"{i} {body}"), receiver="bob")
        for i in range(400)))
    bob = await peers("bob")
    assert [m.msg_id for m in bob.recorder.messages] == [m.msg_id for m in sent]
    conv = await bob.cm.get_conversation("c2c_alice")
    assert conv is not None and conv.unread_count == 400


async def test_a_gap_wider_than_the_window_stays_visible(peers):
    alice, bob = await peers("alice"), await peers("bob", catch_up_window=30)
    await _exchange(alice, bob, [f"old {i}" for i in range(5)])
    await bob.close()
    for i in range(100):
        await alice.mm.send_message(alice.mm.create_text_message(f"new {i}"), receiver="bob")
    bob = await peers("bob", catch_up_window=30)

    conv = await bob.cm.get_conversation("c2c_alice")
    assert conv is not None and conv.unread_count == 105  # the service counts what it lacks
    newest = await bob.mm.get_history_page("c2c_alice", 20, None, HistoryType.LOCAL_OLDER)
    assert [m.text_elem.text for m in newest.messages] == [f"new {i}" for i in range(99, 79, -1)]
    assert not newest.gap_before
    edge = await bob.mm.get_history_page("c2c_alice", 20, newest.messages[-1],
                                         HistoryType.LOCAL_OLDER)
    # The cached "old" messages are not stitched onto the newest ones: a gap is shown.
    assert [m.text_elem.text for m in edge.messages] == [f"new {i}" for i in range(79, 69, -1)]
    assert edge.gap_before and not edge.is_finished
    below = await bob.mm.get_history_page("c2c_alice", 20, edge.messages[-1],
                                          HistoryType.LOCAL_OLDER)
    assert below.messages == [] and below.gap_before

    # Online, scrolling past the gap fills it from the service, in order, without holes.
    everything = await _ids(bob, "c2c_alice", local=False)
    assert [seq for seq, _ in everything] == list(range(1, 106))


async def test_more_conversations_than_one_pull_names_all_arrive(peers, service):
    """A pull names at most ``pull_ranges_max`` ranges: the catch-up spreads over several."""
    count = DEFAULT_LIMITS.pull_ranges_max + 30
    async with httpx.AsyncClient(base_url=service.url, timeout=30) as http:
        await http.post(f"/v4/im_open_login_svc/account_import?{service.admin_query()}",
                        json={"UserID": "alice"})
        for n in range(count):
            for path, body in (
                    ("im_open_login_svc/account_import", {"UserID": f"friend{n}"}),
                    ("openim/sendmsg", {"From_Account": f"friend{n}", "To_Account": "alice",
                                        "MsgRandom": n, "MsgBody": [{
                                            "MsgType": "TIMTextElem",
                                            "MsgContent": {"Text": f"hello from {n}"}}]})):
                reply = await http.post(f"/v4/{path}?{service.admin_query()}", json=body)
                assert reply.json()["ErrorCode"] == 0, reply.text
    alice = await peers("alice")
    await wait_until(lambda: "synced" in alice.recorder.events, what="alice's catch-up")
    for n in (0, count // 2, count - 1):
        (msg,) = await full_history(alice.client, f"c2c_friend{n}", local=True)
        assert msg.text_elem is not None and msg.text_elem.text == f"hello from {n}"
    assert alice.recorder.total_unread == count
