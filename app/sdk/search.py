"""Searching the messages this device holds (V2TIM ``searchLocalMessages``), offline too.

The parameters and the result mirror V2TIMMessageSearchParam / V2TIMMessageSearchResult: in one
conversation the result is a page of its matching messages, newest first, and ``total_count``
counts them; across all conversations it is a page of conversations, the one with the most
recent match first, each with how many of its messages match and the newest of them, and
``total_count`` counts those conversations. How words are found is ``cache/search.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING

from app.protocol import ErrorCode, IMError

from .cache.search import SearchFilter, match_query
from .models import Message

if TYPE_CHECKING:
    from .client import IMClient

PAGE_MAX = 100


class KeywordMatch(IntEnum):
    """V2TIM_KEYWORD_LIST_MATCH_TYPE_*: any keyword, or all of them."""

    OR = 0
    AND = 1


@dataclass(slots=True)
class MessageSearchParam:
    keyword_list: Sequence[str]
    keyword_list_match_type: KeywordMatch = KeywordMatch.OR
    message_type_list: Sequence[int] = ()
    """Element types (``ElemType``) to keep; empty: every type."""
    conversation_id: str = ""
    sender_user_id_list: Sequence[str] = ()
    search_time_position: int = 0
    """Seconds since the epoch the search looks back from; 0: now."""
    search_time_period: int = 0
    """How many seconds back from the position; 0: all the way."""
    page_size: int = 50
    page_index: int = 0
    group_by_conversation: bool = True
    """Across all conversations (no ``conversation_id``): a page of conversations (V2TIM's
    way), or, when False, one item (``conversation_id`` "") holding a page of the matching
    messages of every conversation, newest first, with ``total_count`` counting messages — a
    search panel's list of results."""


@dataclass(slots=True)
class MessageSearchResultItem:
    conversation_id: str
    message_count: int
    message_list: list[Message] = field(default_factory=list)


@dataclass(slots=True)
class MessageSearchResult:
    total_count: int
    message_search_result_items: list[MessageSearchResultItem] = field(default_factory=list)


def _query(param: MessageSearchParam) -> str:
    phrases = [q for q in (match_query(k) for k in param.keyword_list) if q]
    if not phrases:
        raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, "keyword_list: nothing to search for")
    joiner = " AND " if param.keyword_list_match_type == KeywordMatch.AND else " OR "
    return joiner.join(f"({p})" for p in phrases)


def _filter(param: MessageSearchParam, now_ms: int) -> SearchFilter:
    position_ms = param.search_time_position * 1000
    since_ms = ((position_ms or now_ms) - param.search_time_period * 1000
                if param.search_time_period else 0)
    return SearchFilter(conv_id=param.conversation_id,
                        senders=tuple(param.sender_user_id_list),
                        kinds=tuple(int(k) for k in param.message_type_list),
                        since_ms=since_ms, until_ms=position_ms)


async def search_local_messages(client: IMClient, param: MessageSearchParam
                                ) -> MessageSearchResult:
    if not 1 <= param.page_size <= PAGE_MAX or param.page_index < 0:
        raise IMError(ErrorCode.SDK_INVALID_PARAMETERS,
                      f"page_size: 1–{PAGE_MAX}; page_index: 0 or more")
    query, where = _query(param), _filter(param, client.server_time_ms())
    offset = param.page_index * param.page_size
    me = client.me
    search = client.cache.search
    if param.conversation_id or not param.group_by_conversation:
        total, hits = await search.in_conversation(query, where, param.page_size, offset)
        messages = [Message.from_wire(wire, me, status) for wire, status in hits]
        return MessageSearchResult(total, [MessageSearchResultItem(
            param.conversation_id, total, messages)])
    total, groups = await search.by_conversation(query, where, param.page_size, offset)
    return MessageSearchResult(total, [
        MessageSearchResultItem(g.conv_id, g.count,
                                [Message.from_wire(g.newest, me, g.newest_status)])
        for g in groups])
