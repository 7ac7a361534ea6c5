"""Crashes of either side: what was acked is never lost, nothing is ever stored twice."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys

from app.sdk import MessageStatus
from tests.support.clients import wait_until
from tests.support.history import full_history


async def test_service_sigkill_mid_burst_loses_no_acked_message_and_duplicates_none(
        peers, service):
    alice, bob = await peers("alice"), await peers("bob")
    n = 400
    msgs = [alice.mm.create_text_message(f"burst {i}") for i in range(n)]
    tasks = [asyncio.create_task(alice.mm.send_message(m, receiver="bob")) for m in msgs]
    await wait_until(lambda: sum(t.done() for t in tasks) >= 80, what="some acks")

    service.kill()
    acked_before = {m.msg_id: m.seq for m, t in zip(msgs, tasks, strict=True)
                    if t.done() and not t.exception()}
    assert 80 <= len(acked_before) < n, "the kill must land mid-burst"
    await asyncio.to_thread(service.start)

    sent = await asyncio.wait_for(asyncio.gather(*tasks), 60)
    assert all(m.status == MessageStatus.SEND_SUCC for m in sent)
    for msg in sent:
        if msg.msg_id in acked_before:
            assert msg.seq == acked_before[msg.msg_id], "an acked message changed its seq"

    await wait_until(lambda: len({m.msg_id for m in bob.recorder.messages}) == n, timeout=60,
                     what="bob to receive the whole burst")
    for peer, conv in ((alice, "c2c_bob"), (bob, "c2c_alice")):
        history = await full_history(peer.client, conv, local=False)
        assert [m.seq for m in history] == list(range(1, n + 1))
        assert sorted(m.msg_id for m in history) == sorted(m.msg_id for m in msgs)
    assert len(bob.recorder.messages) == n, "a message was announced twice"


def _child(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tests.integration.outbox_child", *args],
                            stdout=subprocess.PIPE, text=True)


async def test_client_sigkill_with_a_full_outbox_sends_each_message_exactly_once(
        peers, service, tmp_path):
    bob = await peers("bob")
    data_dir = tmp_path / "alice-child"
    common = [service.ws, str(service.sdk_app_id), "alice", service.sig("alice"), str(data_dir)]
    n = 300

    child = _child(["queue", *common, "bob", str(n)])
    acks = 0
    assert child.stdout is not None
    while True:
        line = await asyncio.to_thread(child.stdout.readline)
        assert line, "the child exited early"
        if line.startswith("ack"):
            acks += 1
        if line.strip() == "queued":
            break
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert acks < n, "the outbox must still hold messages when the client dies"

    child = _child(["resume", *common])
    out, _ = await asyncio.to_thread(child.communicate, timeout=60)
    assert "drained" in out

    await wait_until(lambda: len(bob.recorder.messages) >= n, timeout=60,
                     what="bob to receive every queued message")
    await asyncio.sleep(0.3)
    texts = [m.text_elem.text for m in bob.recorder.messages]
    assert len(texts) == n
    assert sorted(texts) == sorted(f"outbox {i}" for i in range(n))
    history = await full_history(bob.client, "c2c_alice", local=False)
    assert [m.seq for m in history] == list(range(1, n + 1))
    assert [m.text_elem.text for m in history] == [f"outbox {i}" for i in range(n)]
