"""A client in its own process, so a test can SIGKILL it with messages still in its outbox.

    python -m tests.integration.outbox_child queue  <ws> <app> <user> <sig> <dir> <to> <count>
    python -m tests.integration.outbox_child resume <ws> <app> <user> <sig> <dir>

``queue`` persists ``count`` messages to the outbox, prints ``queued``, then prints ``ack <id>``
as acks arrive and waits to be killed. ``resume`` logs in with the same data directory, waits
until the outbox is empty and prints ``drained``.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from app.protocol import ConvType, TextElem
from app.protocol import Message as WireMessage
from app.protocol.ids import new_message_id
from app.sdk import IMClient, SDKConfig


async def main(argv: list[str]) -> None:
    mode, ws, app_id, user, sig, data_dir = argv[:6]
    client = IMClient()
    client.init(int(app_id), ws, SDKConfig(data_dir=Path(data_dir), reconnect_min_s=0.05,
                                           reconnect_max_s=0.5))
    await client.login(user, sig)
    if mode == "queue":
        receiver, count = argv[6], int(argv[7])
        for i in range(count):
            wire = WireMessage(msg_id=new_message_id(), conv_type=ConvType.C2C, sender=user,
                               receiver=receiver, time=client.server_time_ms(),
                               elems=[TextElem(f"outbox {i}")])
            fut = await client.outbox.submit(wire)
            fut.add_done_callback(lambda f, i=wire.msg_id: print(f"ack {i}", flush=True))
        print("queued", flush=True)
        await asyncio.Event().wait()
    else:
        while await client.cache.outbox():  # noqa: ASYNC110 - polls another thread's database
            await asyncio.sleep(0.05)
        print("drained", flush=True)
        await client.uninit()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
