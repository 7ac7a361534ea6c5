"""Tencent's group message commands on the real service: reading the log, recalling, clearing a
spammer's messages, custom system notices and the online count — checked through what the
members' clients are told and read."""

from __future__ import annotations

from typing import Any

from .conftest import Client, Service
from .test_group_flows import drain, history
from .test_rest_groups import SVC, text


async def club(service: Service) -> list[Client]:
    users = [await service.login(u) for u in ("alice", "bob", "carol")]
    reply = await service.admin(SVC + "create_group", {
        "Owner_Account": "alice", "Type": "Public", "GroupId": "club", "Name": "Club",
        "MemberList": [{"Member_Account": "bob"}, {"Member_Account": "carol"}]})
    assert reply["ActionStatus"] == "OK", reply
    await drain(*users)
    return users


async def say(service: Service, sender: str, value: str) -> int:
    reply = await service.admin(SVC + "send_group_msg", {
        "GroupId": "club", "From_Account": sender, "MsgBody": text(value)})
    assert reply["ActionStatus"] == "OK", reply
    return int(reply["MsgSeq"])


def texts(page: dict[str, Any]) -> list[tuple[int, str]]:
    return [(m["MsgSeq"], m["MsgBody"][0]["MsgContent"]["Text"] if m["MsgBody"] else "")
            for m in page["RspMsgList"]]


async def test_log_pages_newest_first_and_finishes(service: Service) -> None:
    await club(service)
    seqs = [await say(service, "bob", f"m{i}") for i in range(5)]
    page = await service.admin(SVC + "group_msg_get_simple",
                               {"GroupId": "club", "ReqMsgNumber": 3})
    assert texts(page) == [(seqs[4], "m4"), (seqs[3], "m3"), (seqs[2], "m2")]
    assert page["IsFinished"] == 0 and page["RspMsgList"][0]["From_Account"] == "bob"
    rest = await service.admin(SVC + "group_msg_get_simple", {
        "GroupId": "club", "ReqMsgNumber": 20, "ReqMsgSeq": seqs[2] - 1})
    assert [s for s, _ in texts(rest)][:2] == [seqs[1], seqs[0]]
    assert rest["IsFinished"] == 1  # the creation tips below are in it too
    for bad, code in (({"GroupId": "nope", "ReqMsgNumber": 1}, 10010),
                      ({"GroupId": "club", "ReqMsgNumber": 21}, 10004),
                      ({"GroupId": "club"}, 10004)):
        reply = await service.admin(SVC + "group_msg_get_simple", bad)
        assert (reply["ActionStatus"], reply["ErrorCode"]) == ("FAIL", code), (bad, reply)


async def test_recall_and_delete_by_sender_reach_every_member(service: Service) -> None:
    alice, bob, carol = await club(service)
    keep = await say(service, "alice", "keep")
    spam = [await say(service, "carol", f"spam {i}") for i in range(3)]
    for client in (alice, bob, carol):
        while not client.pushes.empty():
            client.pushes.get_nowait()

    reply = await service.admin(SVC + "group_msg_recall", {
        "GroupId": "club", "MsgSeqList": [{"MsgSeq": spam[0]}, {"MsgSeq": 9999},
                                          {"MsgSeq": spam[0]}]})
    assert reply["RecallRetList"] == [{"MsgSeq": spam[0], "RetCode": 0},
                                      {"MsgSeq": 9999, "RetCode": 20022}], reply
    pushed = await bob.push("msg.revoked")
    assert (pushed["seq"], pushed["sender"], pushed["revoker"]) == (
        spam[0], "carol", "administrator")

    reply = await service.admin(SVC + "delete_group_msg_by_sender",
                                {"GroupId": "club", "Sender_Account": "carol"})
    assert reply["ActionStatus"] == "OK", reply
    assert sorted([(await bob.push("msg.revoked"))["seq"] for _ in spam[1:]]) == spam[1:]
    shown = {m["seq"]: m for m in await history(alice, "club")}
    assert all(shown[s]["revoked"] and not shown[s].get("elems") for s in spam)
    assert shown[keep]["elems"][0]["text"] == "keep"
    convs = (await bob.call("conv.sync", {}))["conversations"]
    (mine,) = [c for c in convs if c["conv_id"] == "group_club"]
    assert mine.get("unread", 0) == 1  # only alice's "keep" still counts

    reply = await service.admin(SVC + "group_msg_recall", {"GroupId": "gone",
                                                           "MsgSeqList": [{"MsgSeq": 1}]})
    assert reply["ErrorCode"] == 10010, reply


async def test_system_notice_goes_to_whom_it_names(service: Service) -> None:
    alice, bob, carol = await club(service)
    dave = await service.login("dave")
    reply = await service.admin(SVC + "send_group_system_notification", {
        "GroupId": "club", "ToMembers_Account": ["bob"], "Content": "your turn"})
    assert reply["ActionStatus"] == "OK", reply
    event = await bob.push("group.event")
    assert (event["kind"], event["data"], event["group_id"]) == (
        "rest_custom_data", "your turn", "club")
    for other in (alice, carol, dave):
        await other.no_push()
    await service.admin(SVC + "send_group_system_notification",
                        {"GroupId": "club", "Content": "all hands"})
    for member in (alice, bob, carol):
        assert (await member.push("group.event"))["data"] == "all hands"
    await dave.no_push()
    for bad, code in (({"GroupId": "club", "ToMembers_Account": ["dave"], "Content": "x"},
                       10012), ({"GroupId": "club", "Content": ""}, 10004),
                      ({"GroupId": "club", "Content": "x" * 13000}, 10004)):
        reply = await service.admin(SVC + "send_group_system_notification", bad)
        assert reply["ErrorCode"] == code, (bad, reply)


async def test_online_member_count_follows_sessions(service: Service) -> None:
    alice, bob, carol = await club(service)
    reply = await service.admin(SVC + "get_online_member_num", {"GroupId": "club"})
    assert reply["OnlineMemberNum"] == 3, reply
    await carol.close()
    await service.admin("im_open_login_svc/kick", {"UserID": "carol"})
    reply = await service.admin(SVC + "get_online_member_num", {"GroupId": "club"})
    assert reply["OnlineMemberNum"] == 2, reply
    assert (alice.user_id, bob.user_id) == ("alice", "bob")
