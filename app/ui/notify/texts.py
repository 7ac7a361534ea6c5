"""What a notification says (seed §5.6, the desktop's form of the APNs default formatting).

The sender's push info wins: `title` replaces the title, `desc` the body. Otherwise a one-to-one
message is titled with the sender's name (my remark, their nickname, their ID: C1) over the
message's preview; a group message with the group's name over "name card or nickname: text"
(the seed's rule, §7.7: name card before nickname, neither → just the text). The preview is the
conversation list's (`formatting.message_preview`: the text, `[Image]`, `[Voice]`, …), so a
notification and the list never say a message differently.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from app.protocol import ConvType
from app.sdk import Message
from app.ui.formatting import message_preview

BODY_CHARS = 200
"""Notification servers cut long bodies themselves; this only bounds what is sent."""


@dataclass(frozen=True, slots=True)
class Texts:
    title: str
    body: str


def new_messages(count: int) -> str:
    """"3 new messages" (literal translate calls, so lupdate finds them)."""
    return QCoreApplication.translate("Notifications", "%n new messages", "", count)


def message_texts(msg: Message, chat_name: str) -> Texts:
    """Title and body for `msg`; `chat_name` is the conversation's show name (the group's
    name, or the C2C peer's remark/nickname/ID)."""
    push = msg.offline_push_info
    if msg.conv_type == ConvType.GROUP:
        title = chat_name or msg.group_id
        who = msg.name_card or msg.nick_name
        preview = message_preview(msg)
        body = f"{who}: {preview}" if who else preview
    else:
        title = chat_name or msg.nick_name or msg.sender
        body = message_preview(msg)
    if push is not None:
        title = push.title.strip() or title
        body = push.desc.strip() or body
    return Texts(title, body[:BODY_CHARS])


def burst_texts(latest: Texts, count: int) -> Texts:
    """A conversation's notification once several arrived before it was seen: the count over
    the latest message."""
    if count <= 1:
        return latest
    return Texts(latest.title, new_messages(count) + "\n" + latest.body)


def summary_texts(messages: int, chats: int, chat_name: str, latest: str) -> Texts:
    """The one notification after a restart: "12 new messages in 3 chats", or for one chat
    its name over its count and latest line."""
    if chats == 1:
        return Texts(chat_name, burst_texts(Texts(chat_name, latest), messages).body)
    return Texts(QCoreApplication.translate("Notifications", "Tidings"),
                 new_messages(messages) + " "
                 + QCoreApplication.translate("Notifications", "in %n chats", "", chats))
