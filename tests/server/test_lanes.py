"""Request lanes of one connection: a slow read never holds up a heartbeat or a send, state
changes keep their arrival order, login and logout are barriers (issue 6, item 1.6)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import websockets

from app.server.lanes import CONCURRENT_MAX
from app.server.services.conversations import ConversationService
from app.server.services.messaging import MessagingService

from .conftest import APP_ID, Service, sig
from .helpers_raw import RawClient


class Gate:
    """Holds every call of a service method at its start until ``open``: a barrier, not a
    sleep, so a request is slow for exactly as long as the test needs."""

    def __init__(self) -> None:
        self.entered = 0
        self._changed = asyncio.Condition()
        self._open = asyncio.Event()

    def wrap(self, method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def gated(*args: Any, **kwargs: Any) -> Any:
            async with self._changed:
                self.entered += 1
                self._changed.notify_all()
            await self._open.wait()
            return await method(*args, **kwargs)
        return gated

    async def until_entered(self, n: int) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: self.entered >= n), 5)

    def open(self) -> None:
        self._open.set()


@pytest.fixture
def slow_pull(monkeypatch: pytest.MonkeyPatch) -> Gate:
    gate = Gate()
    monkeypatch.setattr(MessagingService, "pull", gate.wrap(MessagingService.pull))
    return gate


@pytest.fixture
def slow_update(monkeypatch: pytest.MonkeyPatch) -> Gate:
    gate = Gate()
    monkeypatch.setattr(ConversationService, "update", gate.wrap(ConversationService.update))
    return gate


def text(msg_id: str, receiver: str) -> dict[str, Any]:
    return {"msg": {"msg_id": msg_id, "conv_type": 1, "sender": "", "receiver": receiver,
                    "elems": [{"type": "text", "text": msg_id}]}}


async def test_a_slow_pull_delays_neither_heartbeat_nor_send(service: Service,
                                                             slow_pull: Gate) -> None:
    alice = await RawClient.login(service, "alice")
    await service.login("bob")
    pull = await alice.submit("msg.pull", {"ranges": [{"conv_id": "c2c_bob"}]})
    await slow_pull.until_entered(1)
    assert (await alice.call("heartbeat")).body["server_time"] > 0
    ack = (await alice.call("msg.send", text("behind-the-pull", "bob"))).body
    assert ack["seq"] == 1
    assert (await alice.call("msg.history", {"conv_id": "c2c_bob"})).body["messages"]
    assert not pull.answer.done()
    slow_pull.open()
    pulled = (await asyncio.wait_for(pull.answer, 5)).body
    assert [m["msg_id"] for m in pulled["messages"]] == ["behind-the-pull"]


async def test_reads_beyond_the_bound_wait_without_blocking_the_connection(
        service: Service, slow_pull: Gate) -> None:
    alice = await RawClient.login(service, "alice")
    await service.login("bob")
    pulls = [await alice.submit("msg.pull", {"ranges": [{"conv_id": "c2c_bob"}]})
             for _ in range(CONCURRENT_MAX + 2)]
    await slow_pull.until_entered(CONCURRENT_MAX)
    # The heartbeat frame came after every pull, so its answer proves they were all read.
    await alice.call("heartbeat")
    assert slow_pull.entered == CONCURRENT_MAX, "at most CONCURRENT_MAX reads run at once"
    assert (await alice.call("msg.send", text("still-flowing", "bob"))).body["seq"] == 1
    slow_pull.open()
    for pull in pulls:
        assert (await asyncio.wait_for(pull.answer, 5)).body["more"] is False


async def test_a_slow_state_change_holds_the_changes_behind_it(service: Service,
                                                               slow_update: Gate) -> None:
    alice = await RawClient.login(service, "alice")
    bob = await RawClient.login(service, "bob")
    assert (await alice.call("msg.send", text("first", "bob"))).body["seq"] == 1
    update = await alice.submit("conv.update", {"conv_id": "c2c_bob", "pinned": True})
    await slow_update.until_entered(1)
    send = await alice.submit("msg.send", text("after-the-update", "bob"))
    # Reads and heartbeats overtake; the send waits for the update and has not been stored.
    await alice.call("heartbeat")
    history = (await bob.call("msg.history", {"conv_id": "c2c_alice"})).body
    assert [m["msg_id"] for m in history["messages"]] == ["first"]
    assert not update.answer.done() and not send.answer.done()
    slow_update.open()
    assert (await asyncio.wait_for(send.answer, 5)).body["seq"] == 2
    assert (await update.answer).body["pinned"] is True
    assert alice.arrivals.index(update.req_id) < alice.arrivals.index(send.req_id)


async def test_pipelined_sends_keep_their_order_among_reads(service: Service) -> None:
    alice = await RawClient.login(service, "alice")
    await service.login("bob")
    sends, reads = [], []
    for i in range(200):
        sends.append(await alice.submit("msg.send", text(f"p{i:03d}", "bob")))
        if i % 10 == 5:
            reads.append(await alice.submit("msg.pull", {"ranges": [{"conv_id": "c2c_bob"}]}))
            reads.append(await alice.submit("conv.sync", {}))
    acks = [(await asyncio.wait_for(s.answer, 20)).body for s in sends]
    assert [a["seq"] for a in acks] == list(range(1, 201))
    assert [a["msg_id"] for a in acks] == [f"p{i:03d}" for i in range(200)]
    answered = [r for r in alice.arrivals if r in {s.req_id for s in sends}]
    assert answered == [s.req_id for s in sends], "acks leave in send order"
    for read in reads:
        assert (await asyncio.wait_for(read.answer, 20)).body is not None
    pulled = (await alice.call("msg.pull", {"ranges": [{"conv_id": "c2c_bob"}]})).body
    assert [m["msg_id"] for m in pulled["messages"]] == [f"p{i:03d}" for i in range(200)]


async def test_login_and_logout_finish_before_the_next_request(service: Service) -> None:
    alice = RawClient(await websockets.connect(service.endpoint.ws, max_size=None))
    login = await alice.submit("login", {"sdk_app_id": APP_ID, "user_id": "alice",
                                         "user_sig": sig("alice"), "device_id": "d"})
    sync = await alice.submit("conv.sync", {})
    assert (await asyncio.wait_for(login.answer, 5)).body["store_id"]
    assert (await asyncio.wait_for(sync.answer, 5)).body["conversations"] == []
    logout = await alice.submit("logout")
    after = await alice.submit("conv.sync", {})
    assert (await asyncio.wait_for(logout.answer, 5)).body == {}
    assert (await asyncio.wait_for(after.answer, 5)).frame["code"] == 9004
    await alice.close()


async def test_what_a_client_sent_before_closing_is_still_carried_out(service: Service) -> None:
    alice = await RawClient.login(service, "alice")
    bob = await service.login("bob")
    for i in range(50):
        await alice.submit("msg.send", text(f"c{i:02d}", "bob"))
    await alice.close()
    pushed = [(await bob.push("msg.new"))["msg_id"] for _ in range(50)]
    assert pushed == [f"c{i:02d}" for i in range(50)]
