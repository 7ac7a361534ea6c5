"""Local full-text search over every cached message, Chinese included.

FTS5's trigram tokenizer cannot find a word shorter than three characters, and most Chinese
words are one or two. So the index is FTS5 with ``unicode61`` over a text in which every CJK
character stands apart as its own token (``spaced``), and a query's CJK run is a phrase of its
characters — "跑步" is the phrase ``"跑 步"``, found only where the two stand together, in that
order. Latin words stay whole and match by prefix ("hel" finds "hello"). What is indexed per
message: a text's text, a file's name, a location's description, a custom message's
description, a bundle's title; a recalled or deleted message indexes nothing.

The index follows the ``messages`` table through triggers, so no writer of the cache can forget
it; the triggers call ``tidings_search_text`` and ``tidings_conv_token``, registered on the
cache's one connection (``install``) before the schema is made, and the first element's type
tag sits beside the text so a type filter does not need the body.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import msgspec

from app.protocol.elements import ELEM_TYPES, ElemType
from app.protocol.messages import Message as WireMessage

from ..models import MessageStatus
from .worker import CacheWorker

if TYPE_CHECKING:
    import sqlite_utils

_CJK = re.compile("([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
                  "\U00020000-\U0002fa1f])")
_TOKEN = re.compile(r"\w+")
_decode = msgspec.json.Decoder(WireMessage).decode


class _Words(msgspec.Struct):
    """The fields of any element that hold words (text, file name, location, custom
    description, bundle title), read without telling the element types apart: the trigger
    runs for every message stored, so it decodes no more than it indexes."""

    text: str = ""
    name: str = ""
    desc: str = ""
    description: str = ""
    title: str = ""


class _Indexed(msgspec.Struct):
    elems: list[_Words] = []
    revoked: bool = False
    deleted: bool = False


_decode_words = msgspec.json.Decoder(_Indexed).decode
_HIDDEN = (MessageStatus.HAS_DELETED, MessageStatus.LOCAL_REVOKED)
_TAGS = {elem.elem_type: elem.__struct_config__.tag for elem in ELEM_TYPES}
"""An element type → the tag its JSON carries, which the index keeps (``kind``)."""

SCHEMA = (
    "CREATE VIRTUAL TABLE message_search USING fts5("
    "text, conv, kind UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN "
    "INSERT INTO message_search(rowid, text, conv, kind) VALUES (new.id, "
    "tidings_search_text(new.body, new.status), tidings_conv_token(new.conv_id), "
    "json_extract(new.body, '$.elems[0].type')); END",
    "CREATE TRIGGER message_search_update AFTER UPDATE OF body, status ON messages BEGIN "
    "UPDATE message_search SET text = tidings_search_text(new.body, new.status), "
    "kind = json_extract(new.body, '$.elems[0].type') WHERE rowid = new.id; END",
    "CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN "
    "DELETE FROM message_search WHERE rowid = old.id; END",
)
BACKFILL = ("INSERT INTO message_search(rowid, text, conv, kind) SELECT id, "
            "tidings_search_text(body, status), tidings_conv_token(conv_id), "
            "json_extract(body, '$.elems[0].type') FROM messages")


def create_index(db: sqlite_utils.Database) -> None:
    """The index and its triggers, filled from what the cache already holds (a cache made
    before search was): once."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'message_search'").fetchone():
        return
    for statement in SCHEMA:
        db.execute(statement)
    db.execute(BACKFILL)


def spaced(text: str) -> str:
    return _CJK.sub(r" \1 ", text)


def search_text(body: str, status: int) -> str:
    """What of a stored message the index finds it by."""
    if status in _HIDDEN:
        return ""
    msg = _decode_words(body)
    if msg.revoked or msg.deleted:
        return ""
    return spaced(" ".join(w for e in msg.elems
                           for w in (e.text, e.name, e.desc, e.description, e.title) if w))


def conv_token(conv_id: str) -> str:
    """A conversation as one token of the index, so a search in one conversation is an
    intersection inside FTS5 rather than a look at every match's row; the join with
    ``messages`` still checks the ID itself."""
    return "k" + hashlib.blake2b(conv_id.encode(), digest_size=10).hexdigest()


def install(db: sqlite_utils.Database) -> None:
    """Register the functions the index's triggers call, on this connection."""
    db.conn.create_function("tidings_search_text", 2, search_text, deterministic=True)
    db.conn.create_function("tidings_conv_token", 1, conv_token, deterministic=True)


