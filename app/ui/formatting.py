"""How times and messages read in the UI: list times, day separators, one-line previews.

Everything is formatted with the default QLocale (set by ``i18n.install_language``) and the
fixed words go through the translator, so switching language changes them on the next paint.
The clock is the exception: 12 or 24 hours is how the user set up their computer (the OS's
region and time format, LC_TIME), not a property of the UI language — choosing English on a
German or British system must not turn "14:05" into "2:05 PM".
QLocale has no "month and day without year" format, which messengers show for this year's dates,
so that one pattern is chosen per language here.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale

from app.protocol import ElemType
from app.sdk import Conversation, Message, MessageStatus
from app.ui.group_notices import notice_of, notice_text
from app.ui.group_tips import tips_text

RECENT_DAYS = 6
"""Dates up to this many days back show as a weekday ("Mon"): still this week for the reader."""

PREVIEW_CHARS = 200
"""A preview is elided to the row's width by the painter; this only bounds the work."""


def _datetime(ms: int) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(ms).toLocalTime()


def _today(now: QDateTime | None) -> QDate:
    return (now or QDateTime.currentDateTime()).toLocalTime().date()


def _month_day(date: QDate, locale: QLocale, long: bool) -> str:
    if locale.language() in (QLocale.Language.Chinese, QLocale.Language.Japanese):
        return locale.toString(date, "M月d日")
    return locale.toString(date, "MMMM d" if long else "MMM d")


def system_time_format() -> str:
    """The OS's short time format ("HH:mm", "h:mm AP"), whatever language the UI speaks."""
    return QLocale.system().timeFormat(QLocale.FormatType.ShortFormat)


def clock_time(ms: int) -> str:
    """"14:05" (or "2:05 PM" where the system says so): the time in a bubble. The AM/PM words
    are the UI language's."""
    return QLocale().toString(_datetime(ms).time(), system_time_format())


def list_time(ms: int, now: QDateTime | None = None) -> str:
    """The conversation list's time: today the clock time, then "Yesterday", this week the
    weekday, this year month and day, before that the short date."""
    if ms <= 0:
        return ""
    date = _datetime(ms).date()
    if date == _today(now):
        return clock_time(ms)
    return _past_day(date, now, long=False)


def day_label(ms: int, now: QDateTime | None = None) -> str:
    """The timeline's day separator: "Today", "Yesterday", a weekday, or the date."""
    date = _datetime(ms).date()
    if date == _today(now):
        return QCoreApplication.translate("Formatting", "Today")
    return _past_day(date, now, long=True)


def _past_day(date: QDate, now: QDateTime | None, long: bool) -> str:
    locale = QLocale()
    today = _today(now)
    days = date.daysTo(today)
    if days == 1:
        return QCoreApplication.translate("Formatting", "Yesterday")
    if 1 < days <= RECENT_DAYS:
        return locale.dayName(date.dayOfWeek(), QLocale.FormatType.LongFormat if long
                              else QLocale.FormatType.ShortFormat)
    if date.year() == today.year():
        return _month_day(date, locale, long=long)
    return locale.toString(date, QLocale.FormatType.LongFormat if long
                           else QLocale.FormatType.ShortFormat)


def full_time(ms: int) -> str:
    """Date and time to the minute, for tooltips: "Thursday, November 26, 2026 2:05 PM",
    "2026年11月26日星期四 14:05" (the long date-time format adds seconds and the time zone)."""
    locale = QLocale()
    date = locale.toString(_datetime(ms).date(), QLocale.FormatType.LongFormat)
    return f"{date} {clock_time(ms)}"


def custom_text(msg: Message) -> str:
    """What a custom message shows: its description, else a placeholder."""
    elem = msg.custom_elem
    if elem is not None and elem.description.strip():
        return elem.description
    return QCoreApplication.translate("Formatting", "[Custom message]")


def message_preview(msg: Message) -> str:
    """One line for the conversation list (and notifications): text, or a bracketed kind."""
    if msg.status == MessageStatus.LOCAL_REVOKED:
        return QCoreApplication.translate("Formatting", "A message was recalled")
    kind = msg.elem_type
    if kind == ElemType.TEXT and msg.text_elem is not None:
        return " ".join(msg.text_elem.text[: PREVIEW_CHARS * 2].split())[:PREVIEW_CHARS]
    if kind == ElemType.CUSTOM:
        return " ".join(custom_text(msg).split())[:PREVIEW_CHARS]
    notice = notice_of(msg)
    if notice is not None:
        return notice_text(notice, None)[:PREVIEW_CHARS]
    labels = {
        ElemType.IMAGE: QCoreApplication.translate("Formatting", "[Image]"),
        ElemType.SOUND: QCoreApplication.translate("Formatting", "[Voice]"),
        ElemType.VIDEO: QCoreApplication.translate("Formatting", "[Video]"),
        ElemType.FILE: QCoreApplication.translate("Formatting", "[File]"),
        ElemType.LOCATION: QCoreApplication.translate("Formatting", "[Location]"),
        ElemType.FACE: QCoreApplication.translate("Formatting", "[Sticker]"),
        ElemType.MERGER: QCoreApplication.translate("Formatting", "[Chat history]"),
        ElemType.GROUP_TIPS: QCoreApplication.translate("Formatting", "[Group notice]"),
    }
    return labels.get(kind, QCoreApplication.translate("Formatting", "[Message]"))


def draft_preview(text: str) -> str:
    """The draft text on one line, without the "[Draft]" marker (painted in its own colour)."""
    return " ".join(text[: PREVIEW_CHARS * 2].split())[:PREVIEW_CHARS]


def mention_marker(conv: Conversation) -> str:
    """"[@me]" / "[@all]" while a group chat holds an unread mention of me (M11)."""
    if conv.at_me:
        return QCoreApplication.translate("Formatting", "[@me]")
    if conv.at_all:
        return QCoreApplication.translate("Formatting", "[@all]")
    return ""


def group_preview(msg: Message) -> str:
    """A group chat's line: "Name: text", a tip as its sentence, my own as "You: text"."""
    tips = msg.group_tips_elem
    if tips is not None:
        me = msg.sender if msg.is_self else ""
        return tips_text(tips, me, lambda u: msg.sender_show_name if u == msg.sender else u)
    if msg.status == MessageStatus.LOCAL_REVOKED:
        return message_preview(msg)
    who = (QCoreApplication.translate("Formatting", "You") if msg.is_self
           else msg.sender_show_name)
    return f"{who}: {message_preview(msg)}"


def draft_marker() -> str:
    return QCoreApplication.translate("Formatting", "[Draft]")
