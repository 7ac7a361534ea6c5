"""The demo's seeding (U8) against a real service, and its bot answering in the writer's
language — both through real SDK clients, as the app sees them."""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from PIL import Image

from app.demo.bot import DemoBot, is_chinese, reply_to
from app.demo.content import BOT, CARDS, CHATS, DEMO_USER, FRIENDS, NEWCOMER, USERS, Custom
from app.demo.seed import MARKER, AdminApi, seed, timestamps
from app.protocol import Cmd
from app.protocol.elements import media_ref_uuid
from app.protocol.friends import ApplicationsReq, FriendListReq
from tests.conftest import PeerFactory
from tests.support.clients import wait_until
from tests.support.service import Service


async def _seed(service: Service, state_dir: Path, now: datetime | None = None) -> bool:
    async with httpx.AsyncClient(base_url=service.url, timeout=10) as http:
        api = AdminApi(http, service.sdk_app_id, service.admin, service.key)
        return await seed(api, state_dir, now)


async def test_seeded_history_shows_for_the_demo_user(service: Service, tmp_path: Path,
                                                      peers: PeerFactory) -> None:
    now = datetime.now().astimezone()
    assert await _seed(service, tmp_path, now) is True
    assert (tmp_path / MARKER).exists()

    guest = await peers(DEMO_USER.user_id)
    convs = (await guest.cm.get_conversation_list()).conversation_list
    assert {c.user_id or c.group_id for c in convs} == {chat.peer.user_id for chat in CHATS}
    assert {c.group_id for c in convs if c.group_id} == {
        chat.peer.user_id for chat in CHATS if chat.group is not None} != set()
    names = {c.user_id or c.group_id: c.show_name for c in convs}
    remarks = {f.user.user_id: f.remark for f in FRIENDS if f.remark}
    assert names == {chat.peer.user_id: remarks.get(chat.peer.user_id, chat.peer.nick)
                     for chat in CHATS}  # the show-name chain: my remark, then the nickname
    unread = sum(line.unread for chat in CHATS for line in chat.lines)
    assert 0 < unread <= 3
    assert await guest.cm.get_total_unread_message_count() == unread

    # History spans several days, in time order, both directions, with custom messages.
    night = next(chat for chat in CHATS
                 if chat.group is None and any(isinstance(x.body, Custom) for x in chat.lines))
    history = await guest.mm.get_c2c_history_message_list(night.peer.user_id, 50)
    history.reverse()
    assert len(history) == len(night.lines)
    assert [m.time_ms for m in history] == sorted(m.time_ms for m in history)
    assert {m.is_self for m in history} == {True, False}
    assert any(m.custom_elem is not None for m in history)
    days = {datetime.fromtimestamp(m.time_ms / 1000).date() for m in history}
    assert len(days) >= 2

    # Groups are real: members as listed, each line from its speaker, in time order.
    for chat in (c for c in CHATS if c.group is not None):
        assert chat.group is not None
        group_id = chat.peer.user_id
        (info,) = await guest.client.group_manager.get_groups_info([group_id])
        assert (info.owner, info.member_count) == (
            chat.group.owner.user_id,
            len({chat.group.owner.user_id, *(m.user_id for m in chat.group.members)}))
        lines = await guest.mm.get_group_history_message_list(group_id, 50)
        lines.reverse()
        assert [m.sender for m in lines] == [
            DEMO_USER.user_id if line.mine else chat.speaker(line).user_id
            for line in chat.lines]
        assert [m.time_ms for m in lines] == sorted(m.time_ms for m in lines)

    # People: every card filled in, the friends both ways in their groups, one request waiting.
    profiles = {p.user_id: p for p in await guest.client.profiles.fetch(
        [u.user_id for u in CARDS])}
    for user, card in CARDS.items():
        assert (profiles[user.user_id].self_signature, profiles[user.user_id].location) == (
            card.signature, card.location)
        face = media_ref_uuid(profiles[user.user_id].face_url)
        assert (face is not None) == bool(card.avatar)
        if face:  # an avatar anyone may fetch, a real JPEG
            path = await guest.client.media.download(face)
            with Image.open(path) as picture:
                assert picture.format == "JPEG" and picture.size == (512, 512)
    listed = await guest.client.request(Cmd.FRIEND_LIST, FriendListReq())
    mine = {f.user_id: f for f in listed.friends}
    assert set(mine) == {f.user.user_id for f in FRIENDS}
    for friend in FRIENDS:
        assert mine[friend.user.user_id].group_names == [friend.group]
        assert mine[friend.user.user_id].remark == friend.remark
    pending = await guest.client.request(Cmd.FRIEND_APPLICATIONS, ApplicationsReq())
    assert [a.user_id for a in pending.applications] == [NEWCOMER.user_id]
    assert pending.unread_count == 1

    # A second run is a no-op; even without the marker, the service stores nothing twice.
    before = {c.conversation_id: c.max_seq for c in convs}
    assert await _seed(service, tmp_path, now) is False
    (tmp_path / MARKER).unlink()
    assert await _seed(service, tmp_path, now) is True
    fresh = await peers(DEMO_USER.user_id, device="second")
    after = {c.conversation_id: c.max_seq
             for c in (await fresh.cm.get_conversation_list()).conversation_list}
    assert after == before


