"""A client in its own process, so a test can SIGKILL it with messages still in its outbox.

    python -m tests.integration.outbox_child queue  <ws> <app> <user> <sig> <dir> <to> <first> <n>
    python -m tests.integration.outbox_child resume <ws> <app> <user> <sig> <dir> <to>

``queue`` sends messages ``outbox 0`` … ``outbox <first - 1>``, waits for their acks and prints
``acked``; then it waits for a line on stdin (the test pauses the service meanwhile), writes the
rest up to ``<n>`` to the outbox, prints ``queued`` once every row is committed, and waits
to be killed. ``resume`` logs in with the same data directory, waits until the outbox is empty,
sends ``outbox end`` as a barrier for the receiver (it is stored after every earlier message,
so once the receiver has it, it has been told of all of them) and prints ``drained``.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from app.protocol import ConvType, TextElem
from app.protocol import Message as WireMessage
from app.protocol.ids import new_message_id
from app.sdk import IMClient, Message, SDKConfig
from tests.support.waiting import wait_until

END = "outbox end"


async def _submit(client: IMClient, receiver: str, text: str) -> asyncio.Future[Message]:
    wire = WireMessage(msg_id=new_message_id(), conv_type=ConvType.C2C, sender=client.me,
                       receiver=receiver, time=client.server_time_ms(), elems=[TextElem(text)])
    return await client.outbox.submit(wire)


async def _queue(client: IMClient, receiver: str, first: int, count: int) -> None:
    acks = [await _submit(client, receiver, f"outbox {i}") for i in range(first)]
    await asyncio.gather(*acks)
    print("acked", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    for i in range(first, count):
        await _submit(client, receiver, f"outbox {i}")
    print("queued", flush=True)
    await asyncio.Event().wait()


async def _resume(client: IMClient, receiver: str) -> None:
    async def outbox_empty() -> bool:
        return not await client.cache.outbox()

    await wait_until(outbox_empty, timeout=60, what="the outbox to drain")
    await asyncio.wait_for(await _submit(client, receiver, END), 30)
    print("drained", flush=True)


async def main(argv: list[str]) -> None:
    mode, ws, app_id, user, sig, data_dir, receiver = argv[:7]
    client = IMClient()
    client.init(int(app_id), ws, SDKConfig(data_dir=Path(data_dir), reconnect_min_s=0.05,
                                           reconnect_max_s=0.5))
    await client.login(user, sig)
    if mode == "queue":
        await _queue(client, receiver, int(argv[7]), int(argv[8]))
    else:
        await _resume(client, receiver)
        await client.uninit()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
