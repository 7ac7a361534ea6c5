"""Group fan-out and the group send rate, each beside a ceiling measured in the same run:

- one message to a group of ``--members`` (2,000) with every member online, over real
  WebSockets: the time from writing the sender's frame until the last member has read it,
  p50/p99 over ``--messages`` messages, for a Work group (stored, fanned out by the writer
  after commit) and an AVChatRoom (relayed, never stored); beside a bare ``websockets`` relay
  that broadcasts the same frame to the same number of sockets read by the same client code
  (DESIGN §6 target: all delivered ≤ 150 ms). The load generator reads every copy in one
  process, so its own cost is in both figures alike.
- the group send rate (M14, 40 msg/s per group): a sender offering 80 msg/s for a few seconds,
  one priority and then all four mixed; what was delivered per second beside the configured
  rate, and per priority.
- what the rate's admission costs (one shared-window transaction per group-commit of
  admissions): unpaced group sends with the limit set out of reach, beside the same with the
  limit off.

The service is pinned to one core and this load generator to the other, as in
``c2c_throughput``.

    python -m tests.bench.group_fanout [--members 2000] [--messages 20] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import ServerConnection, broadcast, serve

from tests.support.service import Service

MSG_ID = re.compile(r'"msg_id":"([^"]+)"')
PRIORITY = re.compile(r'"priority":(\d)')
BATCH = 100
"""Logins opened at once while setting up."""
_ids = itertools.count(1)


def pin(pid: int, core: int) -> None:
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(pid, {core})


def pct(data: Sequence[float], p: float) -> float:
    ordered = sorted(data)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")


# --- the ceiling: a bare broadcast relay ------------------------------------------------------

async def relay_main() -> None:
    """Receivers connect with ``?role=r``; each frame from a sender is acked and broadcast to
    every receiver — the least a group fan-out can do."""
    receivers: set[ServerConnection] = set()

    async def handler(ws: ServerConnection) -> None:
        role = parse_qs(urlparse(ws.request.path).query)["role"][0]
        if role == "r":
            receivers.add(ws)
            await ws.wait_closed()
            receivers.discard(ws)
            return
        async for frame in ws:
            await ws.send('{"re":1,"code":0,"body":{}}')
            broadcast(receivers, frame)

    async with serve(handler, "127.0.0.1", 0, compression=None, ping_interval=None,
                     max_size=4 * 1024 * 1024) as server:
        print(f"relay ready {next(iter(server.sockets)).getsockname()[1]}", flush=True)
        await asyncio.Future()


def start_relay() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "tests.bench.group_fanout", "--relay"],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    port = int(proc.stdout.readline().split()[-1])
    return proc, f"ws://127.0.0.1:{port}/"


# --- talking to the service -------------------------------------------------------------------

async def login(service: Service, user: str) -> ClientConnection:
    ws = await connect(service.ws, compression=None, ping_interval=None, max_size=None)
    await ws.send(json.dumps({"id": 1, "cmd": "login", "body": {
        "sdk_app_id": service.sdk_app_id, "user_id": user, "user_sig": service.sig(user),
        "device_id": f"{user}-bench"}}))
    reply = json.loads(await ws.recv())
    assert reply.get("code", 0) == 0, reply
    return ws


async def call(ws: ClientConnection, cmd: str, body: dict[str, object]) -> dict[str, object]:
    """One request on a connection nobody else reads; pushes before the answer are skipped."""
    req_id = next(_ids) + 1
    await ws.send(json.dumps({"id": req_id, "cmd": cmd, "body": body}))
    while True:
        frame = json.loads(await ws.recv())
        if frame.get("re") == req_id:
            assert frame.get("code", 0) == 0, frame
            return frame.get("body") or {}


async def import_accounts(service: Service, users: Sequence[str]) -> None:
    async with httpx.AsyncClient(base_url=service.url, timeout=30) as http:
        for start in range(0, len(users), 100):
            reply = await http.post(
                f"/v4/im_open_login_svc/multiaccount_import?{service.admin_query()}",
                json={"Accounts": list(users[start:start + 100])})
            assert reply.json()["ErrorCode"] == 0, reply.text


async def in_batches(users: Sequence[str], job: object) -> list[object]:
    out: list[object] = []
    for start in range(0, len(users), BATCH):
        out += await asyncio.gather(*(job(u) for u in users[start:start + BATCH]))  # type: ignore[operator]
    return out


async def setup(service: Service, members: int) -> list[str]:
    """u0 owns a Work group ``work`` and an AVChatRoom ``live`` with u1…u{members-1}, and a Work
    group ``rate`` with u1…u20. The others join while nobody else is online, so the setup is
    not itself an O(n²) storm of member events."""
    users = [f"u{i}" for i in range(members)]
    await import_accounts(service, users)
    owner = await login(service, "u0")
    first = [{"user_id": u} for u in users[1:500]]
    await call(owner, "group.create", {"group_type": "Work", "name": "fan-out",
                                       "group_id": "work", "members": first})
    for start in range(500, members, 300):
        await call(owner, "group.invite", {"group_id": "work",
                                           "user_ids": users[start:start + 300]})
    await call(owner, "group.create", {"group_type": "Work", "name": "rate",
                                       "group_id": "rate",
                                       "members": [{"user_id": u} for u in users[1:21]]})
    await call(owner, "group.create", {"group_type": "AVChatRoom", "name": "live",
                                       "group_id": "live"})
    await owner.close()

    async def join(user: str) -> None:
        ws = await login(service, user)
        await call(ws, "group.join", {"group_id": "live"})
        await ws.close()

    await in_batches(users[1:], join)
    return users


def send_frame(sender: str, group_id: str, req_id: int, msg_id: str, priority: int = 2) -> str:
    return (f'{{"id":{req_id},"cmd":"msg.send","body":{{"msg":{{"msg_id":"{msg_id}",'
            f'"conv_type":2,"sender":"{sender}","group_id":"{group_id}","priority":{priority},'
            f'"elems":[{{"type":"text","text":"fan-out message {req_id}"}}]}}}}}}')


# --- fan-out ----------------------------------------------------------------------------------

class Fanout:
    """Receivers that note when each copy of each message arrived."""

    def __init__(self, receivers: list[ClientConnection]) -> None:
        self.receivers = receivers
        self.expected = len(receivers)
        self.arrived: dict[str, list[float]] = {}
        self.done: dict[str, asyncio.Event] = {}
        self._tasks = [asyncio.create_task(self._read(ws)) for ws in receivers]

    async def _read(self, ws: ClientConnection) -> None:
        async for data in ws:
            text = data if isinstance(data, str) else data.decode()
            match = MSG_ID.search(text)
            if match is None or match.group(1) not in self.arrived:
                continue
            times = self.arrived[match.group(1)]
            times.append(time.perf_counter())
            if len(times) == self.expected:
                self.done[match.group(1)].set()

    def expect(self, msg_id: str) -> asyncio.Event:
        self.arrived[msg_id] = []
        self.done[msg_id] = asyncio.Event()
        return self.done[msg_id]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in self.receivers))


async def measure(sender: ClientConnection, fanout: Fanout, frame_of: object, messages: int
                  ) -> tuple[list[float], list[float]]:
    """Per message, ms until the last receiver had it; and every copy's latency."""
    until_all: list[float] = []
    each: list[float] = []
    for n in range(messages):
        msg_id = f"fan{next(_ids)}"
        done = fanout.expect(msg_id)
        started = time.perf_counter()
        await sender.send(frame_of(n + 2, msg_id))  # type: ignore[operator]
        await asyncio.wait_for(done.wait(), 60)
        until_all.append((max(fanout.arrived[msg_id]) - started) * 1000)
        each += [(t - started) * 1000 for t in fanout.arrived[msg_id]]
        await asyncio.sleep(0.05)  # spacing, so each message meets an idle service
    return until_all, each


