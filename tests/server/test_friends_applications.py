"""Friend applications (R3, §4.3): both sides see one request, accept (agree / agree and
add), refuse, delete, read state and the unread count — every event to both sides and only
them."""

from __future__ import annotations

from .conftest import Service
from .helpers_friends import (
    BOTH,
    BOTH_WAY,
    IN_MY_LIST,
    NONE,
    SINGLE,
    add,
    drain_events,
    event,
    kinds,
    relation,
)


async def test_agree_adds_one_way_and_agree_and_add_both(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    bob_web = await service.login("bob", platform="web")
    carol = await service.login("carol")
    assert await add(alice, "bob", SINGLE, remark="B", group_name="work",
                     add_wording="it's alice") == 30539
    for client in (alice, bob, bob_web):
        (app,) = (await event(client, "application_list_added"))["applications"]
        assert app["add_wording"] == "it's alice"
    assert (await bob.call("friend.applications", {}))["unread_count"] == 1
    (mine,) = (await alice.call("friend.applications", {}))["applications"]
    assert (mine["user_id"], mine["type"]) == ("bob", 2)
    assert (await alice.call("friend.applications", {})).get("unread_count", 0) == 0

    accepted = await bob.call("friend.accept", {"user_id": "alice", "type": 0})
    assert accepted.get("result_code", 0) == 0
    # AGREE: bob is in alice's list (with her remark and group), alice not in bob's
    assert await relation(alice, "bob") == IN_MY_LIST
    assert kinds(await drain_events(alice)) == ["friend_list_added",
                                                "application_list_deleted"]
    assert kinds(await drain_events(bob)) == ["application_list_deleted"]
    assert kinds(await drain_events(bob_web)) == ["application_list_deleted"]
    (info,) = (await alice.call("friend.info", {"user_ids": ["bob"]}))["results"]
    assert info["friend"]["remark"] == "B" and info["friend"]["group_names"] == ["work"]
    assert info["relation"] == IN_MY_LIST
    await carol.no_push()
    assert (await bob.call("friend.applications", {}))["applications"] == []
    again = await bob.call("friend.accept", {"user_id": "alice"})
    assert again["result_code"] == 30614

    assert await add(carol, "bob", BOTH) == 30539
    await drain_events(bob)
    await drain_events(carol)
    accepted = await bob.call("friend.accept", {"user_id": "carol", "type": 1, "remark": "C"})
    assert accepted.get("result_code", 0) == 0
    assert await relation(bob, "carol") == BOTH_WAY
    assert kinds(await drain_events(carol)) == ["friend_list_added", "application_list_deleted"]
    assert kinds(await drain_events(bob)) == ["application_list_deleted", "friend_list_added"]
    await alice.no_push()
    (info,) = (await bob.call("friend.info", {"user_ids": ["carol"]}))["results"]
    assert info["friend"]["remark"] == "C"


async def test_refuse_delete_and_read_state(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    bob_web = await service.login("bob", platform="web")
    carol = await service.login("carol")
    dave = await service.login("dave")
    for sender in (alice, carol, dave):
        assert await add(sender, "bob") == 30539
    for client in (alice, bob, bob_web, carol, dave):
        await drain_events(client)
    page = await bob.call("friend.applications", {"type": 1, "count": 2})
    assert [a["user_id"] for a in page["applications"]] == ["dave", "carol"]  # newest first
    assert page["unread_count"] == 3 and page["next"] == 2
    rest = await bob.call("friend.applications", {"type": 1, "start": page["next"]})
    assert [a["user_id"] for a in rest["applications"]] == ["alice"] and "next" not in rest

    await bob.call("friend.set_applications_read", {})
    assert kinds(await drain_events(bob_web)) == ["application_list_read"]
    assert kinds(await drain_events(bob)) == ["application_list_read"]
    await alice.no_push()
    listed = await bob.call("friend.applications", {"type": 1})
    assert listed.get("unread_count", 0) == 0 and all(a["read"] for a in listed["applications"])
    await bob.call("friend.set_applications_read", {})  # nothing new: nobody is told
    await bob_web.no_push()

    # a request sent again is unread again
    assert await add(alice, "bob", add_wording="again") == 30539
    assert (await bob.call("friend.applications", {}))["unread_count"] == 1
    await drain_events(alice)
    await drain_events(bob)

    refused = await bob.call("friend.refuse", {"user_id": "alice"})
    assert refused.get("result_code", 0) == 0
    assert (await event(alice, "application_list_deleted"))["user_ids"] == ["bob"]
    assert (await event(bob, "application_list_deleted"))["user_ids"] == ["alice"]
    assert await relation(alice, "bob") == NONE
    await carol.no_push()

    # the receiver deletes one it received, the sender one they sent
    gone = await bob.call("friend.delete_application", {"user_id": "carol", "type": 1})
    assert gone.get("result_code", 0) == 0
    assert (await event(carol, "application_list_deleted"))["user_ids"] == ["bob"]
    gone = await dave.call("friend.delete_application", {"user_id": "bob", "type": 2})
    assert gone.get("result_code", 0) == 0
    assert (await event(dave, "application_list_deleted"))["user_ids"] == ["bob"]
    assert (await bob.call("friend.applications", {}))["applications"] == []
    missing = await bob.call("friend.refuse", {"user_id": "dave"})
    assert missing["result_code"] == 30614


async def test_a_direct_add_fulfils_the_request_it_answers(service: Service) -> None:
    alice = await service.login("alice")
    bob = await service.login("bob")
    assert await add(alice, "bob", SINGLE) == 30539
    await drain_events(alice)
    await drain_events(bob)
    # bob adds alice back (alice allows him: she asked), both-way: alice's request is met
    await alice.call("profile.set", {"allow_type": 0})
    assert await add(bob, "alice", BOTH) == 0
    assert await relation(bob, "alice") == BOTH_WAY
    assert "application_list_deleted" in kinds(await drain_events(alice))
    assert (await bob.call("friend.applications", {}))["applications"] == []
    assert await relation(alice, "bob") == BOTH_WAY
