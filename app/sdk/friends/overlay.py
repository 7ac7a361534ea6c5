"""What a queued friend change shows before the service answers: the contacts as the service
last said, with each change still queued applied on top, in the order they were made.

Each change does here what the service will do when it takes it, as far as this device can
know: an add shows nothing (the target's allow type decides, and only the answer says), an
accept drops the request and, agreeing and adding, lists the applicant; a block drops the
friendship both ways and the requests between us. When the service answers, the change leaves
the queue and the lists are again the service's word — its events have brought what it did, or
nothing if it refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import msgspec

from app.protocol import Cmd, Profile
from app.protocol.friends import (
    AcceptType,
    ApplicationType,
    BlackEntry,
    Friend,
    FriendGroup,
)

from ..cache.operations import FriendChange
from .state import Contacts

ProfileOf = Callable[[str], Profile | None]


def overlaid(base: Contacts, changes: Iterable[FriendChange], profile_of: ProfileOf
             ) -> Contacts:
    shown = base.copy()
    for change in changes:
        apply(shown, change, profile_of)
    return shown


def apply(c: Contacts, change: FriendChange, profile_of: ProfileOf) -> None:
    body: dict[str, Any] = change.body
    match Cmd(change.cmd):
        case Cmd.FRIEND_DELETE:
            c.remove_friends(body["user_ids"])
        case Cmd.FRIEND_SET_INFO:
            _set_info(c, body)
        case Cmd.FRIEND_ACCEPT:
            applicant = body["user_id"]
            application = c.applications.pop((applicant, ApplicationType.COME_IN), None)
            adding = body.get("type", AcceptType.AGREE) == AcceptType.AGREE_AND_ADD
            if adding and applicant not in c.friends:
                profile = profile_of(applicant) or (Profile(
                    applicant, application.nick, application.face_url)
                    if application else None)
                c.put_friend(Friend(applicant, body.get("remark", ""), profile=profile,
                                    add_time=change.time))
        case Cmd.FRIEND_REFUSE:
            c.applications.pop((body["user_id"], ApplicationType.COME_IN), None)
        case Cmd.FRIEND_DELETE_APPLICATION:
            c.applications.pop((body["user_id"], body.get("type", ApplicationType.COME_IN)),
                               None)
        case Cmd.FRIEND_SET_APPLICATIONS_READ:
            until = body.get("until", 0)
            for key, application in list(c.applications.items()):
                if (application.type == ApplicationType.COME_IN and not application.read
                        and (not until or application.add_time <= until)):
                    c.applications[key] = msgspec.structs.replace(application, read=True)
        case Cmd.BLACK_ADD:
            for user_id in body["user_ids"]:
                c.remove_friends([user_id])
                c.applications.pop((user_id, ApplicationType.COME_IN), None)
                c.applications.pop((user_id, ApplicationType.SEND_OUT), None)
                if user_id not in c.black:
                    c.black[user_id] = BlackEntry(user_id, change.time, profile_of(user_id))
        case Cmd.BLACK_REMOVE:
            for user_id in body["user_ids"]:
                c.black.pop(user_id, None)
        case Cmd.FRIEND_GROUP_CREATE:
            name = body["name"]
            if name not in c.groups:
                c.groups[name] = FriendGroup(name)
                c.join(name, body.get("user_ids", []))
        case Cmd.FRIEND_GROUP_DELETE:
            c.drop_groups(body.get("names", []))
        case Cmd.FRIEND_GROUP_RENAME:
            _rename(c, body["old_name"], body["new_name"])
        case Cmd.FRIEND_GROUP_ADD:
            c.join(body["name"], body["user_ids"])
        case Cmd.FRIEND_GROUP_REMOVE:
            c.leave(body["name"], body["user_ids"])
        case _:
            pass  # friend.add: only the service's answer says what it did


def _set_info(c: Contacts, body: dict[str, Any]) -> None:
    friend = c.friends.get(body["user_id"])
    if friend is None:
        return
    remark = body.get("remark")
    custom = {**friend.custom, **body.get("custom", {})}
    c.put_friend(msgspec.structs.replace(
        friend, remark=friend.remark if remark is None else remark,
        custom={k: v for k, v in custom.items() if v != ""}))


def _rename(c: Contacts, old: str, new: str) -> None:
    group = c.groups.get(old)
    if group is None or new in c.groups or old == new:
        return
    members = list(group.user_ids)
    c.drop_groups([old])
    c.groups[new] = FriendGroup(new)
    c.join(new, members)
