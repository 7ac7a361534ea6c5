"""C2C throughput and latency of the service beside a bare relay on the same machine.

For 1, 10 and 100 sender→receiver pairs, each sender keeps a window of sends in flight; every
message is timed from the moment its frame is written to the moment the receiver reads it.
The service is pinned to one core and this load generator to the other, and the service's CPU
time per delivered message is compared with the relay's. A second run offers a steady
1,000 msg/s to read latency percentiles at a realistic rate.

    python -m tests.bench.c2c_throughput [--messages N] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from websockets.asyncio.client import ClientConnection, connect

from app.protocol.ids import new_message_id
from tests.support.service import Service

MSG_ID = re.compile(rb'"msg_id":"([^"]+)"')
WINDOW = 64


@dataclass
class Run:
    delivered: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    elapsed_s: float = 0.0
    server_cpu_s: float = 0.0

    @property
    def rate(self) -> float:
        return self.delivered / self.elapsed_s if self.elapsed_s else 0.0

    def pct(self, p: float) -> float:
        data = sorted(self.latencies_ms)
        return data[min(len(data) - 1, int(len(data) * p))] if data else float("nan")

    @property
    def cpu_us_per_msg(self) -> float:
        return self.server_cpu_s / self.delivered * 1e6 if self.delivered else float("nan")


class Target:
    """Where the load goes: the service (real login) or the relay (pair in the URL)."""

    def __init__(self, kind: str, url: str, service: Service | None, pid: int) -> None:
        self.kind, self.url, self.service, self.pid = kind, url, service, pid

    async def open(self, pair: int, role: str) -> ClientConnection:
        if self.kind == "relay":
            return await connect(f"{self.url}?pair={pair}&role={role}", compression=None,
                                 ping_interval=None, max_size=None)
        assert self.service is not None
        ws = await connect(self.url, compression=None, ping_interval=None, max_size=None)
        user = f"{'s' if role == 's' else 'r'}{pair}"
        sig = self.service.sig(user)
        app = self.service.sdk_app_id
        await ws.send(f'{{"id":1,"cmd":"login","body":{{"sdk_app_id":{app},'
                      f'"user_id":"{user}","user_sig":"{sig}","device_id":"bench"}}}}')
        reply = await ws.recv()
        assert '"code"' not in reply or '"code":0' in reply, reply
        return ws

    def frame(self, pair: int, seq: int, msg_id: str) -> str:
        return (f'{{"id":{seq},"cmd":"msg.send","body":{{"msg":{{"msg_id":"{msg_id}",'
                f'"conv_type":1,"sender":"s{pair}","receiver":"r{pair}","elems":[{{"type":'
                f'"text","text":"benchmark message number {seq}"}}]}}}}}}')


async def drive(target: Target, pairs: int, per_pair: int, rate: float | None) -> Run:
    """Each pair sends ``per_pair`` messages: as fast as the window allows, or paced so all
    pairs together offer ``rate`` messages per second."""
    sent_at: dict[str, float] = {}
    run = Run()
    receivers = [await target.open(p, "r") for p in range(pairs)]
    senders = [await target.open(p, "s") for p in range(pairs)]
    total = pairs * per_pair
    done = asyncio.Event()

    async def receive(ws: ClientConnection) -> None:
        async for data in ws:
            raw = data.encode() if isinstance(data, str) else data
            match = MSG_ID.search(raw)
            if match is None:
                continue
            start = sent_at.pop(match.group(1).decode(), None)
            if start is None:
                continue
            run.latencies_ms.append((time.perf_counter() - start) * 1000)
            run.delivered += 1
            if run.delivered >= total:
                done.set()

    async def send(pair: int, ws: ClientConnection) -> None:
        window = asyncio.Semaphore(WINDOW)
        acks = asyncio.create_task(ack_loop(ws, window))
        interval = pairs / rate if rate else 0.0
        next_at = time.perf_counter()
        for i in range(per_pair):
            await window.acquire()
            if interval:
                next_at += interval
                delay = next_at - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
            msg_id = new_message_id()
            sent_at[msg_id] = time.perf_counter()
            await ws.send(target.frame(pair, i + 2, msg_id))
        await done.wait()
        acks.cancel()

    async def ack_loop(ws: ClientConnection, window: asyncio.Semaphore) -> None:
        async for _ in ws:
            window.release()

    proc = psutil.Process(target.pid)
    cpu0 = sum(proc.cpu_times()[:2])
    t0 = time.perf_counter()
    readers = [asyncio.create_task(receive(ws)) for ws in receivers]
    try:
        await asyncio.wait_for(asyncio.gather(*(send(p, ws) for p, ws in enumerate(senders))),
                               timeout=600)
    finally:
        run.elapsed_s = time.perf_counter() - t0
        run.server_cpu_s = sum(proc.cpu_times()[:2]) - cpu0
        for task in readers:
            task.cancel()
        for ws in receivers + senders:
            await ws.close()
    return run


def pin(pid: int, core: int) -> None:
    if hasattr(os, "sched_setaffinity") and os.cpu_count() and os.cpu_count() > 1:
        os.sched_setaffinity(pid, {core})


def start_relay() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "tests.bench.relay"], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    port = int(proc.stdout.readline().split()[-1])
    return proc, f"ws://127.0.0.1:{port}/"


def row(label: str, svc: Run, relay: Run) -> str:
    return (f"{label:<22} {svc.rate:>9.0f} {relay.rate:>9.0f} {svc.rate / relay.rate:>6.2f}"
            f" {svc.pct(.5):>7.2f} {svc.pct(.99):>7.2f} {relay.pct(.5):>7.2f}"
            f" {relay.pct(.99):>7.2f} {svc.cpu_us_per_msg:>7.0f} {relay.cpu_us_per_msg:>7.0f}"
            f" {svc.cpu_us_per_msg / relay.cpu_us_per_msg:>6.2f}")


async def main(messages: int, quick: bool) -> None:
    pin(os.getpid(), 1)
    with tempfile.TemporaryDirectory() as tmp:
        # Throughput is measured unthrottled: the per-account send rate is a policy, not a cost.
        service = Service(Path(tmp) / "svc",
                          extra_args=["--log-level", "warning", "--rate-send", "0"]).start()
        relay_proc, relay_url = start_relay()
        assert service.proc is not None
        pin(service.proc.pid, 0)
        pin(relay_proc.pid, 0)
        svc = Target("service", service.ws, service, service.proc.pid)
        rel = Target("relay", relay_url, None, relay_proc.pid)
        print("C2C delivery, service (SQLite, acked after commit) vs bare websockets relay")
        print(f"{'load':<22} {'svc/s':>9} {'relay/s':>9} {'ratio':>6} {'svc p50':>7} "
              f"{'svc p99':>7} {'rel p50':>7} {'rel p99':>7} {'svc µs':>7} {'rel µs':>7} "
              f"{'cpu×':>6}")
        try:
            for pairs in (1, 10, 100):
                per_pair = max(20, messages // pairs) if not quick else max(10, 2000 // pairs)
                s = await drive(svc, pairs, per_pair, None)
                r = await drive(rel, pairs, per_pair, None)
                print(row(f"{pairs} pair(s), max rate", s, r), flush=True)
            seconds = 3 if quick else 10
            s = await drive(svc, 10, 100 * seconds, 1000)
            r = await drive(rel, 10, 100 * seconds, 1000)
            print(row("10 pairs @1000 msg/s", s, r), flush=True)
            print("latencies in ms (send → receive), CPU in µs of server time per message")
        finally:
            service.stop()
            relay_proc.terminate()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(args.messages, args.quick))
