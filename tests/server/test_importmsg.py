"""``openim/importmsg``: history from another system at its own time, not pushed, unread only
when SyncFromOldSystem is 1, and importing the same message twice stores it once."""

from __future__ import annotations

import time
from typing import Any

from .conftest import ADMIN, Service


def body(sender: str, receiver: str, text: str, timestamp: int, *, mode: int = 2,
         random: int = 1) -> dict[str, Any]:
    return {"SyncFromOldSystem": mode, "From_Account": sender, "To_Account": receiver,
            "MsgRandom": random, "MsgTimeStamp": timestamp,
            "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": text}}]}


async def test_imported_history_keeps_its_time_and_is_not_pushed(service: Service) -> None:
    for user in ("alice", "bob"):
        await service.admin("im_open_login_svc/account_import", {"UserID": user})
    bob = await service.login("bob")
    now = int(time.time())
    history = [("alice", "bob", "three days ago", now - 3 * 86400, 2),
               ("bob", "alice", "two days ago", now - 2 * 86400, 2),
               ("alice", "bob", "an hour ago", now - 3600, 1)]
    for i, (sender, receiver, text, timestamp, mode) in enumerate(history):
        reply = await service.admin("openim/importmsg",
                                    body(sender, receiver, text, timestamp, mode=mode, random=i))
        assert reply["ActionStatus"] == "OK", reply
    await bob.no_push()

    pulled = await bob.call("msg.pull", {"ranges": [{"conv_id": "c2c_alice"}], "limit": 10})
    messages = pulled["messages"]
    assert [m["seq"] for m in messages] == [1, 2, 3]
    assert [m["time"] for m in messages] == [t * 1000 for *_, t, _ in history]
    assert [m["elems"][0]["text"] for m in messages] == [text for _, _, text, *_ in history]
    (state,) = (await bob.call("conv.sync", {}))["conversations"]
    assert state["max_seq"] == 3 and state["unread"] == 1  # only SyncFromOldSystem 1 counts

    again = await service.admin("openim/importmsg", body(*history[0][:4], random=0))
    assert again["ActionStatus"] == "OK"
    (state,) = (await bob.call("conv.sync", {}))["conversations"]
    assert state["max_seq"] == 3

    roam = await service.admin("openim/admin_getroammsg", {
        "Operator_Account": "alice", "Peer_Account": "bob", "MinTime": 0, "MaxTime": now,
        "MaxCnt": 10})
    assert [m["MsgTimeStamp"] for m in roam["MsgList"]] == [t for *_, t, _ in reversed(history)]


async def test_importmsg_refusals(service: Service) -> None:
    await service.admin("im_open_login_svc/account_import", {"UserID": "bob"})
    now = int(time.time())
    cases = [
        (body(ADMIN, "bob", "x", now, mode=3), 70402),
        (body(ADMIN, "bob", "x", now + 3600), 70402),
        (body(ADMIN, "bob", "x", 0), 70402),
        (body("ghost", "bob", "x", now), 70107),
        (body(ADMIN, "ghost", "x", now), 20003),
        ({**body(ADMIN, "bob", "x", now), "MsgBody": []}, 90002),
    ]
    for request, code in cases:
        assert (await service.admin("openim/importmsg", request))["ErrorCode"] == code, request
