"""Friend groups (R5), remarks and friend custom fields (R4), profile fields and their limits
(R1), and who hears of a profile change."""

from __future__ import annotations

import pytest

from .conftest import Service
from .helpers_friends import ALLOW_ANY, BOTH, SINGLE, add, allow, drain_events, event, kinds


async def test_friend_groups(service: Service) -> None:
    alice = await service.login("alice")
    alice_web = await service.login("alice", platform="web")
    carol = await service.login("carol")
    bob = await service.login("bob")
    for client in (bob, carol):
        await allow(client, ALLOW_ANY)
    assert await add(alice, "bob", SINGLE) == 0
    assert await add(alice, "carol", SINGLE) == 0
    for client in (alice, alice_web, bob, carol):
        await drain_events(client)

    results = (await alice.call("friend.group_create", {"name": "work",
                                                        "user_ids": ["bob", "dave"]}))["results"]
    assert [r.get("result_code", 0) for r in results] == [0, 31704]
    for client in (alice, alice_web):
        changed = await event(client, "friend_groups_changed")
        assert changed["groups"] == [{"name": "work", "user_ids": ["bob"]}]
        (info,) = (await event(client, "friend_info_changed"))["friends"]
        assert info["user_id"] == "bob" and info["group_names"] == ["work"]
    await bob.no_push()
    assert await alice.error("friend.group_create", {"name": "work"}) == 30001
    assert await alice.error("friend.group_create", {"name": "w" * 31}) == 30001
    assert await alice.error("friend.group_create", {"name": " "}) == 30001
    await alice.call("friend.group_create", {"name": "family"})
    await alice.call("friend.group_add", {"name": "family", "user_ids": ["bob", "carol"]})
    (bob_info,) = (await alice.call("friend.info", {"user_ids": ["bob"]}))["results"]
    assert sorted(bob_info["friend"]["group_names"]) == ["family", "work"]  # several groups
    groups = (await alice.call("friend.groups", {}))["groups"]
    assert groups == [{"name": "work", "user_ids": ["bob"]},
                      {"name": "family", "user_ids": ["bob", "carol"]}]

    await alice.call("friend.group_rename", {"old_name": "family", "new_name": "home"})
    assert await alice.error("friend.group_rename", {"old_name": "nope",
                                                     "new_name": "x"}) == 30001
    assert await alice.error("friend.group_rename", {"old_name": "home",
                                                     "new_name": "work"}) == 30001
    removed = (await alice.call("friend.group_remove", {"name": "home",
                                                        "user_ids": ["carol", "dave"]}))
    assert [r.get("result_code", 0) for r in removed["results"]] == [0, 31704]
    assert (await alice.call("friend.groups", {"names": ["home", "nope"]}))["groups"] == [
        {"name": "home", "user_ids": ["bob"]}]
    await drain_events(alice)
    await alice.call("friend.group_delete", {"names": ["work"]})
    frames = await drain_events(alice)
    assert kinds(frames) == ["friend_groups_changed", "friend_info_changed"]
    assert frames[0]["body"]["deleted_groups"] == ["work"]
    assert await alice.error("friend.group_delete", {"names": ["work"]}) == 30001
    # a friend who leaves my list leaves my groups
    await alice.call("friend.delete", {"user_ids": ["bob"], "type": SINGLE})
    assert (await alice.call("friend.groups", {}))["groups"] == [{"name": "home"}]
    await bob.no_push()
    await carol.no_push()


