"""The cache keeps the app useful without the service: history, conversations, reads, sends."""

from __future__ import annotations

import asyncio

from app.protocol import Platform
from app.sdk import HistoryType, MessageStatus
from tests.support.clients import connect, wait_until
from tests.support.history import full_history


async def test_conversations_and_history_load_from_the_cache_with_the_service_down(
        peers, service, tmp_path):
    alice, bob = await peers("alice"), await peers("bob")
    for i in range(30):
        sender, receiver = (alice, "bob") if i % 2 else (bob, "alice")
        await sender.mm.send_message(sender.mm.create_text_message(f"line {i}"), receiver=receiver)
    await wait_until(lambda: len(alice.recorder.messages) == 15)
    await alice.close()
    service.kill()

    offline = await connect(service, "alice", tmp_path / "clients" / "alice-main", login=False)
    try:
        await offline.client.init_storage("alice")
        page = await offline.cm.get_conversation_list()
        assert [c.conversation_id for c in page.conversation_list] == ["c2c_bob"]
        assert page.conversation_list[0].last_message.text_elem.text == "line 29"
        history = await full_history(offline.client, "c2c_bob", local=False)
        assert [m.text_elem.text for m in history] == [f"line {i}" for i in range(30)]
        newest = await offline.mm.get_history_message_list("c2c_bob", 5, None,
                                                           HistoryType.CLOUD_OLDER)
        assert [m.text_elem.text for m in newest] == [f"line {i}" for i in range(29, 24, -1)]
    finally:
        await offline.close()


async def test_read_offline_is_reported_after_login_and_sends_wait_in_the_outbox(
        peers, service):
    alice, bob = await peers("alice"), await peers("bob")
    for i in range(5):
        await bob.mm.send_message(bob.mm.create_text_message(f"unread {i}"), receiver="alice")
    await wait_until(lambda: alice.recorder.total_unread == 5)

    service.kill()
    await wait_until(lambda: not alice.client.ready, what="alice to notice the drop")
    await alice.mm.mark_c2c_message_as_read("bob")
    assert (await alice.cm.get_conversation("c2c_bob")).unread_count == 0
    assert alice.recorder.total_unread == 0
    queued = alice.mm.create_text_message("written offline")
    sending = asyncio.create_task(alice.mm.send_message(queued, receiver="bob"))

    async def in_outbox() -> bool:
        return any(wire.msg_id == queued.msg_id for wire, _ in await alice.client.cache.outbox())

    await wait_until(in_outbox, what="the offline message to be in the outbox")
    # Then the client tries the service again and fails; the message must ride that out.
    failures = alice.recorder.events.count("connect_failed")
    await wait_until(lambda: alice.recorder.events.count("connect_failed") > failures,
                     what="a failed reconnect after the message was queued")
    assert not sending.done()
    assert await in_outbox()
    assert queued.status == MessageStatus.SENDING

    await asyncio.to_thread(service.start)
    sent = await asyncio.wait_for(sending, 30)
    assert sent.status == MessageStatus.SEND_SUCC
    await wait_until(lambda: bob.recorder.receipts, what="bob's receipt for the offline read")
    assert bob.recorder.receipts[-1].read_seq == 5
    await wait_until(lambda: any(m.msg_id == queued.msg_id for m in bob.recorder.messages))

    web = await peers("alice", device="web", platform=Platform.WEB)
    assert (await web.cm.get_conversation("c2c_bob")).unread_count == 0