def match_query(keyword: str) -> str | None:
    """The FTS5 query for what the user typed: every word must be there (AND), a word being
    the phrase of its tokens with the last one a prefix; None when nothing searchable was
    typed (punctuation only)."""
    phrases = []
    for word in keyword.split():
        tokens = _TOKEN.findall(spaced(word))
        if tokens:
            phrases.append('text : "' + " ".join(tokens) + '"*')
    return " AND ".join(phrases) if phrases else None


@dataclass(frozen=True, slots=True)
class SearchFilter:
    """Which messages a search looks at; empty fields do not filter."""

    conv_id: str = ""
    senders: Sequence[str] = ()
    kinds: Sequence[int] = ()
    """Element types (``ElemType``)."""
    since_ms: int = 0
    until_ms: int = 0
    """Times are a half-open range ``[since_ms, until_ms)``; 0 leaves that end open."""


@dataclass(frozen=True, slots=True)
class ConversationHits:
    conv_id: str
    count: int
    newest: WireMessage
    newest_status: MessageStatus


class MessageSearch:
    def __init__(self, worker: CacheWorker) -> None:
        self._worker = worker

    async def in_conversation(self, query: str, where: SearchFilter, limit: int, offset: int
                              ) -> tuple[int, list[tuple[WireMessage, MessageStatus]]]:
        """How many messages match, and a page of them newest first (in one conversation, or
        in all of them when the filter names none)."""
        sql, args = _where(query, where)

        def q(db: sqlite_utils.Database) -> tuple[int, list[tuple[WireMessage, MessageStatus]]]:
            total = db.execute(f"SELECT COUNT(*) {sql}", args).fetchone()[0]
            rows = db.execute(f"SELECT m.body, m.status {sql} ORDER BY m.time DESC, m.id DESC "
                              "LIMIT ? OFFSET ?", [*args, limit, offset]).fetchall()
            return total, [(_decode(body), MessageStatus(status)) for body, status in rows]
        return await self._worker.run(q)

    async def by_conversation(self, query: str, where: SearchFilter, limit: int, offset: int
                              ) -> tuple[int, list[ConversationHits]]:
        """How many conversations hold a match, and a page of them (most recent hit first)
        with their count of matches and the newest one."""
        sql, args = _where(query, where)

        def q(db: sqlite_utils.Database) -> tuple[int, list[ConversationHits]]:
            newest = (f"SELECT conv_id, hits, id, time FROM (SELECT m.conv_id, m.id, m.time, "
                      "COUNT(*) OVER (PARTITION BY m.conv_id) AS hits, ROW_NUMBER() OVER "
                      "(PARTITION BY m.conv_id ORDER BY m.time DESC, m.id DESC) AS place "
                      f"{sql}) WHERE place = 1")
            total = db.execute(f"SELECT COUNT(*) FROM ({newest})", args).fetchone()[0]
            groups = db.execute(f"{newest} ORDER BY time DESC, id DESC LIMIT ? OFFSET ?",
                                [*args, limit, offset]).fetchall()
            out = []
            for conv_id, count, row_id, _time in groups:
                body, status = db.execute("SELECT body, status FROM messages WHERE id = ?",
                                          [row_id]).fetchone()
                out.append(ConversationHits(conv_id, count, _decode(body),
                                            MessageStatus(status)))
            return total, out
        return await self._worker.run(q)


def _where(query: str, where: SearchFilter) -> tuple[str, list[object]]:
    if where.conv_id:
        query = f"({query}) AND conv : {conv_token(where.conv_id)}"
    # CROSS JOIN keeps FTS5 the outer loop: with a conversation named, the planner would
    # otherwise walk that conversation's messages and run the MATCH once for each.
    sql = ("FROM message_search s CROSS JOIN messages m ON m.id = s.rowid "
           "WHERE message_search MATCH ?")
    args: list[object] = [query]
    if where.conv_id:
        sql += " AND m.conv_id = ?"
        args.append(where.conv_id)
    if where.senders:
        sql += f" AND m.sender IN ({', '.join('?' * len(where.senders))})"
        args += list(where.senders)
    if where.kinds:
        tags = [_TAGS[ElemType(k)] for k in where.kinds if ElemType(k) in _TAGS]
        sql += f" AND s.kind IN ({', '.join('?' * len(tags))})"
        args += tags
    if where.since_ms:
        sql += " AND m.time >= ?"
        args.append(where.since_ms)
    if where.until_ms:
        sql += " AND m.time < ?"
        args.append(where.until_ms)
    return sql, args
