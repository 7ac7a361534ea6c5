"""Putting the demo's users and history into a service through its admin REST API.

Seeding is what an operator migrating from another system would do: `account_import` for the
users, then `openim/importmsg` for the history, at its original times and without pushes, then
profiles and friends (``relationships``). Each
conversation is imported oldest first (the service numbers messages in arrival order), the
conversations concurrently (the service's writer commits them together). A marker file in the
service's data directory makes a second run a no-op, because the timestamps are relative to
"now" and would otherwise add a second copy of the history on another day.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import httpx

from app.protocol import ErrorCode, IMError, usersig

from .content import CHATS, DEMO_USER, USERS, Body, Chat, Custom, Line, Media, Place
from .relationships import seed_relationships
from .uploads import DemoMedia

MARKER = "demo-seeded.json"
ADMIN_SIG_TTL_S = 3600
NEWEST_GAP_S = 60
"""Today's lines that are still ahead on the clock end this far before now, a minute apart."""


class AdminApi:
    """The service's `/v4` API, called as its administrator with a sig made from its key."""

    def __init__(self, http: httpx.AsyncClient, sdk_app_id: int, admin: str, key: str) -> None:
        self._http = http
        self._sdk_app_id = sdk_app_id
        self._admin = admin
        self._key = key

    def user_sig(self, user_id: str) -> str:
        """A sig for one of the demo's users, to upload their media as them."""
        return usersig.generate(self._sdk_app_id, self._key, user_id, ADMIN_SIG_TTL_S)

    @property
    def base_url(self) -> str:
        return str(self._http.base_url)

    async def call(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        params = {
            "sdkappid": self._sdk_app_id, "identifier": self._admin,
            "usersig": usersig.generate(self._sdk_app_id, self._key, self._admin,
                                        ADMIN_SIG_TTL_S),
            "random": secrets.randbelow(2**31), "contenttype": "json",
        }
        reply = await self._http.post(f"/v4/{path}", params=params, json=body)
        data: dict[str, Any] = reply.json()
        if data.get("ActionStatus") != "OK":
            raise IMError(int(data.get("ErrorCode") or ErrorCode.INTERNAL_ERROR),
                          f"{path}: {data.get('ErrorInfo', '')}")
        return data


def timestamps(lines: Sequence[Line], now: datetime) -> list[int]:
    """Epoch seconds for a chat's lines: their local wall-clock times, except that none is in
    the future and each is at least a minute after the one before (a line of today whose time
    has not come yet moves to just before now, pushing earlier ones back with it)."""
    local_now = now.astimezone()
    wanted = []
    for line in lines:
        hour, minute = (int(part) for part in line.at.split(":"))
        day = local_now.date() - timedelta(days=line.days_ago)
        wanted.append(int(datetime.combine(day, time(hour, minute)).astimezone().timestamp()))
    out = [0] * len(wanted)
    limit = int(local_now.timestamp()) - NEWEST_GAP_S
    for i in range(len(wanted) - 1, -1, -1):
        out[i] = min(wanted[i], limit)
        limit = out[i] - NEWEST_GAP_S
    return out


async def msg_body(body: Body, sender: str, media: DemoMedia) -> list[dict[str, Any]]:
    if isinstance(body, Media | Place):
        return await media.body(sender, body)
    if isinstance(body, Custom):
        return [{"MsgType": "TIMCustomElem", "MsgContent": {
            "Data": json.dumps(body.data, ensure_ascii=False), "Desc": body.description,
            "Ext": ""}}]
    return [{"MsgType": "TIMTextElem", "MsgContent": {"Text": body}}]


async def _import_chat(api: AdminApi, chat: Chat, now: datetime, media: DemoMedia) -> None:
    if chat.group is not None:
        await _import_group(api, chat, now, media)
        return
    for random, (line, stamp) in enumerate(zip(chat.lines, timestamps(chat.lines, now),
                                                strict=True)):
        sender, receiver = (DEMO_USER, chat.peer) if line.mine else (chat.peer, DEMO_USER)
        await api.call("openim/importmsg", {
            "SyncFromOldSystem": 1 if line.unread else 2,
            "From_Account": sender.user_id, "To_Account": receiver.user_id,
            "MsgRandom": random, "MsgTimeStamp": stamp,
            "MsgBody": await msg_body(line.body, sender.user_id, media)})


async def _import_group(api: AdminApi, chat: Chat, now: datetime, media: DemoMedia) -> None:
    """The group made as its owner with its members, then its history in order: read lines
    imported at their times, unread ones sent (they arrive now, and count as unread)."""
    group = chat.group
    assert group is not None
    try:
        await api.call("group_open_http_svc/create_group", {
            "Owner_Account": group.owner.user_id, "Type": group.kind,
            "GroupId": chat.peer.user_id, "Name": chat.peer.nick,
            "Introduction": group.introduction,
            **({"ApplyJoinOption": group.join} if group.join else {}),
            "MemberList": [{"Member_Account": m.user_id} for m in group.members]})
    except IMError as exc:
        if exc.code == ErrorCode.GROUP_ID_TAKEN:
            return  # made by an earlier seeding, with its history (sends are not idempotent)
        raise
    for random, (line, stamp) in enumerate(zip(chat.lines, timestamps(chat.lines, now),
                                                strict=True)):
        sender = DEMO_USER if line.mine else chat.speaker(line)
        body = await msg_body(line.body, sender.user_id, media)
        if line.unread:
            await api.call("group_open_http_svc/send_group_msg", {
                "GroupId": chat.peer.user_id, "From_Account": sender.user_id,
                "Random": random, "MsgBody": body})
        else:
            await api.call("group_open_http_svc/import_group_msg", {
                "GroupId": chat.peer.user_id, "MsgList": [{
                    "From_Account": sender.user_id, "SendTime": stamp, "Random": random,
                    "MsgBody": body}]})


async def seed(api: AdminApi, state_dir: Path, now: datetime | None = None) -> bool:
    """Seed once per service; True if this call did it, False if it had been done before."""
    marker = state_dir / MARKER
    if marker.exists():
        return False
    now = now or datetime.now().astimezone()
    await asyncio.gather(*(api.call("im_open_login_svc/account_import",
                                    {"UserID": user.user_id, "Nick": user.nick})
                           for user in USERS))
    media = DemoMedia(api.base_url, api.user_sig)
    try:
        await asyncio.gather(*(_import_chat(api, chat, now, media) for chat in CHATS))
        await seed_relationships(api, media)
    finally:
        media.close()
    marker.write_text(json.dumps({"seeded_at": now.isoformat(),
                                  "users": [u.user_id for u in USERS]}) + "\n",
                      encoding="utf-8")
    return True
