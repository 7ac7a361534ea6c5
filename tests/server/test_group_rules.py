"""The permission matrix of groups (spec §1.2, §1.4, FEATURES G1): every client group API × the
four types × the caller's role, each against a fresh group, expecting success or the exact code.

The table is written out from the spec here rather than derived from the service's rule data,
so a wrong rule in the service shows as a failed cell.
"""

from __future__ import annotations

import itertools
from typing import Any

from .conftest import Client, Service

TYPES = ("Work", "Public", "Meeting", "AVChatRoom")
ROLES = ("owner", "admin", "member", "outsider")
OK = 0
DENIED, OWNER_STAYS, NO_GROUP, NOT_MEMBER, UNSUPPORTED = 10007, 10009, 10010, 10012, 10033


def row(owner: int, admin: int, member: int, outsider: int) -> dict[str, int]:
    return dict(zip(ROLES, (owner, admin, member, outsider), strict=True))


def same(code: int) -> dict[str, int]:
    return row(code, code, code, code)


# In Work and AVChatRoom there are no admins: "admin" is one more ordinary member there.
EXPECTED: dict[str, dict[str, dict[str, int]]] = {
    "set_info": {
        "Work": row(OK, OK, OK, NOT_MEMBER),
        "Public": row(OK, OK, DENIED, NOT_MEMBER),
        "Meeting": row(OK, OK, DENIED, NOT_MEMBER),
        "AVChatRoom": row(OK, DENIED, DENIED, NOT_MEMBER),
    },
    "invite": {
        "Work": row(OK, OK, OK, NOT_MEMBER),
        "Public": row(DENIED, DENIED, DENIED, NOT_MEMBER),
        "Meeting": row(DENIED, DENIED, DENIED, NOT_MEMBER),
        "AVChatRoom": same(UNSUPPORTED),
    },
    "kick": {
        "Work": row(OK, DENIED, DENIED, NOT_MEMBER),
        "Public": row(OK, OK, DENIED, NOT_MEMBER),
        "Meeting": row(OK, OK, DENIED, NOT_MEMBER),
        "AVChatRoom": same(UNSUPPORTED),
    },
    "mute": {
        "Work": same(UNSUPPORTED),
        "Public": row(OK, OK, DENIED, NOT_MEMBER),
        "Meeting": row(OK, OK, DENIED, NOT_MEMBER),
        "AVChatRoom": row(OK, DENIED, DENIED, NOT_MEMBER),
    },
    "set_role": {
        "Work": same(UNSUPPORTED),
        "Public": row(OK, DENIED, DENIED, NOT_MEMBER),
        "Meeting": row(OK, DENIED, DENIED, NOT_MEMBER),
        "AVChatRoom": same(UNSUPPORTED),
    },
    "transfer": {
        "Work": row(OK, DENIED, DENIED, NOT_MEMBER),
        "Public": row(OK, DENIED, DENIED, NOT_MEMBER),
        "Meeting": row(OK, DENIED, DENIED, NOT_MEMBER),
        "AVChatRoom": same(UNSUPPORTED),
    },
    "dismiss": {
        "Work": row(DENIED, DENIED, DENIED, NOT_MEMBER),
        "Public": row(OK, DENIED, DENIED, NOT_MEMBER),
        "Meeting": row(OK, DENIED, DENIED, NOT_MEMBER),
        "AVChatRoom": row(OK, DENIED, DENIED, NOT_MEMBER),
    },
    "quit": {
        "Work": row(OK, OK, OK, NOT_MEMBER),
        "Public": row(OWNER_STAYS, OK, OK, NOT_MEMBER),
        "Meeting": row(OWNER_STAYS, OK, OK, NOT_MEMBER),
        "AVChatRoom": row(OWNER_STAYS, OK, OK, NOT_MEMBER),
    },
    "join": {
        "Work": same(DENIED),
        "Public": same(OK),
        "Meeting": same(OK),
        "AVChatRoom": same(OK),
    },
    "name_card": {
        "Work": row(OK, DENIED, DENIED, NOT_MEMBER),
        "Public": row(OK, OK, DENIED, NOT_MEMBER),
        "Meeting": row(OK, OK, DENIED, NOT_MEMBER),
        "AVChatRoom": row(OK, DENIED, DENIED, NOT_MEMBER),
    },
    "members": {t: row(OK, OK, OK, NOT_MEMBER) for t in TYPES},
    "send": {t: row(OK, OK, OK, NOT_MEMBER) for t in TYPES},
    "search": {"Work": same(NO_GROUP), "Public": same(OK), "Meeting": same(OK),
               "AVChatRoom": same(OK)},
}

_group_ids = itertools.count(1)
_msg_ids = itertools.count(1)


