"""Tencent's group management commands for the admin on the real service: profile, member
roles, name cards and mutes, who is muted, roles asked, and handing a group over — each seen
through what members read and are refused, and refused itself where the type says no."""

from __future__ import annotations

import time

from .conftest import Service
from .test_group_flows import events, history, send
from .test_rest_groups import SVC


async def make(service: Service, kind: str, group_id: str) -> None:
    reply = await service.admin(SVC + "create_group", {
        "Owner_Account": "alice", "Type": kind, "GroupId": group_id, "Name": group_id,
        "MemberList": [{"Member_Account": "bob"}, {"Member_Account": "carol"}]})
    assert reply["ActionStatus"] == "OK", reply


async def test_profile_roles_mutes_and_owner(service: Service) -> None:
    _alice, bob, carol = [await service.login(u) for u in ("alice", "bob", "carol")]
    await make(service, "Public", "club")
    reply = await service.admin(SVC + "modify_group_base_info", {
        "GroupId": "club", "Name": "Club 2", "Notification": "be kind",
        "ApplyJoinOption": "FreeAccess", "ShutUpAllMember": "Off"})
    assert reply["ActionStatus"] == "OK", reply
    (info,) = (await service.admin(SVC + "get_group_info", {"GroupIdList": ["club"]}))[
        "GroupInfo"]
    assert (info["Name"], info["Notification"], info["ApplyJoinOption"]) == (
        "Club 2", "be kind", "FreeAccess")
    # the capacity: never below the three members it has
    for asked, status in ((3, "OK"), (2, "FAIL"), (500, "OK")):
        reply = await service.admin(SVC + "modify_group_base_info",
                                    {"GroupId": "club", "MaxMemberNum": asked})
        assert reply["ActionStatus"] == status, (asked, reply)
    (info,) = (await service.admin(SVC + "get_group_info", {"GroupIdList": ["club"]}))[
        "GroupInfo"]
    assert info["MaxMemberNum"] == 500

    reply = await service.admin(SVC + "modify_group_member_info", {
        "GroupId": "club", "Member_Account": "bob", "Role": "Admin", "NameCard": "Bobby"})
    assert reply["ActionStatus"] == "OK", reply
    reply = await service.admin(SVC + "get_role_in_group", {
        "GroupId": "club", "User_Account": ["alice", "bob", "carol", "zed"]})
    assert {u["Member_Account"]: u["Role"] for u in reply["UserIdList"]} == {
        "alice": "Owner", "bob": "Admin", "carol": "Member", "zed": "NotMember"}
    members = (await service.admin(SVC + "get_group_member_info", {"GroupId": "club"}))[
        "MemberList"]
    assert next(m for m in members if m["Member_Account"] == "bob")["NameCard"] == "Bobby"

    reply = await service.admin(SVC + "forbid_send_msg", {
        "GroupId": "club", "Members_Account": ["carol"], "MuteTime": 600})
    assert reply["ActionStatus"] == "OK", reply
    muted = (await service.admin(SVC + "get_group_shutted_uin", {"GroupId": "club"}))[
        "ShuttedUinList"]
    assert [m["Member_Account"] for m in muted] == ["carol"] and muted[0]["ShuttedUntil"] > 0
    frame = await carol.request("msg.send", {"msg": {
        "msg_id": "muted-1", "conv_type": 2, "sender": "carol", "group_id": "club",
        "elems": [{"type": "text", "text": "hi"}]}})
    assert frame.get("code") == 10017, frame
    await service.admin(SVC + "modify_group_member_info", {
        "GroupId": "club", "Member_Account": "carol", "ShutUpTime": 0})
    assert (await service.admin(SVC + "get_group_shutted_uin", {"GroupId": "club"}))[
        "ShuttedUinList"] == []
    await send(carol, "club", "free again")

    reply = await service.admin(SVC + "change_group_owner", {
        "GroupId": "club", "NewOwner_Account": "bob"})
    assert reply["ActionStatus"] == "OK", reply
    joined = {g["group_id"]: g for g in (await bob.call("group.joined", {}))["groups"]}
    assert joined["club"]["owner"] == "bob" and joined["club"]["role"] == 400


