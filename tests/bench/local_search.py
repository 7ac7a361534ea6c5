"""Local search over a big cache, beside a ceiling measured in the same run:

- a cache of ``--messages`` (1,000,000) messages in 2,000 conversations, mixed Chinese and
  English lines of words drawn in Zipf order from 3,000 Chinese and 1,500 English ones (the
  words searched for are the 51st most common: frequent, not the most), stored through the
  cache's own table so its triggers build the index as a real cache's would (the build time
  is printed too);
- the SDK's search (``MessageSearch``: the MATCH, the join with ``messages``, the newest-first
  page of 50 decoded) for a two-character Chinese word and an English word, in one conversation
  and across all of them, p50/p99 over ``--runs`` runs;
- beside the bare engine: the same MATCH on the FTS5 table alone, counting its rows (no join,
  no ordering, no decoding) — what SQLite itself needs to find the matches.

DESIGN §6 target: ≤ 100 ms p50 for a two-character Chinese query and an English word.

    python -m tests.bench.local_search [--messages 1000000] [--runs 20]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import msgspec
import sqlite_utils

from app.protocol import Message, TextElem
from app.sdk.cache import search
from app.sdk.cache.search import SearchFilter, match_query
from app.sdk.cache.store import CacheStore

COMMON = ("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着"
          "去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行"
          "方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美"
          "点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第"
          "门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处")
CONVERSATIONS = 2000
BATCH = 20_000
RANK = 50
"""Where the words searched for sit in their vocabularies' Zipf order: common, not the most."""


def vocabularies(rng: random.Random) -> tuple[list[str], list[str]]:
    """3,000 two-character Chinese words and 1,500 Latin ones (made up, so no other word
    starts with "meeting"), each list in Zipf rank order, with 跑步 and "meeting" placed at
    ``RANK``."""
    zh = list(dict.fromkeys(rng.choice(COMMON) + rng.choice(COMMON) for _ in range(4000)))
    zh = [w for w in zh if w != "跑步"][:2999]
    zh.insert(RANK, "跑步")
    letters = "abcdefghijklmnopqrstuvwxyz"
    en = list(dict.fromkeys("".join(rng.choices(letters, k=rng.randint(4, 9)))
                            for _ in range(3000)))
    en = [w for w in en if not w.startswith("meeting")][:1499]
    en.insert(RANK, "meeting")
    return zh, en


def line(rng: random.Random, zh: list[str], en: list[str],
         zh_weights: list[float], en_weights: list[float]) -> str:
    count = rng.randint(3, 10)
    words = []
    for _ in range(count):
        if rng.random() < 0.6:
            words.append(rng.choices(zh, cum_weights=zh_weights)[0])
        else:
            words.append(f" {rng.choices(en, cum_weights=en_weights)[0]} ")
    return "".join(words).strip()


def build(path: Path, count: int, seed: int = 7) -> float:
    """Rows straight into the cache's ``messages`` on a connection of its own, with the
    functions the index's triggers call registered on it, as the cache thread has them."""
    rng = random.Random(seed)
    zh, en = vocabularies(rng)
    zh_weights = list(itertools.accumulate(1 / (r + 1) for r in range(len(zh))))
    en_weights = list(itertools.accumulate(1 / (r + 1) for r in range(len(en))))
    encode = msgspec.json.Encoder().encode
    db = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
    search.install(db)
    started = time.perf_counter()
    rows = []
    seqs = [0] * CONVERSATIONS
    for i in range(count):
        conv = rng.randrange(CONVERSATIONS)
        seqs[conv] += 1
        wire = Message(msg_id=f"b{i}", conv_type=1, sender=f"user{conv}", receiver="me",
                       seq=seqs[conv], time=1_700_000_000_000 + i * 1000,
                       elems=[TextElem(line(rng, zh, en, zh_weights, en_weights))])
        rows.append((f"c2c_user{conv}", wire.seq, wire.msg_id, wire.sender, wire.time, 2,
                     encode(wire).decode()))
        if len(rows) == BATCH or i == count - 1:
            with db.conn:
                db.conn.executemany(
                    "INSERT INTO messages(conv_id, seq, msg_id, sender, time, status, body) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            rows.clear()
    db.conn.close()
    return time.perf_counter() - started


def pct(data: list[float], p: float) -> float:
    ordered = sorted(data)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


async def timed(runs: int, call) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        out.append((time.perf_counter() - started) * 1000)
    return out


async def measure(store: CacheStore, path: Path, runs: int) -> None:
    engine = sqlite3.connect(path)

    async def bare(query: str) -> int:
        return engine.execute("SELECT COUNT(*) FROM message_search WHERE message_search "
                              "MATCH ?", [query]).fetchone()[0]

    print(f"{'query':<34} {'p50 ms':>8} {'p99 ms':>8} {'bare p50':>9} {'÷ bare':>7} {'hits':>8}")
    for word in ("跑步", "meeting"):
        query = match_query(word)
        assert query is not None
        hits = await bare(query)
        ceiling = statistics.median(await timed(runs, lambda q=query: bare(q)))
        one = await timed(runs, lambda q=query: store.search.in_conversation(
            q, SearchFilter(conv_id="c2c_user42"), 50, 0))
        every = await timed(runs, lambda q=query: store.search.by_conversation(
            q, SearchFilter(), 50, 0))
        for label, data in ((f"{word!r} in one conversation", one),
                            (f"{word!r} across all, by conversation", every)):
            p50 = statistics.median(data)
            print(f"{label:<34} {p50:>8.1f} {pct(data, 0.99):>8.1f} {ceiling:>9.1f} "
                  f"{p50 / ceiling:>7.2f} {hits:>8}")
    print("target: ≤ 100 ms p50 for a two-character Chinese query and an English word "
          "(DESIGN §6)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cache.db"
        store = CacheStore(path, "me")
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        loop.run_until_complete(store.open())  # the schema, then the rows beside it
        seconds = build(path, args.messages)
        print(f"cache of {args.messages} messages in {CONVERSATIONS} conversations built and "
              f"indexed in {seconds:.0f} s ({args.messages / seconds:.0f} msg/s)")
        loop.run_until_complete(measure(store, path, args.runs))
        loop.run_until_complete(store.close())


if __name__ == "__main__":
    main()
