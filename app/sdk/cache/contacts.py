"""My friend list, friend applications, blacklist and friend groups as the service last said
(never with queued changes on top: those stay in the operation queue and are laid over on
reading), so the contacts pane opens offline and a change the service refuses is undone by
just dropping it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

from app.protocol.friends import BlackEntry, Friend, FriendApplication, FriendGroup

from ..friends.state import Contacts, Delta, key_of
from .worker import CacheWorker

if TYPE_CHECKING:
    import sqlite_utils

_encode = msgspec.json.Encoder().encode
_friend = msgspec.json.Decoder(Friend).decode
_application = msgspec.json.Decoder(FriendApplication).decode
_black = msgspec.json.Decoder(BlackEntry).decode
_group = msgspec.json.Decoder(FriendGroup).decode

TABLES = ("contact_friends", "contact_applications", "contact_black", "contact_groups")


def create(db: sqlite_utils.Database) -> None:
    """Schema 7's tables (the schema's "if not exists" step)."""
    db.execute("CREATE TABLE IF NOT EXISTS contact_friends (user_id TEXT PRIMARY KEY, "
               "body TEXT NOT NULL)")
    db.execute("CREATE TABLE IF NOT EXISTS contact_applications (user_id TEXT NOT NULL, "
               "type INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (user_id, type))")
    db.execute("CREATE TABLE IF NOT EXISTS contact_black (user_id TEXT PRIMARY KEY, "
               "body TEXT NOT NULL)")
    db.execute("CREATE TABLE IF NOT EXISTS contact_groups (name TEXT PRIMARY KEY, "
               "position INTEGER NOT NULL, body TEXT NOT NULL)")


def _body(value: Any) -> str:
    return _encode(value).decode()


class ContactRows:
    def __init__(self, worker: CacheWorker) -> None:
        self._worker = worker

    async def load(self) -> Contacts:
        def q(db: sqlite_utils.Database) -> Contacts:
            contacts = Contacts()
            for (body,) in db.execute("SELECT body FROM contact_friends ORDER BY user_id"):
                contacts.put_friend(_friend(body))
            for (body,) in db.execute("SELECT body FROM contact_applications"):
                application = _application(body)
                contacts.applications[key_of(application)] = application
            for (body,) in db.execute("SELECT body FROM contact_black"):
                entry = _black(body)
                contacts.black[entry.user_id] = entry
            for (body,) in db.execute("SELECT body FROM contact_groups ORDER BY position"):
                group = _group(body)
                contacts.groups[group.name] = group
            return contacts
        return await self._worker.run(q)

    async def replace(self, contacts: Contacts) -> None:
        """Everything the service holds now (the refresh after login)."""
        def q(db: sqlite_utils.Database) -> None:
            with db.conn:
                for table in TABLES:
                    db.execute(f"DELETE FROM {table}")
                _put(db, Delta(friends_put=list(contacts.friends.values()),
                               applications_put=list(contacts.applications.values()),
                               black_put=list(contacts.black.values()),
                               groups_put=list(contacts.groups.values())))
        await self._worker.run(q)

    async def save(self, delta: Delta) -> None:
        """One change the service told (a push)."""
        def q(db: sqlite_utils.Database) -> None:
            with db.conn:
                _put(db, delta)
        if delta:
            await self._worker.run(q)


def _put(db: sqlite_utils.Database, delta: Delta) -> None:
    many = db.conn.executemany
    many("DELETE FROM contact_friends WHERE user_id = ?", [(u,) for u in delta.friends_gone])
    many("INSERT OR REPLACE INTO contact_friends(user_id, body) VALUES (?, ?)",
         [(f.user_id, _body(f)) for f in delta.friends_put])
    many("DELETE FROM contact_applications WHERE user_id = ? AND type = ?",
         delta.applications_gone)
    many("INSERT OR REPLACE INTO contact_applications(user_id, type, body) VALUES (?, ?, ?)",
         [(a.user_id, a.type, _body(a)) for a in delta.applications_put])
    many("DELETE FROM contact_black WHERE user_id = ?", [(u,) for u in delta.black_gone])
    many("INSERT OR REPLACE INTO contact_black(user_id, body) VALUES (?, ?)",
         [(e.user_id, _body(e)) for e in delta.black_put])
    many("DELETE FROM contact_groups WHERE name = ?", [(n,) for n in delta.groups_gone])
    for group in delta.groups_put:
        # A group keeps its place when it changes; a new one goes last.
        db.execute("INSERT INTO contact_groups(name, position, body) VALUES (?, "
                   "(SELECT COALESCE(MAX(position), 0) + 1 FROM contact_groups), ?) "
                   "ON CONFLICT(name) DO UPDATE SET body = excluded.body",
                   [group.name, _body(group)])
