"""What the quick switcher (Ctrl+K) finds for a query: pure Python, no Qt, no SDK calls.

Candidates are the places one can go: every listed conversation, every friend and every group
I am in, each once — a friend or a group with a conversation is that conversation, matched by the
friend's remark, nickname and user ID too. `build_candidates` puts them in their prior order:
conversations as the list orders them (pinned, then the most recent), then friends, then groups.

Each candidate is matched through its *forms*: the name; for a Chinese name its full pinyin
(zhangsan, and zhang san for the syllables' starts) and its initials (zs), as `friend_names`
spells them for the contact list; a Latin name's word initials (jd for John Doe); and the
other texts (remark, nickname, user ID, group ID). `SwitcherIndex` keeps every form as one line
of a single case-folded text, lines in the candidates' prior order, and answers a query in
tiers, each a regular expression run over the whole text in C:

0. a form starts with the query;
1. a word of a form starts with it;
2. a form contains it;
3. its characters occur in order in one form (fuzzy).

A better tier always ranks first; within a tier, the prior order (recent chats first). So each
tier stops at the `limit`-th distinct candidate: the Python work of a query is bounded by the
limit, not by the number of candidates, and 5,000 candidates answer in well under a
millisecond (`tests/bench/quick_switcher.py`). A one-letter query matches the other texts (IDs,
remarks, nicknames) only at their start or a word's start: one letter somewhere inside a group
ID is noise. Building the index spells names in pinyin and is
done once per opening, off the GUI thread.
"""

from __future__ import annotations

import re
import sys
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import IntEnum
from functools import lru_cache

from app.protocol.friends import Friend
from app.protocol.groups import GroupInfo
from app.protocol.ids import C2C_PREFIX, GROUP_PREFIX
from app.sdk import Conversation
from app.ui.friend_names import pinyin_syllables, show_name, sort_key

LIMIT = 50
"""Results shown at most."""
MAX_QUERY = 64
"""Characters of a query that count (a fuzzy pattern has one group per character)."""

_WORD_BREAK = " \t-_.,;:/\\@#()[]{}<>|·•、，。（）【】「」"


class Kind(IntEnum):
    CHAT = 0
    CONTACT = 1
    GROUP = 2


@dataclass(frozen=True, slots=True)
class Candidate:
    target: str
    """The conversation ID Enter opens (for a friend without a chat, the C2C one to create)."""
    kind: Kind
    name: str
    """What the row shows as its title."""
    detail: str = ""
    """The row's second line: the user ID or group ID."""
    others: tuple[str, ...] = ()
    """Matched too: remark, nickname, user ID, group ID."""
    face_url: str = ""
    avatar_key: str = ""
    """Whose colour the initials avatar takes (the peer or group, as everywhere else)."""
    group_id: str = ""
    conversation: Conversation | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Match:
    candidate: Candidate
    tier: int
    """0 prefix, 1 word start, 2 contained, 3 fuzzy; -1 for the empty query."""
    name_positions: tuple[int, ...] = ()
    """The characters of the name the query matched, to highlight."""
    other: str = ""
    """The other text the query matched when it was not the name (a remark, a user ID)."""
    other_positions: tuple[int, ...] = ()


# --- candidates -----------------------------------------------------------------------------


