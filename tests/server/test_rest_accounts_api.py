"""The admin API's account, online-status and profile commands, driven over real HTTP against
the real service, with their effects seen by real WebSocket clients: ``multiaccount_import``,
``account_delete`` and ``account_check`` batches, ``query_online_status`` / ``querystate``
answered from the database (several nodes, nodes that died), ``portrait_get`` and
``portrait_set``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.server.clock import now_ms
from app.server.runner import serving
from app.server.store import presence as presence_store
from app.server.store.db import Database
from app.server.store.schema import connections, nodes
from tests.support.waiting import wait_until

from .conftest import APP_ID, Service, make_config, sig
from .test_store_identity import running

IMPORT = "im_open_login_svc/multiaccount_import"
DELETE = "im_open_login_svc/account_delete"
CHECK = "im_open_login_svc/account_check"
ONLINE = "openim/query_online_status"
GET = "profile/portrait_get"
SET = "profile/portrait_set"


def refused(reply: dict[str, Any], code: int) -> None:
    assert reply["ActionStatus"] == "FAIL" and reply["ErrorCode"] == code, reply
    assert reply["ErrorInfo"], "a refusal says why"


async def status_of(service: Service, *users: str) -> dict[str, Any]:
    reply = await service.admin(ONLINE, {"To_Account": list(users), "IsNeedDetail": 1})
    assert reply["ActionStatus"] == "OK", reply
    return {r["To_Account"]: (r["Status"], r["Detail"]) for r in reply["QueryResult"]}


# --- im_open_login_svc -----------------------------------------------------------------------

async def test_multiaccount_import_creates_the_valid_ones(service: Service) -> None:
    await service.admin("im_open_login_svc/account_import", {"UserID": "alice", "Nick": "Al"})
    reply = await service.admin(IMPORT, {"Accounts": ["alice", "bob", "no way", "bob", "c:d"]})
    assert reply == {"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "",
                     "FailAccounts": ["no way", "c:d"]}
    check = await service.admin(CHECK, {"CheckItem": [{"UserID": u} for u in
                                                      ("alice", "bob", "no way")]})
    assert [i["AccountStatus"] for i in check["ResultItem"]] == [
        "Imported", "Imported", "NotImported"]
    alice = await service.login("alice")
    (profile,) = (await alice.call("profile.get", {"user_ids": ["alice"]}))["profiles"]
    assert profile["nick"] == "Al"  # an existing account keeps its profile

    refused(await service.admin(IMPORT, {"Accounts": [f"u{i}" for i in range(101)]}), 70402)
    refused(await service.admin(IMPORT, {"Accounts": []}), 70402)
    refused(await service.admin(IMPORT, {"Accounts": ["ok", 7]}), 70402)
    refused(await service.admin(IMPORT, {"Accounts": "alice"}), 70402)
    refused(await service.admin(IMPORT, {}), 70402)
    check = await service.admin(CHECK, {"CheckItem": [{"UserID": "u0"}]})
    assert check["ResultItem"][0]["AccountStatus"] == "NotImported"  # nothing of a refusal


async def test_account_delete_answers_each_item(service: Service) -> None:
    await service.admin(IMPORT, {"Accounts": ["alice", "bob"]})
    alice = await service.login("alice")
    reply = await service.admin(DELETE, {"DeleteItem": [
        {"UserID": "alice"}, {"UserID": "ghost"}, {"UserID": 12}, "bob", {},
        {"UserID": "a:b"}, {"UserID": "alice"}]})
    assert reply["ActionStatus"] == "OK"
    assert [(i["UserID"], i["ResultCode"]) for i in reply["ResultItem"]] == [
        ("alice", 0), ("ghost", 70107), (12, 70402), (None, 70402), (None, 70402),
        ("a:b", 70107), ("alice", 70107)]
    assert all(i["ResultInfo"] for i in reply["ResultItem"][1:])
    assert reply["ResultItem"][0]["ResultInfo"] == ""
    assert (await alice.push("kicked"))["reason"] == "account_deleted"
    check = await service.admin(CHECK, {"CheckItem": [{"UserID": "alice"}, {"UserID": "bob"},
                                                      {"nope": 1}]})
    assert [(i["AccountStatus"], i["ResultCode"]) for i in check["ResultItem"]] == [
        ("NotImported", 0), ("Imported", 0), ("NotImported", 70402)]  # bob's item was bad

    refused(await service.admin(DELETE, {"DeleteItem": [{"UserID": "bob"}] * 101}), 70402)
    refused(await service.admin(DELETE, {"DeleteItem": []}), 70402)
    refused(await service.admin(DELETE, {"DeleteItem": {"UserID": "bob"}}), 70402)


# --- openim online status ----------------------------------------------------------------------

async def test_online_status_follows_logins_and_disconnects(service: Service) -> None:
    await service.admin(IMPORT, {"Accounts": ["alice", "bob", "carol"]})
    alice = await service.login("alice")
    alice_web = await service.login("alice", platform="web")
    bob = await service.login("bob")
    # a login that was answered is already recorded
    assert await status_of(service, "alice", "bob", "carol") == {
        "alice": ("Online", [{"Platform": "PC", "Status": "Online"},
                             {"Platform": "Web", "Status": "Online"}]),
        "bob": ("Online", [{"Platform": "PC", "Status": "Online"}]),
        "carol": ("Offline", [])}

    await alice_web.close()  # gone without logging out: signed in, not connected
    await wait_until(lambda: _is(service, "alice", "Online", [
        {"Platform": "PC", "Status": "Online"}, {"Platform": "Web", "Status": "PushOnline"}]),
        what="alice's web session to be recorded as disconnected")
    await alice.close()
    await wait_until(lambda: _is(service, "alice", "PushOnline", [
        {"Platform": "PC", "Status": "PushOnline"}, {"Platform": "Web", "Status": "PushOnline"}]),
        what="alice to be push-online only")
    await bob.call("logout")  # a logout gives the place up
    await wait_until(lambda: _is(service, "bob", "Offline", []), what="bob to be offline")
    # logging in again on the same connection: the new row is not removed with the old one
    await bob.call("login", {"sdk_app_id": APP_ID, "user_id": "bob", "user_sig": sig("bob"),
                             "platform": "desktop", "device_id": "bob-desktop"})
    assert (await status_of(service, "bob"))["bob"][0] == "Online"
    await service.admin("im_open_login_svc/kick", {"UserID": "bob"})
    await bob.closed()
    await wait_until(lambda: _is(service, "bob", "Offline", []), what="kicked bob to be offline")

    plain = await service.admin(ONLINE, {"To_Account": ["carol", "ghost", "carol", "x y"]})
    assert plain == {"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "",
                     "QueryResult": [{"To_Account": "carol", "Status": "Offline"}],
                     "ErrorList": [{"To_Account": "ghost", "ErrorCode": 70107},
                                   {"To_Account": "x y", "ErrorCode": 70107}]}
    legacy = await service.admin("openim/querystate", {"To_Account": ["carol", "ghost"]})
    assert legacy["QueryResult"] == [{"To_Account": "carol", "State": "Offline"}]
    assert legacy["ErrorList"] == [{"To_Account": "ghost", "ErrorCode": 70107}]

    refused(await service.admin(ONLINE, {"To_Account": [f"u{i}" for i in range(501)]}), 70402)
    refused(await service.admin(ONLINE, {"To_Account": ["carol"], "IsNeedDetail": 2}), 70402)
    refused(await service.admin(ONLINE, {"To_Account": [1]}), 70402)
    refused(await service.admin(ONLINE, {}), 70402)


async def _is(service: Service, user: str, status: str, detail: list[dict[str, str]]) -> bool:
    return (await status_of(service, user))[user] == (status, detail)


async def test_presence_is_read_from_the_database_across_nodes(tmp_path: Path) -> None:
    """Sessions recorded by another live node count; those of a node whose lease ran out do
    not, and a starting node sweeps them away; a node that stops takes its rows with it."""
    async with running(tmp_path) as service:
        await service.admin(IMPORT, {"Accounts": ["alice", "bob", "carol"]})
        db = Database(service.config.database_url)
        lease_ms = 3 * service.config.heartbeat_s * 1000
        try:
            async with db.write() as conn:
                await presence_store.register(conn, "other-node", now_ms())
                await presence_store.register(conn, "dead-node", now_ms() - 2 * lease_ms)
                await presence_store.add(conn, [
                    _row("c1", "other-node", "alice", "web"),
                    _row("c2", "dead-node", "bob", "desktop")])
            assert await status_of(service, "alice", "bob") == {
                "alice": ("Online", [{"Platform": "Web", "Status": "Online"}]),
                "bob": ("Offline", [])}
        finally:
            await db.close()
        carol = await service.login("carol")
        assert (await status_of(service, "carol"))["carol"][0] == "Online"
        await carol.close()
    # this node stopped: its rows went with it; the dead node's are still there until a start
    assert await _connection_ids(tmp_path) == {"c1", "c2"}

    async with running(tmp_path) as service:
        assert await _connection_ids(tmp_path) == {"c1"}
        assert (await status_of(service, "carol"))["carol"] == (
            "PushOnline", [{"Platform": "PC", "Status": "PushOnline"}])


async def test_a_node_taken_for_dead_records_its_sessions_again(tmp_path: Path) -> None:
    """A node whose row was swept while it was alive (it stalled past its lease) comes back
    with the sessions it still holds at its next renewal, one heartbeat interval later."""
    config = make_config(tmp_path, heartbeat_s=0.5)
    async with serving(config) as endpoint:
        service = Service(endpoint, config)
        alice = await service.login("alice")
        db = Database(config.database_url)
        try:
            async with db.write() as conn:
                await conn.execute(nodes.delete())  # what a sweep by another node does
        finally:
            await db.close()
        assert (await status_of(service, "alice"))["alice"][0] == "PushOnline"

        async def online_again() -> bool:
            await alice.call("heartbeat")  # the connection stays up meanwhile
            return (await status_of(service, "alice"))["alice"][0] == "Online"

        await wait_until(online_again, timeout=10, what="the node to register again")
        await alice.close()


def _row(connection_id: str, node_id: str, user_id: str, platform: str) -> dict[str, object]:
    return {"connection_id": connection_id, "node_id": node_id, "user_id": user_id,
            "platform": platform, "device_id": "d", "connected_at": now_ms()}


async def _connection_ids(data_dir: Path) -> set[str]:
    db = Database(make_config(data_dir).database_url)
    try:
        async with db.read() as conn:
            rows = await conn.execute(connections.select())
            return {row.connection_id for row in rows}
    finally:
        await db.close()


# --- profile -----------------------------------------------------------------------------------

async def test_portrait_set_and_get(service: Service) -> None:
    await service.admin(IMPORT, {"Accounts": ["alice", "bob"]})
    alice = await service.login("alice")
    alice_web = await service.login("alice", platform="web")
    bob = await service.login("bob")
    reply = await service.admin(SET, {"From_Account": "alice", "ProfileItem": [
        {"Tag": "Tag_Profile_IM_Nick", "Value": "Alice 爱丽丝"},
        {"Tag": "Tag_Profile_IM_Image", "Value": "https://img/a.png"}]})
    assert reply == {"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "ErrorDisplay": ""}
    changed = {"user_id": "alice", "nick": "Alice 爱丽丝", "face_url": "https://img/a.png"}
    for session in (alice, alice_web):  # every session: none of them made the change
        assert await session.push("profile.changed") == changed
    await bob.no_push()
    (seen,) = (await bob.call("profile.get", {"user_ids": ["alice"]}))["profiles"]
    assert seen == changed

    got = await service.admin(GET, {"To_Account": ["alice", "ghost", "bob"],
                                    "TagList": ["Tag_Profile_IM_Image", "Tag_Profile_IM_Nick"]})
    assert got["ActionStatus"] == "OK" and got["FailAccount"] == ["ghost"]
    alice_item, ghost_item, bob_item = got["UserProfileItem"]
    assert alice_item == {"To_Account": "alice", "ResultCode": 0, "ResultInfo": "",
                          "ProfileItem": [
                              {"Tag": "Tag_Profile_IM_Image", "Value": "https://img/a.png"},
                              {"Tag": "Tag_Profile_IM_Nick", "Value": "Alice 爱丽丝"}]}
    assert ghost_item["ResultCode"] == 40003 and ghost_item["ProfileItem"] == []
    assert bob_item["ProfileItem"] == [{"Tag": "Tag_Profile_IM_Image", "Value": ""},
                                       {"Tag": "Tag_Profile_IM_Nick", "Value": ""}]

    def set_body(tag: str, value: Any, user: str = "alice") -> dict[str, Any]:
        return {"From_Account": user, "ProfileItem": [{"Tag": tag, "Value": value}]}

    nick = "Tag_Profile_IM_Nick"
    refused(await service.admin(SET, set_body("Tag_Profile_IM_MsgSettings", 1)), 40009)
    refused(await service.admin(SET, set_body("Tag_Profile_IM_Gender", "x")), 40001)
    refused(await service.admin(SET, set_body(nick, 5)), 40610)
    refused(await service.admin(SET, set_body(nick, "n" * 65)), 40601)
    refused(await service.admin(SET, set_body("Tag_Profile_IM_Image", "u" * 501)), 40601)
    refused(await service.admin(SET, set_body(nick, "x", user="ghost")), 40003)
    refused(await service.admin(SET, set_body(nick, "x", user="a b")), 40001)
    refused(await service.admin(SET, {"From_Account": "alice", "ProfileItem": []}), 40001)
    refused(await service.admin(SET, {"From_Account": "alice", "ProfileItem": ["x"]}), 40001)
    refused(await service.admin(GET, {"To_Account": ["alice"], "TagList": ["Tag_Profile_X"]}),
            40009)
    refused(await service.admin(GET, {"To_Account": [f"u{i}" for i in range(101)],
                                      "TagList": [nick]}), 40001)
    refused(await service.admin(GET, {"To_Account": ["alice"]}), 40001)
    for session in (alice, alice_web):  # nothing of the refusals was applied or pushed
        await session.no_push()
    (still,) = (await bob.call("profile.get", {"user_ids": ["alice"]}))["profiles"]
    assert still == changed
