"""Every notification decision (N1–N3, seed §5.6–5.7), table-driven, against the real
`NotificationCenter` and `Notifier` with only desktop-notifier's OS backend replaced by one
that records (`RecordingBackend`): what the backend is asked to show is what the OS would be.

Each row is a message, the conversation's facts, the user's state and what must happen: a
notification with that title and body, or none for the stated reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from app.protocol import (
    ConvType,
    CustomElem,
    Elem,
    FileElem,
    GroupTipsElem,
    ImageElem,
    LocationElem,
    OfflinePushInfo,
    RecvOpt,
    SoundElem,
    TextElem,
    VideoElem,
)
from app.protocol.ids import SYSTEM_USER, c2c_conversation_id, group_conversation_id
from app.sdk import Conversation, IMClient, Message, MessageStatus
from app.ui.bridge import SdkBridge
from app.ui.notify.badge import BadgeCount
from app.ui.notify.center import SUMMARY_KEY, NotificationCenter
from app.ui.notify.decision import QuietHours, Skip, parse_clock
from app.ui.notify.notifier import Notifier
from app.ui.settings import AppSettings
from tests.gui.conftest import until
from tests.support.notifications import RecordingBackend

Run = Callable[..., Any]
ME = "alice"


def c2c(elem: Elem | None = None, *, sender: str = "bob", nick: str = "Bob",
        push: OfflinePushInfo | None = None, seq: int = 1, **kw: Any) -> Message:
    mine = sender == ME
    return Message(f"m{seq}-{sender}", ConvType.C2C, sender, receiver="bob" if mine else ME,
                   seq=seq, elems=[elem or TextElem("hello there")], nick_name=nick,
                   status=MessageStatus.SEND_SUCC, is_self=mine, offline_push_info=push, **kw)


def group(elem: Elem | None = None, *, card: str = "Captain", nick: str = "Bob",
          group_id: str = "crew", seq: int = 1, push: OfflinePushInfo | None = None,
          **kw: Any) -> Message:
    return Message(f"g{seq}", ConvType.GROUP, "bob", group_id=group_id, seq=seq,
                   elems=[elem or TextElem("all hands")], nick_name=nick, name_card=card,
                   status=MessageStatus.SEND_SUCC, offline_push_info=push, **kw)


BOB = c2c_conversation_id("bob")
CREW = group_conversation_id("crew")


@dataclass
class Case:
    name: str
    msg: Message
    title: str = ""
    body: str = ""
    skip: Skip | None = None
    recv_opt: RecvOpt = RecvOpt.RECEIVE
    group_type: str = "Work"
    settings: dict[str, Any] = field(default_factory=dict)
    minute: int = 12 * 60
    focused: str = ""
    catching_up: bool = False


CASES = [
    Case("c2c text: nickname over the text", c2c(), "Bob", "hello there"),
    Case("unlisted chat without nickname: the user ID", c2c(sender="carol", nick=""),
         "carol", "hello there"),
    Case("unlisted chat: the nickname", c2c(sender="dave", nick="Dave"), "Dave", "hello there"),
    Case("group: group name over 'name card: text'", group(), "The Crew", "Captain: all hands"),
    Case("group without card: nickname", group(card=""), "The Crew", "Bob: all hands"),
    Case("group with neither: just the text", group(card="", nick=""), "The Crew", "all hands"),
    Case("image", c2c(ImageElem()), "Bob", "[Image]"),
    Case("voice", c2c(SoundElem()), "Bob", "[Voice]"),
    Case("file", c2c(FileElem(name="a.pdf")), "Bob", "[File]"),
    Case("video", c2c(VideoElem()), "Bob", "[Video]"),
    Case("location", c2c(LocationElem(desc="Pier 39")), "Bob", "[Location]"),
    Case("group image", group(ImageElem()), "The Crew", "Captain: [Image]"),
    Case("custom with description", c2c(CustomElem(data="{}", description="Order shipped")),
         "Bob", "Order shipped"),
    Case("custom without description raises none", c2c(CustomElem(data="{}")),
         skip=Skip.SILENT_CUSTOM),
    Case("custom without description but push desc",
         c2c(CustomElem(data="{}"), push=OfflinePushInfo(desc="You have a parcel")),
         "Bob", "You have a parcel"),
    Case("push title and desc replace the defaults",
         c2c(push=OfflinePushInfo(title="Shop", desc="Sale today")), "Shop", "Sale today"),
    Case("push title only keeps the default body", group(push=OfflinePushInfo(title="Alert")),
         "Alert", "Captain: all hands"),
    Case("push disabled", c2c(push=OfflinePushInfo(disable=True)), skip=Skip.PUSH_DISABLED),
    Case("ignore-badge still notifies (only the badge ignores it)",
         c2c(push=OfflinePushInfo(ignore_badge=True)), "Bob", "hello there"),
    Case("excluded from unread still notifies live", c2c(is_excluded_from_unread_count=True),
         "Bob", "hello there"),
    Case("online-only is never pushed", c2c(online_user_only=True), skip=Skip.ONLINE_ONLY),
    Case("my own message", c2c(sender=ME, nick="Alice"), skip=Skip.OWN),
    Case("my own message from my other device",
         c2c(sender=ME, nick="Alice", seq=9), skip=Skip.OWN),
    Case("do not receive", c2c(), skip=Skip.NOT_RECEIVE, recv_opt=RecvOpt.NOT_RECEIVE),
    Case("receive without notify", group(), skip=Skip.NO_NOTIFY,
         recv_opt=RecvOpt.RECEIVE_NOT_NOTIFY),
    Case("AVChatRoom", group(), skip=Skip.AVCHATROOM, group_type="AVChatRoom"),
    Case("Meeting groups notify", group(), "The Crew", "Captain: all hands",
         group_type="Meeting"),
    Case("group tips are lines in the chat", group(GroupTipsElem(op_user="bob")),
         skip=Skip.TIPS),
    Case("system notices are not pushed",
         c2c(sender=SYSTEM_USER, nick=""), skip=Skip.SYSTEM),
    Case("recalled", c2c(), skip=Skip.REVOKED),  # status set below
    Case("open and focused conversation", c2c(), skip=Skip.FOCUSED, focused=BOB),
    Case("another conversation is focused", c2c(), "Bob", "hello there", focused=CREW),
    Case("notifications off", c2c(), skip=Skip.OFF, settings={"notifications": False}),
    Case("do not disturb", c2c(), skip=Skip.DO_NOT_DISTURB,
         settings={"do_not_disturb": True}),
    Case("quiet hours overnight, before midnight", c2c(), skip=Skip.QUIET_HOURS,
         settings={"quiet_hours": True, "quiet_from": "22:00", "quiet_to": "08:00"},
         minute=23 * 60 + 30),
    Case("quiet hours overnight, after midnight", c2c(), skip=Skip.QUIET_HOURS,
         settings={"quiet_hours": True, "quiet_from": "22:00", "quiet_to": "08:00"},
         minute=7 * 60 + 59),
    Case("quiet hours overnight end is exclusive", c2c(), "Bob", "hello there",
         settings={"quiet_hours": True, "quiet_from": "22:00", "quiet_to": "08:00"},
         minute=8 * 60),
    Case("quiet hours overnight, midday", c2c(), "Bob", "hello there",
         settings={"quiet_hours": True, "quiet_from": "22:00", "quiet_to": "08:00"}),
    Case("quiet hours by day", c2c(), skip=Skip.QUIET_HOURS,
         settings={"quiet_hours": True, "quiet_from": "09:00", "quiet_to": "17:30"}),
    Case("quiet hours by day, evening", c2c(), "Bob", "hello there",
         settings={"quiet_hours": True, "quiet_from": "09:00", "quiet_to": "17:30"},
         minute=18 * 60),
    Case("quiet hours set but switched off", c2c(), "Bob", "hello there",
         settings={"quiet_hours": False, "quiet_from": "00:00", "quiet_to": "23:59"}),
    Case("catch-up after a restart goes to the summary", c2c(), skip=Skip.CATCHING_UP,
         catching_up=True),
]
CASES[[c.name for c in CASES].index("recalled")].msg.status = MessageStatus.LOCAL_REVOKED


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return AppSettings(tmp_path / "tidings.ini")


@dataclass
class Rig:
    center: NotificationCenter
    backend: RecordingBackend
    notifier: Notifier
    bridge: SdkBridge
    conversations: dict[str, Conversation]
    state: dict[str, Any]


@pytest.fixture
def rig(qapp: QApplication, settings: AppSettings, tmp_path: Path) -> Iterator[Rig]:
    client = IMClient()
    bridge = SdkBridge(client)
    backend = RecordingBackend()
    notifier = Notifier(backend=backend)
    conversations = {
        BOB: Conversation(BOB, ConvType.C2C, user_id="bob", show_name="Bob"),
        CREW: Conversation(CREW, ConvType.GROUP, group_id="crew", show_name="The Crew",
                           group_type="Work"),
    }
    state: dict[str, Any] = {"focused": "", "minute": 12 * 60}
    center = NotificationCenter(client, bridge, settings, notifier, tmp_path / "icons",
                                conversation=conversations.get,
                                focused=lambda: state["focused"],
                                clock=lambda: state["minute"])
    center.first_catch_up = False
    yield Rig(center, backend, notifier, bridge, conversations, state)
    center.close()
    bridge.detach()


def configure(rig: Rig, settings: AppSettings, case: Case) -> None:
    for name, value in case.settings.items():
        setattr(settings, name, value)
    for conv in rig.conversations.values():
        conv.recv_opt = case.recv_opt
    rig.conversations[CREW].group_type = case.group_type
    rig.state.update(focused=case.focused, minute=case.minute)
    rig.center.first_catch_up = case.catching_up


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_decision(case: Case, rig: Rig, settings: AppSettings, arun: Run) -> None:
    configure(rig, settings, case)

    async def scenario() -> None:
        rig.bridge.new_message.emit(case.msg)  # as the SDK announces it
        await rig.center._tasks.drain()

    arun(scenario())
    sent = rig.backend.sent
    if case.skip is not None:
        assert sent == [] and rig.center.skipped == {case.skip: 1}
        if case.skip is Skip.CATCHING_UP:
            assert rig.center.missed.counts == {BOB: 1}
        return
    assert len(sent) == 1 and not rig.center.skipped
    n = sent[0]
    assert (n.title, n.message) == (case.title, case.body)
    assert n.thread == case.msg.conversation_id
    assert n.icon is not None and n.icon.path is not None and n.icon.path.exists()
    assert n.sound is not None  # sound on by default
    assert n.reply_field is not None


def test_sound_off_sends_a_silent_notification(rig: Rig, settings: AppSettings,
                                               arun: Run) -> None:
    settings.notification_sound = False

    async def scenario() -> None:
        rig.center.on_message(c2c())
        await rig.center._tasks.drain()

    arun(scenario())
    assert [n.sound for n in rig.backend.sent] == [None]


def test_a_burst_is_one_notification_that_updates(rig: Rig, arun: Run) -> None:
    """Fifty messages from Bob are one notification saying how many, with the latest; the
    crew's message is its own; reading Bob's chat takes his away and starts the count again."""

    async def scenario() -> None:
        for seq in range(1, 51):
            rig.center.on_message(c2c(TextElem(f"line {seq}"), seq=seq))
        rig.center.on_message(group())
        await rig.center._tasks.drain()
        showing = rig.backend.showing
        assert [(n.title, n.message) for n in showing] == [
            ("Bob", "50 new messages\nline 50"), ("The Crew", "Captain: all hands")]
        assert len(rig.backend.sent) == 51 and len(rig.backend.cleared) == 49

        read = Conversation(BOB, ConvType.C2C, user_id="bob", show_name="Bob",
                            unread_count=0, read_seq=50)
        rig.bridge.conversations_changed.emit([read])
        await rig.center._tasks.drain()
        assert [n.title for n in rig.backend.showing] == ["The Crew"]
        rig.center.on_message(c2c(TextElem("again"), seq=51))
        await rig.center._tasks.drain()
        assert rig.backend.showing[-1].message == "again"

    arun(scenario())


def test_clicking_asks_for_the_conversation_at_the_message(rig: Rig, arun: Run) -> None:
    opened: list[tuple[str, str]] = []
    rig.center.activated.connect(lambda conv, msg: opened.append((conv, msg)))

    async def scenario() -> None:
        rig.center.on_message(group(seq=7))
        await rig.center._tasks.drain()
        rig.backend.click(rig.backend.showing[0])
        await until(lambda: opened == [(CREW, "g7")], 5, "the click")
        assert rig.backend.showing == []

    arun(scenario())


def test_reply_from_the_notification_is_sent_there(rig: Rig, arun: Run) -> None:
    sent: list[tuple[str, str]] = []
    rig.center.reply = lambda conv, text: sent.append((conv, text))  # type: ignore[method-assign]
    rig.notifier.replied.disconnect()
    rig.notifier.replied.connect(rig.center.reply)

    async def scenario() -> None:
        rig.center.on_message(c2c())
        await rig.center._tasks.drain()
        rig.backend.reply(rig.backend.showing[0], "on my way")
        await until(lambda: sent == [(BOB, "on my way")], 5, "the reply")

    arun(scenario())


def test_summary_after_the_first_catch_up(rig: Rig, arun: Run) -> None:
    """What the first catch-up brings is told once when it ends: several chats as a count,
    clicking it opens the chat list; later messages notify one by one again."""
    opened: list[tuple[str, str]] = []
    rig.center.activated.connect(lambda conv, msg: opened.append((conv, msg)))
    rig.center.first_catch_up = True

    async def scenario() -> None:
        for seq in range(1, 11):
            rig.center.on_message(c2c(seq=seq))
        rig.center.on_message(group(seq=1))
        rig.center.on_message(group(seq=2))
        rig.center.on_message(c2c(sender=ME, seq=99))  # mine: not in the summary
        rig.center.on_message(c2c(seq=100, is_excluded_from_unread_count=True))  # history
        await rig.center._tasks.drain()
        assert rig.backend.sent == []
        rig.bridge.sync_finished.emit()
        await rig.center._tasks.drain()
        [summary] = rig.backend.showing
        assert (summary.title, summary.message) == ("Tidings", "12 new messages in 2 chats")
        assert summary.reply_field is None
        rig.backend.click(summary)
        await until(lambda: opened == [("", "")], 5, "the summary's click")
        rig.bridge.sync_finished.emit()  # a later catch-up (a reconnect) has no summary
        rig.center.on_message(c2c(seq=101))
        await rig.center._tasks.drain()
        assert [n.title for n in rig.backend.showing] == ["Bob"]

    arun(scenario())


def test_summary_of_one_chat_opens_it(rig: Rig, arun: Run) -> None:
    opened: list[tuple[str, str]] = []
    rig.center.activated.connect(lambda conv, msg: opened.append((conv, msg)))
    rig.center.first_catch_up = True

    async def scenario() -> None:
        for seq in (1, 2, 3):
            rig.center.on_message(group(TextElem(f"note {seq}"), seq=seq))
        rig.bridge.sync_finished.emit()
        await rig.center._tasks.drain()
        [summary] = rig.backend.showing
        assert (summary.title, summary.message) == ("The Crew", "3 new messages\nCaptain: note 3")
        rig.backend.click(summary)
        await until(lambda: opened == [(CREW, "g3")], 5, "the summary's click")

    arun(scenario())


def test_summary_respects_do_not_disturb(rig: Rig, settings: AppSettings, arun: Run) -> None:
    rig.center.first_catch_up = True
    settings.do_not_disturb = True

    async def scenario() -> None:
        rig.center.on_message(c2c())
        rig.bridge.sync_finished.emit()
        await rig.center._tasks.drain()

    arun(scenario())
    assert rig.backend.sent == [] and not rig.center.first_catch_up


@pytest.mark.parametrize(("start", "end", "inside", "outside"), [
    ("22:00", "08:00", ["22:00", "23:59", "00:00", "07:59"], ["08:00", "12:00", "21:59"]),
    ("09:00", "17:30", ["09:00", "12:00", "17:29"], ["08:59", "17:30", "23:00"]),
    ("00:00", "00:00", ["00:00", "12:00", "23:59"], []),
])
def test_quiet_hours(start: str, end: str, inside: list[str], outside: list[str]) -> None:
    a, b = parse_clock(start), parse_clock(end)
    assert a is not None and b is not None
    hours = QuietHours(a, b)
    assert all(hours.covers(parse_clock(t) or 0) for t in inside)
    assert not any(hours.covers(parse_clock(t) or 0) for t in outside)


@pytest.mark.parametrize("text", ["", "24:00", "7:5", "ab:cd", "12:60", "12"])
def test_unreadable_clock_times(text: str) -> None:
    assert parse_clock(text) is None


def test_badge_leaves_out_ignore_badge_and_muted_chats(qapp: QApplication) -> None:
    """The tray's number: unread over chats that notify, less unread ignore-badge messages;
    reading past one drops it; "receive without notify" and the system chat add nothing."""
    badge = BadgeCount(IMClient())
    seen: list[int] = []
    badge.changed.connect(seen.append)
    system = c2c_conversation_id(SYSTEM_USER)
    badge.update([Conversation(BOB, ConvType.C2C, unread_count=2, read_seq=3),
                  Conversation(CREW, ConvType.GROUP, unread_count=5,
                               recv_opt=RecvOpt.RECEIVE_NOT_NOTIFY),
                  Conversation(system, ConvType.C2C, unread_count=4)])
    assert badge.value == 2
    badge.message(c2c(push=OfflinePushInfo(ignore_badge=True), seq=6))
    badge.update([Conversation(BOB, ConvType.C2C, unread_count=3, read_seq=3)])
    assert badge.value == 2  # three unread, one of them ignores the badge
    badge.message(c2c(seq=7))
    badge.update([Conversation(BOB, ConvType.C2C, unread_count=4, read_seq=3)])
    assert badge.value == 3
    badge.update([Conversation(BOB, ConvType.C2C, unread_count=1, read_seq=6)])
    assert badge.value == 1  # read past the ignore-badge one
    badge.update([Conversation(CREW, ConvType.GROUP, unread_count=5)])  # unmuted
    assert badge.value == 6
    badge.remove([CREW])
    assert badge.value == 1 and seen == [2, 3, 1, 6, 1]


def test_summary_key_is_no_conversation() -> None:
    assert not SUMMARY_KEY.startswith(("c2c_", "group_"))


def test_a_recalled_message_takes_its_notification_away(rig: Rig, arun: Run) -> None:
    async def scenario() -> None:
        rig.center.on_message(c2c(seq=3))
        rig.center.on_message(group(seq=4))
        await rig.center._tasks.drain()
        rig.bridge.message_revoked.emit("m3-bob", "bob")
        await rig.center._tasks.drain()
        assert [n.title for n in rig.backend.showing] == ["The Crew"]
        rig.bridge.message_revoked.emit("someone-else's", "bob")  # not shown: nothing changes
        await rig.center._tasks.drain()
        assert [n.title for n in rig.backend.showing] == ["The Crew"]

    arun(scenario())


def test_an_edited_message_shows_its_new_text(rig: Rig, arun: Run) -> None:
    """The notification still showing a message takes its edit, quietly and with the burst's
    count; an edit of a message no notification shows changes nothing."""

    async def scenario() -> None:
        rig.center.on_message(c2c(TextElem("lunch at 12?"), seq=1))
        rig.center.on_message(c2c(TextElem("or later"), seq=2))
        await rig.center._tasks.drain()
        sent = len(rig.backend.sent)
        rig.bridge.message_modified.emit(c2c(TextElem("lunch at 12?!"), seq=1))  # not shown
        await rig.center._tasks.drain()
        assert len(rig.backend.sent) == sent
        rig.bridge.message_modified.emit(c2c(TextElem("or at 1"), seq=2))
        await rig.center._tasks.drain()
        (shown,) = rig.backend.showing
        assert (shown.title, shown.message) == ("Bob", "2 new messages\nor at 1")
        assert shown.sound is None, "an edit makes no sound"

    arun(scenario())


class FailingBackend(RecordingBackend):
    """A backend whose OS call fails (no notification server on the bus)."""

    async def _send(self, notification: Any) -> None:
        self.sent.append(notification)
        raise ConnectionError("no org.freedesktop.Notifications")


def test_a_failing_backend_falls_back_to_the_tray_and_rests(qapp: QApplication,
                                                            arun: Run) -> None:
    """desktop-notifier only logs a failed send: the notifier sees it was not shown, says it
    through the tray instead, and leaves the backend alone for a while rather than failing on
    every message."""
    backend = FailingBackend()
    notifier = Notifier(backend=backend)

    async def scenario() -> None:
        await notifier.show(BOB, "Bob", "hello", msg_id="m1")
        await notifier.show(BOB, "Bob", "hello again", msg_id="m2")

    arun(scenario())
    assert notifier.native  # there is a backend...
    assert len(backend.sent) == 1  # ...tried once, not again within RETRY_NATIVE_S
    assert notifier.last[BOB].body == "hello again" and not notifier.last[BOB].native


def test_no_backend_means_the_tray(qapp: QApplication, arun: Run) -> None:
    from desktop_notifier.backends.dummy import DummyNotificationCenter

    notifier = Notifier(backend=DummyNotificationCenter("Tidings", None))
    arun(notifier.show(BOB, "Bob", "hello", msg_id="m1"))
    assert not notifier.native and not notifier.last[BOB].native


def test_a_backend_refused_by_the_os_means_the_tray(qapp: QApplication, arun: Run,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """WinRT may refuse a toast notifier when the backend is made: the session still opens,
    with the tray for notifications."""
    import desktop_notifier.main

    class Refused(RecordingBackend):
        def __init__(self, app_name: str, app_icon: Any = None) -> None:
            raise RuntimeError("Could not get ToastNotifier")

    monkeypatch.setattr(desktop_notifier.main, "get_backend_class", lambda: Refused)
    monkeypatch.setattr("platform.system", lambda: "Windows")
    notifier = Notifier()
    arun(notifier.show(BOB, "Bob", "hello", msg_id="m1"))
    assert not notifier.native and not notifier.last[BOB].native
