"""A group's message rate (M14): over it, LOWEST and LOW are refused before NORMAL, HIGH keeps
going to its own ceiling; the bound is one for all nodes; an AVChatRoom stores nothing either way.

The service tests use a 60 s window so that no test depends on how fast this machine sends;
the window's sliding is tested on the pure ``Window`` with explicit times."""

from __future__ import annotations

import contextlib
import itertools
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from app.protocol import Limits, Priority
from app.server.groups.send_rate import SendPolicy, Window
from app.server.runner import serving

from .conftest import Client, Service, make_config

H, N, L, LW = Priority.HIGH, Priority.NORMAL, Priority.LOW, Priority.LOWEST
SLOW = Limits(group_send_rate=40, group_send_high_rate=60, group_send_window_ms=60_000)
_ids = itertools.count(1)


@pytest.fixture
def service_options() -> dict[str, Any]:
    return {"limits": SLOW}


async def send(client: Client, group_id: str, priority: int) -> dict[str, Any]:
    """The whole answer frame: ``code`` 10023 when refused."""
    return await client.request("msg.send", {"msg": {
        "msg_id": f"r{next(_ids)}", "conv_type": 2, "sender": client.user_id,
        "group_id": group_id, "priority": int(priority),
        "elems": [{"type": "text", "text": f"p{int(priority)}"}]}})


async def offer(client: Client, group_id: str, rounds: int,
                priorities: tuple[Priority, ...] = (H, N, L, LW)) -> tuple[Counter[int], int]:
    """Send ``rounds`` of the priorities, interleaved; what was acked per priority, and how
    many were refused with 10023 (any other refusal fails the test)."""
    acked: Counter[int] = Counter()
    refused = 0
    for _ in range(rounds):
        for priority in priorities:
            frame = await send(client, group_id, priority)
            if frame.get("code", 0) == 0:
                acked[priority] += 1
            else:
                assert frame["code"] == 10023, frame
                assert str(priority.name) in frame["msg"]
                refused += 1
    return acked, refused


async def delivered(client: Client) -> Counter[int]:
    """``msg.new`` pushes queued for the connection per priority, after a barrier."""
    await client.call("profile.set", {})
    found: Counter[int] = Counter()
    while not client.pushes.empty():
        frame = client.pushes.get_nowait()
        if frame["push"] == "msg.new":
            found[frame["body"].get("priority", N)] += 1
    return found


async def test_avchatroom_over_its_rate_drops_low_priorities_first(service: Service) -> None:
    alice, bob, carol = [await service.login(u) for u in ("alice", "bob", "carol")]
    await alice.call("group.create", {"group_type": "AVChatRoom", "name": "Live",
                                      "group_id": "live"})
    for viewer in (bob, carol):
        await viewer.call("group.join", {"group_id": "live"})
    for client in (alice, bob, carol):
        await delivered(client)
    acked, refused = await offer(alice, "live", 20)
    assert acked[H] == 20, acked  # HIGH all through, past the others' rate
    assert acked[N] > acked[L] > acked[LW] > 0, acked
    assert acked[N] + acked[L] + acked[LW] <= 40
    assert sum(acked.values()) <= 60 and refused == 80 - sum(acked.values())
    for viewer in (bob, carol):
        assert await delivered(viewer) == acked  # exactly what was admitted, nothing refused
    # AVChatRoom: relayed, never stored
    page = await bob.call("msg.history", {"conv_id": "group_live", "limit": 100})
    assert page["messages"] == []
    assert all(c["conv_id"] != "group_live"
               for c in (await bob.call("conv.sync", {}))["conversations"])
    # over the rate for everything but HIGH, which has room left
    assert (await send(alice, "live", N))["code"] == 10023
    assert (await send(alice, "live", H)).get("code", 0) == 0


async def test_a_lone_stream_gets_the_whole_rate_and_nothing_half_stored(
        service: Service) -> None:
    alice, bob = await service.login("alice"), await service.login("bob")
    await alice.call("group.create", {"group_type": "Work", "name": "w", "group_id": "w",
                                      "members": [{"user_id": "bob"}]})
    acked, refused = await offer(alice, "w", 45, (LW,))
    assert (acked[LW], refused) == (40, 5)
    page = await bob.call("msg.history", {"conv_id": "group_w", "limit": 100})
    assert [m["elems"][0]["text"] for m in page["messages"]].count("p4") == 40
    # other groups have their own windows
    await alice.call("group.create", {"group_type": "Work", "name": "v", "group_id": "v"})
    assert (await send(alice, "v", LW)).get("code", 0) == 0


