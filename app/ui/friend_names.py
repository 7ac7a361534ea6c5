"""How a friend is called and where they sort: the show-name chain (C1) and the A–Z sections.

A Chinese name sorts and is sectioned by its pinyin (张三 under Z, between "Yuki" and "Zoe"),
as every Chinese contact list does; anything that is not a letter after that goes under "#"
at the end. pypinyin's dictionary takes about 0.3 s to load, so `warm()` loads it and computes
the keys of a whole list on a worker thread before the list is shown; a name met later (one
new friend) costs tens of microseconds on the GUI thread, and every key is kept.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from app.protocol.friends import Friend

OTHER_SECTION = "#"


def show_name(friend: Friend) -> str:
    """My remark for them, else their nickname, else their user ID (C1)."""
    nick = friend.profile.nick if friend.profile is not None else ""
    return friend.remark or nick or friend.user_id


def _is_han(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F") and char.isalpha()


@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """The name spelled for sorting: pinyin for Han characters, case-folded, accents off."""
    if any(_is_han(c) for c in name):
        from pypinyin import lazy_pinyin  # 0.3 s to load: only once a name needs it

        name = " ".join(lazy_pinyin(name))
    plain = unicodedata.normalize("NFKD", name)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold().strip()


@lru_cache(maxsize=8192)
def pinyin_syllables(name: str) -> tuple[str, ...]:
    """Each character of `name` spelled: a Han character as its pinyin, read in the name's
    context (重庆 is chong qing), anything else as itself; () when `name` has no Han character.
    What the quick switcher matches "zs" and "zhangsan" against for 张三."""
    if not any(_is_han(c) for c in name):
        return ()
    from pypinyin import lazy_pinyin  # 0.3 s to load: only once a name needs it

    spelled = lazy_pinyin(name, errors=lambda text: list(text))
    if len(spelled) != len(name):  # one item per character is what pypinyin promises
        spelled = [lazy_pinyin(c, errors=lambda text: list(text))[0] for c in name]
    return tuple(s.casefold() for s in spelled)


def section_of(name: str) -> str:
    """"A"–"Z", or "#" for a name that starts with neither a Latin letter nor a Han one."""
    key = name_key(name)
    first = key[:1].upper()
    return first if "A" <= first <= "Z" else OTHER_SECTION


def sort_key(name: str) -> tuple[int, str]:
    """Sections A–Z first, then "#"; by the spelled name within one."""
    return (1 if section_of(name) == OTHER_SECTION else 0, name_key(name))


def warm(names: list[str]) -> None:
    """Compute the keys of `names` (and load pypinyin if one needs it). Worker thread."""
    for name in names:
        name_key(name)
        pinyin_syllables(name)
