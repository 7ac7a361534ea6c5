"""A message revoked through the admin API, as real SDK clients see it: the cached message turns
revoked and loses its content, unread counts drop, ``on_recv_message_revoked`` fires on every
online device of both sides, and a device that was offline learns it when it catches up."""

from __future__ import annotations

from typing import Any

import httpx

from app.protocol import Platform
from app.sdk import MessageStatus
from tests.support.clients import Peer, wait_until
from tests.support.history import full_history
from tests.support.service import Service


async def admin(service: Service, path: str, body: dict[str, Any]) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=service.url, timeout=10) as http:
        reply = await http.post(f"/v4/{path}?{service.admin_query()}", json=body)
    data: dict[str, Any] = reply.json()
    assert data["ActionStatus"] == "OK", data
    return data


async def unread_of(peer: Peer, conv_id: str) -> int:
    conv = await peer.cm.get_conversation(conv_id)
    return conv.unread_count if conv is not None else -1


async def test_revoke_reaches_online_devices_and_one_that_was_away(service, peers) -> None:
    alice = await peers("alice")
    laptop = await peers("alice", device="laptop", platform=Platform.WEB)
    bob = await peers("bob")
    first = await bob.mm.send_message(bob.mm.create_text_message("regret this"), receiver="alice")
    await bob.mm.send_message(bob.mm.create_text_message("but not this"), receiver="alice")
    for device in (alice, laptop):
        await wait_until(lambda d=device: len(d.recorder.messages) == 2, what="both messages")
    await laptop.close()  # away while the message is revoked, with both in its cache

    roam = await admin(service, "openim/admin_getroammsg", {
        "Operator_Account": "bob", "Peer_Account": "alice", "MaxCnt": 10, "MinTime": 0,
        "MaxTime": 2**32 - 1})
    (key,) = [m["MsgKey"] for m in roam["MsgList"] if m["MsgSeq"] == first.seq]
    await admin(service, "openim/admin_msgwithdraw",
                {"From_Account": "bob", "To_Account": "alice", "MsgKey": key})

    for device in (alice, bob):
        await wait_until(lambda d=device: d.recorder.revoked == [first.msg_id],
                         what="the revoke to be announced")
    await wait_until(lambda: alice.recorder.total_unread == 1, what="unread to drop")
    assert await unread_of(alice, "c2c_bob") == 1
    for device, conv_id in ((alice, "c2c_bob"), (bob, "c2c_alice")):
        history = await full_history(device.client, conv_id)
        assert [m.status for m in history] == [MessageStatus.LOCAL_REVOKED,
                                               MessageStatus.SEND_SUCC]
        assert history[0].msg_id == first.msg_id and history[0].elems == []
        assert history[1].text_elem is not None

    laptop = await peers("alice", device="laptop", platform=Platform.WEB)  # same cache
    await wait_until(lambda: laptop.recorder.revoked == [first.msg_id],
                     what="the device that was away to learn of the revoke")
    history = await full_history(laptop.client, "c2c_bob")
    assert [m.status for m in history] == [MessageStatus.LOCAL_REVOKED, MessageStatus.SEND_SUCC]
    assert history[0].elems == []
    assert await unread_of(laptop, "c2c_bob") == 1
    assert await laptop.cm.get_total_unread_message_count() == 1
    assert alice.recorder.revoked == [first.msg_id]  # told once, though two pushes named it
