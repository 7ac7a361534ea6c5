"""Crashes of either side: what was acked is never lost, nothing is ever stored twice."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import msgspec

from app.sdk import MessageStatus
from tests.support.clients import wait_until
from tests.support.history import full_history

from .outbox_child import END


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
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


async def _expect(child: subprocess.Popen[str], line: str) -> None:
    assert child.stdout is not None
    got = await asyncio.wait_for(asyncio.to_thread(child.stdout.readline), 60)
    assert got.strip() == line, f"the child said {got!r} instead of {line!r}"


def _unsent(cache: Path) -> list[str]:
    """The texts in the outbox of a cache no process has open, read without changing it."""
    with contextlib.closing(sqlite3.connect(f"{cache.as_uri()}?mode=ro", uri=True)) as db:
        rows = db.execute("SELECT body FROM outbox ORDER BY created, rowid").fetchall()
    return [msgspec.json.decode(body)["elems"][0]["text"] for (body,) in rows]


async def test_client_sigkill_with_a_full_outbox_sends_each_message_exactly_once(
        peers, service, tmp_path):
    bob = await peers("bob")
    data_dir = tmp_path / "alice-child"
    common = [service.ws, str(service.sdk_app_id), "alice", service.sig("alice"), str(data_dir),
              "bob"]
    first, n = 50, 300

    child = _child(["queue", *common, str(first), str(n)])
    try:
        await _expect(child, "acked")
        # Paused, the service can neither store nor ack what the child writes from now on: the
        # child dies with those messages in its outbox, some of them already on the wire.
        assert service.proc is not None
        service.proc.send_signal(signal.SIGSTOP)
        try:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
            await _expect(child, "queued")
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(10)
            service.proc.send_signal(signal.SIGCONT)
    finally:
        child.kill()  # a no-op once it is dead; ends it if it failed before the pause
        child.wait(10)

    cache = data_dir / str(service.sdk_app_id) / "alice" / "cache.db"
    assert _unsent(cache) == [f"outbox {i}" for i in range(first, n)]

    child = _child(["resume", *common])
    out, _ = await asyncio.to_thread(child.communicate, timeout=60)
    assert out.strip() == "drained"
    assert _unsent(cache) == []

    # "outbox end" was stored after everything else: once bob has it, he has been told of all.
    await wait_until(lambda: any(m.text_elem.text == END for m in bob.recorder.messages),
                     timeout=60, what="bob to receive every queued message")
    expected = [f"outbox {i}" for i in range(n)] + [END]
    assert [m.text_elem.text for m in bob.recorder.messages] == expected
    history = await full_history(bob.client, "c2c_alice", local=False)
    assert [m.seq for m in history] == list(range(1, n + 2))
    assert [m.text_elem.text for m in history] == expected
