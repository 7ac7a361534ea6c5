"""The admin API's message commands, driven over real HTTP against the real service, with their
effects seen by real WebSocket clients: ``batchsendmsg``, ``get_c2c_unread_msg_num``,
``admin_set_msg_read``, ``admin_msgwithdraw`` (and what a device that was away learns of a
revocation), ``admin_getroammsg``'s older field names and out-of-range numbers."""

from __future__ import annotations

import time
from typing import Any

from .conftest import ADMIN, Client, Service

BATCH = "openim/batchsendmsg"
UNREAD = "openim/get_c2c_unread_msg_num"
READ = "openim/admin_set_msg_read"
WITHDRAW = "openim/admin_msgwithdraw"
ROAM = "openim/admin_getroammsg"


def text(value: str) -> list[dict[str, Any]]:
    return [{"MsgType": "TIMTextElem", "MsgContent": {"Text": value}}]


def refused(reply: dict[str, Any], code: int) -> None:
    assert reply["ActionStatus"] == "FAIL" and reply["ErrorCode"] == code, reply
    assert reply["ErrorInfo"], "a refusal says why"


async def imported(service: Service, *users: str) -> None:
    reply = await service.admin("im_open_login_svc/multiaccount_import",
                                {"Accounts": list(users)})
    assert reply["FailAccounts"] == []


async def messages_of(client: Client, conv_id: str) -> list[dict[str, Any]]:
    pulled = await client.call("msg.pull", {"ranges": [{"conv_id": conv_id}], "limit": 100})
    return pulled["messages"]


async def unread(service: Service, user: str, *peers: str) -> dict[str, Any]:
    body: dict[str, Any] = {"To_Account": user}
    if peers:
        body["Peer_Account"] = list(peers)
    reply = await service.admin(UNREAD, body)
    assert reply["ActionStatus"] == "OK", reply
    return reply


# --- batchsendmsg ------------------------------------------------------------------------------

async def test_batchsendmsg_reaches_every_account_and_names_the_others(service: Service) -> None:
    await imported(service, "carol", "alice", "bob")
    alice = await service.login("alice")
    bob = await service.login("bob")
    carol = await service.login("carol")
    body = {"SyncOtherMachine": 1, "From_Account": "carol", "MsgRandom": 77,
            "To_Account": ["alice", "ghost", "bob", "no way", "alice"],
            "MsgBody": text("to all of you"), "CloudCustomData": "ccd",
            "OfflinePushInfo": {"Title": "News", "Desc": "for all"}}
    reply = await service.admin(BATCH, body)
    assert reply["ActionStatus"] == "OK" and reply["ErrorCode"] == 0, reply
    assert reply["ErrorList"] == [{"To_Account": "ghost", "ErrorCode": 70107},
                                  {"To_Account": "no way", "ErrorCode": 70107}]
    seq, random, sent_s = map(int, reply["MsgKey"].split("_"))
    assert (seq, random) == (0, 77) and abs(sent_s - time.time()) < 60
    for receiver in (alice, bob):
        pushed = await receiver.push("msg.new")
        assert pushed["sender"] == "carol" and pushed["seq"] == 1 and pushed["random"] == 77
        assert pushed["elems"] == [{"type": "text", "text": "to all of you"}]
        assert pushed["cloud_custom_data"] == "ccd" and pushed["push"]["title"] == "News"
        await receiver.no_push()  # alice once, though named twice
    synced = sorted([(await carol.push("msg.new"))["receiver"],
                     (await carol.push("msg.new"))["receiver"]])
    assert synced == ["alice", "bob"]  # SyncOtherMachine 1: the sender's sessions too
    assert (await unread(service, "alice"))["AllC2CUnreadMsgNum"] == 1

    again = await service.admin(BATCH, {**body, "To_Account": ["alice", "bob"]})
    assert again["ActionStatus"] == "OK" and again["ErrorList"] == []
    assert len(await messages_of(alice, "c2c_carol")) == 1  # same random within 5 minutes

    quiet = await service.admin(BATCH, {**body, "SyncOtherMachine": 2, "MsgRandom": 78,
                                        "To_Account": ["alice"]})
    assert quiet["ActionStatus"] == "OK"
    assert (await alice.push("msg.new"))["seq"] == 2
    await carol.no_push()
    carol_view = await messages_of(carol, "c2c_alice")
    assert [m.get("deleted", False) for m in carol_view] == [False, True]

    nobody = await service.admin(BATCH, {**body, "To_Account": ["ghost", "x:y"]})
    assert nobody["ActionStatus"] == "FAIL" and nobody["ErrorCode"] == 70107
    assert nobody["ErrorInfo"] and [e["To_Account"] for e in nobody["ErrorList"]] == [
        "ghost", "x:y"]
    refused(await service.admin(BATCH, {**body, "To_Account": [f"u{i}" for i in range(501)]}),
            70402)
    refused(await service.admin(BATCH, {**body, "To_Account": []}), 70402)
    refused(await service.admin(BATCH, {**body, "To_Account": "alice"}), 70402)
    refused(await service.admin(BATCH, {**body, "From_Account": "ghost"}), 70107)
    refused(await service.admin(BATCH, {**body, "MsgRandom": 2**32}), 70402)
    refused(await service.admin(BATCH, {**body, "MsgBody": [{"MsgType": "TIMRelayElem",
                                                             "MsgContent": {}}]}), 90002)
    refused(await service.admin(BATCH, {**body, "MsgBody": [{"MsgType": "TIMSoundElem",
                                                             "MsgContent": {}}]}), 90002)
    refused(await service.admin(BATCH, {**body, "SyncOtherMachine": 3}), 70402)
    for receiver in (alice, bob):
        await receiver.no_push()