async def test_what_the_type_or_the_body_refuses(service: Service) -> None:
    for user in ("alice", "bob", "carol"):
        await service.login(user)
    await make(service, "Private", "work")
    refusals = [
        ("forbid_send_msg", {"GroupId": "work", "Members_Account": ["bob"], "MuteTime": 60},
         10033),
        ("modify_group_member_info", {"GroupId": "work", "Member_Account": "bob",
                                      "Role": "Admin"}, 10033),
        ("modify_group_member_info", {"GroupId": "work", "Member_Account": "bob",
                                      "Role": "Boss"}, 10004),
        ("modify_group_base_info", {"GroupId": "work", "MaxMemberNum": 2}, 10004),
        ("modify_group_base_info", {"GroupId": "work", "MaxMemberNum": "ten"}, 10004),
        ("modify_group_base_info", {"GroupId": "work", "ShutUpAllMember": "Maybe"}, 10004),
        ("change_group_owner", {"GroupId": "work", "NewOwner_Account": "zed"}, 10012),
        ("get_role_in_group", {"GroupId": "nope", "User_Account": ["bob"]}, 10010),
        ("get_group_shutted_uin", {"GroupId": "nope"}, 10010),
    ]
    for command, body, code in refusals:
        reply = await service.admin(SVC + command, body)
        assert (reply["ActionStatus"], reply["ErrorCode"]) == ("FAIL", code), (command, reply)
        assert reply["ErrorInfo"]


async def test_appid_group_list_pages_each_group_once(service: Service) -> None:
    await service.login("alice")
    for kind, group_id in [("Public", "g1"), ("Private", "g2"), ("ChatRoom", "g3"),
                           ("Public", "g4"), ("AVChatRoom", "g5"), ("Public", "g6")]:
        body = {"Owner_Account": "alice", "Type": kind, "GroupId": group_id, "Name": group_id}
        assert (await service.admin(SVC + "create_group", body))["ActionStatus"] == "OK"
    await service.admin(SVC + "destroy_group", {"GroupId": "g6"})

    async def every_page(limit: int, **body: object) -> tuple[list[list[str]], set[int]]:
        pages, totals, after = [], set(), 0
        while True:
            reply = await service.admin(SVC + "get_appid_group_list",
                                        {"Limit": limit, "Next": after, **body})
            assert reply["ActionStatus"] == "OK", reply
            pages.append([g["GroupId"] for g in reply["GroupIdList"]])
            totals.add(reply["TotalCount"])
            after = reply["Next"]
            if not after:
                return pages, totals

    pages, totals = await every_page(2)
    assert pages == [["g1", "g2"], ["g3", "g4"], ["g5"]] and totals == {5}
    pages, totals = await every_page(2, GroupType="Public")
    assert pages == [["g1", "g4"]] and totals == {2}
    everything = await service.admin(SVC + "get_appid_group_list", {})
    assert ([g["GroupId"] for g in everything["GroupIdList"]], everything["Next"]) == (
        ["g1", "g2", "g3", "g4", "g5"], 0)

    # the cursor holds while groups come and go: one listed and one not yet listed are
    # dismissed, a new one is made; nothing repeats, the rest and the new one follow
    first = await service.admin(SVC + "get_appid_group_list", {"Limit": 2})
    assert [g["GroupId"] for g in first["GroupIdList"]] == ["g1", "g2"]
    for gone in ("g1", "g3"):
        await service.admin(SVC + "destroy_group", {"GroupId": gone})
    await service.admin(SVC + "create_group", {"Owner_Account": "alice", "Type": "Public",
                                               "GroupId": "g7", "Name": "g7"})
    seen, after = [], first["Next"]
    while after:
        reply = await service.admin(SVC + "get_appid_group_list", {"Limit": 2, "Next": after})
        seen += [g["GroupId"] for g in reply["GroupIdList"]]
        after = reply["Next"]
    assert seen == ["g4", "g5", "g7"]

    for body in ({"Limit": 0}, {"Limit": 10001}, {"Next": -1}, {"GroupType": "Club"}):
        reply = await service.admin(SVC + "get_appid_group_list", body)
        assert (reply["ActionStatus"], reply["ErrorCode"]) == ("FAIL", 10004), (body, reply)


