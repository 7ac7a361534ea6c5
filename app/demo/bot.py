"""The demo bot: a real SDK client that answers text messages, in the language they were in.

It signs in like any user (IMClient over the WebSocket), so every reply travels the same path
as a person's message and the demo shows the real thing: delivery, unread badges, read
receipts. It answers only text written by others — never its own messages (or they would echo
forever across its devices) and never custom messages, which are for apps, not people.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
from datetime import datetime
from typing import Any

from app.protocol import IMError
from app.sdk import AdvancedMsgListener, IMClient, Message

log = logging.getLogger("tidings.demo.bot")

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_GREETINGS_EN = ("hi", "hello", "hey", "good morning", "good evening", "morning", "yo")
_GREETINGS_ZH = ("你好", "您好", "嗨", "哈喽", "早上好", "晚上好", "早安", "在吗")
ECHO_MAX = 40
"""Longer messages are shortened in the echo: the joke is in the reversal, not the length."""
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAYS_ZH = "一二三四五六日"
STALE_MS = 5 * 60 * 1000
"""Messages older than this (caught up after the bot was away) get no answer: a burst of late
replies to things said long ago would be noise, not help."""


def is_chinese(text: str) -> bool:
    """Any Han character makes a message Chinese: mixed messages are written by Chinese
    speakers far more often than the other way round."""
    return _CJK.search(text) is not None


def _shorten(text: str) -> str:
    return text if len(text) <= ECHO_MAX else text[:ECHO_MAX - 1] + "…"


def reply_to(text: str, now: datetime, rng: random.Random) -> str:
    """The bot's answer to ``text``: a command, a greeting, or the text echoed backwards."""
    zh = is_chinese(text)
    words = text.strip()
    command = words.split()[0].lower() if words.startswith("/") else ""
    if command in ("/help", "/帮助"):
        if zh:
            return ("我会这些：\n/time 现在几点\n/dice 掷骰子\n"
                    "其他消息我会倒过来念给你听 🙃")
        return ("Here's what I can do:\n/time — the time here\n/dice — roll a die\n"
                "Anything else, I'll read it back to you backwards 🙃")
    if command in ("/time", "/时间"):
        if zh:
            return (f"现在是 {now.month}月{now.day}日 星期{_WEEKDAYS_ZH[now.weekday()]} "
                    f"{now:%H:%M}。")
        return f"It's {now:%H:%M} on {_WEEKDAYS_EN[now.weekday()]}, {now.day} {now:%B}."
    if command in ("/dice", "/骰子"):
        roll = rng.randint(1, 6)
        return f"🎲 你掷出了 {roll} 点。" if zh else f"🎲 You rolled a {roll}."
    if command:
        return (f"我不认识 {command} 这个命令，发送 /help 看看我会什么。" if zh
                else f"I don't know {command}. Send /help to see what I can do.")
    lowered = words.lower().rstrip("!！.。~～ ")
    if zh and lowered.startswith(_GREETINGS_ZH):
        return "你好呀 👋 我是 Tidings 小助手。发送 /help 看看我能做什么。"
    if not zh and lowered.startswith(_GREETINGS_EN):
        return "Hello there 👋 I'm the Tidings helper bot. Send /help to see what I can do."
    backwards = _shorten(words)[::-1]
    if zh:
        return f"你说「{_shorten(words)}」，倒过来念就是「{backwards}」 😄"
    return f"You said “{_shorten(words)}” — backwards that's “{backwards}” 😄"


class DemoBot(AdvancedMsgListener):
    """Answers each text message from someone else, then marks the chat read."""

    def __init__(self, client: IMClient, rng: random.Random | None = None) -> None:
        self.client = client
        self._rng = rng or random.Random()
        self._tasks: set[asyncio.Task[Any]] = set()
        client.message_manager.add_advanced_msg_listener(self)

    def on_recv_new_message(self, msg: Message) -> None:
        text = msg.text_elem
        if msg.is_self or msg.sender == self.client.me or text is None:
            return
        if self.client.server_time_ms() - msg.time_ms > STALE_MS:
            return
        task = asyncio.get_running_loop().create_task(self._answer(msg.sender, text.text))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer(self, user_id: str, text: str) -> None:
        manager = self.client.message_manager
        reply = manager.create_text_message(reply_to(text, datetime.now(), self._rng))
        try:
            await manager.send_message(reply, receiver=user_id)
            await manager.mark_c2c_message_as_read(user_id)
        except IMError as exc:
            log.warning("could not answer %s: %s", user_id, exc)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self.client.message_manager.remove_advanced_msg_listener(self)
