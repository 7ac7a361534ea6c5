"""The business server (L4) and the admin REST API (OPS2)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from app.protocol import usersig
from app.server.runner import serving

from .conftest import ADMIN, APP_ID, KEY, Service, make_config, sig


async def post(service: Service, path: str, body: Any) -> dict[str, Any]:
    async with service.http() as http:
        reply = await http.post(path, content=body if isinstance(body, bytes) else None,
                                json=None if isinstance(body, bytes) else body,
                                headers={"content-type": "application/json"})
    assert reply.status_code == 200
    data = reply.json()
    assert {"ActionStatus", "ErrorCode", "ErrorInfo"} <= data.keys()
    return data


async def test_register_login_and_info(service: Service) -> None:
    async with service.http() as http:
        info = (await http.get("/api/info")).json()
        assert info["SDKAppID"] == APP_ID and info["RegistrationOpen"] is True
        assert (await http.get("/healthz")).json() == {"status": "ok"}
        missing = await http.get("/api/nothing")
        assert missing.status_code == 404 and missing.json()["ErrorCode"] == 90404

    reg = await post(service, "/api/register",
                     {"UserID": "alice", "Password": "s3cret!", "Nick": "Alice"})
    assert reg["ActionStatus"] == "OK" and reg["UserID"] == "alice"
    assert usersig.verify(reg["UserSig"], APP_ID, KEY, "alice").expires_at == reg["ExpireAt"]
    assert (await post(service, "/api/register", {"UserID": "alice", "Password": "another"})
            )["ErrorCode"] == 71002
    assert (await post(service, "/api/register", {"UserID": "no way", "Password": "secret"})
            )["ErrorCode"] == 71001
    assert (await post(service, "/api/register", {"UserID": "bob", "Password": "123"})
            )["ErrorCode"] == 71004
    assert (await post(service, "/api/register", b"{oops"))["ErrorCode"] == 90001

    logged = await post(service, "/api/login", {"UserID": "alice", "Password": "s3cret!"})
    assert logged["ActionStatus"] == "OK"
    client = await service.connect()
    body = await client.call("login", {"sdk_app_id": APP_ID, "user_id": "alice",
                                       "user_sig": logged["UserSig"], "platform": "desktop"})
    assert body["profile"] == {"user_id": "alice", "nick": "Alice"}
    wrong = await post(service, "/api/login", {"UserID": "alice", "Password": "wrong!"})
    unknown = await post(service, "/api/login", {"UserID": "nobody", "Password": "wrong!"})
    assert wrong["ErrorCode"] == unknown["ErrorCode"] == 71003
    assert wrong["ErrorInfo"] == unknown["ErrorInfo"]


async def test_registration_can_be_turned_off(tmp_path: Path) -> None:
    config = make_config(tmp_path, registration_open=False)
    async with serving(config) as endpoint:
        service = Service(endpoint, config)
        async with service.http() as http:
            assert (await http.get("/api/info")).json()["RegistrationOpen"] is False
        refused = await post(service, "/api/register", {"UserID": "al", "Password": "secret"})
        assert refused["ErrorCode"] == 71005


async def test_admin_identity_is_checked(service: Service) -> None:
    body = {"CheckItem": [{"UserID": "alice"}]}
    path = "im_open_login_svc/account_check"
    assert (await service.admin(path, body, identifier="alice"))["ErrorCode"] == 70403
    assert (await service.admin(path, body, user_sig=sig(ADMIN, key="forged")))[
        "ErrorCode"] == 70003
    assert (await service.admin(path, body, user_sig=sig("alice")))["ErrorCode"] == 70013
    assert (await service.admin(path, body, app_id=1))["ErrorCode"] == 70014
    expired = sig(ADMIN, 1, now=1_000_000)
    assert (await service.admin(path, body, user_sig=expired))["ErrorCode"] == 70001
    assert (await service.admin(path, body))["ActionStatus"] == "OK"
    async with service.http() as http:
        reply = await http.post("/v4/openim/nothing", json={})
    assert reply.status_code == 404 and reply.json()["ErrorCode"] == 90404


async def test_account_import_check_delete_and_kick(service: Service) -> None:
    ok = await service.admin("im_open_login_svc/account_import",
                             {"UserID": "alice", "Nick": "Alice", "FaceUrl": "http://f/a.png"})
    assert ok["ActionStatus"] == "OK"
    bad = await service.admin("im_open_login_svc/account_import", {"UserID": "a:b"})
    assert bad["ErrorCode"] == 70402 and "UserID" in bad["ErrorInfo"]
    check = await service.admin("im_open_login_svc/account_check",
                                {"CheckItem": [{"UserID": "alice"}, {"UserID": "ghost"}]})
    assert [(i["UserID"], i["AccountStatus"]) for i in check["ResultItem"]] == [
        ("alice", "Imported"), ("ghost", "NotImported")]

    alice = await service.login("alice")
    assert (await alice.call("profile.get", {"user_ids": ["alice", "ghost"]}))["profiles"] == [
        {"user_id": "alice", "nick": "Alice", "face_url": "http://f/a.png"}]
    assert (await service.admin("im_open_login_svc/kick", {"UserID": "alice"}))[
        "ActionStatus"] == "OK"
    assert await alice.push("kicked") == {"reason": "admin", "code": 6208}
    resumed = await service.connect()
    assert await resumed.error("login", {"sdk_app_id": APP_ID, "user_id": "alice",
                                         "user_sig": sig("alice"), "platform": "desktop",
                                         "device_id": "alice-desktop", "resume": True}) == 6208

    alice = await service.login("alice")
    deleted = await service.admin("im_open_login_svc/account_delete",
                                  {"DeleteItem": [{"UserID": "alice"}, {"UserID": "ghost"}]})
    assert [(i["UserID"], i["ResultCode"]) for i in deleted["ResultItem"]] == [
        ("alice", 0), ("ghost", 70107)]
    assert (await alice.push("kicked"))["reason"] == "account_deleted"
    check = await service.admin("im_open_login_svc/account_check",
                                {"CheckItem": [{"UserID": "alice"}]})
    assert check["ResultItem"][0]["AccountStatus"] == "NotImported"


def tim_text(text: str) -> list[dict[str, Any]]:
    return [{"MsgType": "TIMTextElem", "MsgContent": {"Text": text}}]


async def test_sendmsg_and_roaming_history(service: Service) -> None:
    alice = await service.login("alice")
    alice_web = await service.login("alice", platform="web")
    bob = await service.login("bob")
    sent = await service.admin("openim/sendmsg", {
        "SyncOtherMachine": 1, "From_Account": "alice", "To_Account": "bob", "MsgRandom": 7,
        "MsgBody": [*tim_text("from the app server"), {
            "MsgType": "TIMCustomElem", "MsgContent": {"Data": "d", "Desc": "x", "Ext": "e"}}],
        "CloudCustomData": "ccd"})
    assert sent["ActionStatus"] == "OK" and sent["MsgSeq"] == 1
    assert sent["MsgKey"] == f"1_7_{sent['MsgTime']}"
    pushed = await bob.push("msg.new")
    assert pushed["sender"] == "alice" and pushed["random"] == 7
    assert pushed["elems"][1] == {"type": "custom", "data": "d", "description": "x",
                                  "extension": "e"}
    for session in (alice, alice_web):  # SyncOtherMachine 1: all the sender's sessions
        assert (await session.push("msg.new"))["seq"] == 1

    # SyncOtherMachine 2: not to the sender's sessions, and hidden from the sender's history
    quiet = await service.admin("openim/sendmsg", {
        "SyncOtherMachine": 2, "From_Account": "alice", "To_Account": "bob", "MsgRandom": 8,
        "MsgBody": [{"MsgType": "TIMFaceElem", "MsgContent": {"Index": 3, "Data": "smile"}}]})
    assert quiet["MsgSeq"] == 2
    assert (await bob.push("msg.new"))["elems"] == [{"type": "face", "index": 3,
                                                      "data": "smile"}]
    for session in (alice, alice_web):
        await session.no_push()
    alice_view = await alice.call("msg.pull", {"ranges": [{"conv_id": "c2c_bob"}]})
    assert [m.get("deleted", False) for m in alice_view["messages"]] == [False, True]

    # without From_Account the admin sends
    by_admin = await service.admin("openim/sendmsg", {
        "To_Account": "bob", "MsgRandom": 1, "MsgBody": tim_text("notice")})
    assert by_admin["MsgSeq"] == 1
    assert (await bob.push("msg.new"))["sender"] == ADMIN

    unsupported = await service.admin("openim/sendmsg", {
        "To_Account": "bob", "MsgRandom": 2,
        "MsgBody": [{"MsgType": "TIMRelayElem", "MsgContent": {}}]})
    assert unsupported["ErrorCode"] == 90002
    assert (await service.admin("openim/sendmsg", {
        "To_Account": "ghost", "MsgRandom": 2, "MsgBody": tim_text("x")}))["ErrorCode"] == 20003

    # roaming: bob sees both, alice only the first; newest first, paged by LastMsgKey
    roam = {"Peer_Account": "alice", "MinTime": 0, "MaxTime": 2**31, "MaxCnt": 1}
    page = await service.admin("openim/admin_getroammsg", {**roam, "Operator_Account": "bob"})
    assert page["Complete"] == 0 and page["MsgCnt"] == 1
    (newest,) = page["MsgList"]
    assert newest["MsgSeq"] == 2 and newest["From_Account"] == "alice"
    assert newest["MsgBody"] == [{"MsgType": "TIMFaceElem",
                                  "MsgContent": {"Index": 3, "Data": "smile"}}]
    page = await service.admin("openim/admin_getroammsg", {
        **roam, "Operator_Account": "bob", "LastMsgKey": page["LastMsgKey"]})
    assert page["Complete"] == 1 and page["MsgList"][0]["MsgSeq"] == 1
    assert page["MsgList"][0]["MsgKey"] == sent["MsgKey"]
    assert page["MsgList"][0]["MsgBody"][0] == tim_text("from the app server")[0]
    mine = await service.admin("openim/admin_getroammsg", {
        **roam, "MaxCnt": 100, "Operator_Account": "alice", "Peer_Account": "bob"})
    assert [m["MsgSeq"] for m in mine["MsgList"]] == [1] and mine["Complete"] == 1
    too_many = await service.admin("openim/admin_getroammsg", {
        **roam, "MaxCnt": 101, "Operator_Account": "bob"})
    assert too_many["ErrorCode"] == 70402


async def test_sendmsg_random_dedup_within_five_minutes(service: Service) -> None:
    await service.admin("im_open_login_svc/account_import", {"UserID": "bob"})
    body = {"From_Account": ADMIN, "To_Account": "bob", "MsgRandom": 99,
            "MsgBody": tim_text("once")}
    first, *rest = await asyncio.gather(*(service.admin("openim/sendmsg", body)
                                          for _ in range(4)))
    assert all(r["MsgKey"] == first["MsgKey"] and r["MsgSeq"] == 1 for r in rest)
    assert (await service.admin("openim/sendmsg", body))["MsgKey"] == first["MsgKey"]
    other = await service.admin("openim/sendmsg", {**body, "MsgRandom": 100})
    assert other["MsgSeq"] == 2
    page = await service.admin("openim/admin_getroammsg", {
        "Operator_Account": "bob", "Peer_Account": ADMIN, "MinTime": 0, "MaxTime": 2**31,
        "MaxCnt": 10})
    assert page["MsgCnt"] == 2