async def ack_drain(ws: ClientConnection) -> None:
    async for _ in ws:
        pass


async def service_fanout(service: Service, users: list[str], group_id: str, messages: int
                         ) -> tuple[list[float], list[float]]:
    receivers = await in_batches(users[1:], lambda u: login(service, u))
    fanout = Fanout(receivers)  # type: ignore[arg-type]
    sender = await login(service, "u0")
    acks = asyncio.create_task(ack_drain(sender))
    try:
        return await measure(sender, fanout,
                             lambda n, m: send_frame("u0", group_id, n, m), messages)
    finally:
        acks.cancel()
        await sender.close()
        await fanout.close()


async def relay_fanout(url: str, receivers: int, messages: int
                       ) -> tuple[list[float], list[float]]:
    sockets = [await connect(f"{url}?role=r", compression=None, ping_interval=None,
                             max_size=None) for _ in range(receivers)]
    fanout = Fanout(sockets)
    sender = await connect(f"{url}?role=s", compression=None, ping_interval=None)
    acks = asyncio.create_task(ack_drain(sender))
    await asyncio.sleep(0.2)  # the relay registers receivers as their handlers start
    try:
        return await measure(sender, fanout,
                             lambda n, m: send_frame("u0", "relay", n, m), messages)
    finally:
        acks.cancel()
        await sender.close()
        await fanout.close()


