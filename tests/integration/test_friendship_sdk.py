"""Friends, requests, the blacklist, friend groups and profiles through the SDK: real service,
real clients, real caches. Results by allow type, events heard by exactly the sides whose lists
change, lists that open offline, and changes made offline that reach the service after a
restart — a refused one undone."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.protocol import ErrorCode, Platform
from app.protocol.friends import AcceptType, AllowType, ApplicationType, FriendType, Gender
from app.sdk import FriendshipListener, SDKListener
from app.sdk.models import UserInfo
from tests.support.waiting import wait_until


@dataclass
class FriendRecorder(FriendshipListener):
    events: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    unread: int = 0

    def __getattribute__(self, name: str) -> Any:
        if name.startswith("on_") and name != "on_friend_application_unread_count_changed":
            return lambda *args: self.events.append((name, args))
        return super().__getattribute__(name)

    def on_friend_application_unread_count_changed(self, count: int) -> None:
        self.unread = count

    def kinds(self) -> list[str]:
        return [name for name, _ in self.events]

    def args(self, kind: str) -> list[tuple[Any, ...]]:
        return [args for name, args in self.events if name == kind]


@dataclass
class SelfInfo(SDKListener):
    infos: list[UserInfo]

    def on_self_info_updated(self, info: UserInfo) -> None:
        self.infos.append(info)


def listening(peer: Any) -> FriendRecorder:
    recorder = FriendRecorder()
    peer.client.friendship_manager.add_friend_listener(recorder)
    return recorder


def fm(peer: Any) -> Any:
    return peer.client.friendship_manager


async def friend_ids(peer: Any) -> list[str]:
    return [f.user_id for f in await fm(peer).get_friend_list()]


async def allow(peer: Any, allow_type: AllowType) -> None:
    await peer.client.set_self_info(allow_type=int(allow_type))


async def test_add_by_allow_type_tells_the_result_and_only_the_sides_concerned(peers):
    alice, bob, carol = await peers("alice"), await peers("bob"), await peers("carol")
    dave, erin, frank = await peers("dave"), await peers("erin"), await peers("frank")
    await allow(bob, AllowType.ALLOW_ANY)
    await allow(erin, AllowType.ALLOW_ANY)
    await allow(dave, AllowType.DENY_ANY)
    heard = {p.user_id: listening(p) for p in (alice, bob, carol, dave, erin, frank)}

    added = await fm(alice).add_friend("bob", remark="Bobby", add_wording="hi",
                                       add_source="AddSource_Type_desktop")
    assert added.result_code == 0
    # the lists follow before the call returns on my side, and by push on theirs
    (bob_record,) = await fm(alice).get_friend_list()
    assert (bob_record.user_id, bob_record.remark) == ("bob", "Bobby")
    assert bob_record.add_source == "AddSource_Type_desktop"
    await wait_until(lambda: "on_friend_list_added" in heard["bob"].kinds(), what="bob told")
    assert await friend_ids(bob) == ["alice"]

    pending = await fm(alice).add_friend("carol", add_wording="let's talk")
    assert pending.result_code == ErrorCode.FRIEND_PENDING
    assert "alice" not in await friend_ids(carol)
    mine = await fm(alice).get_friend_application_list()
    assert [(a.user_id, a.type) for a in mine.applications] == [("carol", ApplicationType.SEND_OUT)]
    assert mine.unread_count == 0
    await wait_until(lambda: heard["carol"].unread == 1, what="carol's badge")
    theirs = await fm(carol).get_friend_application_list()
    (request,) = theirs.applications
    assert (request.user_id, request.type, request.add_wording) == (
        "alice", ApplicationType.COME_IN, "let's talk")

    refused = await fm(alice).add_friend("dave")
    assert refused.result_code == ErrorCode.PEER_FORBIDS_ADDING

    single = await fm(alice).add_friend("erin", add_type=FriendType.SINGLE)
    assert single.result_code == 0
    assert await friend_ids(alice) == ["bob", "erin"]
    assert await friend_ids(erin) == []
    (erin_check,) = await fm(erin).check_friend(["alice"])
    assert erin_check.relation == 2  # she is in my list, I am not in hers

    # a refused add, a one-way add and someone uninvolved: nothing heard at all
    await alice.client.message_manager.send_message(
        alice.mm.create_text_message("sync point"), receiver="frank")
    await wait_until(lambda: len(frank.recorder.messages) == 1, what="frank's message")
    assert heard["dave"].events == [] and heard["erin"].events == []
    assert heard["frank"].events == []


async def test_accept_agree_and_add_and_refuse_reach_both_sides(peers):
    bob, alice, carol = await peers("bob"), await peers("alice"), await peers("carol")
    dave, frank = await peers("dave"), await peers("frank")
    heard = {p.user_id: listening(p) for p in (bob, alice, carol, dave, frank)}
    for applicant in (alice, carol, dave):
        result = await fm(applicant).add_friend("bob", add_wording=f"{applicant.user_id} here")
        assert result.result_code == ErrorCode.FRIEND_PENDING
    await wait_until(lambda: heard["bob"].unread == 3, what="bob's badge")
    requests = (await fm(bob).get_friend_application_list()).applications
    assert sorted(a.user_id for a in requests) == ["alice", "carol", "dave"]

    by_user = {a.user_id: a for a in requests}
    assert (await fm(bob).accept_friend_application(by_user["alice"])).result_code == 0
    assert (await fm(bob).accept_friend_application(
        by_user["carol"], AcceptType.AGREE_AND_ADD, remark="Caz")).result_code == 0
    assert (await fm(bob).refuse_friend_application(by_user["dave"])).result_code == 0

    # AGREE: alice has bob, bob not alice; AGREE_AND_ADD: both ways
    assert await friend_ids(bob) == ["carol"]
    assert (await fm(bob).get_friend_list())[0].remark == "Caz"
    await wait_until(lambda: "on_friend_list_added" in heard["alice"].kinds(),
                     what="alice told")
    assert await friend_ids(alice) == ["bob"]
    await wait_until(lambda: "on_friend_list_added" in heard["carol"].kinds(),
                     what="carol told")
    assert await friend_ids(carol) == ["bob"]
    # every request is gone on both sides; dave heard only that his went
    assert (await fm(bob).get_friend_application_list()).applications == []
    assert heard["bob"].unread == 0
    await wait_until(lambda: ("on_friend_application_list_deleted", (["bob"],))
                     in heard["dave"].events, what="dave told")
    assert "on_friend_list_added" not in heard["dave"].kinds()
    for applicant in (alice, carol, dave):
        assert (await fm(applicant).get_friend_application_list()).applications == []
    assert await friend_ids(dave) == []
    assert heard["frank"].events == []

    # accepting a request that is not there any more says so
    gone = await fm(bob).accept_friend_application("dave")
    assert gone.result_code == ErrorCode.NO_FRIEND_APPLICATION


async def test_blacklist_breaks_the_friendship_and_refuses_requests(peers):
    alice, bob = await peers("alice"), await peers("bob")
    await allow(bob, AllowType.ALLOW_ANY)
    await allow(alice, AllowType.ALLOW_ANY)
    assert (await fm(alice).add_friend("bob")).result_code == 0
    heard_bob = listening(bob)
    heard_alice = listening(alice)

    (blocked,) = await fm(alice).add_to_black_list(["bob"])
    assert blocked.result_code == 0
    assert [e.user_id for e in await fm(alice).get_black_list()] == ["bob"]
    assert fm(alice).is_blocked("bob") and not fm(bob).is_blocked("alice")
    assert await friend_ids(alice) == []
    assert ("on_black_list_added" in heard_alice.kinds()
            and "on_friend_list_deleted" in heard_alice.kinds())
    await wait_until(lambda: ("on_friend_list_deleted", (["alice"],)) in heard_bob.events,
                     what="bob's list to lose alice")
    assert await friend_ids(bob) == []
    assert "on_black_list_added" not in heard_bob.kinds()  # only the blocker hears of it

    assert (await fm(bob).add_friend("alice")).result_code == ErrorCode.IN_PEER_BLACKLIST
    assert (await fm(alice).add_friend("bob")).result_code == ErrorCode.PEER_IN_MY_BLACKLIST

    (unblocked,) = await fm(alice).delete_from_black_list(["bob"])
    assert unblocked.result_code == 0 and not fm(alice).is_blocked("bob")
    assert await fm(alice).get_black_list() == []
    assert heard_alice.args("on_black_list_deleted") == [(["bob"],)]
    assert (await fm(alice).add_friend("bob")).result_code == 0


async def test_friend_groups_and_remarks_on_every_device_and_in_chat_names(peers):
    alice, bob, carol = await peers("alice"), await peers("bob"), await peers("carol")
    for peer in (bob, carol):
        await allow(peer, AllowType.ALLOW_ANY)
    await bob.client.set_self_info(nick="Robert")
    for other in ("bob", "carol"):
        assert (await fm(alice).add_friend(other)).result_code == 0
    other_device = await peers("alice", device="laptop", platform=Platform.WEB)
    heard_laptop = listening(other_device)

    # C1: a chat's show name is my remark, else the nickname, else the user ID
    await alice.mm.send_message(alice.mm.create_text_message("hi"), receiver="bob")
    conv = await alice.cm.get_conversation("c2c_bob")
    assert conv.show_name == "Robert"
    friend = await fm(alice).set_friend_info("bob", remark="Bob from work")
    assert friend.remark == "Bob from work"
    conv = await alice.cm.get_conversation("c2c_bob")
    assert conv.show_name == "Bob from work"
    await wait_until(lambda: alice.recorder.conversations["c2c_bob"].show_name
                     == "Bob from work", what="the chat renamed in the list")

    results = await fm(alice).create_friend_group("Work", ["bob", "dave_not_friend"])
    assert [r.result_code for r in results] == [0, ErrorCode.NOT_A_FRIEND]
    await fm(alice).add_friends_to_friend_group("Work", ["carol"])
    await fm(alice).create_friend_group("Climbing", ["carol"])
    groups = {g.name: g.user_ids for g in await fm(alice).get_friend_groups()}
    assert groups == {"Work": ["bob", "carol"], "Climbing": ["carol"]}
    carol_record = next(f for f in await fm(alice).get_friend_list() if f.user_id == "carol")
    assert sorted(carol_record.group_names) == ["Climbing", "Work"]

    await fm(alice).rename_friend_group("Work", "Office")
    await fm(alice).delete_friends_from_friend_group("Office", ["carol"])
    await fm(alice).delete_friend_group(["Climbing"])
    assert {g.name: g.user_ids for g in await fm(alice).get_friend_groups()} == {
        "Office": ["bob"]}

    # the other device heard it all and shows the same
    async def same_on_laptop() -> bool:
        groups = await fm(other_device).get_friend_groups()
        friends = await fm(other_device).get_friend_list()
        return ({g.name: g.user_ids for g in groups} == {"Office": ["bob"]}
                and {f.user_id: (f.remark, f.group_names) for f in friends}
                == {"bob": ("Bob from work", ["Office"]), "carol": ("", [])})
    await wait_until(same_on_laptop, what="the laptop to follow")
    assert "on_friend_groups_deleted" in heard_laptop.kinds()
    assert "on_friend_info_changed" in heard_laptop.kinds()
    assert [f.user_id for f in await fm(alice).search_friends("WORK")] == ["bob"]
    assert [f.user_id for f in await fm(alice).search_friends("rob")] == ["bob"]


async def test_profile_set_get_and_events_to_me_and_friends_only(peers):
    alice, bob, carol = await peers("alice"), await peers("bob"), await peers("carol")
    await allow(alice, AllowType.ALLOW_ANY)
    assert (await fm(bob).add_friend("alice", add_type=FriendType.SINGLE)).result_code == 0
    heard_bob, heard_carol = listening(bob), listening(carol)
    laptop = await peers("alice", device="laptop", platform=Platform.WEB)
    selves: list[UserInfo] = []
    laptop_selves: list[UserInfo] = []
    alice.client.add_listener(SelfInfo(selves))
    laptop.client.add_listener(SelfInfo(laptop_selves))

    info = await alice.client.set_self_info(
        nick="Alice L.", face_url="https://example.com/a.png", self_signature="climbing",
        gender=int(Gender.FEMALE), birthday=20000101, location="CN-SH", language=1,
        level=3, role=2, allow_type=int(AllowType.NEED_CONFIRM))
    assert info is not None and info.nick_name == "Alice L." and info.birthday == 20000101
    assert selves[-1] == info

    (fetched,) = await carol.client.get_users_info(["alice"])
    assert fetched == UserInfo("alice", "Alice L.", "https://example.com/a.png", "climbing",
                               int(Gender.FEMALE), 20000101, "CN-SH", 1, 3, 2,
                               int(AllowType.NEED_CONFIRM))
    # bob has alice in his list: he hears her profile changed, carol (a stranger) does not
    await wait_until(lambda: any(f.profile and f.profile.nick == "Alice L."
                                 for (friends,) in heard_bob.args("on_friend_info_changed")
                                 for f in friends), what="bob to hear alice's profile")
    (record,) = await fm(bob).get_friend_list()
    assert record.profile.self_signature == "climbing"
    assert heard_carol.events == []
    # my other device hears its own user's profile as on_self_info_updated
    await wait_until(lambda: laptop_selves and laptop_selves[-1] == info,
                     what="the laptop to follow")


async def test_contacts_open_offline_and_changes_made_offline_replay_after_a_restart(peers):
    alice, bob, carol = await peers("alice"), await peers("bob"), await peers("carol")
    dave, erin = await peers("dave"), await peers("erin")
    for peer in (bob, carol):
        await allow(peer, AllowType.ALLOW_ANY)
    for other in ("bob", "carol"):
        assert (await fm(alice).add_friend(other)).result_code == 0
    assert (await fm(dave).add_friend("alice", add_wording="dave here")).result_code == (
        ErrorCode.FRIEND_PENDING)
    assert (await fm(erin).add_friend("alice")).result_code == ErrorCode.FRIEND_PENDING
    await wait_until(lambda: fm(alice).unread_application_count() == 2, what="requests")
    await fm(alice).create_friend_group("Work", ["bob"])
    await alice.close()

    offline = await peers("alice", login=False)
    await offline.client.init_storage("alice")
    ofm = fm(offline)
    assert await friend_ids(offline) == ["bob", "carol"]
    assert {g.name: g.user_ids for g in await ofm.get_friend_groups()} == {"Work": ["bob"]}
    apps = await ofm.get_friend_application_list()
    assert (apps.unread_count, sorted(a.user_id for a in apps.applications)) == (
        2, ["dave", "erin"])

    # changes made offline show at once and wait in the queue; two the service
    # will refuse: a remark over its limit (an error) and accepting a request withdrawn
    # meanwhile (a result code)
    assert await ofm.set_friend_info("bob", remark="B") is None
    assert await ofm.set_friend_info("bob", remark="far too long " * 10) is None  # refused
    assert await ofm.accept_friend_application("dave", AcceptType.AGREE_AND_ADD) is None
    assert await ofm.refuse_friend_application("erin") is None
    assert await ofm.delete_from_friend_list(["carol"]) is None
    assert await ofm.add_to_black_list(["carol"]) is None
    assert await ofm.rename_friend_group("Work", "Team") is None
    assert await offline.client.set_self_info(nick="Alice (offline)") is None
    assert offline.client.profiles.get("alice").nick == "Alice (offline)"
    shown = {f.user_id: f.remark for f in await ofm.get_friend_list()}
    assert shown == {"bob": "far too long " * 10, "dave": ""}
    assert [e.user_id for e in await ofm.get_black_list()] == ["carol"]
    assert [g.name for g in await ofm.get_friend_groups()] == ["Team"]
    assert (await ofm.get_friend_application_list()).applications == []
    await offline.close()

    # meanwhile dave withdraws his request: the accept will find nothing (30614)
    (request,) = (await fm(dave).get_friend_application_list()).applications
    assert (await fm(dave).delete_friend_application(request)).result_code == 0

    # restarted on the same cache, online: the queue is replayed in order
    alice = await peers("alice")
    heard = listening(alice)

    async def replayed() -> bool:
        return (await friend_ids(alice) == ["bob"]
                and [e.user_id for e in await fm(alice).get_black_list()] == ["carol"])
    await wait_until(replayed, what="the queue replayed, the refused accept undone")

    async def refused_remark_undone() -> bool:
        return (await fm(alice).get_friend_list())[0].remark == "B"
    await wait_until(refused_remark_undone, what="the refused remark undone")
    assert [g.name for g in await fm(alice).get_friend_groups()] == ["Team"]
    assert ("on_friend_list_deleted", (["dave"],)) in heard.events
    assert await friend_ids(dave) == []

    async def carol_lost_alice() -> bool:
        return await friend_ids(carol) == []
    await wait_until(carol_lost_alice, what="carol's list to lose alice")
    assert (await fm(carol).add_friend("alice")).result_code == ErrorCode.IN_PEER_BLACKLIST
    async def renamed_last() -> bool:  # the last change queued
        (profile,) = await bob.client.get_users_info(["alice"])
        return profile.nick_name == "Alice (offline)"
    await wait_until(renamed_last, what="the profile change replayed")
    assert (await fm(erin).get_friend_application_list()).applications == []

    # a fresh device shows the same
    fresh = await peers("alice", device="fresh", platform=Platform.MOBILE)
    assert await friend_ids(fresh) == ["bob"]
    assert [g.name for g in await fm(fresh).get_friend_groups()] == ["Team"]
    assert (await fm(fresh).get_friend_application_list()).applications == []


async def test_unread_request_count_equals_a_fresh_devices(peers):
    alice = await peers("alice")
    applicants = [await peers(f"user{i}") for i in range(3)]
    laptop = await peers("alice", device="laptop", platform=Platform.WEB)
    for peer in applicants[:2]:
        assert (await fm(peer).add_friend("alice")).result_code == ErrorCode.FRIEND_PENDING
    await wait_until(lambda: fm(alice).unread_application_count() == 2, what="two requests")
    await laptop.close()

    # read here, then a third request: the badge is 1, on the laptop after it comes back too
    await fm(alice).set_friend_application_read()
    assert fm(alice).unread_application_count() == 0
    assert (await fm(applicants[2]).add_friend("alice")).result_code == (
        ErrorCode.FRIEND_PENDING)
    await wait_until(lambda: fm(alice).unread_application_count() == 1, what="the third")

    laptop = await peers("alice", device="laptop", platform=Platform.WEB)
    fresh = await peers("alice", device="fresh", platform=Platform.MOBILE)
    assert fm(laptop).unread_application_count() == 1
    assert fm(fresh).unread_application_count() == 1
    listed = await fm(fresh).get_friend_application_list()
    assert [a.user_id for a in listed.applications] == ["user2", "user1", "user0"]

    # marked read offline, replayed after the next login: every device agrees on 0
    await alice.close()
    offline = await peers("alice", login=False)
    await offline.client.init_storage("alice")
    await fm(offline).set_friend_application_read()
    assert fm(offline).unread_application_count() == 0
    await offline.close()
    alice = await peers("alice")
    await wait_until(lambda: fm(laptop).unread_application_count() == 0,
                     what="the laptop told of the read")
    another = await peers("alice", device="another", platform=Platform.PAD)
    assert fm(another).unread_application_count() == 0
    assert fm(alice).unread_application_count() == 0
