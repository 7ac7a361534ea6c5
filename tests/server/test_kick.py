"""The kick policy (L8): places per account and platform, eviction, resume, restarts."""

from __future__ import annotations

from pathlib import Path

from app.server.runner import serving

from .conftest import APP_ID, Client, Service, make_config, sig


def login_body(user_id: str, device_id: str, platform: str = "desktop",
               resume: bool = False) -> dict[str, object]:
    return {"sdk_app_id": APP_ID, "user_id": user_id, "user_sig": sig(user_id),
            "platform": platform, "device_id": device_id, "resume": resume}


async def test_second_desktop_login_kicks_the_first(service: Service) -> None:
    first = await service.login("alice", device_id="laptop")
    second = await service.login("alice", device_id="tower")
    assert await first.push("kicked") == {"reason": "multi_device", "code": 6208}
    assert await first.closed() is not None
    await second.call("heartbeat")
    # the same device logging in again replaces its older connection too
    again = await service.login("alice", device_id="tower")
    assert (await second.push("kicked"))["code"] == 6208
    await again.call("heartbeat")


async def test_desktop_and_web_coexist(service: Service) -> None:
    desktop = await service.login("alice", device_id="laptop")
    web = await service.login("alice", platform="web", device_id="browser")
    bob = await service.login("bob")
    await bob.send("alice", "to both")
    for session in (desktop, web):
        assert (await session.push("msg.new"))["elems"][0]["text"] == "to both"


async def test_resume_after_eviction_is_refused_even_after_restart(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    async with serving(config) as endpoint:
        service = Service(endpoint, config)
        await service.login("alice", device_id="laptop")
        await service.login("alice", device_id="tower")
        for client in service.clients:
            await client.close()
    async with serving(config) as endpoint:
        service = Service(endpoint, config)
        laptop = await service.connect()
        assert await laptop.error("login", login_body("alice", "laptop", resume=True)) == 6208
        tower = await service.connect()
        await tower.call("login", login_body("alice", "tower", resume=True))
        # an explicit login takes the place back
        await laptop.call("login", login_body("alice", "laptop"))
        assert (await tower.push("kicked"))["reason"] == "multi_device"
        for client in service.clients:
            await client.close()


async def test_places_per_platform_are_configurable(tmp_path: Path) -> None:
    config = make_config(tmp_path, max_sessions_per_platform=2)
    async with serving(config) as endpoint:
        service = Service(endpoint, config)
        sessions: list[Client] = [await service.login("alice", device_id=f"d{i}")
                                  for i in range(2)]
        await sessions[0].no_push()
        third = await service.login("alice", device_id="d2")
        assert (await sessions[0].push("kicked"))["code"] == 6208
        await sessions[1].call("heartbeat")
        await third.call("heartbeat")
        for client in service.clients:
            await client.close()
