"""Admin REST for the relationship chain (``/v4/sns/*``) in Tencent's shapes: per-item
results, the same rules and events as the WebSocket, bad input answered with 30001."""

from __future__ import annotations

from .conftest import Service
from .helpers_friends import BOTH_WAY, IN_MY_LIST, NONE, drain_events, event, relation


async def test_friend_commands(service: Service) -> None:
    await service.admin("im_open_login_svc/multiaccount_import",
                        {"Accounts": ["alice", "bob", "carol"]})
    alice = await service.login("alice")
    bob = await service.login("bob")
    added = await service.admin("sns/friend_add", {
        "From_Account": "alice", "AddType": "Add_Type_Both", "AddFriendItem": [
            {"To_Account": "bob", "AddSource": "AddSource_Type_Admin", "Remark": "B"},
            {"To_Account": "ghost", "AddSource": "AddSource_Type_Admin"}]})
    assert [(i["To_Account"], i["ResultCode"]) for i in added["ResultItem"]] == [
        ("bob", 30539), ("ghost", 30001)]  # bob must confirm: the allow type holds
    assert added["Fail_Account"] == ["bob", "ghost"]
    forced = await service.admin("sns/friend_add", {
        "From_Account": "alice", "ForceAddFlags": 1, "AddFriendItem": [
            {"To_Account": "bob", "AddSource": "AddSource_Type_Admin", "Remark": "B"}]})
    assert forced["ResultItem"][0]["ResultCode"] == 0
    assert await relation(alice, "bob") == BOTH_WAY
    assert "friend_list_added" in [f["body"]["kind"] for f in await drain_events(bob)]

    imported = await service.admin("sns/friend_import", {
        "From_Account": "alice", "AddFriendItem": [{
            "To_Account": "carol", "AddSource": "AddSource_Type_Old", "GroupName": ["old"],
            "CustomItem": [{"Tag": "Tag_SNS_Custom_Tier", "Value": "gold"}]}]})
    assert imported["ResultItem"][0]["ResultCode"] == 0
    await drain_events(alice)
    updated = await service.admin("sns/friend_update", {"From_Account": "alice", "UpdateItem": [
        {"To_Account": "carol", "SnsItem": [{"Tag": "Tag_SNS_IM_Remark", "Value": "C"}]},
        {"To_Account": "ghost", "SnsItem": [{"Tag": "Tag_SNS_IM_Remark", "Value": "G"}]}]})
    assert [i["ResultCode"] for i in updated["ResultItem"]] == [0, 31704]
    assert (await event(alice, "friend_info_changed"))["friends"][0]["remark"] == "C"

    check = await service.admin("sns/friend_check", {
        "From_Account": "carol", "To_Account": ["alice", "bob"],
        "CheckType": "CheckResult_Type_Both"})
    assert [i["Relation"] for i in check["InfoItem"]] == [
        "CheckResult_Type_BWithA", "CheckResult_Type_NoRelation"]
    got = await service.admin("sns/friend_get", {"From_Account": "alice"})
    assert got["FriendNum"] == 2 and got["CompleteFlag"] == 1
    carol_item = got["UserDataItem"][1]
    values = {v["Tag"]: v["Value"] for v in carol_item["ValueItem"]}
    assert (values["Tag_SNS_IM_Remark"], values["Tag_SNS_IM_Group"],
            values["Tag_SNS_Custom_Tier"]) == ("C", ["old"], "gold")
    # the groups a friend is in, set exactly: every group must exist, else nothing moves
    regroup = {"From_Account": "alice", "UpdateItem": [{"To_Account": "carol", "SnsItem": [
        {"Tag": "Tag_SNS_IM_Group", "Value": ["new"]}]}]}
    moved = await service.admin("sns/friend_update", regroup)
    assert [i["ResultCode"] for i in moved["ResultItem"]] == [30001]
    await service.admin("sns/group_add", {"From_Account": "alice", "GroupName": ["new"]})
    moved = await service.admin("sns/friend_update", regroup)
    assert [i["ResultCode"] for i in moved["ResultItem"]] == [0]
    carol_item = (await service.admin("sns/friend_get", {"From_Account": "alice"}))[
        "UserDataItem"][1]
    assert {v["Tag"]: v["Value"] for v in carol_item["ValueItem"]}["Tag_SNS_IM_Group"] == [
        "new"]
    listed = await service.admin("sns/friend_get_list", {
        "From_Account": "alice", "To_Account": ["bob", "ghost"],
        "TagList": ["Tag_SNS_IM_Remark"]})
    assert listed["InfoItem"][0]["SnsProfileItem"] == [{"Tag": "Tag_SNS_IM_Remark",
                                                        "Value": "B"}]
    assert listed["Fail_Account"] == ["ghost"]

    deleted = await service.admin("sns/friend_delete", {
        "From_Account": "alice", "To_Account": ["bob"], "DeleteType": "Delete_Type_Single"})
    assert deleted["ResultItem"][0]["ResultCode"] == 0
    assert await relation(alice, "bob") == 2  # bob still has alice
    await service.admin("sns/friend_delete_all", {"From_Account": "bob",
                                                  "DeleteType": "Delete_Type_Both"})
    assert await relation(alice, "bob") == NONE
    assert await relation(alice, "carol") == IN_MY_LIST

    for bad in ({"From_Account": "alice", "AddFriendItem": []},
                {"From_Account": "a b", "AddFriendItem": [{"To_Account": "bob"}]},
                {"From_Account": "alice", "AddType": "x",
                 "AddFriendItem": [{"To_Account": "bob"}]}):
        reply = await service.admin("sns/friend_add", bad)
        assert reply["ActionStatus"] == "FAIL" and reply["ErrorCode"] == 30001, reply
        assert reply["ErrorInfo"]


