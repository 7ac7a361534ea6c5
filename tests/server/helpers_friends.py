"""Steps the relationship tests share: allow types, adds, relations and the friend.event
pushes a client received."""

from __future__ import annotations

from typing import Any

from .conftest import Client

ALLOW_ANY, NEED_CONFIRM, DENY_ANY = 0, 1, 2
SINGLE, BOTH = 1, 2
NONE, IN_MY_LIST, IN_OTHER_LIST, BOTH_WAY = 0, 1, 2, 3


async def allow(client: Client, allow_type: int) -> None:
    await client.call("profile.set", {"allow_type": allow_type})


async def add(client: Client, to: str, add_type: int = BOTH, **fields: Any) -> int:
    """The add's result code (0, 30539, 30516 …)."""
    answer = await client.call("friend.add", {"user_id": to, "add_type": add_type, **fields})
    assert answer["user_id"] == to
    return answer.get("result_code", 0)


async def relation(client: Client, other: str) -> int:
    (check,) = (await client.call("friend.check", {"user_ids": [other], "type": BOTH}))["results"]
    return check.get("relation", NONE)


async def event(client: Client, kind: str) -> dict[str, Any]:
    """The next friend.event push, which must be of ``kind``."""
    body = await client.push("friend.event")
    assert body["kind"] == kind, body
    return body


async def drain_events(client: Client) -> list[dict[str, Any]]:
    """Every push queued on the connection now, after a barrier (``Client.no_push``'s)."""
    await client.call("profile.set", {})
    out = []
    while not client.pushes.empty():
        out.append(client.pushes.get_nowait())
    return out


def kinds(frames: list[dict[str, Any]]) -> list[str]:
    return [f["body"]["kind"] for f in frames if f["push"] == "friend.event"]