async def test_the_rate_is_one_for_all_nodes(tmp_path: Path) -> None:
    """Two nodes on one database, a sender on each: together they get the group's rate."""
    config = make_config(tmp_path, limits=SLOW)
    async with contextlib.AsyncExitStack() as stack:
        nodes = [Service(await stack.enter_async_context(serving(config)), config)
                 for _ in range(2)]
        for node in nodes:
            stack.push_async_callback(_close_clients, node)
        alice, bob = await nodes[0].login("alice"), await nodes[1].login("bob")
        await alice.call("group.create", {"group_type": "Work", "name": "w", "group_id": "w",
                                          "members": [{"user_id": "bob"}]})
        total: Counter[int] = Counter()
        for _ in range(30):
            for client in (alice, bob):
                acked, _ = await offer(client, "w", 1, (N,))
                total.update(acked)
        assert total[N] == 40


async def _close_clients(service: Service) -> None:
    for client in service.clients:
        await client.close()


@pytest.mark.parametrize("service_options", [{"limits": Limits(group_send_rate=0)}])
async def test_rate_zero_is_off(service: Service) -> None:
    alice = await service.login("alice")
    await alice.call("group.create", {"group_type": "Work", "name": "w", "group_id": "w"})
    acked, refused = await offer(alice, "w", 50, (LW,))
    assert (acked[LW], refused) == (50, 0)


POLICY = SendPolicy(rate=40, high_rate=60, window_ms=1000)


def run(window: Window, offered_per_s: dict[Priority, int], seconds: int
        ) -> list[Counter[int]]:
    """Offer the priorities interleaved at the given rates; admitted per second."""
    per_second = [Counter[int]() for _ in range(seconds)]
    stream = [(i / rate * 1000, p) for p, rate in offered_per_s.items()
              for i in range(rate * seconds)]
    for at, priority in sorted(stream):
        if window.admit(priority, int(at), POLICY):
            per_second[int(at // 1000)][priority] += 1
    return per_second


def test_steady_overload_keeps_the_important_ones() -> None:
    """80 msg/s, 20 of each: once the window has seen the demand, HIGH and NORMAL fill the rate
    and LOW and LOWEST get nothing. (Demand is counted over a window and a slice, so NORMAL may
    lose up to a slice's worth of the room HIGH's demand leaves it: conservative for the lower
    priority, never over the rate.)"""
    seconds = run(Window(), {H: 20, N: 20, L: 20, LW: 20}, 5)
    first = seconds[0]
    assert first[H] > first[N] > first[L] > first[LW] > 0, first
    for second in seconds[1:]:
        assert (second[H], second[L], second[LW]) == (20, 0, 0), seconds
        assert 16 <= second[N] <= 20, seconds
    # over the rate without HIGH: LOWEST goes, LOW gets what NORMAL leaves, or less; NORMAL
    # keeps all but up to a tenth (what LOW took in a slice where NORMAL's count dipped)
    for second in run(Window(), {N: 30, L: 20, LW: 30}, 4)[1:]:
        assert 27 <= second[N] <= 30 and 6 <= second[L] <= 10 and second[LW] == 0, second
        assert second[N] + second[L] <= 40, second


def test_under_the_rate_nothing_is_dropped() -> None:
    assert all(s == Counter({LW: 35}) for s in run(Window(), {LW: 35}, 4))
    assert all(s == Counter({N: 20, L: 10, LW: 5})
               for s in run(Window(), {N: 20, L: 10, LW: 5}, 4)[1:])


def test_a_flood_of_one_priority_still_gets_the_rate() -> None:
    seconds = run(Window(), {N: 200}, 4)
    assert all(s[N] == 40 for s in seconds), seconds
    seconds = run(Window(), {H: 200}, 3)
    assert all(s[H] == 60 for s in seconds), seconds
    # a HIGH flood takes the window: strict priority
    seconds = run(Window(), {H: 100, N: 20}, 3)
    assert all(s == Counter({H: 60}) for s in seconds[1:]), seconds


def test_the_window_survives_encoding_and_forgets_old_slices() -> None:
    window = Window()
    for _ in range(40):
        assert window.admit(N, 0, POLICY)
    window = Window.decode(window.encode())
    assert not window.admit(N, 950, POLICY)
    assert not window.admit(N, 1050, POLICY)  # counts span the window and the newest slice
    assert window.admit(N, 1100, POLICY)  # the first slice has slid out
    assert Window.decode(window.encode()).admit(N, 100_000, POLICY)
    # a node whose clock runs behind counts into the newest slice, never into a forgotten one
    ahead = Window()
    for _ in range(40):
        assert ahead.admit(N, 10_000, POLICY)
    assert not ahead.admit(N, 9_000, POLICY)
    assert ahead.head == 10_000 // POLICY.slice_ms
    # after a silent window the counts start over
    assert ahead.admit(N, 11_100, POLICY)
