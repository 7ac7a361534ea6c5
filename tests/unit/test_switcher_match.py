"""The quick switcher's matching: pinyin initials and full pinyin for Chinese names, remarks and
user IDs, fuzzy subsequences, and the order (prefix, then word start, then contained, then
fuzzy; recent chats first within one), with the characters to highlight."""

from __future__ import annotations

from app.protocol import ConvType
from app.protocol.friends import Friend, Profile
from app.protocol.groups import GroupInfo
from app.sdk import Conversation
from app.ui.switcher_match import (
    Candidate,
    Kind,
    SwitcherIndex,
    build_candidates,
    name_forms,
)


def _chat(user_id: str, name: str, order: int) -> Conversation:
    return Conversation(conversation_id=f"c2c_{user_id}", type=ConvType.C2C, user_id=user_id,
                        show_name=name, order_key=order)


def _friend(user_id: str, nick: str, remark: str = "") -> Friend:
    return Friend(user_id=user_id, remark=remark, profile=Profile(user_id=user_id, nick=nick))


def _people(*names: str) -> SwitcherIndex:
    return SwitcherIndex([Candidate(f"c2c_u{i}", Kind.CONTACT, name, f"u{i}", (f"u{i}",))
                          for i, name in enumerate(names)])


def _names(index: SwitcherIndex, query: str) -> list[str]:
    return [m.candidate.name for m in index.search(query)]


def test_pinyin_initials_and_full_pinyin_find_chinese_names() -> None:
    index = _people("Zoe", "张三", "李四", "王小明")
    assert _names(index, "zs") == ["张三"]
    assert _names(index, "ZS") == ["张三"]
    assert _names(index, "zhangsan")[0] == "张三"
    assert _names(index, "zhang san")[0] == "张三"
    assert _names(index, "san") == ["张三"]  # a syllable's start is a word start
    assert _names(index, "wxm") == ["王小明"]
    assert _names(index, "xiaoming") == ["王小明"]
    assert _names(index, "李") == ["李四"]
    match = index.search("zs")[0]
    assert match.name_positions == (0, 1)
    assert index.search("zhang")[0].name_positions == (0,)
    assert index.search("xiaom")[0].name_positions == (1, 2)


def test_heteronyms_read_in_context() -> None:
    texts = [text for text, _ in name_forms("重庆火锅")]
    assert "chongqinghuoguo" in texts
    assert "cqhg" in texts


def test_ranking_prefix_then_word_start_then_contained_then_fuzzy() -> None:
    # Prior order: the fuzzy one is the most recent, the prefix one the oldest.
    index = _people("Bob Marley", "Rob Anders", "Anna", "Joanna")
    assert _names(index, "an") == ["Anna", "Rob Anders", "Joanna"]
    assert [m.tier for m in index.search("an")] == [0, 1, 2]
    # Fuzzy: the letters in order, anywhere in one form.
    assert _names(index, "bmy") == ["Bob Marley"]
    assert index.search("bmy")[0].name_positions == (0, 4, 9)
    assert _names(index, "xyz") == []


def test_recent_chats_first_within_a_tier() -> None:
    index = SwitcherIndex(build_candidates(
        [_chat("amy", "Amy", 300), _chat("al", "Alan", 200)],
        [_friend("alex", "Alexandra"), _friend("amy", "Amy")],
        []))
    assert _names(index, "a") == ["Amy", "Alan", "Alexandra"]
    assert _names(index, "al") == ["Alan", "Alexandra"]


def test_remarks_nicknames_and_user_ids_match_and_say_what_matched() -> None:
    index = SwitcherIndex(build_candidates(
        [_chat("zhang3", "老板", 100)],
        [_friend("zhang3", "张三", remark="老板"), _friend("bob_w", "Bob", remark="Builder")],
        []))
    (boss,) = index.search("zhang3")
    assert boss.candidate.name == "老板" and boss.other == "zhang3"
    assert boss.other_positions == tuple(range(6))
    assert _names(index, "laob") == ["老板"]  # the remark's pinyin (it is the shown name)
    (bob,) = index.search("build")
    assert bob.candidate.name == "Builder"
    assert _names(index, "bob") == ["Builder"]  # the nickname behind the remark
    assert index.search("bob")[0].other == "Bob"


def test_a_friend_with_a_chat_and_a_group_with_a_chat_appear_once() -> None:
    convs = [_chat("amy", "Amy", 300),
             Conversation(conversation_id="group_g1", type=ConvType.GROUP, group_id="g1",
                          show_name="Book club", order_key=200)]
    friends = [_friend("amy", "Amy"), _friend("ben", "Ben")]
    groups = [GroupInfo(group_id="g1", group_type="Work", name="Book club"),
              GroupInfo(group_id="g2", group_type="Public", name="Chess")]
    candidates = build_candidates(convs, friends, groups)
    assert [(c.target, c.kind) for c in candidates] == [
        ("c2c_amy", Kind.CHAT), ("group_g1", Kind.CHAT),
        ("c2c_ben", Kind.CONTACT), ("group_g2", Kind.GROUP)]
    index = SwitcherIndex(candidates)
    assert [m.candidate.target for m in index.search("g")] == ["group_g1", "group_g2"]


def test_empty_query_lists_the_prior_order_and_limits_hold() -> None:
    index = _people(*[f"Person {i}" for i in range(200)])
    assert _names(index, "")[:2] == ["Person 0", "Person 1"]
    assert len(index.search("")) == 50
    assert len(index.search("p", limit=10)) == 10
    assert len(index.search("person")) == 50


def test_odd_queries_match_as_text() -> None:
    index = _people("a.b (c)", "a*b", "[x]")
    assert _names(index, "a.b") == ["a.b (c)", "a*b"]  # the second by its letters (fuzzy)
    assert _names(index, "a*") == ["a*b"]
    assert _names(index, "[x") == ["[x]"]
    assert _names(index, "(c") == ["a.b (c)"]
    assert _names(index, "   ") == ["a.b (c)", "a*b", "[x]"]