# --- the rate ---------------------------------------------------------------------------------

async def offered(service: Service, group_id: str, members: list[str], rate: float | None,
                  seconds: float, priorities: Sequence[int]) -> tuple[Counter[int], float, int]:
    """Offer messages interleaving ``priorities`` at ``rate`` msg/s (None: as fast as acks
    allow, 64 in flight) for ``seconds``; what one member received per priority, the
    elapsed time and how many were sent."""
    receiver = await login(service, members[0])
    got: Counter[int] = Counter()
    last = asyncio.Event()

    async def read() -> None:
        async for data in receiver:
            text = data if isinstance(data, str) else data.decode()
            if '"push":"msg.new"' in text:
                match = PRIORITY.search(text)
                got[int(match.group(1)) if match else 2] += 1
                if '"text":"last"' in text:
                    last.set()

    reader = asyncio.create_task(read())
    sender = await login(service, "u0")
    window = asyncio.Semaphore(64)

    async def acks() -> None:
        async for data in sender:
            if '"re":' in (data if isinstance(data, str) else data.decode()):
                window.release()

    acker = asyncio.create_task(acks())
    sent = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        await window.acquire()
        if rate:
            delay = started + sent / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
        await sender.send(send_frame("u0", group_id, sent + 2, f"rt{next(_ids)}",
                                     priorities[sent % len(priorities)]))
        sent += 1
    elapsed = time.perf_counter() - started
    # a HIGH marker after the window has passed: everything admitted before it has arrived
    await asyncio.sleep(1.1)
    await sender.send(f'{{"id":1,"cmd":"msg.send","body":{{"msg":{{"msg_id":"last{next(_ids)}",'
                      f'"conv_type":2,"sender":"u0","group_id":"{group_id}","priority":1,'
                      f'"elems":[{{"type":"text","text":"last"}}]}}}}}}')
    await asyncio.wait_for(last.wait(), 30)
    got[1] -= 1
    reader.cancel()
    acker.cancel()
    await receiver.close()
    await sender.close()
    return got, elapsed, sent


def config_file(tmp: Path, name: str, **limits: int) -> Path:
    path = tmp / f"{name}.toml"
    path.write_text("[limits]\n" + "".join(f"{k} = {v}\n" for k, v in limits.items()))
    return path


def start(tmp: Path, name: str, **limits: int) -> Service:
    # the per-account send rate is a policy of its own; the figures here are the group's
    args = ["--log-level", "warning", "--rate-send", "0"]
    if limits:
        args += ["--config", str(config_file(tmp, name, **limits))]
    service = Service(tmp / name, extra_args=args).start()
    assert service.proc is not None
    pin(service.proc.pid, 0)
    return service


