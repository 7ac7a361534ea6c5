"""A network stall the heartbeat may miss: every socket stays open and nothing flows for 15 s
while people keep writing and reading. After it, everything must arrive exactly once within
seconds, nothing may end failed, and every device must agree with a fresh one on unread."""

from __future__ import annotations

import asyncio
import time

from app.protocol import Platform
from app.sdk import Message, MessageStatus
from tests.support.clients import Peer, wait_until
from tests.support.history import full_history
from tests.support.stall_proxy import StallProxy

PAIRS = 6
STALL_S = 15.0
CONVERGE_S = 10.0


async def test_a_fifteen_second_stall_loses_nothing_and_converges_quickly(peers, service):
    proxy = await StallProxy(service.ws).start()
    try:
        senders = [await peers(f"s{i}", url=proxy.ws) for i in range(PAIRS)]
        readers = [await peers(f"r{i}", url=proxy.ws) for i in range(PAIRS)]
        second = [await peers(f"r{i}", device="web", platform=Platform.WEB, url=proxy.ws)
                  for i in range(PAIRS)]
        sends: list[asyncio.Task[Message]] = []
        created: dict[int, list[str]] = {i: [] for i in range(PAIRS)}
        read_at: dict[int, int] = {}
        reads: list[asyncio.Task[None]] = []

        def write(i: int, text: str) -> None:
            msg = senders[i].mm.create_text_message(text)
            created[i].append(msg.msg_id)
            sends.append(asyncio.create_task(
                senders[i].mm.send_message(msg, receiver=f"r{i}")))

        for round_ in range(5):
            for i in range(PAIRS):
                write(i, f"before {round_}")
        await wait_until(lambda: all(len(r.recorder.messages) == 5 for r in readers),
                         what="the first messages")

        proxy.freeze()
        stall_end = time.monotonic() + STALL_S
        round_ = 0
        while time.monotonic() < stall_end:
            for i in range(PAIRS):
                write(i, f"during {round_}")
            if round_ == 3:
                # Reads made in the stall, naming what each device showed: they must reach
                # the service and the user's other device once the network is back.
                for i, reader in enumerate(readers):
                    shown = reader.recorder.messages[-1]
                    read_at[i] = shown.seq
                    reads.append(asyncio.create_task(
                        reader.mm.mark_conversation_as_read(shown.conversation_id, shown.seq)))
            round_ += 1
            await asyncio.sleep(0.25)  # the pace of typing, not a proof
        proxy.thaw()
        thawed = time.monotonic()

        total = {i: len(created[i]) for i in range(PAIRS)}

        def delivered() -> bool:
            return all(len(readers[i].recorder.messages) >= total[i]
                       and len(second[i].recorder.messages) >= total[i] for i in range(PAIRS))

        await wait_until(delivered, timeout=CONVERGE_S, what="every device to get every message")
        sent = await asyncio.wait_for(asyncio.gather(*sends), CONVERGE_S)
        await asyncio.wait_for(asyncio.gather(*reads), CONVERGE_S)
        elapsed = time.monotonic() - thawed
        print(f"{sum(total.values())} messages, {PAIRS} pairs: every device had every message "
              f"{elapsed:.1f} s after a {STALL_S:.0f} s stall")
        assert elapsed <= CONVERGE_S
        assert sum(total.values()) >= PAIRS * 40  # most of them written during the stall
        assert all(m.status == MessageStatus.SEND_SUCC and m.seq > 0 for m in sent)

        for i in range(PAIRS):
            for device in (readers[i], second[i]):
                got = device.recorder.messages
                # Exactly once, in the order they were written, in seq order.
                assert [m.msg_id for m in got] == created[i]
                assert [m.seq for m in got] == list(range(1, len(got) + 1))
            history = await full_history(senders[i].client, f"c2c_r{i}")
            assert [m.msg_id for m in history] == created[i]
            assert all(m.status == MessageStatus.SEND_SUCC for m in history)

        # Every device agrees with a device that signs in fresh, directly.
        for i in range(PAIRS):
            fresh: Peer = await peers(f"r{i}", device="fresh", platform=Platform.MOBILE)
            conv = await fresh.cm.get_conversation(f"c2c_s{i}")
            assert conv is not None
            expected = conv.unread_count
            assert expected == total[i] - read_at[i]
            for device in (readers[i], second[i]):
                await wait_until(lambda d=device, c=f"c2c_s{i}", n=expected: _unread(d, c) == n,
                                 timeout=CONVERGE_S, what=f"unread of r{i} to converge")
    finally:
        await proxy.close()


def _unread(peer: Peer, conv_id: str) -> int:
    conv = peer.recorder.conversations.get(conv_id)
    return conv.unread_count if conv else -1