def build_candidates(conversations: Iterable[Conversation], friends: Iterable[Friend],
                     groups: Iterable[GroupInfo]) -> list[Candidate]:
    """Every place to go once, in prior order: `conversations` as given (the list's order:
    pinned, then recent), then the friends and groups without a conversation, by name."""
    friends_by_id = {f.user_id: f for f in friends}
    groups_by_id = {g.group_id: g for g in groups}
    out: list[Candidate] = []
    seen: set[str] = set()
    for conv in conversations:
        if conv.conversation_id in seen:
            continue
        seen.add(conv.conversation_id)
        name = conv.show_name or conv.user_id or conv.group_id or conv.conversation_id
        if conv.group_id:
            group = groups_by_id.get(conv.group_id)
            others: tuple[str, ...] = (conv.group_id,)
            if group is not None and group.name and group.name != name:
                others = (group.name, conv.group_id)
            out.append(Candidate(conv.conversation_id, Kind.CHAT, name, conv.group_id, others,
                                 group.face_url if group else conv.face_url, conv.group_id,
                                 conv.group_id, conv))
            continue
        friend = friends_by_id.get(conv.user_id) if conv.user_id else None
        others = _person_texts(friend) if friend is not None else (conv.user_id,)
        out.append(Candidate(conv.conversation_id, Kind.CHAT, name, conv.user_id,
                             tuple(t for t in others if t),
                             conv.face_url or _face(friend), conv.user_id or conv.conversation_id,
                             "", conv))
    people = [f for f in friends_by_id.values() if C2C_PREFIX + f.user_id not in seen]
    people.sort(key=lambda f: (sort_key(show_name(f)), f.user_id))
    for friend in people:
        out.append(Candidate(C2C_PREFIX + friend.user_id, Kind.CONTACT, show_name(friend),
                             friend.user_id, _person_texts(friend), _face(friend),
                             friend.user_id))
    rooms = [g for g in groups_by_id.values() if GROUP_PREFIX + g.group_id not in seen]
    rooms.sort(key=lambda g: (sort_key(g.name or g.group_id), g.group_id))
    for group in rooms:
        out.append(Candidate(GROUP_PREFIX + group.group_id, Kind.GROUP,
                             group.name or group.group_id, group.group_id, (group.group_id,),
                             group.face_url, group.group_id, group.group_id))
    return out


def _person_texts(friend: Friend) -> tuple[str, ...]:
    nick = friend.profile.nick if friend.profile is not None else ""
    return tuple(t for t in (friend.remark, nick, friend.user_id) if t)


def _face(friend: Friend | None) -> str:
    return friend.profile.face_url if friend is not None and friend.profile is not None else ""


# --- forms ----------------------------------------------------------------------------------


Mapping = tuple[int, ...] | None
"""For each character of a form, the character of its source it stands for (-1: none);
None when the form is its source, character for character."""


def _fold(text: str) -> tuple[str, Mapping]:
    text = text.replace("\n", " ").replace("\r", " ")
    if text.isascii():
        return text.lower(), None
    chars: list[str] = []
    mapping: list[int] = []
    for i, char in enumerate(text):
        folded = char.casefold()
        chars.append(folded)
        mapping.extend([i] * len(folded))
    folded_text = "".join(chars)
    return folded_text, (None if len(folded_text) == len(text) else tuple(mapping))


def _word_initials(name: str) -> tuple[str, tuple[int, ...]]:
    letters: list[str] = []
    where: list[int] = []
    start = True
    for i, char in enumerate(name):
        if char in _WORD_BREAK or char.isspace():
            start = True
        elif start:
            letters.append(char.casefold()[:1])
            where.append(i)
            start = False
    return "".join(letters), tuple(where)


@lru_cache(maxsize=16384)
def name_forms(name: str) -> tuple[tuple[str, Mapping], ...]:
    """The forms a name is matched through, each with its mapping to the name's characters."""
    folded, mapping = _fold(name)
    forms: list[tuple[str, Mapping]] = [(folded, mapping)]
    syllables = pinyin_syllables(name)
    if syllables:
        # Tokens: each Han character its own, a run of other characters one, breaks between.
        tokens: list[tuple[str, list[int]]] = []
        previous_han = False
        for i, (char, spelled) in enumerate(zip(name, syllables, strict=True)):
            if char.isspace() or char in _WORD_BREAK:
                previous_han = False
                tokens.append(("", []))
                continue
            han = spelled != char.casefold()
            if han or previous_han or not tokens or not tokens[-1][0]:
                tokens.append(("", []))
            text, where = tokens[-1]
            tokens[-1] = (text + spelled, where + [i] * len(spelled))
            previous_han = han
        words = [(text, where) for text, where in tokens if text]
        forms.append(("".join(t for t, _ in words), tuple(i for _, w in words for i in w)))
        spaced = " ".join(t for t, _ in words)
        spaced_map: list[int] = []
        for number, (_text, where) in enumerate(words):
            if number:
                spaced_map.append(-1)
            spaced_map.extend(where)
        forms.append((spaced, tuple(spaced_map)))
        if len(words) > 1:
            forms.append(("".join(t[0] for t, _ in words), tuple(w[0] for _, w in words)))
    else:
        letters, where = _word_initials(name)
        if len(letters) > 1:
            forms.append((letters, where))
    seen: set[str] = set()
    unique = []
    for text, form_map in forms:
        if text and text not in seen:
            seen.add(text)
            unique.append((text, form_map))
    return tuple(unique)  # kept: a rebuild spells only the names it has not met


