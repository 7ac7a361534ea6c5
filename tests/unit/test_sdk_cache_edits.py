"""The cache's version rule for edited messages, on a real SQLite file: a copy takes an edit
only with a higher ``modify_version``, whichever path brings it and in whatever order, and the
full-text index and the conversation's last message follow."""

from __future__ import annotations

import msgspec

from app.protocol import ConversationState, Message, TextElem
from app.sdk.cache.search import SearchFilter, match_query
from app.sdk.cache.store import CacheStore


def wire(seq: int, text: str, version: int = 0) -> Message:
    return Message(msg_id=f"m{seq}", conv_type=1, sender="bob", receiver="me", seq=seq,
                   time=1000 + seq, elems=[TextElem(text)], modify_version=version,
                   modify_time=5000 + version if version else 0)


async def texts(cache: CacheStore) -> list[str]:
    page, _gap = await cache.messages_before("c2c_bob", 0, 10, include_pending=False)
    return [m.wire.elems[0].text for m in reversed(page)]


async def found(cache: CacheStore, word: str) -> int:
    query = match_query(word)
    assert query is not None
    total, _ = await cache.search.in_conversation(query, SearchFilter(), 10, 0)
    return total


async def test_edits_arriving_out_of_order_end_at_the_highest_version(tmp_path) -> None:
    cache = CacheStore(tmp_path / "cache.db", "me")
    await cache.open()
    try:
        await cache.store_messages([wire(1, "first"), wire(2, "breakfast at nine")])
        second = await cache.take_edits("c2c_bob", [wire(2, "lunch at noon", 2)])
        assert list(second.modified) == ["m2"] and second.touched == {"c2c_bob"}
        late = await cache.take_edits("c2c_bob", [wire(2, "brunch at ten", 1)])
        assert late.modified == {} and late.touched == set()  # older than what is held
        again = await cache.take_edits("c2c_bob", [wire(2, "lunch at noon", 2)])
        assert again.modified == {}  # the same version twice is announced once
        assert await texts(cache) == ["first", "lunch at noon"]
        assert await found(cache, "lunch") == 1
        assert await found(cache, "breakfast") == 0 and await found(cache, "brunch") == 0

        # A pull or a state's last message with the older text changes nothing either.
        pulled = await cache.store_messages([wire(2, "breakfast at nine")])
        assert pulled.modified == {}
        assert await texts(cache) == ["first", "lunch at noon"]
        ((_conv, last, _unread),) = await cache.conversations(["c2c_bob"])
        assert last is not None and last.wire.elems[0].text == "lunch at noon"
        assert last.wire.modify_version == 2

        # A catch-up's state names the newest edit; a message not cached stays uncached.
        state = ConversationState("c2c_bob", 1, max_seq=2, read_seq=2, version=7,
                                  modified=[wire(1, "first, edited", 1),
                                            wire(9, "not held here", 1)])
        caught = await cache.apply_states([state])
        assert list(caught.modified) == ["m1"]
        assert await texts(cache) == ["first, edited", "lunch at noon"]
        assert await cache.message_status("m9", "bob") is None
    finally:
        await cache.close()


async def test_a_recalled_copy_takes_no_edit(tmp_path) -> None:
    cache = CacheStore(tmp_path / "cache.db", "me")
    await cache.open()
    try:
        await cache.store_messages([wire(1, "oops")])
        await cache.mark_revoked("c2c_bob", [1])
        result = await cache.take_edits("c2c_bob", [wire(1, "fixed", 1)])
        assert result.modified == {}
        page, _ = await cache.messages_before("c2c_bob", 0, 10, include_pending=False)
        assert page[0].wire.revoked and page[0].wire.elems == []
        assert await found(cache, "fixed") == 0
        assert msgspec.json.encode(page[0].wire)  # still a valid stored body
    finally:
        await cache.close()
