"""Local search over the cached messages (V2TIM ``searchLocalMessages``) on a real client's
cache filled through the real service: Chinese words of one and two characters, English by
prefix and in any case, mixed text; filters by conversation, sender, type and time; recalled
and deleted messages no longer found; all of it offline too."""

from __future__ import annotations

from pathlib import Path

from app.protocol.elements import ElemType
from app.protocol.groups import GroupType
from app.sdk import KeywordMatch, MessageSearchParam
from tests.support.clients import Peer, wait_until


def texts(result) -> list[str]:
    return [m.text_elem.text if m.text_elem else (m.file_elem.name if m.file_elem else "?")
            for item in result.message_search_result_items for m in item.message_list]


async def search(peer: Peer, *keywords: str, **options) -> list[str]:
    conv = options.pop("conversation_id", "c2c_bob")
    result = await peer.mm.search_local_messages(
        MessageSearchParam(list(keywords), conversation_id=conv, **options))
    return texts(result)


async def test_words_filters_and_what_is_gone(peers, tmp_path: Path):
    alice, bob, carol = await peers("alice"), await peers("bob"), await peers("carol")
    lines = ["今天晚上去滨江步道跑步", "Hello there, general", "我们周六跑 10K",
             "Tidings好用吗？", "步行也可以", "HELLO again"]
    for line in lines:
        await bob.mm.send_message(bob.mm.create_text_message(line), receiver="alice")
    notes = tmp_path / "跑步计划.txt"
    notes.write_text("week 1: 5k")
    await bob.mm.send_message(await bob.mm.create_file_message(str(notes)), receiver="alice")
    group_id = await carol.client.group_manager.create_group(GroupType.WORK, "Runners",
                                                             member_list=["alice"])
    await carol.mm.send_message(carol.mm.create_text_message("跑步群开张"), group_id=group_id)
    await wait_until(lambda: len(alice.recorder.messages) >= len(lines) + 2,
                     what="alice to hold everything")

    assert await search(alice, "跑步") == ["跑步计划.txt", "今天晚上去滨江步道跑步"]
    assert await search(alice, "跑") == ["跑步计划.txt", "我们周六跑 10K", "今天晚上去滨江步道跑步"]
    assert await search(alice, "步跑") == []  # the characters together, in that order
    assert await search(alice, "hel") == ["HELLO again", "Hello there, general"]
    assert await search(alice, "Tidings好用") == ["Tidings好用吗？"]
    assert await search(alice, "跑步", "hello", keyword_list_match_type=KeywordMatch.OR) == [
        "跑步计划.txt", "HELLO again", "Hello there, general", "今天晚上去滨江步道跑步"]
    assert await search(alice, "跑步", "滨江", keyword_list_match_type=KeywordMatch.AND) == [
        "今天晚上去滨江步道跑步"]
    assert await search(alice, "跑步", message_type_list=[ElemType.FILE]) == ["跑步计划.txt"]
    assert await search(alice, "跑步", sender_user_id_list=["alice"]) == []
    first = next(m for m in alice.recorder.messages if m.text_elem
                 and m.text_elem.text == lines[0])
    assert await search(alice, "跑步", search_time_position=first.time_ms // 1000) == []
    assert await search(alice, "跑步", search_time_period=3600) == [
        "跑步计划.txt", "今天晚上去滨江步道跑步"]

    # across conversations: one item per conversation, the most recent match first
    everywhere = await alice.mm.search_local_messages(MessageSearchParam(["跑步"]))
    assert everywhere.total_count == 2
    assert [(i.conversation_id, i.message_count) for i in
            everywhere.message_search_result_items] == [(f"group_{group_id}", 1),
                                                        ("c2c_bob", 2)]
    # or, for a results panel, the messages of every conversation in one list, newest first
    flat = await alice.mm.search_local_messages(
        MessageSearchParam(["跑步"], group_by_conversation=False, page_size=2))
    assert flat.total_count == 3
    assert texts(flat) == ["跑步群开张", "跑步计划.txt"]
    more = await alice.mm.search_local_messages(
        MessageSearchParam(["跑步"], group_by_conversation=False, page_size=2, page_index=1))
    assert texts(more) == ["今天晚上去滨江步道跑步"]

    # recalled by its sender, deleted for me: no longer found
    sent = [m for m in alice.recorder.messages if m.text_elem
            and m.text_elem.text == "我们周六跑 10K"]
    own = next(m for m in await bob.mm.get_c2c_history_message_list("alice", 20)
               if m.msg_id == sent[0].msg_id)
    await bob.mm.revoke_message(own)
    await wait_until(lambda: sent[0].msg_id in alice.recorder.revoked, what="the recall")
    walk = next(m for m in await alice.mm.get_c2c_history_message_list("bob", 20)
                if m.text_elem and m.text_elem.text == "步行也可以")
    await alice.mm.delete_messages([walk])
    assert await search(alice, "跑") == ["跑步计划.txt", "今天晚上去滨江步道跑步"]
    assert await search(alice, "步行") == []

    # offline, from the cache alone
    await alice.close()
    offline = await peers("alice", login=False)
    await offline.client.init_storage("alice")
    assert await search(offline, "hello") == ["HELLO again", "Hello there, general"]
