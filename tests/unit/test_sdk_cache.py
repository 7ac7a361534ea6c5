"""The cache's coverage rule and unread mirror, on a real SQLite file."""

from __future__ import annotations

import sqlite3

import pytest

from app.protocol import ConversationState, Message, TextElem
from app.sdk.cache.operations import FRIENDS_QUEUE, Draft, FriendChange, GroupChange, Pin
from app.sdk.cache.search import SearchFilter, match_query
from app.sdk.cache.store import CacheStore
from app.sdk.messaging import covers
from app.sdk.models import MessageStatus
from app.sdk.transport import backoff_delay, ws_url


def wire(seq: int, sender: str = "bob", receiver: str = "me", **kw) -> Message:
    return Message(msg_id=f"m{seq}-{sender}", conv_type=1, sender=sender, receiver=receiver,
                   seq=seq, time=1000 + seq, elems=[TextElem(f"t{seq}")], **kw)


@pytest.fixture
async def cache(tmp_path):
    store = CacheStore(tmp_path / "cache.db", "me")
    await store.open()
    yield store
    await store.close()


async def test_messages_join_the_proven_run_only_when_contiguous(cache):
    result = await cache.store_messages([wire(1), wire(3)])
    assert [m.wire.seq for m in result.contiguous["c2c_bob"]] == [1]
    conv = await cache.conversation("c2c_bob")
    assert conv.held_seq == 1
    result = await cache.store_messages([wire(2)])
    assert [m.wire.seq for m in result.contiguous["c2c_bob"]] == [2, 3]
    assert (await cache.conversation("c2c_bob")).held_seq == 3
    again = await cache.store_messages([wire(2), wire(3)])
    assert again.contiguous == {}


async def test_a_pulled_range_starts_a_new_run_above_a_known_hole(cache):
    await cache.store_messages([wire(1)])
    result = await cache.store_messages([wire(9), wire(10)], coverage_starts={"c2c_bob": 8})
    assert [m.wire.seq for m in result.contiguous["c2c_bob"]] == [9, 10]
    conv = await cache.conversation("c2c_bob")
    assert (conv.floor_seq, conv.held_seq) == (9, 10)


async def test_my_pending_message_is_acked_by_sync_and_never_announced_as_new(cache):
    mine = Message(msg_id="x1", conv_type=1, sender="me", receiver="bob", time=5,
                   elems=[TextElem("hi")])
    await cache.insert_pending(mine, "c2c_bob", 0, 10**15)
    assert [w.msg_id for w, _ in await cache.outbox()] == ["x1"]
    synced = Message(msg_id="x1", conv_type=1, sender="me", receiver="bob", seq=1, time=7,
                     elems=[TextElem("hi")])
    result = await cache.store_messages([synced])
    assert [m.wire.msg_id for m in result.acked] == ["x1"]
    assert all(m.local for m in result.contiguous["c2c_bob"])
    assert await cache.outbox() == []
    assert await cache.message_status("x1", "me") == (1, MessageStatus.SEND_SUCC)


async def test_unread_is_the_servers_base_plus_counting_messages_after_it(cache):
    state = ConversationState(conv_id="c2c_bob", conv_type=1, max_seq=5, read_seq=2, unread=3)
    await cache.apply_states([state])
    await cache.store_messages([wire(s) for s in range(1, 6)])
    await cache.store_messages([wire(6), wire(7, exclude_unread=True),
                                wire(8, sender="me", receiver="bob")])
    [(_, _, unread)] = await cache.conversations(["c2c_bob"])
    assert unread == 4
    await cache.set_read("c2c_bob", 8, 0, 8)
    [(_, _, unread)] = await cache.conversations(["c2c_bob"])
    assert unread == 0
    assert await cache.total_unread() == 0


async def test_a_finished_operation_leaves_the_services_newer_word(cache):
    """The answer to my draft arrives after a newer state (another device's draft) that the
    service applied after mine: once my draft is finished, that newer draft shows, though the
    answer itself is older and ignored."""
    await cache.apply_states([ConversationState(conv_id="c2c_bob", conv_type=1, max_seq=1,
                                                draft="old", version=1)])
    op_id = await cache.queue_operation(Draft("c2c_bob", "", 0))
    await cache.apply_states([ConversationState(conv_id="c2c_bob", conv_type=1, max_seq=1,
                                                draft="from my phone", draft_time=9, version=3)])
    assert (await cache.conversation("c2c_bob")).draft == ""  # still queued: mine shows
    await cache.finish_operation(op_id)
    await cache.apply_states([ConversationState(conv_id="c2c_bob", conv_type=1, max_seq=1,
                                                version=2)])
    conv = await cache.conversation("c2c_bob")
    assert (conv.draft, conv.draft_time) == ("from my phone", 9)