async def test_remarks_custom_fields_and_list_paging(service: Service) -> None:
    alice = await service.login("alice")
    friends = [f"f{i:02d}" for i in range(5)]
    for user in friends:
        await allow(await service.login(user), ALLOW_ANY)
        assert await add(alice, user, BOTH) == 0
    await drain_events(alice)
    friend = await alice.call("friend.set_info", {"user_id": "f01", "remark": "Uno",
                                                  "custom": {"Tier": "gold", "Score": 7}})
    assert (friend["remark"], friend["custom"]) == ("Uno", {"Score": 7, "Tier": "gold"})
    assert (await event(alice, "friend_info_changed"))["friends"][0]["remark"] == "Uno"
    assert await alice.error("friend.set_info", {"user_id": "f01", "remark": "r" * 97}) == 30001
    assert await alice.error("friend.set_info", {"user_id": "f01",
                                                 "custom": {"bad key": "x"}}) == 30001
    assert await alice.error("friend.set_info", {"user_id": "f01",
                                                 "custom": {"Toolongkey": "x"}}) == 30001
    assert await alice.error("friend.set_info", {"user_id": "ghost", "remark": "x"}) == 31704
    removed = await alice.call("friend.set_info", {"user_id": "f01", "custom": {"Tier": ""}})
    assert removed["custom"] == {"Score": 7}

    first = await alice.call("friend.list", {"count": 2})
    assert [f["user_id"] for f in first["friends"]] == ["f00", "f01"]
    second = await alice.call("friend.list", {"count": 2, "after": first["next_after"]})
    third = await alice.call("friend.list", {"count": 2, "after": second["next_after"]})
    assert [f["user_id"] for f in second["friends"] + third["friends"]] == friends[2:]
    assert "next_after" not in third
    infos = (await alice.call("friend.info", {"user_ids": ["f01", "ghost"]}))["results"]
    assert infos[0]["friend"]["remark"] == "Uno" and infos[0]["relation"] == 3
    assert infos[1]["result_code"] == 30001


async def test_profile_fields_limits_and_who_hears(service: Service) -> None:
    alice = await service.login("alice")
    alice_web = await service.login("alice", platform="web")
    bob = await service.login("bob")
    stranger = await service.login("stranger")
    await allow(alice, ALLOW_ANY)
    assert await add(bob, "alice", SINGLE) == 0  # bob has alice: he hears of her profile
    await drain_events(bob)
    await drain_events(alice)
    await drain_events(alice_web)
    full = {"nick": "Alice", "face_url": "https://f/a.png", "self_signature": "hello",
            "gender": 2, "birthday": 20000101, "location": "CN-SH", "language": 1,
            "level": 3, "role": 4, "allow_type": 1, "custom": {"Blood": "A", "Hobby": 5}}
    profile = await alice.call("profile.set", full)
    assert profile == {"user_id": "alice", **{k: v for k, v in full.items()
                                              if k != "allow_type"}}
    assert await alice_web.push("profile.changed") == profile
    assert await bob.push("profile.changed") == profile
    await stranger.no_push()
    await alice.no_push()  # the session that changed it has its answer
    (seen,) = (await stranger.call("profile.get", {"user_ids": ["alice"]}))["profiles"]
    assert seen == profile

    for bad, code in (({"nick": "n" * 65}, 40601), ({"self_signature": "s" * 501}, 40601),
                      ({"location": "l" * 17}, 40601), ({"face_url": "u" * 501}, 40601),
                      ({"gender": 3}, 40001), ({"allow_type": 5}, 40001),
                      ({"birthday": -1}, 40001), ({"level": 2**32}, 40001),
                      ({"custom": {"Toolongkey": "x"}}, 40001),
                      ({"custom": {"Blood": "v" * 501}}, 40601),
                      ({"custom": {f"K{i}": "x" for i in range(19)}}, 40001)):
        assert await alice.error("profile.set", bad) == code, bad
    assert (await alice.call("profile.set", {"custom": {"Blood": ""}}))["custom"] == {
        "Hobby": 5}
    await drain_events(alice_web)
    await drain_events(bob)
    await alice.call("profile.set", {"nick": "n" * 64, "location": "l" * 16})
    await alice_web.push("profile.changed")
    # an empty profile.set changes nothing and tells nobody
    await alice.call("profile.set", {})
    await alice_web.no_push()
    await bob.push("profile.changed")
    await bob.no_push()


@pytest.mark.parametrize("service_options", [{"profile_custom_fields": ("Blood",)}])
async def test_declared_custom_fields_only(service: Service) -> None:
    alice = await service.login("alice")
    assert (await alice.call("profile.set", {"custom": {"Blood": "O"}}))["custom"] == {
        "Blood": "O"}
    assert await alice.error("profile.set", {"custom": {"Hobby": "x"}}) == 40009
