"""Tencent's group REST commands (``group_open_http_svc``) on the real service: what a business
server does through them is what members see through the client protocol."""

from __future__ import annotations

import time

from .conftest import Service

SVC = "group_open_http_svc/"


async def history(client: object, group_id: str) -> list[tuple[str, str, int]]:
    page = await client.call("msg.history", {"conv_id": "group_" + group_id,  # type: ignore[attr-defined]
                                             "limit": 100})
    return [(m["sender"], m["elems"][0]["text"], m["time"] // 1000)
            for m in reversed(page["messages"])]


def text(value: str) -> list[dict[str, object]]:
    return [{"MsgType": "TIMTextElem", "MsgContent": {"Text": value}}]


async def test_create_send_import_members_and_destroy(service: Service) -> None:
    alice, bob = await service.login("alice"), await service.login("bob")
    carol = await service.login("carol")
    reply = await service.admin(SVC + "create_group", {
        "Owner_Account": "alice", "Type": "Public", "GroupId": "runners", "Name": "Runners",
        "Introduction": "Thursdays", "ApplyJoinOption": "NeedPermission",
        "MemberList": [{"Member_Account": "bob"}, {"Member_Account": "alice"}]})
    assert (reply["ActionStatus"], reply["GroupId"]) == ("OK", "runners"), reply
    (info,) = (await service.admin(SVC + "get_group_info", {"GroupIdList": ["runners"]}))[
        "GroupInfo"]
    assert (info["Type"], info["Owner_Account"], info["MemberNum"], info["ApplyJoinOption"]) \
        == ("Public", "alice", 2, "NeedPermission")
    joined = await bob.call("group.joined", {})
    assert [g["group_id"] for g in joined["groups"]] == ["runners"]

    # history from an old system keeps its times and order; a live send follows it
    now = int(time.time())
    reply = await service.admin(SVC + "import_group_msg", {"GroupId": "runners", "MsgList": [
        {"From_Account": "alice", "SendTime": now - 7200, "Random": 1, "MsgBody": text("one")},
        {"From_Account": "bob", "SendTime": now - 3600, "Random": 2, "MsgBody": text("two")}]})
    assert reply["ActionStatus"] == "OK" and len(reply["ImportMsgResult"]) == 2, reply
    reply = await service.admin(SVC + "send_group_msg", {
        "GroupId": "runners", "From_Account": "bob", "Random": 3, "MsgBody": text("three")})
    assert reply["ActionStatus"] == "OK" and reply["MsgSeq"] > 0, reply
    assert await history(alice, "runners") == [("alice", "one", now - 7200),
                                                ("bob", "two", now - 3600),
                                                ("bob", "three", reply["MsgTime"])]
    # importing the same again stores nothing twice
    await service.admin(SVC + "import_group_msg", {"GroupId": "runners", "MsgList": [
        {"From_Account": "alice", "SendTime": now - 7200, "Random": 1, "MsgBody": text("one")}]})
    assert [t for _s, t, _ in await history(bob, "runners")] == ["one", "two", "three"]
    # an outsider cannot have messages put in their mouth
    reply = await service.admin(SVC + "import_group_msg", {"GroupId": "runners", "MsgList": [
        {"From_Account": "carol", "SendTime": now - 60, "MsgBody": text("x")}]})
    assert (reply["ActionStatus"], reply["ErrorCode"]) == ("FAIL", 10012), reply

    # members in and out
    reply = await service.admin(SVC + "add_group_member", {
        "GroupId": "runners", "MemberList": [{"Member_Account": "carol"},
                                             {"Member_Account": "bob"}]})
    assert [m["Result"] for m in reply["MemberList"]] == [1, 2], reply
    reply = await service.admin(SVC + "get_group_member_info", {"GroupId": "runners"})
    assert reply.get("MemberNum") == 3, reply
    assert {m["Member_Account"]: m["Role"] for m in reply["MemberList"]} == {
        "alice": "Owner", "bob": "Member", "carol": "Member"}
    await service.admin(SVC + "delete_group_member", {"GroupId": "runners",
                                                      "MemberToDel_Account": ["carol"]})
    assert (await carol.call("group.joined", {}))["groups"] == []
    reply = await service.admin(SVC + "get_joined_group_list", {"Member_Account": "bob"})
    assert reply["GroupIdList"] == [{"GroupId": "runners", "Name": "Runners", "Type": "Public"}]

    reply = await service.admin(SVC + "destroy_group", {"GroupId": "runners"})
    assert reply["ActionStatus"] == "OK"
    (gone,) = (await service.admin(SVC + "get_group_info", {"GroupIdList": ["runners"]}))[
        "GroupInfo"]
    assert gone["ErrorCode"] == 10010


async def test_bad_bodies_get_codes_not_tracebacks(service: Service) -> None:
    await service.login("alice")
    cases = [
        ("create_group", {"Owner_Account": "alice", "Name": "x"}, 10004),
        ("create_group", {"Owner_Account": "alice", "Type": "Club", "Name": "x"}, 10033),
        ("create_group", {"Owner_Account": "alice", "Type": "Public"}, 10004),
        ("create_group", {"Owner_Account": "alice", "Type": "Public", "Name": "x",
                          "ApplyJoinOption": "Maybe"}, 10004),
        ("create_group", {"Owner_Account": "alice", "Type": "Public", "Name": "x",
                          "MemberList": "bob"}, 10004),
        ("get_group_info", {"GroupIdList": []}, 10004),
        ("destroy_group", {}, 10004),
        ("destroy_group", {"GroupId": "nowhere"}, 10010),
        ("import_group_msg", {"GroupId": "nowhere", "MsgList": "x"}, 10004),
        ("send_group_msg", {"GroupId": "", "MsgBody": text("x")}, 10015),
    ]
    for command, body, code in cases:
        reply = await service.admin(SVC + command, body)
        assert (reply["ActionStatus"], reply["ErrorCode"]) == ("FAIL", code), (command, body,
                                                                               reply)
        assert reply["ErrorInfo"]
