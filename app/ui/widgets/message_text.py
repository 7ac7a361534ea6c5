"""A message's text as the timeline lays it out: forced line breaks kept, links found.

QTextLayout draws a "\\n" as nothing at all ("line one⏎line two" shows as "line oneline two");
it breaks lines only at U+2028, so every kind of newline becomes that one character. The
replacement is one character for one, so positions in the laid-out text are positions in what
the user selects and copies (where U+2028 turns back into "\\n").
"""

from __future__ import annotations

import re

LINE_BREAK = "\u2028"

_NEWLINES = re.compile("\r\n|[\r\n\u0085]")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`“”‘’，。！？、；：（）「」《》【】]+",
                  re.IGNORECASE)
_TRAILING = ".,;:!?*_~"
_PAIRS = {")": "(", "]": "[", "}": "{"}


def display_text(text: str) -> str:
    """`text` with its line breaks in the form QTextLayout honours (CRLF counts as one)."""
    return _NEWLINES.sub(LINE_BREAK, text)


def find_links(text: str) -> list[tuple[int, int, str]]:
    """(start, end, url) of each web address in `text`; punctuation that ends a sentence and a
    closing bracket the address did not open are not part of it, as in every messenger."""
    links = []
    for match in _URL.finditer(text):
        start, end = match.span()
        while end > start:
            last = text[end - 1]
            unopened = last in _PAIRS and (
                text.count(last, start, end) > text.count(_PAIRS[last], start, end))
            if last not in _TRAILING and not unopened:
                break
            end -= 1
        address = text[start:end]
        if address.lower() in ("http://", "https://", "www."):
            continue
        url = address if "://" in address else "https://" + address
        links.append((start, end, url))
    return links
