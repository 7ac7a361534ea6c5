"""The frame of the sync property tests, in the manner of Zulip's ``verify_action``: a
Hypothesis state machine whose rules drive long-lived devices — each behind its own
``StallProxy`` so its connection can be cut alone — and whose teardown waits for the sends and
then requires every device to show what a fresh login of its user shows.

A subclass names its users (``users``: a device's first letter is its user's key), opens its
devices in an ``@initialize`` rule with ``open``, appends send tasks to ``sends`` and says what a
person sees (``view``).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import pytest
from hypothesis.stateful import RuleBasedStateMachine, rule

from app.protocol import Platform
from app.sdk import Message
from tests.support.clients import Peer, connect
from tests.support.service import Service
from tests.support.stall_proxy import StallProxy

T = TypeVar("T")
SETTLE_S = 20.0


class DeviceMachine(RuleBasedStateMachine):
    service: ClassVar[Service]
    root: ClassVar[Path]
    sends_must_land: ClassVar[bool] = False
    """Whether a send that failed is a finding (else sends only need to have ended)."""
    _examples: ClassVar[itertools.count[int]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._examples = itertools.count()

    def __init__(self, users: dict[str, str]) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.users = users
        self.dir = self.root / f"example-{'-'.join(users.values())}"
        self.proxies: dict[str, StallProxy] = {}
        self.devices: dict[str, Peer] = {}
        self.sends: list[asyncio.Task[Message]] = []
        self.counter = itertools.count()
        self.errors: list[str] = []
        self.steps = 0

    @classmethod
    def example(cls) -> int:
        """A number per example, for user IDs no earlier example used."""
        return next(cls._examples)

    def run(self, coro: Coroutine[Any, Any, T]) -> T | None:
        """Rules are plain methods; the devices live on this machine's own loop.

        None of the operations may fail, online or off, so an error is a finding; it is kept
        and reported at teardown rather than raised here. Raised, it would end the example at a
        step that depends on timing, and Hypothesis, replaying it, would see the draws change
        and report that instead of the error.
        """
        try:
            return self.loop.run_until_complete(coro)
        except Exception as exc:
            self.errors.append(f"step {self.steps}: {exc!r}")
            return None
        finally:
            self.steps += 1

    async def open(self, device: str, platform: Platform = Platform.DESKTOP) -> Peer:
        proxy = self.proxies[device] = await StallProxy(self.service.ws).start()
        peer = await connect(self.service, self.users[device[0]], self.dir / device, platform,
                             True, proxy.ws, reconnect_min_s=0.05, reconnect_max_s=0.3)
        self.devices[device] = peer
        return peer

    async def read_back(self, device: str, conv_id: str, back: int) -> None:
        """Mark read up to the message ``back`` places from the newest the device shows."""
        mm = self.devices[device].mm
        shown = [m for m in await mm.get_history_message_list(conv_id, 10) if m.seq]
        if shown:
            await mm.mark_conversation_as_read(conv_id, shown[min(back, len(shown) - 1)].seq)

    @rule()
    def restart_service(self) -> None:
        self.service.kill()
        self.service.start()

    async def view(self, peer: Peer, local: bool) -> dict[str, object]:
        raise NotImplementedError

    def teardown(self) -> None:
        try:
            self.loop.run_until_complete(self._converge())
        finally:
            self.loop.run_until_complete(self._close())
            self.loop.close()

    async def _close(self) -> None:
        for task in self.sends:
            task.cancel()
        await asyncio.gather(*self.sends, return_exceptions=True)
        for peer in self.devices.values():
            await peer.close()
        for proxy in self.proxies.values():
            await proxy.close()

    async def _converge(self) -> None:
        assert not self.errors, f"operations failed: {self.errors}"
        results = await asyncio.wait_for(
            asyncio.gather(*self.sends, return_exceptions=True), SETTLE_S)
        if self.sends_must_land:
            failed = [r for r in results if isinstance(r, BaseException)]
            assert not failed, f"sends failed: {failed[:3]}"
        fresh = {
            user: await connect(self.service, uid, self.dir / f"fresh-{user}", Platform.MOBILE)
            for user, uid in self.users.items()}
        try:
            deadline = time.monotonic() + SETTLE_S
            while True:
                expected = {user: await self.view(peer, local=False)
                            for user, peer in fresh.items()}
                got = {device: await self.view(peer, local=True)
                       for device, peer in self.devices.items()}
                wrong = {d: v for d, v in got.items() if v != expected[d[0]]}
                if not wrong:
                    return
                if time.monotonic() > deadline:
                    pytest.fail(f"devices disagree with a fresh login:\nexpected {expected}\n"
                                f"got {wrong}")
                await asyncio.sleep(0.2)  # polling until the deadline; the proof is equality
        finally:
            for peer in fresh.values():
                await peer.close()