async def admission_cost(tmp: Path, seconds: float) -> tuple[float, float]:
    """Unpaced sends into ``rate``: the limit out of reach vs off; delivered msg/s each."""
    rates = []
    for name, limit in (("reach", 10**9), ("off", 0)):
        service = start(tmp, name, group_send_rate=limit, group_send_high_rate=limit)
        try:
            await import_accounts(service, [f"u{i}" for i in range(21)])
            owner = await login(service, "u0")
            await call(owner, "group.create", {
                "group_type": "Work", "name": "rate", "group_id": "rate",
                "members": [{"user_id": f"u{i}"} for i in range(1, 21)]})
            await owner.close()
            got, elapsed, _ = await offered(service, "rate", ["u1"], None, seconds, (2,))
            rates.append(got[2] / elapsed)
        finally:
            service.stop()
    return rates[0], rates[1]


async def main(members: int, messages: int, seconds: float) -> None:
    pin(os.getpid(), 1)
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        relay_proc, relay_url = start_relay()
        pin(relay_proc.pid, 0)
        service = start(tmp, "svc")
        try:
            started = time.perf_counter()
            users = await setup(service, members)
            print(f"setup: {members} members in groups work and live in "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
            relay_all, relay_each = await relay_fanout(relay_url, members - 1, messages)
            print(f"one message to {members - 1} online receivers; ms until the last had it "
                  f"(p50/p99 over {messages} messages), and per copy:")
            print(f"{'path':<34} {'all p50':>8} {'all p99':>8} {'copy p50':>9} "
                  f"{'copy p99':>9} {'÷ relay p50':>12}")
            for label, all_ms, each_ms in (("bare broadcast relay (ceiling)", relay_all,
                                            relay_each),):
                print(f"{label:<34} {pct(all_ms, .5):>8.1f} {pct(all_ms, .99):>8.1f} "
                      f"{pct(each_ms, .5):>9.1f} {pct(each_ms, .99):>9.1f} {1.0:>12.2f}",
                      flush=True)
            for label, group_id in (("Work (stored, acked after commit)", "work"),
                                    ("AVChatRoom (relayed)", "live")):
                all_ms, each_ms = await service_fanout(service, users, group_id, messages)
                print(f"{label:<34} {pct(all_ms, .5):>8.1f} {pct(all_ms, .99):>8.1f} "
                      f"{pct(each_ms, .5):>9.1f} {pct(each_ms, .99):>9.1f} "
                      f"{pct(all_ms, .5) / pct(relay_all, .5):>12.2f}", flush=True)
            print("target: all delivered ≤ 150 ms (DESIGN §6)")

            print(f"\ngroup send rate (limit 40 msg/s per group, HIGH to 60), offered 80 msg/s "
                  f"for {seconds:.0f} s into a Work group:")
            for label, priorities in (("NORMAL only", (2,)),
                                      ("HIGH/NORMAL/LOW/LOWEST mixed", (1, 2, 3, 4))):
                got, elapsed, sent = await offered(service, "rate", users[1:2], 80, seconds,
                                                   priorities)
                delivered = sum(got.values()) / elapsed
                shares = " ".join(f"{name}={got[p] / elapsed:.1f}/s" for p, name in
                                  ((1, "HIGH"), (2, "NORMAL"), (3, "LOW"), (4, "LOWEST"))
                                  if p in priorities)
                print(f"  {label:<30} offered {sent / elapsed:5.1f}/s delivered "
                      f"{delivered:5.1f}/s (÷ 40 = {delivered / 40:.2f}; {shares})", flush=True)
        finally:
            service.stop()
            relay_proc.terminate()
        reach, off = await admission_cost(tmp, seconds)
        print(f"unpaced group sends (20 members, 64 in flight): {reach:.0f} msg/s with the "
              f"shared-window admission, {off:.0f} msg/s with the limit off "
              f"(ratio {reach / off:.2f})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--relay", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.relay:
        sys.exit(asyncio.run(relay_main()))
    if args.quick:
        args.members, args.messages, args.seconds = min(args.members, 500), 5, 3
    asyncio.run(main(args.members, args.messages, args.seconds))
