"""C2C delivery end to end: real service, real SDK clients, real SQLite files on both sides."""

from __future__ import annotations

import asyncio

from app.protocol import Platform
from app.sdk import MessageStatus
from tests.support.clients import wait_until
from tests.support.history import full_history


async def test_thousand_messages_each_way_arrive_once_in_the_same_order(peers):
    alice, bob = await peers("alice"), await peers("bob")
    n = 1000

    async def burst(src, dst, tag: str) -> list[str]:
        msgs = [src.mm.create_text_message(f"{tag} {i}") for i in range(n)]
        sent = await asyncio.gather(*(src.mm.send_message(m, receiver=dst.user_id) for m in msgs))
        assert all(m.status == MessageStatus.SEND_SUCC and m.seq > 0 for m in sent)
        return [m.msg_id for m in sent]

    sent_by_alice, sent_by_bob = await asyncio.gather(burst(alice, bob, "a"),
                                                      burst(bob, alice, "b"))
    await wait_until(lambda: len(bob.recorder.messages) >= n and len(alice.recorder.messages) >= n,
                     timeout=60, what="both sides to receive")

    # Each side was told about exactly the other's messages, once each, in seq order.
    for receiver, sender_ids in ((bob, sent_by_alice), (alice, sent_by_bob)):
        got = receiver.recorder.messages
        assert len(got) == n
        assert sorted(m.msg_id for m in got) == sorted(sender_ids)
        seqs = [m.seq for m in got]
        assert seqs == sorted(seqs)

    # Both caches hold the same 2000 messages under the same seqs 1..2000.
    a_hist = await full_history(alice.client, "c2c_bob")
    b_hist = await full_history(bob.client, "c2c_alice")
    assert [(m.seq, m.msg_id) for m in a_hist] == [(m.seq, m.msg_id) for m in b_hist]
    assert [m.seq for m in a_hist] == list(range(1, 2 * n + 1))
    assert len({m.msg_id for m in a_hist}) == 2 * n
    assert {m.msg_id for m in a_hist} == set(sent_by_alice) | set(sent_by_bob)
    # The sender's own order of creation is kept within each side's messages.
    a_texts = [m.text_elem.text for m in a_hist if m.sender == "alice"]
    assert a_texts == [f"a {i}" for i in range(n)]


async def test_offline_receiver_catches_up_and_read_clears_unread_everywhere(peers):
    alice = await peers("alice")
    bob = await peers("bob")
    await bob.close()  # bob goes offline, his cache stays

    msgs = [alice.mm.create_text_message(f"while you were away {i}") for i in range(500)]
    sent = await asyncio.gather(*(alice.mm.send_message(m, receiver="bob") for m in msgs))

    bob = await peers("bob")  # same device, same cache, logs in again
    assert len(bob.recorder.messages) == 500
    assert [m.msg_id for m in bob.recorder.messages] == [m.msg_id for m in sent]
    conv = await bob.cm.get_conversation("c2c_alice")
    assert conv is not None and conv.unread_count == 500
    assert await bob.cm.get_total_unread_message_count() == 500

    # A second, fresh session of bob's (web) sees the server's count without holding the messages.
    bob_web = await peers("bob", device="web", platform=Platform.WEB)
    web_conv = await bob_web.cm.get_conversation("c2c_alice")
    assert web_conv is not None and web_conv.unread_count == 500
    assert bob_web.recorder.messages == []

    await bob.mm.mark_c2c_message_as_read("alice")
    assert (await bob.cm.get_conversation("c2c_alice")).unread_count == 0
    await wait_until(lambda: bob_web.recorder.total_unread == 0 and
                     bob_web.recorder.conversations.get("c2c_alice") is not None and
                     bob_web.recorder.conversations["c2c_alice"].unread_count == 0,
                     what="the web session to see the read")
    assert await bob_web.cm.get_total_unread_message_count() == 0

    await wait_until(lambda: alice.recorder.receipts, what="alice's read receipt")
    receipt = alice.recorder.receipts[-1]
    assert receipt.user_id == "bob" and receipt.conversation_id == "c2c_bob"
    assert receipt.read_seq == max(m.seq for m in sent)
    history = await alice.mm.get_c2c_history_message_list("bob", 20)
    assert history and all(m.is_peer_read for m in history if m.is_self)


async def test_sender_other_devices_receive_own_messages_but_sender_does_not(peers):
    alice = await peers("alice")
    alice_web = await peers("alice", device="web", platform=Platform.WEB)
    bob = await peers("bob")
    msg = alice.mm.create_text_message("hello from desktop")
    await alice.mm.send_message(msg, receiver="bob")
    await wait_until(lambda: alice_web.recorder.messages and bob.recorder.messages)
    synced = alice_web.recorder.messages[0]
    assert synced.msg_id == msg.msg_id and synced.is_self and synced.conversation_id == "c2c_bob"
    # the web session's conversation shows the message and it does not count as unread
    await wait_until(lambda: "c2c_bob" in alice_web.recorder.conversations)
    assert alice_web.recorder.conversations["c2c_bob"].unread_count == 0
    # Barrier: a copy for the sender would be queued on its connection before its ack, so
    # ahead of bob's answer, which it is told of in seq order.
    answer = bob.mm.create_text_message("answer")
    await bob.mm.send_message(answer, receiver="alice")
    await wait_until(lambda: alice.recorder.messages, what="alice to receive bob's answer")
    assert [m.msg_id for m in alice.recorder.messages] == [answer.msg_id]


async def test_online_only_messages_reach_online_sessions_only_and_leave_no_trace(peers):
    alice = await peers("alice")
    alice_web = await peers("alice", device="web", platform=Platform.WEB)
    bob = await peers("bob")
    bob_web = await peers("bob", device="web", platform=Platform.WEB)
    carol = await peers("carol")
    await carol.close()

    typing = alice.mm.create_custom_message('{"command":"textInput"}')
    sent = await alice.mm.send_message(typing, receiver="bob", online_user_only=True)
    assert sent.seq == 0 and sent.status == MessageStatus.SEND_SUCC
    await wait_until(lambda: bob.recorder.messages and bob_web.recorder.messages)
    assert bob.recorder.messages[0].online_user_only
    to_carol = alice.mm.create_custom_message('{"command":"textInput"}')
    await alice.mm.send_message(to_carol, receiver="carol", online_user_only=True)

    # A stored message afterwards proves pushes flowed past any online-only frame.
    marker = alice.mm.create_text_message("stored")
    await alice.mm.send_message(marker, receiver="bob")
    await wait_until(lambda: len(bob.recorder.messages) == 2 and len(alice_web.recorder.messages))
    assert [m.msg_id for m in alice_web.recorder.messages] == [marker.msg_id]

    assert (await bob.cm.get_conversation("c2c_alice")).unread_count == 1
    history = await full_history(bob.client, "c2c_alice", local=False)
    assert [m.msg_id for m in history] == [marker.msg_id]
    assert marker.seq == 1

    carol = await peers("carol")
    assert carol.recorder.messages == []
    assert await carol.cm.get_conversation("c2c_alice") is None
    assert await carol.cm.get_total_unread_message_count() == 0