async def test_import_group_member_keeps_join_time_and_adds_no_tip(service: Service) -> None:
    alice, _bob = await service.login("alice"), await service.login("bob")
    carol, dave = await service.login("carol"), await service.login("dave")
    await service.login("erin")
    await service.admin(SVC + "create_group", {
        "Owner_Account": "alice", "Type": "Public", "GroupId": "club", "Name": "Club",
        "MemberList": [{"Member_Account": "bob"}]})
    # an ordinary add writes its tip into the log: what an import must not do
    await service.admin(SVC + "add_group_member", {"GroupId": "club",
                                                   "MemberList": [{"Member_Account": "carol"}]})
    before = await history(alice, "club")
    assert [m["elems"][0]["type"] for m in before] == ["group_tips"]
    await events(alice)

    then = int(time.time()) - 86400
    reply = await service.admin(SVC + "import_group_member", {"GroupId": "club", "MemberList": [
        {"Member_Account": "dave", "Role": "Admin", "JoinTime": then, "UnreadMsgNum": 3},
        {"Member_Account": "erin"}, {"Member_Account": "bob"}, {"Member_Account": "zed"}]})
    assert reply["ActionStatus"] == "OK", reply
    assert [(m["Member_Account"], m["Result"]) for m in reply["MemberList"]] == [
        ("dave", 1), ("erin", 1), ("bob", 2), ("zed", 0)]
    members = {m["Member_Account"]: m for m in (await service.admin(
        SVC + "get_group_member_info", {"GroupId": "club"}))["MemberList"]}
    assert (members["dave"]["JoinTime"], members["dave"]["Role"]) == (then, "Admin")
    assert members["erin"]["JoinTime"] >= then + 86400 - 60
    assert members["erin"]["Role"] == "Member" and len(members) == 5
    assert await history(alice, "club") == before
    assert await history(carol, "club") == before
    assert await history(dave, "club") == []
    entered = [e for e in await events(alice) if e["kind"] == "member_enter"]
    assert [[m["user_id"] for m in e["members"]] for e in entered] == [["dave", "erin"]]
    assert [g["group_id"] for g in (await dave.call("group.joined", {}))["groups"]] == ["club"]
    # imported members are members: their history can follow, and they send
    reply = await service.admin(SVC + "import_group_msg", {"GroupId": "club", "MsgList": [
        {"From_Account": "dave", "SendTime": then + 60, "Random": 1,
         "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "old news"}}]}]})
    assert reply["ActionStatus"] == "OK", reply
    assert [m["elems"][0].get("text") for m in await history(dave, "club")] == ["old news"]
    await send(dave, "club", "hello again")


async def test_import_group_member_refusals(service: Service) -> None:
    for user in ("alice", "bob", "carol"):
        await service.login(user)
    await service.admin(SVC + "create_group", {"Owner_Account": "alice", "Type": "AVChatRoom",
                                               "GroupId": "live", "Name": "Live"})
    await make(service, "Private", "work")
    future = int(time.time()) + 3600
    refusals = [
        ({"GroupId": "live", "MemberList": [{"Member_Account": "bob"}]}, 10033),
        ({"GroupId": "work", "MemberList": [{"Member_Account": "bob", "Role": "Admin"}]},
         10004),
        ({"GroupId": "work", "MemberList": [{"Member_Account": "bob", "Role": "Owner"}]},
         10004),
        ({"GroupId": "work", "MemberList": [{"Member_Account": "bob", "JoinTime": future}]},
         10004),
        ({"GroupId": "work", "MemberList": []}, 10004),
        ({"GroupId": "work", "MemberList": [{"Member_Account": f"u{i}"} for i in range(501)]},
         10004),
        ({"GroupId": "nope", "MemberList": [{"Member_Account": "bob"}]}, 10010),
    ]
    for body, code in refusals:
        reply = await service.admin(SVC + "import_group_member", body)
        assert (reply["ActionStatus"], reply["ErrorCode"]) == ("FAIL", code), (body, reply)
        assert reply["ErrorInfo"]


async def test_mutes_for_good_and_lists_that_change_nobody(service: Service) -> None:
    for user in ("alice", "bob", "carol"):
        await service.login(user)
    await make(service, "Public", "club")
    # Tencent's 4294967295 ("for good") is taken, as the longest mute there is
    reply = await service.admin(SVC + "forbid_send_msg", {
        "GroupId": "club", "Members_Account": ["bob"], "MuteTime": 4294967295})
    assert reply["ActionStatus"] == "OK", reply
    (muted,) = (await service.admin(SVC + "get_group_shutted_uin", {"GroupId": "club"}))[
        "ShuttedUinList"]
    assert muted["Member_Account"] == "bob"
    assert muted["ShuttedUntil"] >= int(time.time()) + 9 * 365 * 86400
    # a list naming an outsider or the owner is refused whole: carol stays free
    for names, code in ((["carol", "zed"], 10012), (["carol", "alice"], 10007)):
        reply = await service.admin(SVC + "forbid_send_msg", {
            "GroupId": "club", "Members_Account": names, "MuteTime": 60})
        assert (reply["ActionStatus"], reply["ErrorCode"]) == ("FAIL", code), reply
    shutted = (await service.admin(SVC + "get_group_shutted_uin", {"GroupId": "club"}))[
        "ShuttedUinList"]
    assert [m["Member_Account"] for m in shutted] == ["bob"]
    reply = await service.admin(SVC + "forbid_send_msg", {
        "GroupId": "club", "Members_Account": ["bob"], "MuteTime": 0})
    assert (await service.admin(SVC + "get_group_shutted_uin", {"GroupId": "club"}))[
        "ShuttedUinList"] == []
    # roles asked for more users than one members_info page holds
    names = ["alice", "bob", "carol"] + [f"x{i}" for i in range(60)]
    reply = await service.admin(SVC + "get_role_in_group", {"GroupId": "club",
                                                            "User_Account": names})
    roles = [u["Role"] for u in reply["UserIdList"]]
    assert roles == ["Owner", "Member", "Member"] + ["NotMember"] * 60, reply
