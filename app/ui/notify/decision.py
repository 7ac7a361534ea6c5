"""Whether a new message raises a desktop notification: a pure rule, no Qt, no I/O.

The rule follows the seed's offline-push table (§5.7) with the desktop's own additions (§8):
what the message and its conversation say (`intrinsic`) decides whether it is ever worth
telling; the user's state now (`decide`: switched off, do not disturb, quiet hours, looking at
that chat, the first catch-up after a restart) decides whether to tell it now. A message that
passes the first and is stopped only by the catch-up goes into the after-restart summary.

Two message flags the seed treats apart: an online-only message is never pushed (§5.7: not
pushed, counted or stored — typing and other signals), so it never notifies; a message excluded
from unread (a Meeting group's, imported history) is left out of counts, not of pushes, so it
notifies when it arrives live — but is not "what arrived while the app was closed" and stays out
of the summary. `ignore_badge` concerns only the badge (`badge`), not whether to notify.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from app.protocol import ConvType, ElemType, RecvOpt
from app.protocol.groups import GroupType
from app.protocol.ids import SYSTEM_USER
from app.sdk import Message, MessageStatus

MINUTES_PER_DAY = 24 * 60


class Skip(Enum):
    """Why a message raises no notification."""

    OWN = "own"
    """Mine, from this device or another of mine."""
    SYSTEM = "system"
    """A group notice in the system conversation (not pushed, §5.7)."""
    ONLINE_ONLY = "online_only"
    """Online-only (typing and the like): never pushed, counted or stored (§5.7)."""
    AVCHATROOM = "avchatroom"
    NOT_RECEIVE = "not_receive"
    NO_NOTIFY = "no_notify"
    """The conversation is "receive without notify"."""
    PUSH_DISABLED = "push_disabled"
    """The sender turned push off for this message (`OfflinePushInfo.disable`)."""
    SILENT_CUSTOM = "silent_custom"
    """A custom message without a description (and no push description)."""
    TIPS = "tips"
    """A group tip: a line in the chat, not a message from someone."""
    REVOKED = "revoked"
    OFF = "off"
    """Notifications switched off in Settings."""
    DO_NOT_DISTURB = "do_not_disturb"
    QUIET_HOURS = "quiet_hours"
    FOCUSED = "focused"
    """The chat is open in the active window: the user is reading it."""
    CATCHING_UP = "catching_up"
    """Arrived in the first catch-up after the app started: the summary tells it."""


@dataclass(frozen=True, slots=True)
class Target:
    """What the conversation says about notifying (from the list, or the SDK's caches for a
    conversation not listed yet)."""

    recv_opt: RecvOpt = RecvOpt.RECEIVE
    group_type: str = ""


@dataclass(frozen=True, slots=True)
class QuietHours:
    """Every day from `start` to `end`, in minutes after midnight; `start > end` spans
    midnight (22:00–08:00), `start == end` is the whole day."""

    start: int
    end: int

    def covers(self, minute: int) -> bool:
        minute %= MINUTES_PER_DAY
        if self.start == self.end:
            return True
        if self.start < self.end:
            return self.start <= minute < self.end
        return minute >= self.start or minute < self.end


@dataclass(frozen=True, slots=True)
class Moment:
    """The user's state when the message arrived."""

    enabled: bool = True
    do_not_disturb: bool = False
    quiet_hours: QuietHours | None = None
    minute: int = 0
    """Local time of day in minutes (for the quiet hours)."""
    focused_conversation: str = ""
    """The chat open in the active, visible main window; empty when the window is hidden,
    minimized or not the active window."""
    catching_up: bool = False


def parse_clock(text: str) -> int | None:
    """"22:30" → 1350; None for anything that is not a 24-hour HH:MM."""
    hours, sep, minutes = text.strip().partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        return None
    h, m = int(hours), int(minutes)
    if h > 23 or m > 59:
        return None
    return h * 60 + m


def quiet_hours(enabled: bool, start: str, end: str) -> QuietHours | None:
    """The quiet hours from the settings' texts, None when off or unreadable."""
    if not enabled:
        return None
    a, b = parse_clock(start), parse_clock(end)
    if a is None or b is None:
        return None
    return QuietHours(a, b)


def intrinsic(msg: Message, target: Target) -> Skip | None:
    """What the message and its conversation say, whenever it is looked at."""
    if msg.is_self:
        return Skip.OWN
    if msg.sender == SYSTEM_USER:
        return Skip.SYSTEM
    if msg.online_user_only:
        return Skip.ONLINE_ONLY
    if msg.conv_type == ConvType.GROUP and target.group_type == GroupType.AVCHATROOM:
        return Skip.AVCHATROOM
    if target.recv_opt == RecvOpt.NOT_RECEIVE:
        return Skip.NOT_RECEIVE
    if target.recv_opt == RecvOpt.RECEIVE_NOT_NOTIFY:
        return Skip.NO_NOTIFY
    if msg.status == MessageStatus.LOCAL_REVOKED:
        return Skip.REVOKED
    push = msg.offline_push_info
    if push is not None and push.disable:
        return Skip.PUSH_DISABLED
    if msg.elem_type == ElemType.GROUP_TIPS:
        return Skip.TIPS
    if msg.elem_type == ElemType.CUSTOM:
        custom = msg.custom_elem
        described = bool(custom is not None and custom.description.strip())
        if not described and not (push is not None and push.desc.strip()):
            return Skip.SILENT_CUSTOM
    return None


def decide(msg: Message, target: Target, moment: Moment) -> Skip | None:
    """None: raise a notification for `msg` now; else why not."""
    reason = intrinsic(msg, target)
    if reason is not None:
        return reason
    if moment.catching_up:
        return Skip.CATCHING_UP
    return interrupts(moment, msg.conversation_id)


def interrupts(moment: Moment, conversation_id: str = "") -> Skip | None:
    """Whether the user may be interrupted now (also asked before the summary)."""
    if not moment.enabled:
        return Skip.OFF
    if moment.do_not_disturb:
        return Skip.DO_NOT_DISTURB
    if moment.quiet_hours is not None and moment.quiet_hours.covers(moment.minute):
        return Skip.QUIET_HOURS
    if conversation_id and conversation_id == moment.focused_conversation:
        return Skip.FOCUSED
    return None
