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
_CJK_CHAR = re.compile(f"[{_CJK}]")
_TOKEN = re.compile(r"\w+")

Span = tuple[int, int]


@lru_cache(maxsize=64)
def _patterns(query: str) -> tuple[re.Pattern[str], ...]:
    """One pattern per typed word, over lower-cased text (a literal first, which the regex
    engine scans for quickly; the word-start rule is checked on each match)."""
    out = []
    for word in query.lower().split():
        tokens = _TOKEN.findall(spaced(word))
        if tokens:
            out.append(re.compile(r"[\W_]*".join(re.escape(t) for t in tokens)))
    return tuple(out)


def _starts_word(text: str, at: int) -> bool:
    """A Latin word starts at `at` (a CJK character before it is a token boundary too)."""
    if at == 0 or _CJK_CHAR.match(text, at):
        return True
    before = text[at - 1]
    return not (before.isalnum() or before == "_") or bool(_CJK_CHAR.match(before))


def _matches(text: str, query: str, first_only: bool = False) -> list[Span]:
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer: keep positions
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    spans: list[Span] = []
    for pattern in _patterns(query.strip()):
        for m in pattern.finditer(lowered):
            if m.end() > m.start() and _starts_word(lowered, m.start()):
                spans.append(m.span())
                if first_only:
                    break
    return sorted(spans)


def match_spans(text: str, query: str) -> list[Span]:
    """(start, end) of every occurrence of the query's words in `text`, sorted, merged."""
    merged: list[Span] = []
    for start, end in _matches(text, query):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, query: str, before: int = 28, length: int = 240
            ) -> tuple[str, list[Span]]:
    """One line of `text` to show in a result: line breaks as spaces and, when the first
    match is far in, starting a little before it (after "…"); at most `length` characters
    (a row shows fewer), with the spans to highlight. Only the first match is looked for in
    the whole text, so a long message costs little more than a short one."""
    flat = " ".join(text.split())
    found = _matches(flat, query, first_only=True)
    cut = 0
    if found and found[0][0] > before:
        start = found[0][0]
        cut = start - before
        space = flat.find(" ", cut, start)
        if 0 <= space < cut + 12:
            cut = space + 1  # start at a word
    shown = flat[cut:cut + length]
    spans = match_spans(shown, query)
    if cut:
        return "…" + shown, [(s + 1, e + 1) for s, e in spans]
    return shown, spans