def request(api: str, group_id: str) -> tuple[str, dict[str, Any]]:
    """The command and body of one call on the group, aimed at the ordinary member ``t``."""
    return {
        "set_info": ("group.set_info", {"group_id": group_id, "introduction": "changed"}),
        "invite": ("group.invite", {"group_id": group_id, "user_ids": ["x"]}),
        "kick": ("group.kick", {"group_id": group_id, "user_ids": ["t"]}),
        "mute": ("group.mute", {"group_id": group_id, "user_id": "t", "seconds": 60}),
        "set_role": ("group.set_role", {"group_id": group_id, "user_id": "t", "role": 300}),
        "transfer": ("group.transfer", {"group_id": group_id, "user_id": "t"}),
        "dismiss": ("group.dismiss", {"group_id": group_id}),
        "quit": ("group.quit", {"group_id": group_id}),
        "join": ("group.join", {"group_id": group_id, "message": "hello"}),
        "name_card": ("group.set_member", {"group_id": group_id, "user_id": "t",
                                           "name_card": "T"}),
        "members": ("group.members", {"group_id": group_id}),
        "send": ("msg.send", {"msg": {
            "msg_id": f"g{next(_msg_ids)}", "conv_type": 2, "sender": "", "group_id": group_id,
            "elems": [{"type": "text", "text": "hi"}]}}),
        "search": ("group.search", {"group_id": group_id}),
    }[api]


async def fresh_group(users: dict[str, Client], group_type: str) -> str:
    group_id = f"{group_type.lower()}-{next(_group_ids)}"
    admin_role = 300 if group_type in ("Public", "Meeting") else 200
    if group_type == "AVChatRoom":
        await users["o"].call("group.create", {"group_type": group_type, "name": "room",
                                               "group_id": group_id})
        for user_id in ("a", "m", "t"):
            assert (await users[user_id].call("group.join", {"group_id": group_id}))[
                "status"] == "joined"
    else:
        await users["o"].call("group.create", {
            "group_type": group_type, "name": "group", "group_id": group_id,
            "members": [{"user_id": "a", "role": admin_role}, {"user_id": "m"},
                        {"user_id": "t"}]})
    return group_id


async def test_every_group_api_for_every_type_and_role(service: Service) -> None:
    users = {u: await service.login(u) for u in ("o", "a", "m", "t", "n", "x")}
    callers = {"owner": "o", "admin": "a", "member": "m", "outsider": "n"}
    wrong: list[str] = []
    for api, by_type in EXPECTED.items():
        for group_type in TYPES:
            for role in ROLES:
                group_id = await fresh_group(users, group_type)
                cmd, body = request(api, group_id)
                frame = await users[callers[role]].request(cmd, body)
                code = frame.get("code", 0)
                expected = by_type[group_type][role]
                if code != expected:
                    wrong.append(f"{api} {group_type} {role}: {code} {frame.get('msg', '')!r},"
                                 f" expected {expected}")
                elif code:
                    assert frame.get("msg"), "a refusal says why"
    assert not wrong, "\n".join(wrong)


async def test_what_a_permitted_call_changed(service: Service) -> None:
    """The calls the matrix allows did what they say, seen by another member."""
    users = {u: await service.login(u) for u in ("o", "a", "m", "t", "n", "x")}
    group_id = await fresh_group(users, "Public")
    o, m = users["o"], users["m"]
    await users["a"].call("group.mute", {"group_id": group_id, "user_id": "t", "seconds": 600})
    await o.call("group.set_role", {"group_id": group_id, "user_id": "m", "role": 300})
    await users["a"].call("group.set_member", {"group_id": group_id, "user_id": "t",
                                               "name_card": "Tee"})
    found = {x["user_id"]: x for x in (await m.call("group.members_info", {
        "group_id": group_id, "user_ids": ["t", "m", "o"]}))["members"]}
    assert found["t"]["mute_until"] > 0 and found["t"]["name_card"] == "Tee"
    assert found["m"]["role"] == 300 and found["o"]["role"] == 400
    # an admin acts on ordinary members only: not on another admin, not on the owner
    assert await m.error("group.mute", {"group_id": group_id, "user_id": "a",
                                        "seconds": 60}) == DENIED
    assert (await m.call("group.kick", {"group_id": group_id, "user_ids": ["o", "a"]}))[
        "failed"] == {"o": DENIED, "a": DENIED}
    # the muted member cannot send; unmuted, they can
    muted = request("send", group_id)
    assert await users["t"].error(*muted) == 10017
    await o.call("group.mute", {"group_id": group_id, "user_id": "t", "seconds": 0})
    await users["t"].call(*request("send", group_id))
    # mute-all silences members, not the owner or admins
    await o.call("group.set_info", {"group_id": group_id, "all_muted": True})
    assert await users["t"].error(*request("send", group_id)) == 10017
    await m.call(*request("send", group_id))
    await o.call("group.transfer", {"group_id": group_id, "user_id": "t"})
    info = (await m.call("group.info", {"group_ids": [group_id]}))["groups"][0]
    assert info["owner"] == "t" and info["member_count"] == 4
    await users["t"].call("group.dismiss", {"group_id": group_id})
    assert await m.error(*request("send", group_id)) == NO_GROUP
    assert (await m.call("group.info", {"group_ids": [group_id]}))["failed"] == {
        group_id: NO_GROUP}
