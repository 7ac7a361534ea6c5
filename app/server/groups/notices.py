"""Group system notices (§1.12): what happened to a group, told to the one user it concerns and
kept in that user's system conversation (``SYSTEM_CONVERSATION_ID``), not in the group's stream.

Listener events are heard only by sessions online at the time; a user removed from a group, or
away when it was dismissed, has no group chat left to find a tip in. So each targeted event also
becomes a C2C message from ``SYSTEM_USER`` to each user concerned, stored, counted unread and
synced like any other — across devices, restarts and service nodes alike.

Which events: an application decided (the applicant), kicked (the kicked), dismissed (every
member but the owner who did it), invited (the invitees), made or no longer admin (the target),
and the admin API's custom notice (those it names, or everyone). Join applications have their
own inbox; quitting is the user's own doing; a group created with me in it is in my list at
once with its creation in the chat, so it needs no notice either.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Iterable

import msgspec

from app.protocol import ConvType, Message
from app.protocol.elements import GroupSystemElem, GroupSystemType
from app.protocol.groups import ApplicationStatus, GroupEventKind, GroupEventPush
from app.protocol.ids import SYSTEM_USER, new_message_id
from app.server.clock import now_ms
from app.server.services.keys import c2c_key
from app.server.services.writer import MessageWriter
from app.server.store import accounts as accounts_store
from app.server.store import groups as groups_store
from app.server.store.db import Database

log = logging.getLogger(__name__)

_FOR_MEMBERS = {
    GroupEventKind.MEMBER_KICKED: GroupSystemType.KICKED,
    GroupEventKind.MEMBER_INVITED: GroupSystemType.INVITED,
    GroupEventKind.GRANT_ADMINISTRATOR: GroupSystemType.GRANT_ADMIN,
    GroupEventKind.REVOKE_ADMINISTRATOR: GroupSystemType.REVOKE_ADMIN,
}
"""Kinds whose notice goes to the members the event is about."""


def notices_for(event: GroupEventPush, told: Iterable[str]) -> list[tuple[str, GroupSystemElem]]:
    """(user, notice) for each user the event concerns among ``told``, those the event went
    to (one change may tell its concerned user and the others in separate events)."""
    told = set(told)

    def notice(kind: GroupSystemType, **fields: str) -> GroupSystemElem:
        return GroupSystemElem(notice_type=kind, group_id=event.group_id,
                               op_user=event.op_user, **fields)

    kind = event.kind
    if kind in _FOR_MEMBERS:
        elem = notice(_FOR_MEMBERS[GroupEventKind(kind)])
        return [(m.user_id, elem) for m in event.members
                if m.user_id != event.op_user and m.user_id in told]
    if kind == GroupEventKind.GROUP_DISMISSED:
        elem = notice(GroupSystemType.DISMISSED)
        return [(u, elem) for u in sorted(told) if u != event.op_user]
    if kind == GroupEventKind.APPLICATION_PROCESSED and event.application is not None:
        app = event.application
        accepted = app.status == ApplicationStatus.ACCEPTED
        elem = notice(GroupSystemType.APPLICATION_ACCEPTED if accepted
                      else GroupSystemType.APPLICATION_REFUSED,
                      handle_message=app.handle_message)
        return [(app.applicant, elem)] if app.applicant in told else []
    if kind == GroupEventKind.REST_CUSTOM_DATA:
        elem = notice(GroupSystemType.CUSTOM, data=event.data)
        return [(u, elem) for u in sorted(told)]
    return []


class GroupNotices:
    def __init__(self, db: Database, writer: MessageWriter) -> None:
        self._db = db
        self._writer = writer
        self._sender_ready = False
        """The sender's account was made (an insert that is a no-op when it exists, so a
        stale True on another node is harmless: accounts that start with '@' are never
        deleted)."""

    async def send(self, group_id: str, notices: list[tuple[str, GroupSystemElem]]) -> None:
        """Store each notice for its user, with the group's name as it is now; waits for the
        commits, so the change's answer comes after them. A notice that fails is logged: the
        change itself committed."""
        if not notices:
            return  # most events concern no one in particular: nothing read, nothing written
        async with self._db.read() as conn:
            group = await groups_store.get(conn, group_id)
        name = group.name if group is not None else ""
        notices = [(user, msgspec.structs.replace(elem, group_name=name))
                   for user, elem in notices]
        if not self._sender_ready:
            async with self._db.write() as conn:
                await accounts_store.create(conn, SYSTEM_USER, now_ms())
            self._sender_ready = True
        acks = [self._writer.submit(
            Message(msg_id=new_message_id(), conv_type=ConvType.C2C, sender=SYSTEM_USER,
                    receiver=user_id, elems=[elem], random=secrets.randbits(31)),
            c2c_key(SYSTEM_USER, user_id), origin=None, sync_sender=False)
            for user_id, elem in notices]
        for user_id, outcome in zip((u for u, _ in notices),
                                    await asyncio.gather(*acks, return_exceptions=True),
                                    strict=True):
            if isinstance(outcome, BaseException):
                log.error("a group notice to %s was not stored: %s", user_id, outcome)
