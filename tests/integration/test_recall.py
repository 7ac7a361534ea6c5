"""Recalling a message from the client (``msg.revoke``), with the real service and real SDK
clients: every device of both sides sees it revoked and hears of it once, a device that was
away learns it at login, and every refusal — too late, not mine, twice, offline — leaves
everything as it was. Last, a quote and a forward as they travel through the service."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.protocol import Cmd, ErrorCode, IMError, Platform
from app.protocol.commands import PullReq, PullResp, RevokeReq, SeqRange
from app.sdk import Message, MessageStatus
from app.sdk.reply import message_abstract, parse_reply, reply_cloud_data
from tests.support.clients import Peer, wait_until
from tests.support.history import full_history
from tests.support.service import Service

SHORT_WINDOW = pytest.mark.parametrize("service", [["--revoke-window", "1"]], indirect=True)


@pytest.fixture
def service(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Service]:
    """The conftest's service, with the command-line flags a test names (``SHORT_WINDOW``)."""
    svc = Service(tmp_path / "service", extra_args=list(getattr(request, "param", []))).start()
    yield svc
    svc.stop()


async def admin(service: Service, path: str, body: dict[str, Any]) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=service.url, timeout=10) as http:
        reply = await http.post(f"/v4/{path}?{service.admin_query()}", json=body)
    data: dict[str, Any] = reply.json()
    assert data["ActionStatus"] == "OK", data
    return data


async def unread_of(peer: Peer, conv_id: str) -> int:
    conv = await peer.cm.get_conversation(conv_id)
    return conv.unread_count if conv is not None else -1


async def history(peer: Peer, conv_id: str) -> list[Message]:
    return await full_history(peer.client, conv_id)


async def send(src: Peer, dst: Peer, text: str, *also: Peer) -> Message:
    """Send and wait until ``dst`` (and ``also``) heard of it: what came before it on their
    links, a revocation included, has been handled by then."""
    msg = await src.mm.send_message(src.mm.create_text_message(text), receiver=dst.user_id)
    for peer in (dst, *also):
        await wait_until(lambda p=peer: any(m.msg_id == msg.msg_id for m in p.recorder.messages),
                         what=f"{peer.user_id} to receive {text!r}")
    return msg


async def refused(code: ErrorCode, call: Any) -> IMError:
    with pytest.raises(IMError) as err:
        await call
    assert err.value.code == code, err.value
    return err.value


async def held_by_service(peer: Peer, conv_id: str, seq: int) -> Any:
    resp: PullResp = await peer.client.request(Cmd.MSG_PULL, PullReq(
        ranges=[SeqRange(conv_id, seq - 1, seq)]))
    (wire,) = resp.messages
    return wire


async def test_recall_reaches_every_device_once_and_one_that_was_away(peers) -> None:
    alice = await peers("alice")
    laptop = await peers("alice", device="laptop", platform=Platform.WEB)
    bob = await peers("bob")
    tablet = await peers("bob", device="tablet", platform=Platform.PAD)
    oops = await send(alice, bob, "wrong chat, sorry", laptop, tablet)
    await send(alice, bob, "but this stays", laptop, tablet)
    assert await unread_of(bob, "c2c_alice") == 2
    await tablet.close()  # away while the message is recalled, both messages in its cache

    await alice.mm.revoke_message(oops)

    # The recalling device is done when the call returns.
    assert oops.status == MessageStatus.LOCAL_REVOKED and oops.is_revoked
    assert alice.recorder.revoked == [oops.msg_id]
    mine = await history(alice, "c2c_bob")
    assert [m.status for m in mine] == [MessageStatus.LOCAL_REVOKED, MessageStatus.SEND_SUCC]
    assert mine[0].elems == [] and mine[1].text_elem is not None
    for device in (bob, laptop):
        await wait_until(lambda d=device: d.recorder.revoked == [oops.msg_id],
                         what="the recall to be announced")
    await wait_until(lambda: bob.recorder.total_unread == 1, what="bob's unread to drop")
    assert await unread_of(bob, "c2c_alice") == 1
    for device, conv_id in ((bob, "c2c_alice"), (laptop, "c2c_bob")):
        seen = await history(device, conv_id)
        assert [m.status for m in seen] == [MessageStatus.LOCAL_REVOKED, MessageStatus.SEND_SUCC]
        assert seen[0].msg_id == oops.msg_id and seen[0].elems == []
    wire = await held_by_service(bob, "c2c_alice", oops.seq)
    assert wire.revoked and wire.elems == []

    # Told once each: the push to the recalling device came with its answer and changed nothing,
    # and messages sent after the recall arrive behind every push about it.
    await send(bob, alice, "no worries", laptop)
    await send(alice, bob, "thanks")
    for device in (alice, laptop, bob):
        assert device.recorder.revoked == [oops.msg_id]

    tablet = await peers("bob", device="tablet", platform=Platform.PAD)  # same cache
    await wait_until(lambda: tablet.recorder.revoked == [oops.msg_id],
                     what="the device that was away to learn of the recall")
    seen = await history(tablet, "c2c_alice")
    assert seen[0].status == MessageStatus.LOCAL_REVOKED and seen[0].elems == []
    assert await unread_of(tablet, "c2c_alice") == 2  # "but this stays" and "thanks"


