"""Groups through the SDK: real service, real clients, real caches. The group manager's list and
listener, group messages with name cards, @ mentions in conversations until read, and state
after time away equal to a fresh device's."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.protocol import AT_ALL, ErrorCode, IMError, Platform
from app.protocol.groups import GroupInfo, GroupType, JoinOption
from app.sdk import GroupListener, MessageStatus
from app.sdk.models import GroupAtType
from tests.support.waiting import wait_until


@dataclass
class GroupRecorder(GroupListener):
    events: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    listed: dict[str, GroupInfo] = field(default_factory=dict)

    def __getattribute__(self, name: str) -> Any:
        if name.startswith("on_") and name not in ("on_groups_changed", "on_groups_removed"):
            return lambda *args: self.events.append((name, args))
        return super().__getattribute__(name)

    def on_groups_changed(self, groups: list[GroupInfo]) -> None:
        self.listed.update({g.group_id: g for g in groups})

    def on_groups_removed(self, group_ids: list[str]) -> None:
        for group_id in group_ids:
            self.listed.pop(group_id, None)

    def kinds(self) -> list[str]:
        return [name for name, _ in self.events]


async def listening(peer: Any) -> GroupRecorder:
    recorder = GroupRecorder()
    peer.client.group_manager.add_group_listener(recorder)
    return recorder


async def test_work_group_list_messages_name_cards_and_events(peers):
    alice, bob, carol = await peers("alice"), await peers("bob"), await peers("carol")
    heard = {p.user_id: await listening(p) for p in (alice, bob, carol)}
    gm = alice.client.group_manager
    group_id = await gm.create_group(GroupType.WORK, "Launch", member_list=["bob"])
    conv_id = f"group_{group_id}"
    # the creator's list has it at once; bob's from the event, carol's not at all
    assert [g.group_id for g in await gm.get_joined_group_list()] == [group_id]
    await wait_until(lambda: group_id in heard["bob"].listed, what="bob's list")
    assert ("on_group_created", (group_id,)) in heard["bob"].events
    assert heard["carol"].listed == {} and heard["carol"].events == []
    assert heard["bob"].listed[group_id].name == "Launch"
    assert heard["bob"].listed[group_id].member_count == 2

    await bob.client.group_manager.set_group_member_info(group_id, "bob", name_card="Bobby")
    msg = bob.mm.create_text_message("hello team")
    sent = await bob.mm.send_message(msg, group_id=group_id)
    assert sent.seq > 0 and sent.conversation_id == conv_id
    await wait_until(lambda: any(m.msg_id == sent.msg_id for m in alice.recorder.messages),
                     what="alice to get bob's message")
    got = next(m for m in alice.recorder.messages if m.msg_id == sent.msg_id)
    assert got.group_id == group_id and got.name_card == "Bobby"
    assert got.sender_show_name == "Bobby"
    conv = await alice.cm.get_conversation(conv_id)
    assert conv is not None and conv.show_name == "Launch" and conv.unread_count == 1

    # an invitation: everyone in the group hears it, carol's list gains the group
    resp = await gm.invite_user_to_group(group_id, ["carol", "nobody_here"])
    assert resp.succeeded == ["carol"]
    assert resp.failed == {"nobody_here": ErrorCode.GROUP_ACCOUNT_NOT_FOUND}
    await wait_until(lambda: group_id in heard["carol"].listed, what="carol's list")
    await wait_until(lambda: "on_member_invited" in heard["bob"].kinds(), what="bob told")
    _, (gid, op_user, members) = next(e for e in heard["bob"].events
                                      if e[0] == "on_member_invited")
    assert (gid, op_user, [m.user_id for m in members]) == (group_id, "alice", ["carol"])
    await wait_until(lambda: heard["alice"].listed.get(group_id) is not None
                     and heard["alice"].listed[group_id].member_count == 3,
                     what="alice's count to follow")
    # carol sees the history from her invitation on, the message before it not
    history = await carol.mm.get_group_history_message_list(group_id, 50)
    assert sent.msg_id not in {m.msg_id for m in history}

    # a rename reaches the members' lists and chat names
    await gm.set_group_info(group_id, name="Launch 2")
    await wait_until(lambda: heard["carol"].listed[group_id].name == "Launch 2",
                     what="carol's list renamed")
    async def carol_chat_renamed() -> bool:
        c = await carol.cm.get_conversation(conv_id)
        return c is not None and c.show_name == "Launch 2"
    await wait_until(carol_chat_renamed, what="carol's chat renamed")

    # a kick: carol's list loses it, she is told, and she may no longer send
    await gm.kick_group_member(group_id, ["carol"])
    await wait_until(lambda: group_id not in heard["carol"].listed, what="carol's list")
    assert "on_member_kicked" in heard["carol"].kinds()
    try:
        await carol.mm.send_message(carol.mm.create_text_message("still here?"),
                                    group_id=group_id)
    except IMError as exc:
        assert exc.code == ErrorCode.NOT_GROUP_MEMBER
    else:
        raise AssertionError("a kicked member sent to the group")


async def test_mentions_show_until_read_and_equal_a_fresh_device(peers):
    alice, bob, carol = await peers("alice"), await peers("bob"), await peers("carol")
    group_id = await alice.client.group_manager.create_group(
        GroupType.WORK, "Mentions", member_list=["bob", "carol"])
    conv_id = f"group_{group_id}"
    at_bob = alice.mm.create_text_at_message("@bob look", ["bob"])
    await alice.mm.send_message(at_bob, group_id=group_id)
    await wait_until(lambda: any(m.msg_id == at_bob.msg_id for m in bob.recorder.messages),
                     what="bob to get the mention")
    assert next(m for m in bob.recorder.messages
                if m.msg_id == at_bob.msg_id).group_at_user_list == ["bob"]
    bob_conv = await bob.cm.get_conversation(conv_id)
    assert bob_conv.at_me and not bob_conv.at_all
    assert [i.at_type for i in bob_conv.group_at_info_list] == [GroupAtType.AT_ME]
    await wait_until(lambda: any(m.msg_id == at_bob.msg_id for m in carol.recorder.messages),
                     what="carol to get it")
    carol_conv = await carol.cm.get_conversation(conv_id)
    assert carol_conv.group_at_info_list == [] and carol_conv.unread_count == 1

    # bob goes away; an @all and another @bob arrive meanwhile
    await bob.close()
    everyone = alice.mm.create_text_at_message("@all standup", [AT_ALL])
    await alice.mm.send_message(everyone, group_id=group_id)
    again = alice.mm.create_text_at_message("@bob and again", ["bob"])
    await alice.mm.send_message(again, group_id=group_id)
    # more than a fresh device's first page after them, so a fresh device has not pulled the
    # mentions and knows them from the service's conversation state alone
    for i in range(25):
        await alice.mm.send_message(alice.mm.create_text_message(f"plain {i}"),
                                    group_id=group_id)
    # a mention from myself never counts
    mine = alice.mm.create_text_at_message("@alice note to self", ["alice"])
    await alice.mm.send_message(mine, group_id=group_id)

    bob = await peers("bob")  # same cache
    fresh = await peers("bob", device="web", platform=Platform.WEB)  # never saw the group
    for device in (bob, fresh):
        conv = await device.cm.get_conversation(conv_id)
        assert conv is not None and conv.unread_count == 29
        assert conv.at_me and conv.at_all
        assert [(i.seq, i.at_type) for i in conv.group_at_info_list] == [
            (everyone.seq, GroupAtType.AT_ALL), (again.seq, GroupAtType.AT_ME)]
        assert conv.show_name == "Mentions"
    alice_conv = await alice.cm.get_conversation(conv_id)
    assert alice_conv.group_at_info_list == []

    # reading on one device clears the mention on both, as the service says
    await bob.mm.get_group_history_message_list(group_id, 20)
    await bob.mm.mark_group_message_as_read(group_id)
    for device in (bob, fresh):
        async def cleared(device: Any = device) -> bool:
            c = await device.cm.get_conversation(conv_id)
            return c is not None and c.unread_count == 0 and not c.group_at_info_list
        await wait_until(cleared, what=f"{device.data_dir.name} to clear the mention")


async def test_join_application_accepted_by_first_admin(peers):
    alice, bob, dave = await peers("alice"), await peers("bob"), await peers("dave")
    gm = alice.client.group_manager
    group_id = await gm.create_group(GroupType.PUBLIC, "Open house", member_list=["bob"],
                                     join_option=JoinOption.AUTH)
    await gm.set_group_member_role(group_id, "bob", 300)
    heard = {p.user_id: await listening(p) for p in (alice, bob, dave)}
    found = await dave.client.group_manager.search_group(group_id)
    assert found.name == "Open house" and found.join_option == JoinOption.AUTH
    status = await dave.client.group_manager.join_group(group_id, "let me in")
    assert status == "pending"
    for decider in ("alice", "bob"):
        await wait_until(lambda d=decider: "on_receive_join_application" in heard[d].kinds(),
                         what=f"{decider} to get the application")
    apps = await bob.client.group_manager.get_group_application_list()
    pending = next(a for a in apps if a.applicant == "dave")
    assert pending.message == "let me in"
    await bob.client.group_manager.accept_group_application(pending, "welcome")
    try:
        await gm.refuse_group_application(pending)
    except IMError as exc:
        assert exc.code == ErrorCode.APPLICATION_HANDLED
    else:
        raise AssertionError("a decided application was decided again")
    await wait_until(lambda: group_id in heard["dave"].listed, what="dave's list")
    _, (gid, op_user, agreed, reason) = next(e for e in heard["dave"].events
                                             if e[0] == "on_application_processed")
    assert (gid, op_user, agreed, reason) == (group_id, "bob", True, "welcome")
    await wait_until(lambda: "on_application_processed" in heard["alice"].kinds(),
                     what="alice told bob decided")
    info = (await dave.client.group_manager.get_groups_info([group_id]))[0]
    assert info.member_count == 3 and info.role == 200


async def test_joined_list_and_group_chats_work_offline(peers):
    alice, bob = await peers("alice"), await peers("bob")
    gm = alice.client.group_manager
    group_id = await gm.create_group(GroupType.MEETING, "Offsite", member_list=["bob"])
    ops_id = await gm.create_group(GroupType.WORK, "Ops", member_list=["bob"])
    await alice.mm.send_message(alice.mm.create_text_message("agenda"), group_id=group_id)
    await wait_until(lambda: len(bob.recorder.messages) == 1, what="bob to get it")
    await bob.close()

    offline = await peers("bob", login=False)
    await offline.client.init_storage("bob")
    listed = await offline.client.group_manager.get_joined_group_list()
    assert [g.name for g in listed] == ["Offsite", "Ops"]
    conv = await offline.cm.get_conversation(f"group_{group_id}")
    assert conv is not None and conv.show_name == "Offsite"
    # changes made offline show at once and wait in the queue, across a restart of the app:
    # a rename the service will refuse (a Meeting member may not) and leaving a group
    offline_gm = offline.client.group_manager
    assert await offline_gm.set_group_info(group_id, name="Mine now") is None
    assert await offline_gm.quit_group(ops_id) is None
    assert [g.name for g in offline_gm.cached_groups()] == ["Mine now"]
    await offline.close()

    bob = await peers("bob")  # the same cache, online
    await wait_until(lambda: [g.name for g in bob.client.group_manager.cached_groups()]
                     == ["Offsite"], what="the refused rename undone, the group left")

    async def left() -> bool:
        members = await gm.get_group_member_list(ops_id)
        return [m.user_id for m in members.members] == ["alice"]
    await wait_until(left, what="the queued quit applied by the service")
    assert (await gm.get_groups_info([group_id]))[0].name == "Offsite"
    with_bob = await gm.get_group_member_list(group_id)
    assert sorted(m.user_id for m in with_bob.members) == ["alice", "bob"]


async def test_group_changes_made_offline_reach_the_service_in_order(peers):
    alice, bob = await peers("alice"), await peers("bob")
    group_id = await alice.client.group_manager.create_group(
        GroupType.WORK, "Plans", member_list=["bob"])
    heard = await listening(bob)
    await alice.close()
    offline = await peers("alice", login=False)
    await offline.client.init_storage("alice")
    gm = offline.client.group_manager
    assert await gm.set_group_info(group_id, name="Plans v2", notification="Friday") is None
    assert await gm.set_group_member_info(group_id, "bob", name_card="Robert") is None
    assert await gm.set_group_info(group_id, name="Plans v3") is None
    shown = gm.cached_group(group_id)
    assert shown is not None and (shown.name, shown.notification) == ("Plans v3", "Friday")
    await offline.close()

    alice = await peers("alice")
    await wait_until(lambda: heard.listed.get(group_id) is not None
                     and heard.listed[group_id].name == "Plans v3", what="bob's list renamed")
    info = (await bob.client.group_manager.get_groups_info([group_id]))[0]
    assert (info.name, info.notification) == ("Plans v3", "Friday")
    (card,) = await bob.client.group_manager.get_group_members_info(group_id, ["bob"])
    assert card.name_card == "Robert"
    renames = [dict(args[1]).get("name") for kind, args in heard.events
               if kind == "on_group_info_changed" and "name" in dict(args[1])]
    assert renames == ["Plans v2", "Plans v3"]
    assert alice.client.group_manager.cached_group(group_id).name == "Plans v3"


async def test_recall_by_sender_and_by_admin_reaches_every_device(peers):
    alice, bob, carol = await peers("alice"), await peers("bob"), await peers("carol")
    gm = alice.client.group_manager
    group_id = await gm.create_group(GroupType.PUBLIC, "Recalls",
                                     member_list=["bob", "carol"])
    await gm.set_group_member_role(group_id, "bob", 300)
    conv_id = f"group_{group_id}"
    oops = carol.mm.create_text_message("oops")
    await carol.mm.send_message(oops, group_id=group_id)
    spam = carol.mm.create_text_message("spam")
    await carol.mm.send_message(spam, group_id=group_id)
    rules = alice.mm.create_text_message("house rules")
    await alice.mm.send_message(rules, group_id=group_id)
    await wait_until(lambda: spam.msg_id in {m.msg_id for m in bob.recorder.messages},
                     what="bob to get carol's messages")
    away = await peers("alice", device="laptop", platform=Platform.PAD)
    await wait_until(lambda: away.mm.get_group_history_message_list(group_id, 20),
                     what="the laptop to hold the group's messages")
    await away.close()

    await carol.mm.revoke_message(oops)
    theirs = next(m for m in bob.recorder.messages if m.msg_id == spam.msg_id)
    await bob.mm.revoke_message(theirs)  # an admin's reach: a member's message
    owners = next(m for m in bob.recorder.messages if m.msg_id == rules.msg_id)
    try:
        await bob.mm.revoke_message(owners)
    except IMError as exc:
        assert exc.code == ErrorCode.REVOKE_NOT_ALLOWED
    else:
        raise AssertionError("an admin recalled the owner's message")

    fresh = await peers("alice", device="web", platform=Platform.WEB)
    for device in (alice, fresh):
        async def shown(device: Any = device) -> bool:
            page = await device.mm.get_group_history_message_list(group_id, 20)
            by_id = {m.msg_id: m for m in page}
            return (by_id.get(oops.msg_id) is not None and by_id[oops.msg_id].revoker == ""
                    and by_id[oops.msg_id].status == MessageStatus.LOCAL_REVOKED
                    and not by_id[oops.msg_id].elems
                    and by_id.get(spam.msg_id) is not None
                    and by_id[spam.msg_id].revoker == "bob" and not by_id[spam.msg_id].elems
                    and by_id[rules.msg_id].elems != [])
        await wait_until(shown, what=f"{device.data_dir.name} to show both recalls")
        conv = await device.cm.get_conversation(conv_id)
        assert conv is not None and conv.unread_count == 0  # carol's two were all alice had
    assert {oops.msg_id, spam.msg_id} <= set(alice.recorder.revoked)
    assert alice.recorder.revokers == {spam.msg_id: "bob"}
    # a device that was away learns both at its catch-up, with who recalled them
    away = await peers("alice", device="laptop", platform=Platform.PAD)
    await wait_until(lambda: {oops.msg_id, spam.msg_id} <= set(away.recorder.revoked),
                     what="the laptop to learn the recalls")
    assert away.recorder.revokers == {spam.msg_id: "bob"}


async def test_a_former_members_devices_stop_where_they_left(peers, caplog):
    alice, bob = await peers("alice"), await peers("bob")
    gm = bob.client.group_manager
    club = await gm.create_group(GroupType.PUBLIC, "Club", member_list=["alice"])
    conv_id = f"group_{club}"
    await bob.mm.send_message(bob.mm.create_text_message("welcome"), group_id=club)
    await wait_until(lambda: any(m.text_elem and m.text_elem.text == "welcome"
                                 for m in alice.recorder.messages), what="alice in the club")
    await alice.close()
    await gm.kick_group_member(club, ["alice"])
    for i in range(3):  # the club goes on without her
        await bob.mm.send_message(bob.mm.create_text_message(f"later {i}"), group_id=club)

    caplog.clear()
    alice = await peers("alice")  # her old cache
    fresh = await peers("alice", device="web", platform=Platform.WEB)
    for device in (alice, fresh):
        assert await device.cm.get_conversation(conv_id) is None
        assert await device.cm.get_total_unread_message_count() == 1  # the notice
    assert not [r for r in caplog.records if "holes" in r.getMessage()]
    assert not any(m.text_elem and m.text_elem.text.startswith("later")
                   for m in alice.recorder.messages + fresh.recorder.messages)

    # invited back: her view starts again from there
    await gm.set_group_info(club, join_option=JoinOption.ANY)
    assert await alice.client.group_manager.join_group(club) == "joined"
    await bob.mm.send_message(bob.mm.create_text_message("welcome back"), group_id=club)

    async def back(device: Any) -> bool:
        conv = await device.cm.get_conversation(conv_id)
        return (conv is not None and conv.last_message is not None
                and conv.last_message.text_elem is not None
                and conv.last_message.text_elem.text == "welcome back"
                and conv.unread_count == 1)
    for device in (alice, fresh):
        await wait_until(lambda d=device: back(d), what="the club back on her devices")
