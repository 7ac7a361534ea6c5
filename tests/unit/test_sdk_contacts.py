"""The contacts a device shows, without a service: what a queued change shows, what a push does,
what listeners hear of a difference, and the cache that keeps the service's word (a schema 6
cache brought up to 7)."""

from __future__ import annotations

import sqlite3

from app.protocol import Cmd, Profile
from app.protocol.friends import (
    AcceptType,
    ApplicationType,
    BlackEntry,
    Friend,
    FriendApplication,
    FriendEventKind,
    FriendEventPush,
    FriendGroup,
)
from app.sdk.cache.operations import FRIENDS_QUEUE, FriendChange
from app.sdk.cache.store import CacheStore
from app.sdk.friends import events
from app.sdk.friends.overlay import overlaid
from app.sdk.friends.state import Contacts, diff, key_of


def contacts() -> Contacts:
    c = Contacts()
    for user_id in ("bob", "carol"):
        c.put_friend(Friend(user_id, profile=Profile(user_id, user_id.title())))
    c.groups["Work"] = FriendGroup("Work")
    c.join("Work", ["bob", "carol"])
    for app in (FriendApplication("dave", ApplicationType.COME_IN, add_time=10, nick="Dave"),
                FriendApplication("erin", ApplicationType.COME_IN, add_time=20),
                FriendApplication("erin", ApplicationType.SEND_OUT, add_time=5)):
        c.applications[key_of(app)] = app
    return c


def change(cmd: Cmd, time: int = 0, **body) -> FriendChange:
    return FriendChange(FRIENDS_QUEUE, str(cmd), body, time)


def no_profile(user_id: str) -> Profile | None:
    return None


def test_queued_changes_show_over_the_services_word_and_leave_it_intact():
    base = contacts()
    shown = overlaid(base, [
        change(Cmd.FRIEND_ACCEPT, 30, user_id="dave", type=int(AcceptType.AGREE_AND_ADD),
               remark="D"),
        change(Cmd.BLACK_ADD, 40, user_ids=["carol"]),
        change(Cmd.FRIEND_GROUP_RENAME, old_name="Work", new_name="Team"),
        change(Cmd.FRIEND_SET_INFO, user_id="bob", remark="B", custom={"k": "v"}),
        change(Cmd.FRIEND_SET_APPLICATIONS_READ, until=20),
        change(Cmd.FRIEND_ADD, user_id="zed"),
    ], no_profile)
    assert sorted(shown.friends) == ["bob", "dave"]
    assert (shown.friends["dave"].remark, shown.friends["dave"].profile.nick) == ("D", "Dave")
    assert shown.friends["bob"].remark == "B" and shown.friends["bob"].custom == {"k": "v"}
    assert shown.friends["bob"].group_names == ["Team"]
    assert list(shown.groups) == ["Team"] and shown.groups["Team"].user_ids == ["bob"]
    assert shown.black == {"carol": BlackEntry("carol", 40)}
    assert list(shown.applications) == [("erin", ApplicationType.COME_IN),
                                        ("erin", ApplicationType.SEND_OUT)]
    assert shown.unread_applications == 0
    # the base is what the service said, untouched
    assert base == contacts() and base.unread_applications == 2


def test_a_difference_is_what_listeners_hear():
    old = contacts()
    new = old.copy()
    new.remove_friends(["carol"])
    read = new.applications[("dave", ApplicationType.COME_IN)]
    new.applications[key_of(read)] = FriendApplication("dave", ApplicationType.COME_IN,
                                                       add_time=10, nick="Dave", read=True)
    again = FriendApplication("erin", ApplicationType.COME_IN, add_time=25, add_wording="hi")
    new.applications[key_of(again)] = again
    delta = diff(old, new)
    assert delta.friends_gone == ["carol"] and delta.friends_put == []
    assert delta.groups_put == [FriendGroup("Work", ["bob"])]
    assert delta.applications_read
    assert delta.applications_added == [again]  # sent again, not the one only read
    assert len(delta.applications_put) == 2  # both are written to the cache
    assert (delta.unread_before, delta.unread_after) == (2, 1)
    assert not diff(new, new.copy())


def test_pushes_that_cannot_be_applied_alone_ask_for_the_requests_again():
    base = contacts()
    gone = events.applied(base, FriendEventPush(FriendEventKind.APPLICATION_LIST_DELETED,
                                                user_ids=["dave", "erin"]), 0)
    assert ("dave", ApplicationType.COME_IN) not in gone.contacts.applications
    assert gone.refetch_applications  # erin has requests both ways: which one went?
    read = events.applied(base, FriendEventPush(FriendEventKind.APPLICATION_LIST_READ), 0)
    assert read.refetch_applications and read.contacts == base
    deleted = events.applied(base, FriendEventPush(FriendEventKind.FRIEND_LIST_DELETED,
                                                   user_ids=["bob"]), 0)
    assert deleted.contacts.groups["Work"].user_ids == ["carol"]
    blocked = events.applied(base, FriendEventPush(FriendEventKind.BLACK_LIST_ADDED,
                                                   friends=[Friend("zed")]), 77)
    assert blocked.contacts.black == {"zed": BlackEntry("zed", 77)}


async def test_the_cache_keeps_contacts_and_every_profile_field_from_a_schema_6_cache(
        tmp_path):
    path = tmp_path / "cache.db"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE profiles (user_id TEXT PRIMARY KEY, nick TEXT, face_url TEXT)")
    old.execute("INSERT INTO profiles VALUES ('bob', 'Bob', 'b.png')")
    old.execute("PRAGMA user_version = 6")
    old.commit()
    old.close()

    cache = CacheStore(path, "me")
    await cache.open()
    try:
        assert await cache.profiles.all() == {"bob": Profile("bob", "Bob", "b.png")}
        full = Profile("bob", "Bob", self_signature="hi", birthday=20000101,
                       custom={"Level": 3})
        await cache.profiles.save([full])
        assert await cache.profiles.get(["bob", "nobody"]) == {"bob": full}

        base = contacts()
        await cache.contacts.replace(base)
        assert await cache.contacts.load() == base
        new = base.copy()
        new.remove_friends(["bob"])
        new.groups["Climbing"] = FriendGroup("Climbing", ["carol"])
        await cache.contacts.save(diff(base, new))
        loaded = await cache.contacts.load()
        assert loaded == new and list(loaded.groups) == ["Work", "Climbing"]
    finally:
        await cache.close()
