"""``set_unread_msg_num``: the admin sets a member's unread count in a group. It is the one way a
read position moves back, so the test checks the devices that had read further take it — online,
away at the time, and fresh — and that reading afterwards moves it forward again everywhere."""

from __future__ import annotations

import httpx

from app.protocol import Platform
from app.protocol.groups import GroupType
from tests.support.clients import Peer, wait_until
from tests.support.service import Service

SVC = "group_open_http_svc/"


async def admin(service: Service, path: str, body: dict) -> dict:
    async with httpx.AsyncClient(base_url=service.url, timeout=10) as http:
        reply = await http.post(f"/v4/{SVC}{path}?{service.admin_query()}", json=body)
    return reply.json()


async def unread_is(peer: Peer, conv_id: str, count: int) -> bool:
    conv = await peer.cm.get_conversation(conv_id)
    return conv is not None and conv.unread_count == count


async def test_admin_sets_a_members_unread_on_every_device(service: Service, peers) -> None:
    alice, bob = await peers("alice"), await peers("bob")
    away = await peers("bob", device="tablet", platform=Platform.PAD)
    group_id = await alice.client.group_manager.create_group(GroupType.WORK, "Unread",
                                                             member_list=["bob"])
    conv_id = f"group_{group_id}"
    for i in range(6):
        await alice.mm.send_message(alice.mm.create_text_message(f"m{i}"), group_id=group_id)
    await bob.mm.get_group_history_message_list(group_id, 20)
    await bob.mm.mark_group_message_as_read(group_id)
    for device in (bob, away):
        await wait_until(lambda d=device: unread_is(d, conv_id, 0), what="all read")
    await away.close()

    assert (await admin(service, "set_unread_msg_num", {
        "GroupId": group_id, "Member_Account": "bob", "UnreadMsgNum": 4}))["ActionStatus"] == "OK"
    await wait_until(lambda: unread_is(bob, conv_id, 4), what="bob's online device")
    away = await peers("bob", device="tablet", platform=Platform.PAD)  # its old cache
    fresh = await peers("bob", device="web", platform=Platform.WEB)
    for device in (away, fresh):
        await wait_until(lambda d=device: unread_is(d, conv_id, 4), what="the others")

    # more than there are: everything counts; then a read moves it forward again everywhere
    assert (await admin(service, "set_unread_msg_num", {
        "GroupId": group_id, "Member_Account": "bob", "UnreadMsgNum": 50}))["ActionStatus"] == "OK"
    for device in (bob, away, fresh):
        await wait_until(lambda d=device: unread_is(d, conv_id, 6), what="all six unread")
    await alice.mm.send_message(alice.mm.create_text_message("new"), group_id=group_id)
    await wait_until(lambda: unread_is(bob, conv_id, 7), what="one more")
    await away.mm.get_group_history_message_list(group_id, 20)
    await away.mm.mark_group_message_as_read(group_id)
    for device in (bob, away, fresh):
        await wait_until(lambda d=device: unread_is(d, conv_id, 0), what="read again")


async def test_bad_requests_are_refused_with_codes(service: Service, peers) -> None:
    alice = await peers("alice")
    await peers("carol")
    group_id = await alice.client.group_manager.create_group(GroupType.WORK, "Codes")
    room = await alice.client.group_manager.create_group(GroupType.AVCHATROOM, "Live")
    for body, code in (
            ({"GroupId": "nope", "Member_Account": "alice", "UnreadMsgNum": 1}, 10010),
            ({"GroupId": group_id, "Member_Account": "carol", "UnreadMsgNum": 1}, 10012),
            ({"GroupId": group_id, "Member_Account": "alice", "UnreadMsgNum": -1}, 10004),
            ({"GroupId": group_id, "Member_Account": "alice"}, 10004),
            ({"GroupId": room, "Member_Account": "alice", "UnreadMsgNum": 1}, 10033)):
        reply = await admin(service, "set_unread_msg_num", body)
        assert (reply["ActionStatus"], reply["ErrorCode"]) == ("FAIL", code), (body, reply)
