"""What a search result marks as matched: the index's own rule (``app.sdk.cache.search``) —
CJK characters together and in order, Latin words by prefix at a word start, any case — and
snippets that start near the first match, cheap however long the message."""

from __future__ import annotations

import time

import pytest

from app.ui.search_text import match_spans, snippet


@pytest.mark.parametrize(("text", "query", "marked"), [
    ("今天晚上去滨江步道跑步", "跑步", ["跑步"]),
    ("今天晚上去滨江步道跑步", "步跑", []),
    ("我们周六跑 10K", "跑", ["跑"]),
    ("Hello there, HELLO again, sayhello", "hel", ["Hel", "HEL"]),
    ("Tidings好用吗？", "Tidings好用", ["Tidings好用"]),
    ("好hello", "hel", ["hel"]),
    ("配速 6:30", "6", ["6"]),
    ("running shoes and a run", "run shoes", ["run", "shoes", "run"]),
    ("İstanbul runs", "run", ["run"]),  # a character whose lower case is longer
    ("跑，步", "跑步", ["跑，步"]),  # punctuation between is a token boundary, as in FTS5
])
def test_marks_what_the_index_matched(text: str, query: str, marked: list[str]) -> None:
    assert [text[s:e] for s, e in match_spans(text, query)] == marked


def test_a_snippet_starts_near_the_first_match_at_a_word() -> None:
    text = "a very long preamble that goes on and on and on before we finally say hello world"
    shown, spans = snippet(text, "hello")
    assert shown == "…on before we finally say hello world"
    assert [shown[s:e] for s, e in spans] == ["hello"]
    assert snippet("line one\nline two", "two") == ("line one line two", [(14, 17)])


def test_a_long_message_costs_little() -> None:
    far = "x" * 12_000 + " running"
    started = time.perf_counter()
    for _ in range(40):
        shown, spans = snippet(far, "跑步 run")
    assert (time.perf_counter() - started) < 0.02  # 40 results well within a frame
    assert shown.startswith("…") and [shown[s:e] for s, e in spans] == ["run"]