# --- unread and read ---------------------------------------------------------------------------

async def test_unread_counts_follow_the_read_positions(service: Service) -> None:
    await imported(service, "alice", "bob", "carol", "dave")
    alice = await service.login("alice")
    bob = await service.login("bob")
    carol = await service.login("carol")
    for i in range(3):
        await bob.send("alice", f"b{i}")
    for i in range(2):
        await carol.send("alice", f"c{i}")
    await alice.send("bob", "mine do not count")
    assert await unread(service, "alice") == {"ActionStatus": "OK", "ErrorCode": 0,
                                              "ErrorInfo": "", "AllC2CUnreadMsgNum": 5}
    await alice.call("msg.read", {"conv_id": "c2c_bob", "seq": 2})
    reply = await unread(service, "alice", "bob", "carol", "dave", "ghost", "bob")
    assert reply["AllC2CUnreadMsgNum"] == 3
    assert reply["C2CUnreadMsgNumList"] == [{"Peer_Account": "bob", "C2CUnreadMsgNum": 1},
                                            {"Peer_Account": "carol", "C2CUnreadMsgNum": 2},
                                            {"Peer_Account": "dave", "C2CUnreadMsgNum": 0}]
    assert reply["ErrorList"] == [{"Peer_Account": "ghost", "ErrorCode": 70107}]
    # a conversation set to "do not receive" leaves the total, as in the SDK's total
    await alice.call("conv.update", {"conv_id": "c2c_carol", "recv_opt": 1})
    muted = await unread(service, "alice", "carol")
    assert muted["AllC2CUnreadMsgNum"] == 1
    assert muted["C2CUnreadMsgNumList"] == [{"Peer_Account": "carol", "C2CUnreadMsgNum": 2}]
    (state,) = [c for c in (await alice.call("conv.sync", {}))["conversations"]
                if c["conv_id"] == "c2c_bob"]
    assert state["unread"] == 1  # the same number the SDK is given

    refused(await service.admin(UNREAD, {"To_Account": "ghost"}), 70107)
    refused(await service.admin(UNREAD, {"To_Account": "alice",
                                         "Peer_Account": [f"u{i}" for i in range(11)]}), 70402)
    refused(await service.admin(UNREAD, {"To_Account": "alice", "Peer_Account": "bob"}), 70402)
    refused(await service.admin(UNREAD, {}), 70402)


