"""History around a message, as opening a search result far back needs: the page up to and
including a seq (V2TIM's ``lastMsgSeq``) and the pages newer than a message
(``HistoryType.CLOUD_NEWER`` / ``LOCAL_NEWER``), through the real service and from the cache
alone — online the newer pages join each other without gaps or duplicates up to the newest,
offline a page stops where the cache cannot prove what follows."""

from __future__ import annotations

from pathlib import Path

from app.sdk import HistoryType
from tests.support.clients import connect
from tests.support.service import Service

TOTAL = 150


async def _history(peers) -> None:
    """Bob writes alice TOTAL lines while she is away (her account exists)."""
    await (await peers("alice", device="first")).close()
    bob = await peers("bob")
    for n in range(1, TOTAL + 1):
        await bob.mm.send_message(bob.mm.create_text_message(f"line {n}"), receiver="alice")


def _numbers(messages) -> list[int]:
    return [int(m.text_elem.text.split()[1]) for m in messages]


async def test_newer_pages_from_far_back_join_up_to_the_newest(peers, service: Service,
                                                                tmp_path: Path):
    await _history(peers)
    alice = await peers("alice")  # a fresh device: catch-up took the newest page only
    mm = alice.mm

    around = await mm.get_history_page("c2c_bob", 20, last_msg_seq=50)
    assert _numbers(around.messages) == list(range(50, 30, -1))  # the hit included, newest first
    assert not around.gap_before and not around.is_finished

    seen = _numbers(reversed(around.messages))
    last = around.messages[0]
    pages = 0
    while True:
        page = await mm.get_history_page("c2c_bob", 40, last, HistoryType.CLOUD_NEWER)
        pages += 1
        assert not page.gap_after
        seen += _numbers(page.messages)  # oldest first
        if page.is_finished:
            break
        last = page.messages[-1]
        assert pages < 10
    assert seen == list(range(31, TOTAL + 1))  # no gap, no duplicate, up to the newest

    # at the newest: nothing newer, finished
    newest = await mm.get_history_page("c2c_bob", 40, last_msg_seq=TOTAL + 1,
                                       get_type=HistoryType.CLOUD_NEWER)
    assert newest.messages == [] and newest.is_finished

    # everything between is now in the cache: the local pages say the same, offline too
    await alice.close()
    service.kill()
    offline = await connect(service, "alice", tmp_path / "clients" / "alice-main", login=False)
    try:
        await offline.client.init_storage("alice")
        local = await offline.mm.get_history_page("c2c_bob", 100, last_msg_seq=40,
                                                  get_type=HistoryType.CLOUD_NEWER)
        assert _numbers(local.messages) == list(range(40, 140))
        assert not local.gap_after and not local.is_finished
        rest = await offline.mm.get_history_page("c2c_bob", 100, local.messages[-1],
                                                 HistoryType.LOCAL_NEWER)
        assert _numbers(rest.messages) == list(range(140, TOTAL + 1)) and rest.is_finished
    finally:
        await offline.close()


async def test_a_newer_page_offline_stops_where_the_cache_cannot_prove_what_follows(
        peers, service: Service, tmp_path: Path):
    await _history(peers)
    alice = await peers("alice")
    island = await alice.mm.get_history_page("c2c_bob", 20, last_msg_seq=60)
    assert _numbers(island.messages) == list(range(60, 40, -1))

    # from the cache alone: the island's messages, then a gap (61… are on the service only)
    local = await alice.mm.get_history_page("c2c_bob", 40, last_msg_seq=45,
                                            get_type=HistoryType.LOCAL_NEWER)
    assert _numbers(local.messages) == list(range(45, 61))
    assert local.gap_after and not local.is_finished
    beyond = await alice.mm.get_history_page("c2c_bob", 40, island.messages[0],
                                             HistoryType.LOCAL_NEWER)
    assert beyond.messages == [] and beyond.gap_after

    # the newest page the catch-up took is proven up to the newest, pending messages follow
    top = await alice.mm.get_history_page("c2c_bob", 40, last_msg_seq=TOTAL - 5,
                                          get_type=HistoryType.LOCAL_NEWER)
    assert _numbers(top.messages) == list(range(TOTAL - 5, TOTAL + 1)) and top.is_finished

    # online, the same request goes to the service and joins the island to the newest
    cloud = await alice.mm.get_history_page("c2c_bob", 40, island.messages[0],
                                            HistoryType.CLOUD_NEWER)
    assert _numbers(cloud.messages) == list(range(61, 101)) and not cloud.gap_after

    # a message I deleted is a tombstone: the page runs over it without a gap
    victim = next(m for m in cloud.messages if m.text_elem.text == "line 70")
    await alice.mm.delete_messages([victim])
    await alice.close()
    service.kill()
    offline = await connect(service, "alice", tmp_path / "clients" / "alice-main", login=False)
    try:
        await offline.client.init_storage("alice")
        page = await offline.mm.get_history_page("c2c_bob", 30, last_msg_seq=65,
                                                 get_type=HistoryType.CLOUD_NEWER)
        assert _numbers(page.messages) == [n for n in range(65, 95) if n != 70]
        assert not page.gap_after
    finally:
        await offline.close()
