"""Editing a sent message (``modify_message``, M4 "message modified") between real SDK clients
and the service on loopback: the edit reaches the peer and my other device at once, a device
that was away takes it when it catches up, the local search finds the new text and not the
old, and the service refuses the edits that may not be made — someone else's message, a
recalled one, one edited elsewhere meanwhile (8006)."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import httpx
import pytest

from app.protocol import Cmd, ErrorCode, IMError, Platform
from app.protocol.commands import ModifyReq
from app.protocol.elements import TextElem
from app.sdk import Message
from app.sdk.modifying import ModifyConflict
from app.sdk.search import MessageSearchParam
from tests.support.clients import Peer, wait_until
from tests.support.history import full_history
from tests.support.service import Service


def edited(msg: Message, text: str) -> Message:
    return dataclasses.replace(msg, elems=[TextElem(text=text)])


async def texts_in(peer: Peer, conv_id: str) -> list[str]:
    return [m.text_elem.text if m.text_elem else "" for m in
            await full_history(peer.client, conv_id)]


async def found(peer: Peer, word: str) -> list[str]:
    result = await peer.mm.search_local_messages(MessageSearchParam([word]))
    return [m.text_elem.text for item in result.message_search_result_items
            for m in item.message_list if m.text_elem]


async def last_text(peer: Peer, conv_id: str) -> str:
    conv = await peer.cm.get_conversation(conv_id)
    last = conv.last_message if conv is not None else None
    return last.text_elem.text if last is not None and last.text_elem else ""


async def test_an_edit_reaches_the_peer_my_other_device_and_one_that_was_away(peers) -> None:
    alice = await peers("alice")
    laptop = await peers("alice", device="laptop", platform=Platform.WEB)
    tablet = await peers("alice", device="tablet", platform=Platform.PAD)
    bob = await peers("bob")
    sent = await alice.mm.send_message(alice.mm.create_text_message("see you at 5 tomorrow"),
                                       receiver="bob")
    for device in (bob, laptop, tablet):
        await wait_until(lambda d=device: len(d.recorder.messages) == 1, what="the message")
    await tablet.close()  # away during the edit, with the old text in its cache

    stored = await alice.mm.modify_message(edited(sent, "see you at 6 tomorrow"))
    assert stored.is_modified and stored.modify_version == 1 and stored.modify_time_ms > 0
    assert stored.text_elem is not None and stored.text_elem.text == "see you at 6 tomorrow"

    for device, conv_id in ((bob, "c2c_alice"), (laptop, "c2c_bob"), (alice, "c2c_bob")):
        await wait_until(lambda d=device: len(d.recorder.modified) == 1,
                         what="the edit to be announced")
        (heard,) = device.recorder.modified
        assert heard.msg_id == sent.msg_id and heard.is_modified
        assert heard.text_elem is not None and heard.text_elem.text == "see you at 6 tomorrow"
        assert await texts_in(device, conv_id) == ["see you at 6 tomorrow"]
        assert await last_text(device, conv_id) == "see you at 6 tomorrow"
        assert await found(device, "6") == ["see you at 6 tomorrow"]
        assert await found(device, "5") == []

    tablet = await peers("alice", device="tablet", platform=Platform.PAD)  # same cache
    await wait_until(lambda: len(tablet.recorder.modified) == 1,
                     what="the device that was away to catch the edit up")
    (history,) = await full_history(tablet.client, "c2c_bob")
    assert history.is_modified and history.text_elem is not None
    assert history.text_elem.text == "see you at 6 tomorrow"
    assert await found(tablet, "6") == ["see you at 6 tomorrow"]
    assert await found(tablet, "5") == []
    assert await last_text(tablet, "c2c_bob") == "see you at 6 tomorrow"
    assert len(alice.recorder.modified) == 1  # told once, though the answer and a push named it


async def test_a_second_edit_and_a_device_that_slept_through_both(peers) -> None:
    alice = await peers("alice")
    bob = await peers("bob")
    phone = await peers("bob", device="phone", platform=Platform.MOBILE)
    sent = await alice.mm.send_message(alice.mm.create_text_message("draft one"),
                                       receiver="bob")
    await wait_until(lambda: len(phone.recorder.messages) == 1, what="the message")
    await phone.close()
    first = await alice.mm.modify_message(edited(sent, "draft two"))
    second = await alice.mm.modify_message(edited(first, "draft three"))
    assert second.modify_version == 2
    await wait_until(lambda: [m.modify_version for m in bob.recorder.modified] == [1, 2],
                     what="both edits, in order")

    phone = await peers("bob", device="phone", platform=Platform.MOBILE)
    await wait_until(lambda: len(phone.recorder.modified) == 1, what="the catch-up")
    assert phone.recorder.modified[0].text_elem.text == "draft three"
    assert await texts_in(phone, "c2c_alice") == ["draft three"]


async def test_only_the_sender_edits(peers) -> None:
    alice = await peers("alice")
    bob = await peers("bob")
    sent = await alice.mm.send_message(alice.mm.create_text_message("mine"), receiver="bob")
    await wait_until(lambda: len(bob.recorder.messages) == 1, what="the message")
    (theirs,) = bob.recorder.messages

    with pytest.raises(IMError) as refused:
        await bob.mm.modify_message(edited(theirs, "not yours"))
    assert refused.value.code == ErrorCode.MODIFY_NOT_ALLOWED
    # The service says the same to a client that skips the SDK's check.
    with pytest.raises(IMError) as refused:
        await bob.client.request(Cmd.MSG_MODIFY, ModifyReq(
            conv_id="c2c_alice", seq=sent.seq, msg_id=sent.msg_id, version=0,
            elems=[TextElem(text="not yours")]))
    assert refused.value.code == ErrorCode.MODIFY_NOT_ALLOWED
    assert await texts_in(bob, "c2c_alice") == ["mine"]
    assert await texts_in(alice, "c2c_bob") == ["mine"]
    assert bob.recorder.modified == [] and alice.recorder.modified == []


async def test_a_recalled_message_is_not_edited(peers) -> None:
    alice = await peers("alice")
    bob = await peers("bob")
    sent = await alice.mm.send_message(alice.mm.create_text_message("oops"), receiver="bob")
    stale = dataclasses.replace(sent)  # a copy shown before the recall
    await alice.mm.revoke_message(sent)
    await wait_until(lambda: bob.recorder.revoked == [sent.msg_id], what="the recall")

    with pytest.raises(IMError) as refused:
        await alice.mm.modify_message(edited(stale, "fixed"))
    assert refused.value.code == ErrorCode.ALREADY_REVOKED
    with pytest.raises(IMError) as refused:
        await alice.mm.modify_message(edited(sent, "fixed"))  # the SDK knows it is recalled
    assert refused.value.code == ErrorCode.SDK_INVALID_PARAMETERS
    assert bob.recorder.modified == []
    history = await full_history(bob.client, "c2c_alice")
    assert history[0].is_revoked and history[0].elems == []


async def test_two_devices_editing_at_once_conflict_and_agree(peers) -> None:
    alice = await peers("alice")
    laptop = await peers("alice", device="laptop", platform=Platform.WEB)
    bob = await peers("bob")
    sent = await alice.mm.send_message(alice.mm.create_text_message("v0"), receiver="bob")
    await wait_until(lambda: len(laptop.recorder.messages) == 1, what="the message")
    (on_laptop,) = laptop.recorder.messages

    await alice.mm.modify_message(edited(sent, "from the desktop"))
    with pytest.raises(ModifyConflict) as refused:  # made on version 0, which is gone
        await laptop.mm.modify_message(edited(on_laptop, "from the laptop"))
    assert refused.value.code == ErrorCode.MODIFY_CONFLICT
    latest = refused.value.message  # as V2TIM answers a conflict: the message as it is now
    assert latest is not None and latest.modify_version == 1
    assert latest.text_elem is not None and latest.text_elem.text == "from the desktop"
    for device, conv_id in ((alice, "c2c_bob"), (laptop, "c2c_bob"), (bob, "c2c_alice")):
        await wait_until(lambda d=device: len(d.recorder.modified) == 1, what="the winner")
        assert await texts_in(device, conv_id) == ["from the desktop"]
    # Made on the version the laptop holds now, the laptop's edit goes through.
    (latest,) = await full_history(laptop.client, "c2c_bob")
    await laptop.mm.modify_message(edited(latest, "from the laptop"))
    await wait_until(lambda: len(bob.recorder.modified) == 2, what="the second edit")
    assert await texts_in(bob, "c2c_alice") == ["from the laptop"]


async def admin(service: Service, path: str, body: dict[str, Any]) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=service.url, timeout=10) as http:
        reply = await http.post(f"/v4/{path}?{service.admin_query()}", json=body)
    data: dict[str, Any] = reply.json()
    return data


async def test_admin_modify_c2c_msg_and_modify_group_msg(service, peers) -> None:
    alice = await peers("alice")
    bob = await peers("bob")
    sent = await bob.mm.send_message(bob.mm.create_text_message("typo hre"), receiver="alice")
    await wait_until(lambda: len(alice.recorder.messages) == 1, what="the message")
    roam = await admin(service, "openim/admin_getroammsg", {
        "Operator_Account": "bob", "Peer_Account": "alice", "MaxCnt": 10, "MinTime": 0,
        "MaxTime": 2**32 - 1})
    (key,) = [m["MsgKey"] for m in roam["MsgList"] if m["MsgSeq"] == sent.seq]
    reply = await admin(service, "openim/modify_c2c_msg", {
        "From_Account": "bob", "To_Account": "alice", "MsgKey": key,
        "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "typo here"}}],
        "CloudCustomData": "fixed by the admin"})
    assert reply["ActionStatus"] == "OK", reply
    for device, conv_id in ((alice, "c2c_bob"), (bob, "c2c_alice")):
        await wait_until(lambda d=device: len(d.recorder.modified) == 1, what="the admin's edit")
        assert device.recorder.modified[0].cloud_custom_data == "fixed by the admin"
        assert await texts_in(device, conv_id) == ["typo here"]
    missing = await admin(service, "openim/modify_c2c_msg", {
        "From_Account": "bob", "To_Account": "alice", "MsgKey": f"999_1_{sent.timestamp}",
        "CloudCustomData": "x"})
    assert missing["ErrorCode"] == ErrorCode.MODIFY_TARGET_NOT_FOUND
    nothing = await admin(service, "openim/modify_c2c_msg", {
        "From_Account": "bob", "To_Account": "alice", "MsgKey": key})
    assert nothing["ActionStatus"] == "FAIL"  # neither MsgBody nor CloudCustomData
    mistyped = await admin(service, "openim/modify_c2c_msg", {
        "From_Account": "bob", "To_Account": "alice", "MsgKey": key,
        "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "x"}}],
        "CloudCustomData": 7})
    assert mistyped["ActionStatus"] == "FAIL"  # CloudCustomData is a string
    assert len(alice.recorder.modified) == 1  # the refusals changed nothing

    group_id = await alice.client.group_manager.create_group("Work", "edits",
                                                           member_list=["bob"])
    said = await alice.mm.send_message(alice.mm.create_text_message("agenda: one"),
                                       group_id=group_id)
    await wait_until(lambda: any(m.msg_id == said.msg_id for m in bob.recorder.messages),
                     what="the group message")
    reply = await admin(service, "openim/modify_group_msg", {
        "GroupId": group_id, "MsgSeq": said.seq,
        "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "agenda: two"}}]})
    assert reply["ActionStatus"] == "OK", reply
    await wait_until(lambda: len(bob.recorder.modified) == 2, what="the group edit")
    assert bob.recorder.modified[-1].text_elem.text == "agenda: two"
    assert (await texts_in(bob, f"group_{group_id}"))[-1] == "agenda: two"


async def test_in_a_group_members_who_cannot_see_the_message_hear_nothing(peers) -> None:
    alice = await peers("alice")
    bob = await peers("bob")
    group_id = await alice.client.group_manager.create_group("Work", "plans",
                                                             member_list=["bob"])
    said = await alice.mm.send_message(alice.mm.create_text_message("meet on Monday"),
                                       group_id=group_id)
    await wait_until(lambda: any(m.msg_id == said.msg_id for m in bob.recorder.messages),
                     what="the group message")
    carol = await peers("carol")
    await alice.client.group_manager.invite_user_to_group(group_id, ["carol"])
    await wait_until(lambda: carol.recorder.conversations.get(f"group_{group_id}") is not None,
                     what="carol in the group")

    await alice.mm.modify_message(edited(said, "meet on Tuesday"))
    await wait_until(lambda: len(bob.recorder.modified) == 1, what="bob hears the edit")
    assert bob.recorder.modified[0].text_elem.text == "meet on Tuesday"
    # What carol is told after the edit comes after anything the edit would have told her.
    after = await alice.mm.send_message(alice.mm.create_text_message("agenda follows"),
                                        group_id=group_id)
    await wait_until(lambda: any(m.msg_id == after.msg_id for m in carol.recorder.messages),
                     what="carol gets the next message")
    assert carol.recorder.modified == []
    assert said.msg_id not in [m.msg_id for m in await full_history(carol.client,
                                                                   f"group_{group_id}")]
    fresh = await peers("carol", device="web", platform=Platform.WEB)
    await wait_until(lambda: fresh.recorder.conversations.get(f"group_{group_id}") is not None,
                     what="carol's other device synced")
    assert fresh.recorder.modified == []


async def test_concurrent_edits_on_one_version_one_wins_everywhere(peers) -> None:
    alice = await peers("alice")
    laptop = await peers("alice", device="laptop", platform=Platform.WEB)
    bob = await peers("bob")
    sent = await alice.mm.send_message(alice.mm.create_text_message("v0"), receiver="bob")
    await wait_until(lambda: len(laptop.recorder.messages) == 1, what="the message")
    (on_laptop,) = laptop.recorder.messages

    outcomes = await asyncio.gather(
        alice.mm.modify_message(edited(sent, "desktop's")),
        laptop.mm.modify_message(edited(on_laptop, "laptop's")), return_exceptions=True)
    won = [o for o in outcomes if isinstance(o, Message)]
    lost = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert isinstance(lost[0], ModifyConflict)
    winner = won[0].text_elem.text
    for device, conv_id in ((alice, "c2c_bob"), (laptop, "c2c_bob"), (bob, "c2c_alice")):
        await wait_until(lambda d=device: len(d.recorder.modified) == 1, what="one edit heard")
        assert await texts_in(device, conv_id) == [winner]