def test_timestamps_are_in_the_past_and_increasing() -> None:
    early = datetime.now().astimezone().replace(hour=0, minute=20)
    for chat in CHATS:
        stamps = timestamps(chat.lines, early)
        assert all(b - a >= 60 for a, b in itertools.pairwise(stamps))
        assert stamps[-1] <= early.timestamp() - 60
        oldest = early - timedelta(days=max(line.days_ago for line in chat.lines) + 1)
        assert stamps[0] > oldest.timestamp()


def test_demo_people_are_handles_not_names() -> None:
    assert len(USERS) >= 6
    assert any(is_chinese(u.nick) for u in USERS) and any(not is_chinese(u.nick) for u in USERS)
    assert len({u.user_id for u in USERS}) == len(USERS)


def test_replies_follow_the_writers_language() -> None:
    rng = random.Random(7)
    now = datetime(2026, 11, 26, 14, 5)
    assert reply_to("你好", now, rng).startswith("你好呀")
    assert reply_to("hello!", now, rng).startswith("Hello there")
    assert "/time" in reply_to("/help", now, rng)
    assert "/time" in reply_to("/帮助", now, rng) and is_chinese(reply_to("/帮助", now, rng))
    assert reply_to("/time", now, rng) == "It's 14:05 on Thursday, 26 November."
    assert reply_to("/时间", now, rng) == "现在是 11月26日 星期四 14:05。"
    assert reply_to("/dice", now, rng).startswith("🎲 You rolled a ")
    assert "“abc” — backwards that's “cba”" in reply_to("abc", now, rng)
    assert "倒过来念就是「天晴」" in reply_to("晴天", now, rng)
    assert "/help" in reply_to("/nope", now, rng)


async def test_bot_answers_in_the_writers_language(service: Service, tmp_path: Path,
                                                   peers: PeerFactory) -> None:
    await _seed(service, tmp_path)
    bot_peer = await peers(BOT.user_id)
    bot = DemoBot(bot_peer.client, random.Random(1))
    guest = await peers(DEMO_USER.user_id)
    try:
        for text, expected in (("hello", "Hello there"), ("你好", "你好呀"),
                               ("/dice", "🎲 You rolled")):
            seen = len(guest.recorder.messages)
            await guest.mm.send_message(guest.mm.create_text_message(text),
                                        receiver=BOT.user_id)
            await wait_until(lambda s=seen: len(guest.recorder.messages) > s, 5,
                             f"the bot's answer to {text!r}")
            answer = guest.recorder.messages[seen]
            assert answer.sender == BOT.user_id
            assert answer.text_elem is not None and answer.text_elem.text.startswith(expected)

        # Custom messages are for apps, not people: no answer. A text sent after it is the
        # barrier: the bot sees messages in seq order and queues its answers in the order it
        # saw them, and the guest is told of them in seq order, so an answer to the card would
        # reach the guest before the answer to the text.
        seen = len(guest.recorder.messages)
        await guest.mm.send_message(guest.mm.create_custom_message('{"x": 1}', "[card]"),
                                    receiver=BOT.user_id)
        await guest.mm.send_message(guest.mm.create_text_message("hello"), receiver=BOT.user_id)
        await wait_until(lambda: any(m.text_elem is not None
                                     and m.text_elem.text.startswith("Hello there")
                                     for m in guest.recorder.messages[seen:]), 5,
                         "the bot's answer to the text after the card")
        assert len(guest.recorder.messages) == seen + 1, "the bot answered the card"
    finally:
        await bot.close()