async def test_a_local_only_operation_stays_and_later_ones_still_overlay(cache):
    await cache.apply_states([ConversationState(conv_id="c2c_bob", conv_type=1, version=1)])
    draft = await cache.queue_operation(Draft("c2c_bob", "only here", 5))
    pin = await cache.queue_operation(Pin("c2c_bob", True))
    await cache.finish_operation(draft, local_only=True)
    conv = await cache.conversation("c2c_bob")
    assert (conv.draft, conv.pinned) == ("only here", True)
    await cache.finish_operation(pin)  # the service took the pin; its state has not come yet
    conv = await cache.conversation("c2c_bob")
    assert (conv.draft, conv.pinned) == ("only here", False)


async def test_deleting_an_unread_message_takes_it_off_the_count_at_once(cache):
    await cache.store_messages([wire(s) for s in range(1, 4)])
    await cache.apply_states([ConversationState(conv_id="c2c_bob", conv_type=1, max_seq=3,
                                                unread=3, version=1)])
    await cache.delete_local("c2c_bob", [("m2-bob", "bob")])
    [(_, _, unread)] = await cache.conversations(["c2c_bob"])
    assert unread == 2
    await cache.delete_local("c2c_bob", [("m2-bob", "bob")])  # again: nothing more to take
    [(_, _, unread)] = await cache.conversations(["c2c_bob"])
    assert unread == 2


def test_history_page_coverage():
    from app.sdk.cache.store import ConversationRow
    conv = ConversationRow("c2c_bob", 1, "bob", max_seq=100, held_seq=100, floor_seq=60,
                           min_seq=1, read_seq=0, peer_read_seq=0, unread_base=0,
                           unread_base_seq=0, pinned=False, draft="", draft_time=0, recv_opt=0,
                           deleted=False, version=0, last_id=None, last_time=0)
    assert covers(conv, 0, 20)
    assert covers(conv, 80, 20)
    assert not covers(conv, 70, 20)
    assert not covers(None, 0, 20)
    conv.max_seq = 105
    assert not covers(conv, 0, 20)


def test_backoff_grows_with_jitter_and_is_capped():
    delays = [backoff_delay(a, 0.5, 30) for a in range(12)]
    assert 0.25 <= delays[0] <= 0.5
    assert all(15 <= d <= 30 for d in delays[7:])
    assert len({round(backoff_delay(3, 0.5, 30), 6) for _ in range(20)}) > 1


def test_server_urls_map_to_the_websocket_endpoint():
    assert ws_url("http://127.0.0.1:8700") == "ws://127.0.0.1:8700/ws"
    assert ws_url("https://im.example.com/") == "wss://im.example.com/ws"
    assert ws_url("ws://h:1/ws") == "ws://h:1/ws"


async def test_a_service_reset_keeps_the_changes_that_name_no_message(cache):
    """Reads, pins and drafts name the old log's seqs and go; group and friend changes name a
    group or a person and wait for the new service (which refuses them if it lacks those)."""
    await cache.apply_states([ConversationState(conv_id="c2c_bob", conv_type=1, max_seq=1)])
    await cache.queue_operation(Pin("c2c_bob", True))
    rename = GroupChange("group_g1", "group.set_info", {"group_id": "g1", "name": "New"})
    await cache.queue_operation(rename)
    remark = FriendChange(FRIENDS_QUEUE, "friend.set_info", {"user_id": "bob", "remark": "B"})
    await cache.queue_operation(remark)
    await cache.forget_service_state()
    assert [op for _, op in await cache.operations()] == [rename, remark]


def test_a_query_is_a_phrase_per_word_and_cjk_stands_apart():
    assert match_query("跑步") == 'text : "跑 步"*'
    assert match_query("Tidings好用 hel") == 'text : "Tidings 好 用"* AND text : "hel"*'
    assert match_query("  ？！ ") is None


async def test_a_cache_made_before_search_is_indexed_when_opened(tmp_path):
    path = tmp_path / "cache.db"
    store = CacheStore(path, "me")
    await store.open()
    await store.store_messages([wire(1), Message(
        msg_id="m2-bob", conv_type=1, sender="bob", receiver="me", seq=2, time=1002,
        elems=[TextElem("周末去爬山")])])
    await store.close()
    old = sqlite3.connect(path)  # as a version 7 cache was: no index, no triggers
    for name in ("message_search_insert", "message_search_update", "message_search_delete"):
        old.execute(f"DROP TRIGGER {name}")
    old.execute("DROP TABLE message_search")
    old.execute("PRAGMA user_version = 7")
    old.commit()
    old.close()

    store = CacheStore(path, "me")
    await store.open()
    try:
        total, hits = await store.search.in_conversation(match_query("爬山"), SearchFilter(),
                                                         10, 0)
        assert total == 1 and hits[0][0].msg_id == "m2-bob"
    finally:
        await store.close()