# --- the index ------------------------------------------------------------------------------


@contextmanager
def short_turns(interval: float = 0.001) -> Iterator[None]:
    """Around work on a worker thread: the interpreter hands the GIL over every `interval`
    instead of every 5 ms, so the GUI thread waits about a millisecond for its turn while
    the work runs (the build also yields at every few dozen candidates)."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, interval))
    try:
        yield
    finally:
        sys.setswitchinterval(before)



@dataclass(slots=True)
class _Line:
    candidate: int
    other: int
    """-1: a form of the name; else the index in the candidate's `others`."""
    mapping: Mapping


_BREAKS = str.maketrans({c: " " for c in _WORD_BREAK})


class _Text:
    """Lines (forms) in candidate order as one text, each between newlines, word breaks
    written as spaces; and for every character the set of lines holding it, as an int's
    bits (line n is bit n), for the fuzzy tier."""

    def __init__(self, texts: list[str], lines: list[_Line]) -> None:
        self.texts = [t.translate(_BREAKS) for t in texts]
        self.lines = lines
        self.blob = "\n" + "\n".join(self.texts) + "\n"
        self.starts: list[int] = []
        offset = 1
        occurs: dict[str, list[int]] = {}
        for number, text in enumerate(self.texts):
            if number % 200 == 199:
                time.sleep(0)  # see SwitcherIndex
            self.starts.append(offset)
            offset += len(text) + 1
            for char in set(text):
                occurs.setdefault(char, []).append(number)
        size = (len(self.texts) + 8) // 8
        self.has: dict[str, int] = {}
        for count, (char, numbers) in enumerate(occurs.items()):
            if count % 50 == 49:
                time.sleep(0)
            bits = bytearray(size)
            for number in numbers:
                bits[number >> 3] |= 1 << (number & 7)
            self.has[char] = int.from_bytes(bits, "little")

    def line_at(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def find(self, needle: str, shift: int, found: dict[int, Match], limit: int,
             make: Callable[[_Line, list[int]], Match], length: int
             ) -> list[tuple[int, Match]]:
        """Lines holding `needle` (its match `shift` characters in), in candidate order,
        for candidates not in `found`, at most `limit`."""
        out: list[tuple[int, Match]] = []
        seen: set[int] = set()
        blob = self.blob
        at = blob.find(needle)
        while at >= 0 and len(out) < limit:
            number = self.line_at(at + shift)
            line = self.lines[number]
            if line.candidate not in found and line.candidate not in seen:
                seen.add(line.candidate)
                start = at + shift - self.starts[number]
                out.append((line.candidate, make(line, list(range(start, start + length)))))
            at = blob.find(needle, self.starts[number + 1] - 1 if number + 1 < len(
                self.starts) else len(blob))
        return out

    def fuzzy(self, letters: list[str], pattern: re.Pattern[str], found: dict[int, Match],
              limit: int, make: Callable[[_Line, list[int]], Match]
              ) -> list[tuple[int, Match]]:
        """Lines holding `letters` in order, through the lines holding them all."""
        bits = -1
        for char in set(letters):
            bits &= self.has.get(char, 0)
            if not bits:
                return []
        out: list[tuple[int, Match]] = []
        seen: set[int] = set()
        marks = bin(bits)[:1:-1]  # bit n is the n-th character
        number = marks.find("1")
        while number >= 0 and len(out) < limit:
            line = self.lines[number]
            if line.candidate not in found and line.candidate not in seen:
                hit = pattern.match(self.texts[number])
                if hit is not None:
                    seen.add(line.candidate)
                    spots = [hit.start(g) for g in range(1, len(letters) + 1)]
                    out.append((line.candidate, make(line, spots)))
            number = marks.find("1", number + 1)
        return out


class SwitcherIndex:
    """Every form of `candidates` as text; `search(query)` answers in tiers (see above).
    Building it costs the pinyin of the names (cached): do it off the GUI thread."""

    def __init__(self, candidates: list[Candidate]) -> None:
        self.candidates = candidates
        name_texts: list[str] = []
        name_lines: list[_Line] = []
        other_texts: list[str] = []
        other_lines: list[_Line] = []
        for number, candidate in enumerate(candidates):
            if number % 50 == 49:
                time.sleep(0)  # on a worker thread: let the GUI thread have the GIL often
            mine: set[str] = set()
            for text, mapping in name_forms(candidate.name):
                mine.add(text)
                name_texts.append(text)
                name_lines.append(_Line(number, -1, mapping))
            for which, other in enumerate(candidate.others):
                text, mapping = _fold(other)
                if text and text not in mine:
                    mine.add(text)
                    other_texts.append(text)
                    other_lines.append(_Line(number, which, mapping))
        self._names = _Text(name_texts, name_lines)
        self._others = _Text(other_texts, other_lines)

    def __len__(self) -> int:
        return len(self.candidates)

    def search(self, query: str, limit: int = LIMIT) -> list[Match]:
        """The best `limit` candidates for `query`, best first; the first `limit` in prior
        order for an empty one."""
        query = " ".join(query.split())[:MAX_QUERY].casefold()
        if not query:
            return [Match(c, -1) for c in self.candidates[:limit]]
        query = query.translate(_BREAKS)
        found: dict[int, Match] = {}
        letters = [c for c in query if not c.isspace()]
        short = len(letters) < 2
        length = len(query)
        for tier in range(4):
            def make(line: _Line, spots: list[int], tier: int = tier) -> Match:
                return self._match(line, tier, spots)
            need = limit - len(found)
            parts: list[list[tuple[int, Match]]] = []
            for part in (self._names, self._others):
                if tier >= 2 and short and part is self._others:
                    continue  # one letter somewhere inside an ID is noise, not a match
                if tier == 0:
                    parts.append(part.find("\n" + query, 1, found, need, make, length))
                elif tier == 1:
                    parts.append(part.find(" " + query, 1, found, need, make, length))
                elif tier == 2:
                    parts.append(part.find(query, 0, found, need, make, length))
                elif len(letters) > 1:
                    fuzzy = re.compile("".join(f"[^{re.escape(c)}]*({re.escape(c)})"
                                               for c in letters))
                    parts.append(part.fuzzy(letters, fuzzy, found, need, make))
            merged = sorted((hit for hits in parts for hit in hits), key=lambda hit: hit[0])
            for number, match in merged:
                if number not in found:
                    found[number] = match
                    if len(found) >= limit:
                        return list(found.values())
        return list(found.values())

    def _match(self, line: _Line, tier: int, spots: list[int]) -> Match:
        candidate = self.candidates[line.candidate]
        mapping = line.mapping
        if mapping is None:
            positions = tuple(spots)
        else:
            positions = tuple(sorted({mapping[s] for s in spots if mapping[s] >= 0}))
        if line.other < 0:
            return Match(candidate, tier, positions)
        return Match(candidate, tier, (), candidate.others[line.other], positions)
