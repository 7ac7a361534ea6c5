"""The typing indicator (TUIKit's online-only custom message): heard by the peer's listener,
throttled while typing, never a message, never stored, never a conversation."""

from __future__ import annotations

import json

from app.sdk import AdvancedMsgListener
from app.sdk.typing_status import BUSINESS_ID, typing_of
from tests.support.clients import wait_until


class Heard(AdvancedMsgListener):
    def __init__(self) -> None:
        self.states: list[tuple[str, bool]] = []

    def on_recv_typing_status(self, user_id: str, typing: bool) -> None:
        self.states.append((user_id, typing))


async def test_typing_is_heard_throttled_and_leaves_no_trace(peers):
    alice, bob = await peers("alice"), await peers("bob")
    heard = Heard()
    bob.client.message_manager.add_advanced_msg_listener(heard)
    for _ in range(5):  # every keystroke asks; one goes out
        await alice.client.typing.send_typing_status("bob", True)
    await alice.client.typing.send_typing_status("bob", False)
    await alice.client.typing.send_typing_status("bob", False)  # nothing stands: nothing sent
    await alice.mm.send_message(alice.mm.create_text_message("done typing"), receiver="bob")
    await wait_until(lambda: len(bob.recorder.messages) == 1, what="the real message")
    assert heard.states == [("alice", True), ("alice", False)]
    assert [m.text_elem.text for m in bob.recorder.messages if m.text_elem] == ["done typing"]
    history = await bob.mm.get_c2c_history_message_list("alice", 20)
    assert [m.custom_elem for m in history] == [None]
    conv = await bob.cm.get_conversation("c2c_alice")
    assert conv is not None and conv.unread_count == 1


def test_a_typing_message_is_known_by_its_business_id():
    from app.protocol import CustomElem, Message

    def wire(data: str) -> Message:
        return Message(msg_id="t", conv_type=1, sender="a", receiver="b",
                       elems=[CustomElem(data)])
    assert typing_of(wire(json.dumps({"businessID": BUSINESS_ID, "typingStatus": 1}))) is True
    assert typing_of(wire(json.dumps({"businessID": BUSINESS_ID, "typingStatus": 0}))) is False
    assert typing_of(wire(json.dumps({"businessID": "order"}))) is None
    assert typing_of(wire("not json")) is None
