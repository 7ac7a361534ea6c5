"""Login (L1–L3, L8 basics): sig checks, the TLSSigAPIv2 generator, ordering rules."""

from __future__ import annotations

import time

import pytest
from TLSSigAPIv2 import TLSSigAPIv2

from .conftest import APP_ID, KEY, Service, sig


def login_body(user_id: str, user_sig: str, **extra: object) -> dict[str, object]:
    return {"sdk_app_id": APP_ID, "user_id": user_id, "user_sig": user_sig,
            "platform": "desktop", "device_id": "dev-1", **extra}


async def test_login_answers_profile_and_times(service: Service) -> None:
    client = await service.connect()
    before = int(time.time() * 1000)
    body = await client.call("login", login_body("alice", sig("alice", 3600)))
    assert body["profile"]["user_id"] == "alice"
    assert body["server_time"] >= before
    assert body["heartbeat_s"] == service.config.heartbeat_s
    assert abs(body["sig_expire_at"] - (time.time() + 3600)) < 5
    assert (await client.call("heartbeat"))["server_time"] >= body["server_time"]


@pytest.mark.parametrize(("user_sig", "code"), [
    (sig("alice", 10, now=int(time.time()) - 3600), 70001),            # expired
    (sig("alice", key="another-key"), 70003),                            # forged
    ("not-a-sig", 70003),                                                # malformed
    (sig("alice", app_id=1400000001), 70014),                            # other app
    (sig("bob"), 70013),                                                 # other user
])
async def test_bad_sigs_are_refused_and_the_connection_stays(service: Service, user_sig: str,
                                                              code: int) -> None:
    client = await service.connect()
    assert await client.error("login", login_body("alice", user_sig)) == code
    assert await client.error("heartbeat") == 9004
    await client.call("login", login_body("alice", sig("alice")))
    await client.call("heartbeat")


async def test_sig_from_tencent_generator_logs_in(service: Service) -> None:
    tencent_sig = TLSSigAPIv2(APP_ID, KEY).gen_sig("carol", 3600)
    client = await service.connect()
    body = await client.call("login", login_body("carol", tencent_sig))
    assert body["profile"] == {"user_id": "carol"}


async def test_requests_before_login_and_second_login(service: Service) -> None:
    client = await service.connect()
    for cmd in ("heartbeat", "msg.send", "conv.sync", "logout"):
        assert await client.error(cmd) == 9004
    assert await client.error("login", {**login_body("alice", sig("alice")),
                                        "sdk_app_id": 1}) == 70014
    assert await client.error("login", login_body("alice", sig("alice"),
                                                  platform="fridge")) == 9006
    assert await client.error("login", login_body("bad:id", sig("bad:id"))) == 71001
    await client.call("login", login_body("alice", sig("alice")))
    assert await client.error("login", login_body("alice", sig("alice"))) == 9005
    await client.call("logout")
    assert await client.error("conv.sync") == 9004
    await client.call("login", login_body("alice", sig("alice")))


async def test_expiring_sig_kicks_the_session(service: Service) -> None:
    client = await service.connect()
    await client.call("login", login_body("alice", sig("alice", 1)))
    kicked = await client.push("kicked", timeout=4)
    assert kicked == {"reason": "sig_expired", "code": 70001}
    assert await client.closed() is not None
