"""Adding friends (R2, §4.2): every allow type × add type × relationship already there, with
the exact result code and the records afterwards — and who is told."""

from __future__ import annotations

import dataclasses

import pytest

from app.protocol import DEFAULT_LIMITS

from .conftest import Client, Service
from .helpers_friends import (
    ALLOW_ANY,
    BOTH,
    BOTH_WAY,
    DENY_ANY,
    IN_MY_LIST,
    IN_OTHER_LIST,
    NEED_CONFIRM,
    NONE,
    SINGLE,
    add,
    allow,
    drain_events,
    event,
    kinds,
    relation,
)

PENDING, DENIED, I_BLOCK, THEY_BLOCK = 30539, 30516, 30515, 30525


async def _arrange(alice: Client, bob: Client, existing: str) -> None:
    """Make the relationship ``existing`` between alice and bob (both allow anyone for it)."""
    await allow(alice, ALLOW_ANY)
    await allow(bob, ALLOW_ANY)
    if existing == "mine":
        assert await add(alice, "bob", SINGLE) == 0
    elif existing == "theirs":
        assert await add(bob, "alice", SINGLE) == 0
    elif existing == "both":
        assert await add(alice, "bob", BOTH) == 0
    elif existing == "i_block":
        await alice.call("friend.black_add", {"user_ids": ["bob"]})
    elif existing == "they_block":
        await bob.call("friend.black_add", {"user_ids": ["alice"]})


# (existing relationship, add type) → bob's allow type → (result code, relation afterwards)
EXPECTED = {
    ("none", SINGLE): {ALLOW_ANY: (0, IN_MY_LIST), NEED_CONFIRM: (PENDING, NONE),
                       DENY_ANY: (DENIED, NONE)},
    ("none", BOTH): {ALLOW_ANY: (0, BOTH_WAY), NEED_CONFIRM: (PENDING, NONE),
                     DENY_ANY: (DENIED, NONE)},
    # bob is in my list already: a single add changes nothing; a both-way one asks for bob's
    # list
    ("mine", SINGLE): {a: (0, IN_MY_LIST) for a in (ALLOW_ANY, NEED_CONFIRM, DENY_ANY)},
    ("mine", BOTH): {ALLOW_ANY: (0, BOTH_WAY), NEED_CONFIRM: (PENDING, IN_MY_LIST),
                     DENY_ANY: (DENIED, IN_MY_LIST)},
    # bob has me already: he accepted me, so my list takes him without asking
    ("theirs", SINGLE): {a: (0, BOTH_WAY) for a in (ALLOW_ANY, NEED_CONFIRM, DENY_ANY)},
    ("theirs", BOTH): {a: (0, BOTH_WAY) for a in (ALLOW_ANY, NEED_CONFIRM, DENY_ANY)},
    ("both", SINGLE): {a: (0, BOTH_WAY) for a in (ALLOW_ANY, NEED_CONFIRM, DENY_ANY)},
    ("both", BOTH): {a: (0, BOTH_WAY) for a in (ALLOW_ANY, NEED_CONFIRM, DENY_ANY)},
    ("i_block", SINGLE): {a: (I_BLOCK, NONE) for a in (ALLOW_ANY, NEED_CONFIRM, DENY_ANY)},
    ("i_block", BOTH): {a: (I_BLOCK, NONE) for a in (ALLOW_ANY, NEED_CONFIRM, DENY_ANY)},
    ("they_block", SINGLE): {a: (THEY_BLOCK, NONE) for a in (ALLOW_ANY, NEED_CONFIRM, DENY_ANY)},
    ("they_block", BOTH): {a: (THEY_BLOCK, NONE) for a in (ALLOW_ANY, NEED_CONFIRM, DENY_ANY)},
}
CASES = [(existing, add_type, allow_type, *outcome)
         for (existing, add_type), by_allow in EXPECTED.items()
         for allow_type, outcome in by_allow.items()]


@pytest.mark.parametrize(("existing", "add_type", "allow_type", "code", "after"), CASES)
async def test_add_friend_matrix(service: Service, existing: str, add_type: int,
                                 allow_type: int, code: int, after: int) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    await _arrange(alice, bob, existing)
    before = await relation(alice, "bob")
    await allow(bob, allow_type)
    await drain_events(alice)
    await drain_events(bob)

    assert await add(alice, "bob", add_type, add_wording="hi", add_source="AddSource_Type_Web",
                     remark="Bobby") == code
    assert await relation(alice, "bob") == after
    assert await relation(bob, "alice") == {NONE: NONE, IN_MY_LIST: IN_OTHER_LIST,
                                            IN_OTHER_LIST: IN_MY_LIST, BOTH_WAY: BOTH_WAY}[after]
    incoming = (await bob.call("friend.applications", {"type": 1}))["applications"]
    outgoing = (await alice.call("friend.applications", {"type": 2}))["applications"]
    if code == PENDING:
        (seen,) = incoming
        assert (seen["user_id"], seen["type"], seen["add_wording"], seen.get("add_type", BOTH)) == (
            "alice", 1, "hi", add_type)
        assert [a["user_id"] for a in outgoing] == ["bob"] and outgoing[0]["type"] == 2
        assert kinds(await drain_events(alice)) == ["application_list_added"]
        assert kinds(await drain_events(bob)) == ["application_list_added"]
        return
    assert incoming == [] and outgoing == []
    # Each side hears friend_list_added exactly when its own list grew.
    alice_grew = after & IN_MY_LIST and not before & IN_MY_LIST
    bob_grew = after & IN_OTHER_LIST and not before & IN_OTHER_LIST
    assert kinds(await drain_events(alice)) == (["friend_list_added"] if alice_grew else [])
    assert kinds(await drain_events(bob)) == (["friend_list_added"] if bob_grew else [])
    if alice_grew and existing == "none":
        (friend,) = (await alice.call("friend.info", {"user_ids": ["bob"]}))["results"]
        record = friend["friend"]
        assert (record["remark"], record["add_wording"], record["add_source"]) == (
            "Bobby", "hi", "AddSource_Type_Web")