@SHORT_WINDOW
async def test_recall_after_the_window_is_refused_and_changes_nothing(peers) -> None:
    alice, bob = await peers("alice"), await peers("bob")
    late = await send(alice, bob, "said too much")
    # The SDK's own window (120 s) lets it through; the service, configured to 1 s, refuses.
    # Wait on the service's clock as alice's client knows it, with room for the offset's error.
    await wait_until(lambda: alice.client.server_time_ms() - late.time_ms > 1_500,
                     what="the recall window to pass")

    await refused(ErrorCode.REVOKE_TIME_LIMIT, alice.mm.revoke_message(late))

    assert late.status == MessageStatus.SEND_SUCC
    await send(alice, bob, "never mind")  # behind any push the refusal could have caused
    assert alice.recorder.revoked == [] and bob.recorder.revoked == []
    assert (await held_by_service(bob, "c2c_alice", late.seq)).revoked is False
    seen = await history(bob, "c2c_alice")
    assert [m.status for m in seen] == [MessageStatus.SEND_SUCC] * 2
    assert seen[0].text_elem is not None and seen[0].text_elem.text == "said too much"
    assert await unread_of(bob, "c2c_alice") == 2


async def test_an_old_message_is_refused_by_the_sdk_without_asking_and_by_the_service(
        peers, service, monkeypatch) -> None:
    alice, bob = await peers("alice"), await peers("bob")
    await admin(service, "openim/importmsg", {
        "SyncFromOldSystem": 2, "From_Account": "alice", "To_Account": "bob", "MsgRandom": 7,
        "MsgTimeStamp": int(time.time()) - 600,
        "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "last week's plan"}}]})
    (old,) = await full_history(alice.client, "c2c_bob", local=False)
    asked: list[str] = []
    submit = alice.client.transport.submit

    async def counting(cmd: Any, body: Any, on_answer: Any = None) -> Any:
        asked.append(str(cmd))
        return await submit(cmd, body, on_answer)

    monkeypatch.setattr(alice.client.transport, "submit", counting)
    await refused(ErrorCode.REVOKE_TIME_LIMIT, alice.mm.revoke_message(old))
    assert Cmd.MSG_REVOKE not in asked

    # A client that skips the check meets the same answer from the service.
    await refused(ErrorCode.REVOKE_TIME_LIMIT, alice.client.request(
        Cmd.MSG_REVOKE, RevokeReq(conv_id="c2c_bob", seq=old.seq, msg_id=old.msg_id)))
    assert (await held_by_service(bob, "c2c_alice", old.seq)).revoked is False


async def test_only_the_sender_may_recall_and_only_what_exists(peers) -> None:
    alice, bob = await peers("alice"), await peers("bob")
    sent = await send(alice, bob, "mine to take back")
    (received,) = bob.recorder.messages

    await refused(ErrorCode.REVOKE_NOT_ALLOWED, bob.mm.revoke_message(received))
    for conv_id, seq, msg_id, code in (
            ("c2c_bob", sent.seq, "someone-else", ErrorCode.REVOKE_TARGET_NOT_FOUND),
            ("c2c_bob", sent.seq + 5, sent.msg_id, ErrorCode.REVOKE_TARGET_NOT_FOUND),
            ("c2c_carol", sent.seq, sent.msg_id, ErrorCode.REVOKE_TARGET_NOT_FOUND),
            ("c2c_bob", 0, sent.msg_id, ErrorCode.INVALID_BODY)):
        await refused(code, alice.client.request(
            Cmd.MSG_REVOKE, RevokeReq(conv_id=conv_id, seq=seq, msg_id=msg_id)))

    await send(alice, bob, "still here")
    assert alice.recorder.revoked == [] and bob.recorder.revoked == []
    assert await unread_of(bob, "c2c_alice") == 2
    assert [m.status for m in await history(bob, "c2c_alice")] == [MessageStatus.SEND_SUCC] * 2


async def test_a_message_is_recalled_once_however_often_it_is_asked(peers) -> None:
    alice = await peers("alice")
    laptop = await peers("alice", device="laptop", platform=Platform.WEB)
    bob = await peers("bob")
    first = await send(alice, bob, "one", laptop)
    await alice.mm.revoke_message(first)
    await refused(ErrorCode.ALREADY_REVOKED, alice.mm.revoke_message(first))

    second = await send(alice, bob, "two", laptop)
    (on_laptop,) = [m for m in await history(laptop, "c2c_bob") if m.msg_id == second.msg_id]
    outcomes = await asyncio.gather(alice.mm.revoke_message(second),
                                    laptop.mm.revoke_message(on_laptop), return_exceptions=True)
    assert sorted(type(o).__name__ for o in outcomes) == ["IMError", "NoneType"], outcomes
    (error,) = [o for o in outcomes if isinstance(o, IMError)]
    assert error.code == ErrorCode.ALREADY_REVOKED

    await send(alice, bob, "three", laptop)
    await send(bob, alice, "ok", laptop)
    for device in (alice, laptop, bob):
        assert device.recorder.revoked == [first.msg_id, second.msg_id]
    assert await unread_of(bob, "c2c_alice") == 1


async def test_recall_offline_fails_at_once_and_leaves_the_message(peers, service) -> None:
    alice, bob = await peers("alice"), await peers("bob")
    sent = await send(alice, bob, "sent before the link went")
    service.kill()
    await wait_until(lambda: not alice.client.ready, what="alice to notice the drop")

    await refused(ErrorCode.SDK_NETWORK_UNAVAILABLE, alice.mm.revoke_message(sent))

    assert sent.status == MessageStatus.SEND_SUCC and alice.recorder.revoked == []
    (cached,) = await history(alice, "c2c_bob")
    assert cached.status == MessageStatus.SEND_SUCC and cached.text_elem is not None


async def test_a_quote_and_a_forward_travel_as_tuikit_reads_them(peers) -> None:
    alice, bob, carol = await peers("alice"), await peers("bob"), await peers("carol")
    original = await send(bob, alice, "the venue moved to Pier 4")
    (received,) = alice.recorder.messages

    answer = alice.mm.create_text_message("got it")
    answer.cloud_custom_data = reply_cloud_data(received, message_abstract(received))
    await alice.mm.send_message(answer, receiver="bob")
    await wait_until(lambda: any(m.msg_id == answer.msg_id for m in bob.recorder.messages),
                     what="bob to receive the reply")
    (reply,) = [m for m in bob.recorder.messages if m.msg_id == answer.msg_id]
    quoted = parse_reply(reply.cloud_custom_data)
    assert quoted is not None
    assert (quoted.msg_id, quoted.seq, quoted.sender, quoted.abstract) == (
        original.msg_id, original.seq, "bob", "the venue moved to Pier 4")

    # Bob passes the reply on to carol: the same content, his now, without the quote.
    forward = bob.mm.create_forward_message(reply)
    await bob.mm.send_message(forward, receiver="carol")
    await wait_until(lambda: carol.recorder.messages, what="carol to receive the forward")
    (got,) = carol.recorder.messages
    assert got.msg_id == forward.msg_id != reply.msg_id
    assert (got.sender, got.elems, got.cloud_custom_data) == ("bob", reply.elems, "")