async def test_blacklist_and_friend_group_commands(service: Service) -> None:
    await service.admin("im_open_login_svc/multiaccount_import",
                        {"Accounts": ["alice", "bob", "carol"]})
    await service.admin("sns/friend_import", {"From_Account": "alice", "AddFriendItem": [
        {"To_Account": "bob", "AddSource": "AddSource_Type_X"},
        {"To_Account": "carol", "AddSource": "AddSource_Type_X"}]})
    made = await service.admin("sns/group_add", {"From_Account": "alice",
                                                 "GroupName": ["team"],
                                                 "To_Account": ["bob", "ghost"]})
    assert [i["ResultCode"] for i in made["ResultItem"]] == [0, 31704]
    got = await service.admin("sns/group_get", {"From_Account": "alice",
                                                "NeedFriend": "Need_Friend_Type_Yes"})
    assert got["ResultItem"] == [{"GroupName": "team", "FriendNumber": 1,
                                  "To_Account": ["bob"]}]
    # several names are all made or none: one taken leaves the others unmade
    refused = await service.admin("sns/group_add", {"From_Account": "alice",
                                                    "GroupName": ["climbing", "team"]})
    assert refused["ErrorCode"] == 30001, refused
    assert [i["GroupName"] for i in (await service.admin(
        "sns/group_get", {"From_Account": "alice"}))["ResultItem"]] == ["team"]
    await service.admin("sns/group_delete", {"From_Account": "alice", "GroupName": ["team"]})
    assert (await service.admin("sns/group_get", {"From_Account": "alice"}))[
        "ResultItem"] == []
    missing = await service.admin("sns/group_delete", {"From_Account": "alice",
                                                       "GroupName": ["team"]})
    assert missing["ErrorCode"] == 30001

    blocked = await service.admin("sns/black_list_add", {"From_Account": "alice",
                                                         "To_Account": ["bob", "ghost"]})
    assert [i["ResultCode"] for i in blocked["ResultItem"]] == [0, 30001]
    await service.admin("sns/black_list_add", {"From_Account": "bob",
                                               "To_Account": ["alice"]})
    check = await service.admin("sns/black_list_check", {
        "From_Account": "alice", "To_Account": ["bob", "carol"],
        "CheckType": "BlackCheckResult_Type_Both"})
    assert [i["Relation"] for i in check["BlackListCheckItem"]] == [
        "BlackCheckResult_Type_BothWay", "BlackCheckResult_Type_NO"]
    listed = await service.admin("sns/black_list_get", {"From_Account": "alice"})
    assert [i["To_Account"] for i in listed["BlackListItem"]] == ["bob"]
    assert listed["StartIndex"] == 0
    got = await service.admin("sns/friend_get", {"From_Account": "alice"})
    assert [i["To_Account"] for i in got["UserDataItem"]] == ["carol"]  # bob went with the block
    undone = await service.admin("sns/black_list_delete", {"From_Account": "alice",
                                                           "To_Account": ["bob", "carol"]})
    assert [i["ResultCode"] for i in undone["ResultItem"]] == [0, 30001]
