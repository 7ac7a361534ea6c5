"""Quoting a message in a reply, encoded the way Tencent's TUIKit does in ``cloud_custom_data``.

TUIKit (iOS, Android, Web) puts the quoted message's summary under ``messageReply``:

    {"messageReply": {"messageID": "...", "messageAbstract": "...", "messageSender": "...",
                      "messageType": 1, "messageTime": 1700000000, "messageSequence": 42,
                      "version": 1}}

``messageType`` is the V2TIM element type (``ElemType``), ``messageTime`` the quoted message's
time in seconds, ``messageSender`` its sender's nickname or, without one, the UserID. A
threaded reply adds ``messageRootID``; without it TUIKit shows a quote. Using the same shape
means a quote written here shows as one in TUIKit apps against the same data, and theirs here.
The quoted message travels as its abstract only: the reader finds the original by its ID (or
seq) when it wants more, so a reply stays far below the payload limit whatever it quotes.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from app.protocol import (
    CustomElem,
    FaceElem,
    FileElem,
    ImageElem,
    LocationElem,
    MergerElem,
    SoundElem,
    TextElem,
    VideoElem,
)

from .models import Message

REPLY_KEY = "messageReply"
REPLY_VERSION = 1
"""TUIKit's ``kMessageReplyVersion``: a quote of a later version is not understood (None)."""
ABSTRACT_CHARS = 50


@dataclass(frozen=True, slots=True)
class ReplyRef:
    """What a reply says about the message it quotes."""

    msg_id: str
    abstract: str = ""
    sender: str = ""
    """Nickname, or UserID when the sender had none, as the replier saw it."""
    elem_type: int = 0
    time_s: int = 0
    seq: int = 0
    version: int = REPLY_VERSION
    root_id: str = ""
    """The first message of a reply thread (TUIKit's ``messageRootID``); empty for a quote."""


def reply_cloud_data(original: Message, abstract: str) -> str:
    """``cloud_custom_data`` for a message that quotes ``original`` (``abstract`` is usually
    ``message_abstract(original)``; it is stored as given)."""
    reply = {
        "messageID": original.msg_id,
        "messageAbstract": abstract,
        "messageSender": original.nick_name or original.sender,
        "messageType": int(original.elem_type),
        "messageTime": original.timestamp,
        "messageSequence": original.seq,
        "version": REPLY_VERSION,
    }
    return json.dumps({REPLY_KEY: reply}, ensure_ascii=False, separators=(",", ":"))


def parse_reply(cloud_custom_data: str) -> ReplyRef | None:
    """The quote in a message's ``cloud_custom_data``, or None when it has none. Other keys
    (TUIKit's ``messageFeature``, an app's own) are ignored; anything that is not a
    ``messageReply`` object with a message ID, of a version this code knows, is None — the
    data comes from any client, so nothing in it may raise."""
    if not cloud_custom_data:
        return None
    try:
        doc = json.loads(cloud_custom_data)
    except (ValueError, RecursionError):
        return None
    reply = doc.get(REPLY_KEY) if isinstance(doc, dict) else None
    if not isinstance(reply, dict):
        return None
    version = _int(reply.get("version"))
    msg_id = reply.get("messageID")
    if version is None or not 0 < version <= REPLY_VERSION:
        return None
    if not isinstance(msg_id, str) or not msg_id:
        return None
    return ReplyRef(
        msg_id=msg_id, abstract=_str(reply.get("messageAbstract")),
        sender=_str(reply.get("messageSender")), elem_type=_int(reply.get("messageType")) or 0,
        time_s=_int(reply.get("messageTime")) or 0, seq=_int(reply.get("messageSequence")) or 0,
        version=version, root_id=_str(reply.get("messageRootID")))


def message_abstract(msg: Message) -> str:
    """One short line for a message of any kind: what a quote shows, at most 50 characters.
    Empty for a message without content (revoked, deleted)."""
    if not msg.elems:
        return ""
    return _shorten(_describe(msg.elems[0]))


def _describe(elem: Any) -> str:
    if isinstance(elem, TextElem):
        return " ".join(elem.text.split())
    if isinstance(elem, FileElem):
        return f"[File] {elem.name}".rstrip()
    if isinstance(elem, CustomElem):
        return elem.description or "[Custom message]"
    kinds: tuple[tuple[type, str], ...] = (
        (ImageElem, "[Image]"), (SoundElem, "[Voice]"), (VideoElem, "[Video]"),
        (LocationElem, "[Location]"), (FaceElem, "[Sticker]"), (MergerElem, "[Chat history]"))
    return next((label for kind, label in kinds if isinstance(elem, kind)), "[Message]")


def _shorten(text: str) -> str:
    if len(text) <= ABSTRACT_CHARS:
        return text
    return text[:ABSTRACT_CHARS - 1].rstrip() + "…"


def _int(value: object) -> int | None:
    """A number as JSON spells it, whole: TUIKit Web sends integers, iOS the time as a double
    with its fraction. Booleans, strings, NaN and infinities are not numbers here."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    return None


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""
