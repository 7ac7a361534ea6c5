"""What a client is talking to: the identity of the store and the epoch of this process, both
sent in every ``LoginResp`` so a client can tell when what it holds may no longer match."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from app.server.store import meta as meta_store
from app.server.store.db import Database


@dataclass(frozen=True, slots=True)
class StoreIdentity:
    store_id: str
    """Made once when the database is created and kept in it: a different value means the data
    was replaced, so nothing a client holds can be trusted to match."""
    epoch: str
    """A fresh random value each time the service process starts.

    Per start is the right granularity because a service cannot know what happened to its data
    while it was down: a data directory restored from a backup looks exactly like a restart (same
    ``store_id``, an older log). So the client verifies what it holds (``ConvSyncReq.tips``)
    whenever the epoch changes; that costs one indexed lookup per conversation after each
    restart, and catches every restore. When the service runs as several nodes each node has its
    own epoch, and a client moving between nodes just verifies a little more often.
    """

    @classmethod
    async def open(cls, db: Database) -> StoreIdentity:
        async with db.write() as conn:
            store_id = await meta_store.store_id(conn)
        return cls(store_id, secrets.token_hex(8))
