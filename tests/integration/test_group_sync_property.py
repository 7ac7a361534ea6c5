"""Group conversations as a property, in the manner of Zulip's ``verify_action``: devices of
three members go through random sequences of group sends — plain, @ one member, @ all —
reads, recalls, cut connections and service crashes; when the dust settles each must show
exactly what a device signing in fresh shows: the group's unread count, its [@me]/[@all]
mentions, its last message and its whole history.

Built on ``DeviceMachine`` as ``test_sync_property`` is (one ``StallProxy`` per device, new
users per example, the service SIGKILLed and started again on its data directory by a rule).
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, rule, run_state_machine_as_test

from app.protocol import AT_ALL, IMError, Platform
from app.protocol.groups import GroupType
from app.sdk import MessageStatus
from tests.support.clients import Peer
from tests.support.device_machine import DeviceMachine
from tests.support.history import full_history
from tests.support.service import Service

DEVICES = ("a1", "a2", "b1", "c1")
"""a1 and a2 are two devices of the group's owner (desktop and web); b1 and c1 are members'."""
MENTIONS = ("none", "a", "b", "all")


class GroupSyncMachine(DeviceMachine):
    sends_must_land = True

    def __init__(self) -> None:
        n = self.example()
        super().__init__({"a": f"ga{n}", "b": f"gb{n}", "c": f"gc{n}"})
        self.group_id = ""

    @property
    def conv_id(self) -> str:
        return f"group_{self.group_id}"

    @initialize()
    def open_devices(self) -> None:
        async def go() -> None:
            for device in DEVICES:
                await self.open(device, Platform.WEB if device == "a2" else Platform.DESKTOP)
            self.group_id = await self.devices["a1"].client.group_manager.create_group(
                GroupType.WORK, "Property", member_list=[self.users["b"], self.users["c"]])
        self.run(go())

    @rule(device=st.sampled_from(DEVICES), count=st.integers(1, 3),
          mention=st.sampled_from(MENTIONS))
    def send(self, device: str, count: int, mention: str) -> None:
        mm = self.devices[device].mm
        for _ in range(count):
            text = f"{device} #{next(self.counter)}"
            if mention == "none":
                msg = mm.create_text_message(text)
            else:
                at = AT_ALL if mention == "all" else self.users[mention]
                msg = mm.create_text_at_message(f"@{mention} {text}", [at])
            self.sends.append(self.loop.create_task(
                mm.send_message(msg, group_id=self.group_id)))
        self.run(asyncio.sleep(0))

    @rule(device=st.sampled_from(DEVICES), back=st.integers(0, 3))
    def read(self, device: str, back: int) -> None:
        self.run(self.read_back(device, self.conv_id, back))

    @rule(device=st.sampled_from(DEVICES))
    def read_all(self, device: str) -> None:
        self.run(self.devices[device].mm.mark_group_message_as_read(self.group_id))

    @rule(device=st.sampled_from(DEVICES), mention=st.sampled_from(MENTIONS))
    def send_and_recall(self, device: str, mention: str) -> None:
        """Send a message (unread for the others, perhaps mentioning one of them) and take
        it back. The recall may fail — offline, or the send not acknowledged yet — and then
        nothing changed, which the comparison checks as well."""
        async def go() -> None:
            mm = self.devices[device].mm
            text = f"{device} oops #{next(self.counter)}"
            msg = (mm.create_text_message(text) if mention == "none" else
                   mm.create_text_at_message(text, [AT_ALL if mention == "all"
                                                    else self.users[mention]]))
            sent = await asyncio.wait_for(mm.send_message(msg, group_id=self.group_id), 15)
            if sent.status == MessageStatus.SEND_SUCC:
                with contextlib.suppress(IMError):
                    await mm.revoke_message(sent)
        self.run(go())

    @rule(device=st.sampled_from(DEVICES))
    def cut(self, device: str) -> None:
        self.proxies[device].cut()

    async def view(self, peer: Peer, local: bool) -> dict[str, object]:
        return await _view(peer, self.conv_id, local)


async def _view(peer: Peer, conv_id: str, local: bool) -> dict[str, object]:
    """What a member sees of the group: unread, mentions, last message, every message and
    which are recalled."""
    conv = await peer.cm.get_conversation(conv_id)
    if conv is None:
        return {"listed": False}
    history = await full_history(peer.client, conv_id, local=local)
    return {
        "unread": conv.unread_count,
        "mentions": [(i.seq, int(i.at_type)) for i in conv.group_at_info_list],
        "last": conv.last_message.msg_id if conv.last_message else None,
        "history": [(m.seq, m.msg_id, m.status == MessageStatus.LOCAL_REVOKED)
                    for m in history],
        "total": await peer.cm.get_total_unread_message_count(),
    }


@pytest.mark.timeout(900)
def test_group_members_converge_to_a_fresh_login(tmp_path: Path) -> None:
    # Bursts from four devices go past the group send rate (40 msg/s), whose refusals are
    # tested on their own (tests/server/test_group_send_rate.py); here every send must land.
    config = tmp_path / "service.toml"
    config.write_text("[limits]\ngroup_send_rate = 0\n")
    service = Service(tmp_path / "service", extra_args=["--config", str(config)]).start()
    GroupSyncMachine.service = service
    GroupSyncMachine.root = tmp_path
    try:
        run_state_machine_as_test(GroupSyncMachine, settings=settings(
            max_examples=8, stateful_step_count=20, deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True, database=None, phases=[Phase.explicit, Phase.generate]))
    finally:
        service.stop()
