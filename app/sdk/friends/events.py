"""What a ``friend.event`` push does to the service's word kept on this device (§4.7).

The service tells every session of each user concerned, the one that made the change too, so
every device follows the same pushes. Two kinds cannot be applied from the push alone and ask
for the requests to be fetched again: a deletion naming a user with whom I have requests both
ways (the push does not say which went), and "read", which another device marked up to a time
the push does not carry.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.protocol.friends import (
    ApplicationType,
    BlackEntry,
    FriendEventKind,
    FriendEventPush,
)

from .state import Contacts, key_of

K = FriendEventKind


@dataclass(slots=True)
class Applied:
    contacts: Contacts
    refetch_applications: bool = False


def applied(base: Contacts, event: FriendEventPush, now_ms: int) -> Applied:
    c = base.copy()
    refetch = False
    match event.kind:
        case K.FRIEND_LIST_ADDED | K.FRIEND_INFO_CHANGED:
            for friend in event.friends:
                c.put_friend(friend)
        case K.FRIEND_LIST_DELETED:
            c.remove_friends(event.user_ids)
        case K.APPLICATION_LIST_ADDED:
            for application in event.applications:
                c.applications[key_of(application)] = application
        case K.APPLICATION_LIST_DELETED:
            for user_id in event.user_ids:
                keys = [(user_id, t) for t in (ApplicationType.COME_IN, ApplicationType.SEND_OUT)
                        if (user_id, t) in c.applications]
                if len(keys) == 2:
                    refetch = True
                elif keys:
                    del c.applications[keys[0]]
        case K.APPLICATION_LIST_READ:
            refetch = True
        case K.BLACK_LIST_ADDED:
            for friend in event.friends:
                c.black[friend.user_id] = BlackEntry(friend.user_id, friend.add_time or now_ms,
                                                     friend.profile)
        case K.BLACK_LIST_DELETED:
            for user_id in event.user_ids:
                c.black.pop(user_id, None)
        case K.FRIEND_GROUPS_CHANGED:
            c.drop_groups(event.deleted_groups)
            for group in event.groups:
                c.groups[group.name] = group
    return Applied(c, refetch)
