"""Where what the user typed into a search occurs in a message's text, for highlighting.

The SDK finds messages as its FTS5 index does (``app.sdk.cache.search``): every CJK character
is a token, so a Chinese word matches where its characters stand together in that order; a
Latin word matches a word that starts with it, in any case. These spans follow the same rule,
so what is bold in a snippet is what made the message a result.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.sdk.cache.search import spaced

_CJK = ("\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
        "\U00020000-\U0002fa1f")
_TOKEN = re.compile(r"\w+")
_START = f"(?<![^\\W{_CJK}])"
"""Not inside a Latin word (a CJK character before it is a token boundary)."""

Span = tuple[int, int]


@lru_cache(maxsize=64)
def _patterns(query: str) -> tuple[re.Pattern[str], ...]:
    out = []
    for word in query.split():
        tokens = _TOKEN.findall(spaced(word))
        if not tokens:
            continue
        parts = [re.escape(t) for t in tokens]
        out.append(re.compile(_START + r"[\W_]*".join(parts), re.IGNORECASE))
    return tuple(out)


def match_spans(text: str, query: str) -> list[Span]:
    """(start, end) of every occurrence of the query's words in `text`, sorted, merged."""
    spans: list[Span] = []
    for pattern in _patterns(query.strip()):
        spans.extend(m.span() for m in pattern.finditer(text) if m.end() > m.start())
    spans.sort()
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, query: str, before: int = 28) -> tuple[str, list[Span]]:
    """One line of `text` to show in a result: line breaks as spaces and, when the first
    match is far in, starting a little before it (after "…"); with the spans to highlight."""
    flat = " ".join(text.split())
    spans = match_spans(flat, query)
    if spans and spans[0][0] > before:
        cut = spans[0][0] - before
        space = flat.find(" ", cut, spans[0][0])
        if 0 <= space < cut + 12:
            cut = space + 1  # start at a word
        flat = "…" + flat[cut:]
        spans = [(s - cut + 1, e - cut + 1) for s, e in spans]
    return flat, spans