async def test_one_way_records_and_events_reach_only_the_pair(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    bob_web = await service.login("bob", platform="web")
    carol = await service.login("carol")
    await allow(bob, ALLOW_ANY)
    await drain_events(bob)
    await drain_events(bob_web)
    assert await add(alice, "bob", SINGLE, remark="B") == 0
    added = await event(alice, "friend_list_added")
    (friend,) = added["friends"]
    assert (friend["user_id"], friend["remark"]) == ("bob", "B")
    assert friend["profile"]["user_id"] == "bob"
    # a one-way add: bob's list did not change, so neither of his devices hears anything
    await bob.no_push()
    await bob_web.no_push()
    await carol.no_push()
    assert await relation(alice, "bob") == IN_MY_LIST
    assert await relation(bob, "alice") == IN_OTHER_LIST
    # SINGLE check says nothing about their list
    (check,) = (await bob.call("friend.check", {"user_ids": ["alice"], "type": SINGLE}))[
        "results"]
    assert check.get("relation", NONE) == NONE
    listed = await alice.call("friend.list", {})
    assert [f["user_id"] for f in listed["friends"]] == ["bob"]
    assert (await bob.call("friend.list", {}))["friends"] == []

    # deleting one way: only the side whose list changed hears
    (deleted,) = (await alice.call("friend.delete", {"user_ids": ["bob"], "type": SINGLE}))[
        "results"]
    assert deleted.get("result_code", 0) == 0
    assert (await event(alice, "friend_list_deleted"))["user_ids"] == ["bob"]
    await bob.no_push()
    (again,) = (await alice.call("friend.delete", {"user_ids": ["bob"], "type": SINGLE}))[
        "results"]
    assert again["result_code"] == 31704


async def test_delete_both_tells_both_sides(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    carol = await service.login("carol")
    await allow(bob, ALLOW_ANY)
    assert await add(alice, "bob", BOTH) == 0
    await event(alice, "friend_list_added")
    await event(bob, "friend_list_added")
    (result,) = (await bob.call("friend.delete", {"user_ids": ["alice"], "type": BOTH}))[
        "results"]
    assert result.get("result_code", 0) == 0
    assert (await event(bob, "friend_list_deleted"))["user_ids"] == ["alice"]
    assert (await event(alice, "friend_list_deleted"))["user_ids"] == ["bob"]
    await carol.no_push()
    assert await relation(alice, "bob") == NONE


async def test_add_refuses_bad_requests(service: Service) -> None:
    alice = await service.login("alice")
    await service.login("bob")
    assert await alice.error("friend.add", {"user_id": "alice"}) == 30001
    assert await alice.error("friend.add", {"user_id": "ghost"}) == 30001
    assert await alice.error("friend.add", {"user_id": "bob", "add_type": 3}) == 30001
    assert await alice.error("friend.add", {"user_id": "bob", "remark": "r" * 97}) == 30001
    assert await alice.error("friend.add", {"user_id": "bob", "add_wording": "w" * 121}) == 30001
    assert await alice.error("friend.add", {"user_id": "bob", "add_source": "Web"}) == 30001
    assert await alice.error("friend.add", {"user_id": "bob",
                                            "add_source": "AddSource_Type_123456789"}) == 30001
    assert await add(alice, "bob", remark="r" * 96, add_wording="w" * 120,
                     add_source="AddSource_Type_12345678") == 30539


async def test_admin_forbids_sending_requests(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    await allow(bob, ALLOW_ANY)
    reply = await service.admin("profile/portrait_set", {"From_Account": "alice", "ProfileItem": [
        {"Tag": "Tag_Profile_IM_AdminForbidType", "Value": "AdminForbid_Type_SendOut"}]})
    assert reply["ErrorCode"] == 0
    assert await add(alice, "bob") == 30516
    # the user cannot lift it themself: profile.set has no such field
    still = await alice.call("profile.set", {"admin_forbid_type": 0})
    assert still["admin_forbid_type"] == 1
    assert await add(alice, "bob") == 30516
    assert await relation(alice, "bob") == NONE


@pytest.mark.parametrize("service_options", [
    {"limits": dataclasses.replace(DEFAULT_LIMITS, friends_max=1)}])
async def test_full_lists(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    carol = await service.login("carol")
    for client in (alice, bob, carol):
        await allow(client, ALLOW_ANY)
    assert await add(alice, "bob", SINGLE) == 0
    assert await add(alice, "carol", SINGLE) == 30010  # my list is full
    assert await add(carol, "alice", BOTH) == 30014  # alice's list is full
    assert await add(carol, "alice", SINGLE) == 0  # carol's list has room
    assert await relation(carol, "alice") == IN_MY_LIST
    # accepting: the applicant's full list is 30014 to the one who accepts
    await allow(carol, NEED_CONFIRM)
    assert await add(bob, "carol", SINGLE) == 30539
    await alice.call("friend.delete", {"user_ids": ["bob"], "type": SINGLE})
    assert await add(bob, "alice", SINGLE) == 0  # bob's list is full now
    (accepted,) = [await carol.call("friend.accept", {"user_id": "bob", "type": 0})]
    assert accepted["result_code"] == 30014
