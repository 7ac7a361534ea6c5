"""Pin, draft and receive option follow the user to their other devices (C4, C6): seen live by a
device that is online, caught up by one that was away, and what a fresh login finds."""

from __future__ import annotations

from app.protocol import Platform, RecvOpt
from app.sdk import Conversation
from tests.support.clients import Peer, wait_until

CONV = "c2c_bob"


async def _conv(peer: Peer) -> Conversation | None:
    return await peer.cm.get_conversation(CONV)


async def _shows(peer: Peer, pinned: bool, draft: str, opt: RecvOpt) -> bool:
    conv = await _conv(peer)
    return (conv is not None and conv.is_pinned == pinned and conv.draft_text == draft
            and conv.recv_opt == opt)


async def test_pin_draft_and_receive_option_reach_my_other_devices(peers):
    alice, bob = await peers("alice"), await peers("bob")
    phone = await peers("alice", device="phone", platform=Platform.MOBILE)
    await bob.mm.send_message(bob.mm.create_text_message("hi"), receiver="alice")
    for device in (alice, phone):
        await wait_until(lambda d=device: _shows(d, False, "", RecvOpt.RECEIVE),
                         what="the chat on both devices")

    await alice.cm.pin_conversation(CONV, True)
    await alice.cm.set_conversation_draft(CONV, "half a thought")
    await alice.cm.set_conversation_receive_option(CONV, RecvOpt.RECEIVE_NOT_NOTIFY)
    await wait_until(lambda: _shows(phone, True, "half a thought", RecvOpt.RECEIVE_NOT_NOTIFY),
                     what="the phone sees pin, draft and option live")
    told = phone.recorder.conversations[CONV]
    assert told.is_pinned and told.draft_text == "half a thought", "the phone's listener was told"

    # the phone is away while the desktop changes everything back
    await phone.close()
    await alice.cm.pin_conversation(CONV, False)
    await alice.cm.set_conversation_draft(CONV, "")
    await alice.cm.set_conversation_receive_option(CONV, RecvOpt.NOT_RECEIVE)
    phone = await peers("alice", device="phone", platform=Platform.MOBILE)
    await wait_until(lambda: _shows(phone, False, "", RecvOpt.NOT_RECEIVE),
                     what="the phone catches up on its old cache")

    # a chat that does not receive leaves the total, one that does not notify stays in it (C3)
    await bob.mm.send_message(bob.mm.create_text_message("again"), receiver="alice")
    await wait_until(lambda: _unread(phone, 2), what="two unread in the chat")
    assert await phone.cm.get_total_unread_message_count() == 0
    await alice.cm.set_conversation_receive_option(CONV, RecvOpt.RECEIVE_NOT_NOTIFY)
    await wait_until(lambda: _total(phone, 2), what="the total counts it again")

    fresh = await peers("alice", device="tablet", platform=Platform.PAD)
    await wait_until(lambda: _shows(fresh, False, "", RecvOpt.RECEIVE_NOT_NOTIFY),
                     what="a fresh device starts with the same state")


async def _unread(peer: Peer, n: int) -> bool:
    conv = await _conv(peer)
    return conv is not None and conv.unread_count == n


async def _total(peer: Peer, n: int) -> bool:
    return await peer.cm.get_total_unread_message_count() == n
