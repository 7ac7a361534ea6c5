"""The cache's one thread after the client closed it: work still in flight (a sync step when the
app quits) is refused with a code instead of opening the file again on a connection that lacks
the functions the search index's triggers call."""

from __future__ import annotations

import pytest

from app.protocol import ErrorCode, IMError, Message, TextElem
from app.sdk.cache.search import SearchFilter, match_query
from app.sdk.cache.store import CacheStore


def wire(seq: int, text: str) -> Message:
    return Message(msg_id=f"m{seq}", conv_type=1, sender="bob", receiver="me", seq=seq,
                   time=1000 + seq, elems=[TextElem(text)])


async def test_a_closed_cache_refuses_work_with_a_code(tmp_path) -> None:
    cache = CacheStore(tmp_path / "cache.db", "me")
    await cache.open()
    await cache.store_messages([wire(1, "before")])
    await cache.close()
    with pytest.raises(IMError) as refused:
        await cache.store_messages([wire(2, "after")])
    assert refused.value.code == ErrorCode.SDK_NOT_INITIALIZED

    reopened = CacheStore(tmp_path / "cache.db", "me")
    await reopened.open()
    page, _gap = await reopened.messages_before("c2c_bob", 0, 10, include_pending=False)
    assert [m.wire.elems[0].text for m in page] == ["before"], "nothing written after close"
    await reopened.close()


async def test_every_connection_gets_the_index_functions(tmp_path) -> None:
    """The functions come with the connection, not with `open`: a write that fires the search
    triggers works on a connection `open` never prepared."""
    cache = CacheStore(tmp_path / "cache.db", "me")
    await cache.open()
    await cache.close()
    again = CacheStore(tmp_path / "cache.db", "me")  # the schema is there; no open()
    await again.store_messages([wire(1, "hello index")])
    query = match_query("index")
    assert query is not None
    total, _ = await again.search.in_conversation(query, SearchFilter(), 10, 0)
    assert total == 1
    await again.close()
