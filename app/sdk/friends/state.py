"""The contacts a device shows — my friend list, friend applications, blacklist and friend
groups — and the difference between two versions of them.

One shape serves twice: the service's word (kept in the cache, changed by pushes and the
refresh after login) and what the user sees (that with the queued changes on top). The
difference between two versions is both what the cache writes and what the listeners hear,
so a device that was away hears, after its refresh, exactly what changed meanwhile.

Structs are never changed in place: a version shares them with the one it came from and
replaces the entries that differ, so the service's word stays intact under an overlay.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import msgspec

from app.protocol.friends import ApplicationType, BlackEntry, Friend, FriendApplication, FriendGroup

ApplicationKey = tuple[str, int]
"""(the other side's user ID, COME_IN or SEND_OUT): both may exist between two users."""


def key_of(application: FriendApplication) -> ApplicationKey:
    return application.user_id, application.type


@dataclass(slots=True)
class Contacts:
    friends: dict[str, Friend] = field(default_factory=dict)
    applications: dict[ApplicationKey, FriendApplication] = field(default_factory=dict)
    black: dict[str, BlackEntry] = field(default_factory=dict)
    groups: dict[str, FriendGroup] = field(default_factory=dict)
    """In the service's order (oldest first); a group made since goes last."""

    def copy(self) -> Contacts:
        return Contacts(dict(self.friends), dict(self.applications), dict(self.black),
                        dict(self.groups))

    @property
    def unread_applications(self) -> int:
        """The badge: requests to me not yet marked read (the service's ``unread_count``)."""
        return sum(1 for a in self.applications.values()
                   if a.type == ApplicationType.COME_IN and not a.read)

    # --- changes that keep friends' group names and the groups' members in step --------

    def put_friend(self, friend: Friend) -> None:
        self.friends[friend.user_id] = friend

    def remove_friends(self, user_ids: Iterable[str]) -> None:
        gone = {u for u in user_ids if self.friends.pop(u, None) is not None}
        if gone:
            for name, group in list(self.groups.items()):
                if gone & set(group.user_ids):
                    self.groups[name] = FriendGroup(
                        name, [u for u in group.user_ids if u not in gone])

    def join(self, name: str, user_ids: Iterable[str]) -> None:
        """Friends of mine into a group that exists (others are left out, as the service
        does)."""
        group = self.groups.get(name)
        if group is None:
            return
        joining = [u for u in dict.fromkeys(user_ids)
                   if u in self.friends and u not in group.user_ids]
        if not joining:
            return
        self.groups[name] = FriendGroup(name, [*group.user_ids, *joining])
        for user_id in joining:
            friend = self.friends[user_id]
            self.friends[user_id] = msgspec.structs.replace(
                friend, group_names=[*friend.group_names, name])

    def leave(self, name: str, user_ids: Iterable[str]) -> None:
        group = self.groups.get(name)
        if group is None:
            return
        leaving = set(user_ids) & set(group.user_ids)
        if not leaving:
            return
        self.groups[name] = FriendGroup(name, [u for u in group.user_ids if u not in leaving])
        for user_id in leaving:
            friend = self.friends.get(user_id)
            if friend is not None:
                self.friends[user_id] = msgspec.structs.replace(
                    friend, group_names=[g for g in friend.group_names if g != name])

    def drop_groups(self, names: Iterable[str]) -> None:
        for name in names:
            group = self.groups.get(name)
            if group is not None:
                self.leave(name, group.user_ids)
                del self.groups[name]


@dataclass(slots=True)
class Delta:
    """What changed from one version to the next, entry by entry."""

    friends_put: list[Friend] = field(default_factory=list)
    """Added or changed; ``friends_added`` says which were new."""
    friends_added: set[str] = field(default_factory=set)
    friends_gone: list[str] = field(default_factory=list)
    applications_put: list[FriendApplication] = field(default_factory=list)
    """Every request that is new or differs, its read state alone included."""
    applications_added: list[FriendApplication] = field(default_factory=list)
    """New requests, or sent again (a new wording or time): what the listeners hear."""
    applications_gone: list[ApplicationKey] = field(default_factory=list)
    applications_read: bool = False
    """Some request to me went from unread to read."""
    black_put: list[BlackEntry] = field(default_factory=list)
    black_gone: list[str] = field(default_factory=list)
    groups_put: list[FriendGroup] = field(default_factory=list)
    groups_gone: list[str] = field(default_factory=list)
    unread_before: int = 0
    unread_after: int = 0

    def __bool__(self) -> bool:
        return bool(self.friends_put or self.friends_gone or self.applications_put
                    or self.applications_gone or self.applications_read or self.black_put
                    or self.black_gone or self.groups_put or self.groups_gone)


def diff(old: Contacts, new: Contacts) -> Delta:
    delta = Delta(unread_before=old.unread_applications, unread_after=new.unread_applications)
    for user_id, friend in new.friends.items():
        before = old.friends.get(user_id)
        if before != friend:
            delta.friends_put.append(friend)
            if before is None:
                delta.friends_added.add(user_id)
    delta.friends_gone = [u for u in old.friends if u not in new.friends]
    for key, application in new.applications.items():
        before_app = old.applications.get(key)
        if before_app == application:
            continue
        delta.applications_put.append(application)
        if (before_app is not None
                and msgspec.structs.replace(before_app, read=application.read) == application):
            # Only its read state changed: that is "read", not a new request.
            delta.applications_read |= application.read
        else:
            delta.applications_added.append(application)
    delta.applications_gone = [k for k in old.applications if k not in new.applications]
    delta.black_put = [e for u, e in new.black.items() if old.black.get(u) != e]
    delta.black_gone = [u for u in old.black if u not in new.black]
    delta.groups_put = [g for n, g in new.groups.items() if old.groups.get(n) != g]
    delta.groups_gone = [n for n in old.groups if n not in new.groups]
    return delta
