"""Tencent's group management commands for the admin on the real service: profile, member
roles, name cards and mutes, who is muted, roles asked, and handing a group over — each seen
through what members read and are refused, and refused itself where the type says no."""

from __future__ import annotations

from .conftest import Service
from .test_group_flows import send
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
        ("modify_group_base_info", {"GroupId": "work", "MaxMemberNum": 10}, 10004),
        ("modify_group_base_info", {"GroupId": "work", "ShutUpAllMember": "Maybe"}, 10004),
        ("change_group_owner", {"GroupId": "work", "NewOwner_Account": "zed"}, 10012),
        ("get_role_in_group", {"GroupId": "nope", "User_Account": ["bob"]}, 10010),
        ("get_group_shutted_uin", {"GroupId": "nope"}, 10010),
    ]
    for command, body, code in refusals:
        reply = await service.admin(SVC + command, body)
        assert (reply["ActionStatus"], reply["ErrorCode"]) == ("FAIL", code), (command, reply)
        assert reply["ErrorInfo"]
