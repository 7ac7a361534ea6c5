"""Builds a user's cache as a long-time user would have it, without a service: many
conversations, long histories, names. The desktop benchmarks open the app on it."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from app.protocol import ConversationState, Profile, TextElem
from app.protocol import Message as WireMessage
from app.sdk.cache.store import CacheStore

SDK_APP_ID = 1400000001
ME = "bench-me"
LINES = [
    "明天下午三点开会，别忘了带上季度报告",
    "Sure, see you at the usual place",
    "The build is green again — thanks for the quick fix!",
    "周末去爬山吗？天气预报说是晴天。",
    "Can you send me the slides from this morning? I want to reuse two of the charts.",
    "收到 👍",
]


def cache_path(data_dir: Path, user: str = ME) -> Path:
    return data_dir / str(SDK_APP_ID) / user / "cache.db"


async def build(data_dir: Path, conversations: int, per_conversation: int,
                batch: int = 5000) -> float:
    """Fill the cache; returns seconds taken."""
    started = time.perf_counter()
    store = CacheStore(cache_path(data_dir), ME)
    await store.open()
    now = int(time.time() * 1000)
    span = per_conversation * 60_000
    states = []
    pending: list[WireMessage] = []
    for c in range(conversations):
        peer = f"peer{c:04d}"
        for seq in range(1, per_conversation + 1):
            mine = seq % 3 == 0
            pending.append(WireMessage(
                msg_id=f"m{c}-{seq}", conv_type=1, sender=ME if mine else peer,
                receiver=peer if mine else ME, seq=seq,
                time=now - span + seq * 60_000 - c * 1000,
                elems=[TextElem(f"{LINES[(seq + c) % len(LINES)]} #{seq}")]))
            if len(pending) >= batch:
                await store.store_messages(pending)
                pending = []
        states.append(ConversationState(
            conv_id=f"c2c_{peer}", conv_type=1, max_seq=per_conversation,
            read_seq=per_conversation - (c % 4), unread=c % 4,
            peer_read_seq=per_conversation - 1, version=c + 1))
    if pending:
        await store.store_messages(pending)
    await store.apply_states(states)
    await store.profiles.save(
        [Profile(f"peer{c:04d}", f"Contact {c:04d}" if c % 2 else f"联系人 {c:04d}")
         for c in range(conversations)] + [Profile(ME, "Bench")])
    await store.set_value("synced_once", "1")
    await store.set_value("state_version", str(conversations))
    await store.close()
    return time.perf_counter() - started


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1])
    took = asyncio.run(build(target, int(sys.argv[2]), int(sys.argv[3])))
    print(f"built {sys.argv[2]}×{sys.argv[3]} in {took:.1f}s at {cache_path(target)}")