async def test_admin_set_msg_read_reads_up_to_a_time_with_the_pushes_of_a_read(
        service: Service) -> None:
    await imported(service, "alice", "bob")
    now = int(time.time())
    for i, ago in enumerate((300, 200, 100)):  # distinct seconds, so a time can split them
        reply = await service.admin("openim/importmsg", {
            "SyncFromOldSystem": 1, "From_Account": "bob", "To_Account": "alice",
            "MsgRandom": i, "MsgTimeStamp": now - ago, "MsgBody": text(f"m{i + 1}")})
        assert reply["ActionStatus"] == "OK", reply
    alice = await service.login("alice")
    alice_web = await service.login("alice", platform="web")
    bob = await service.login("bob")

    reply = await service.admin(READ, {"Report_Account": "alice", "Peer_Account": "bob",
                                       "MsgReadTime": now - 200})
    assert reply == {"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""}
    receipt = await bob.push("msg.receipt")
    assert (receipt["conv_id"], receipt["reader"], receipt["read_seq"]) == ("c2c_alice",
                                                                            "alice", 2)
    for session in (alice, alice_web):  # no session made the read, so every one hears of it
        (state,) = (await session.push("conv.changed"))["conversations"]
        assert (state["read_seq"], state.get("unread", 0)) == (2, 1)
    assert (await unread(service, "alice", "bob"))["C2CUnreadMsgNumList"][0][
        "C2CUnreadMsgNum"] == 1

    reply = await service.admin(READ, {"Report_Account": "alice", "Peer_Account": "bob"})
    assert reply["ActionStatus"] == "OK"
    assert (await bob.push("msg.receipt"))["read_seq"] == 3
    (state,) = (await alice.push("conv.changed"))["conversations"]
    assert state["read_seq"] == 3 and "unread" not in state
    again = await service.admin(READ, {"Report_Account": "alice", "Peer_Account": "bob"})
    assert again["ActionStatus"] == "OK"
    await bob.no_push()  # nothing new was read

    refused(await service.admin(READ, {"Report_Account": "ghost", "Peer_Account": "bob"}),
            70107)
    refused(await service.admin(READ, {"Report_Account": "alice", "Peer_Account": "bob",
                                       "MsgReadTime": 2**64}), 70402)
    refused(await service.admin(READ, {"Report_Account": "alice", "Peer_Account": "bob",
                                       "MsgReadTime": "today"}), 70402)
    refused(await service.admin(READ, {"Peer_Account": "bob"}), 70402)


# --- admin_msgwithdraw -------------------------------------------------------------------------

async def test_a_revoked_message_is_told_to_both_sides_and_to_devices_that_were_away(
        service: Service) -> None:
    await imported(service, "alice", "bob")
    alice = await service.login("alice")
    alice_web = await service.login("alice", platform="web")
    bob = await service.login("bob")
    sent = await service.admin("openim/sendmsg", {
        "From_Account": "bob", "To_Account": "alice", "MsgRandom": 5, "MsgBody": text("oops"),
        "CloudCustomData": "secret"})
    await bob.send("alice", "kept")
    for session in (alice, alice_web):
        await session.push("msg.new")
        await session.push("msg.new")
    version = (await alice_web.call("conv.sync", {}))["version"]
    await alice_web.close()  # away while the message is revoked
    assert (await unread(service, "alice"))["AllC2CUnreadMsgNum"] == 2

    body = {"From_Account": "bob", "To_Account": "alice", "MsgKey": sent["MsgKey"]}
    assert await service.admin(WITHDRAW, body) == {"ActionStatus": "OK", "ErrorCode": 0,
                                                   "ErrorInfo": ""}
    revoked = await alice.push("msg.revoked")
    assert {k: revoked[k] for k in ("conv_id", "seq", "sender")} == {
        "conv_id": "c2c_bob", "seq": 1, "sender": "bob"}
    (state,) = (await alice.push("conv.changed"))["conversations"]
    assert state["revoked"] == [1] and state["unread"] == 1
    assert (await bob.push("msg.revoked"))["conv_id"] == "c2c_alice"
    (bob_state,) = (await bob.push("conv.changed"))["conversations"]
    assert bob_state["revoked"] == [1]
    assert (await unread(service, "alice"))["AllC2CUnreadMsgNum"] == 1

    first, second = await messages_of(alice, "c2c_bob")
    assert first["revoked"] is True and first["msg_id"] == revoked["msg_id"]
    assert "elems" not in first and "cloud_custom_data" not in first
    assert second.get("revoked", False) is False and second["elems"][0]["text"] == "kept"
    history = await alice.call("msg.history", {"conv_id": "c2c_bob"})
    assert [m.get("revoked", False) for m in history["messages"]] == [False, True]

    laptop = await service.login("alice", platform="web")  # back: sync from its version
    (caught_up,) = (await laptop.call("conv.sync", {"version": version}))["conversations"]
    assert caught_up["revoked"] == [1] and caught_up["unread"] == 1
    later = await laptop.call("conv.sync", {"version": state["version"],
                                            "known": {"c2c_bob": 2}})
    assert later["conversations"] == []  # told once

    refused(await service.admin(WITHDRAW, body), 20023)
    refused(await service.admin(WITHDRAW, {**body, "From_Account": "alice",
                                           "To_Account": "bob"}), 20022)  # not alice's
    seq, random, sent_s = sent["MsgKey"].split("_")
    for key in (f"9_{random}_{sent_s}", f"{seq}_6_{sent_s}", f"{seq}_{random}_1"):
        refused(await service.admin(WITHDRAW, {**body, "MsgKey": key}), 20022)
    for key in ("", "abc", "1_2", "1_2_3_4", "-1_2_3", f"{2**64}_1_1", f"1_{2**32}_1", "１_2_3"):
        refused(await service.admin(WITHDRAW, {**body, "MsgKey": key}), 90054)
    refused(await service.admin(WITHDRAW, {"From_Account": "bob", "To_Account": "alice"}),
            90054)
    refused(await service.admin(WITHDRAW, {**body, "To_Account": "a b"}), 70402)
    for session in (alice, bob):
        await session.no_push()


async def test_keys_of_batches_and_of_roaming_history_revoke_too(service: Service) -> None:
    await imported(service, "alice", "bob")
    alice = await service.login("alice")
    bob = await service.login("bob")
    batch = await service.admin(BATCH, {"To_Account": ["alice", "bob"], "MsgRandom": 9,
                                        "MsgBody": text("notice")})
    await alice.send("bob", "from the app")  # seq 1 in alice–bob
    for user in ("alice", "bob"):
        reply = await service.admin(WITHDRAW, {"From_Account": ADMIN, "To_Account": user,
                                               "MsgKey": batch["MsgKey"]})
        assert reply["ActionStatus"] == "OK", reply
    for session, conv_id in ((alice, "c2c_administrator"), (bob, "c2c_administrator")):
        assert (await session.push("msg.revoked"))["conv_id"] == conv_id
        (message,) = await messages_of(session, conv_id)
        assert message["revoked"] is True
    refused(await service.admin(WITHDRAW, {"From_Account": ADMIN, "To_Account": "alice",
                                           "MsgKey": batch["MsgKey"]}), 20023)

    roam = await service.admin(ROAM, {"Operator_Account": "bob", "Peer_Account": "alice",
                                      "MaxCnt": 10, "MinTime": 0, "MaxTime": 2**32 - 1})
    (item,) = roam["MsgList"]
    reply = await service.admin(WITHDRAW, {"From_Account": "alice", "To_Account": "bob",
                                           "MsgKey": item["MsgKey"]})
    assert reply["ActionStatus"] == "OK", reply
    assert (await bob.push("msg.revoked"))["seq"] == 1
    roam = await service.admin(ROAM, {"Operator_Account": "bob", "Peer_Account": "alice",
                                      "MaxCnt": 10, "MinTime": 0, "MaxTime": 2**32 - 1})
    assert roam["MsgList"][0]["MsgBody"] == []


# --- admin_getroammsg --------------------------------------------------------------------------

async def test_getroammsg_takes_the_older_field_names_and_refuses_out_of_range(
        service: Service) -> None:
    await imported(service, "alice", "bob")
    alice = await service.login("alice")
    await alice.send("bob", "hello")
    window = {"MaxCnt": 10, "MinTime": 0, "MaxTime": 2**32 - 1}
    new = await service.admin(ROAM, {**window, "Operator_Account": "bob",
                                     "Peer_Account": "alice"})
    old = await service.admin(ROAM, {**window, "From_Account": "bob", "To_Account": "alice"})
    assert new["ActionStatus"] == old["ActionStatus"] == "OK" and new == old
    assert [m["MsgBody"] for m in old["MsgList"]] == [text("hello")]

    pair = {"From_Account": "bob", "To_Account": "alice"}
    for bad in ({"MaxTime": 2**64}, {"MaxTime": 2**32}, {"MinTime": -1},
                {"MinTime": -(2**70)}, {"MinTime": 10, "MaxTime": 9}, {"MaxCnt": 2**63},
                {"MaxTime": 1.5}, {"LastMsgKey": f"{2**64}_1_1"}, {"LastMsgKey": "x"}):
        reply = await service.admin(ROAM, {**window, **pair, **bad})
        refused(reply, 70402)
    refused(await service.admin(ROAM, {**window, "To_Account": "alice"}), 70402)
