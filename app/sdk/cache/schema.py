"""Tables of the per-user cache.

``messages`` holds every stored message this device has seen (``seq`` set) and my own messages
not yet acknowledged (``seq`` NULL). ``conversations`` keeps, besides the per-user fields the
service reports, the coverage this cache has proven: every seq in ``[floor_seq, held_seq]`` is
present, so history inside it can be served without asking the service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import contacts, operations, search

if TYPE_CHECKING:
    import sqlite_utils

SCHEMA_VERSION = 8
"""2 added ``operations``, the queue of local changes waiting for the service; 3 the service's
own word for the fields those operations overwrite (``SERVICE_FIELDS``); 4 ``uploads``, the media
a message waits for before it may be sent (``outbox.ready``); 5 the groups I am in and the
unread mentions of me (``at_me_seq``, ``at_all_seq``); 6 ``read_reset``, the version of the last
time the service moved my read position back; 7 every profile field (``profiles.body``) and my
contacts (``cache/contacts.py``); 8 the full-text index of messages (``cache/search.py``)."""

SERVICE_FIELDS = {"pinned": "service_pinned", "draft": "service_draft",
                  "draft_time": "service_draft_time", "recv_opt": "service_recv_opt"}
"""What the service last said for each field a queued operation overwrites. The shown value is
this with the queued operations applied on top, so when one finishes the shown value is worked
out again from it — whichever order the operation's answer and newer states arrived in."""


def create(db: sqlite_utils.Database) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise RuntimeError(f"cache schema {version} is newer than this SDK ({SCHEMA_VERSION})")
    # Every step is "if not exists", so a cache of any earlier version is brought up to date.
    with db.conn:
        db["messages"].create({
            "id": int, "conv_id": str, "seq": int, "msg_id": str, "sender": str, "time": int,
            "status": int, "counts": int, "exclude_last": int, "local": int, "body": str,
        }, pk="id", not_null={"conv_id", "msg_id", "sender", "time", "status", "body"},
            defaults={"counts": 0, "exclude_last": 0, "local": 0}, if_not_exists=True)
        db["messages"].create_index(["msg_id", "sender"], unique=True, if_not_exists=True)
        db["messages"].create_index(["conv_id", "seq"], unique=True, if_not_exists=True)
        db["messages"].create_index(["conv_id", "time"], if_not_exists=True)
        db["conversations"].create({
            "conv_id": str, "conv_type": int, "target": str,
            "max_seq": int, "held_seq": int, "floor_seq": int, "min_seq": int,
            "read_seq": int, "peer_read_seq": int, "unread_base": int, "unread_base_seq": int,
            "pinned": int, "draft": str, "draft_time": int, "recv_opt": int, "deleted": int,
            "version": int, "last_id": int, "last_time": int,
            "service_pinned": int, "service_draft": str, "service_draft_time": int,
            "service_recv_opt": int,
        }, pk="conv_id", not_null={"conv_type", "target"}, defaults={
            "max_seq": 0, "held_seq": 0, "floor_seq": 1, "min_seq": 1, "read_seq": 0,
            "peer_read_seq": 0, "unread_base": 0, "unread_base_seq": 0, "pinned": 0,
            "draft": "", "draft_time": 0, "recv_opt": 0, "deleted": 0, "version": 0,
            "last_time": 0, "service_pinned": 0, "service_draft": "", "service_draft_time": 0,
            "service_recv_opt": 0,
        }, if_not_exists=True)
        columns = db["conversations"].columns_dict
        for shown, service in SERVICE_FIELDS.items():
            if service not in columns:  # a version 1 or 2 cache
                kind = "TEXT NOT NULL DEFAULT ''" if shown == "draft" else "INTEGER DEFAULT 0"
                db.execute(f"ALTER TABLE conversations ADD COLUMN {service} {kind}")
                db.execute(f"UPDATE conversations SET {service} = {shown}")
        for added in ("at_me_seq", "at_all_seq", "read_reset"):
            if added not in columns:
                db.execute(f"ALTER TABLE conversations ADD COLUMN {added} INTEGER DEFAULT 0")
        db.execute("CREATE TABLE IF NOT EXISTS joined_groups (group_id TEXT PRIMARY KEY, "
                   "body TEXT NOT NULL)")
        db["outbox"].create({
            "msg_id": str, "conv_id": str, "body": str, "created": int, "deadline": int,
        }, pk="msg_id", not_null={"conv_id", "body", "created", "deadline"}, if_not_exists=True)
        if "ready" not in db["outbox"].columns_dict:
            db.execute("ALTER TABLE outbox ADD COLUMN ready INTEGER NOT NULL DEFAULT 1")
        db.execute("CREATE TABLE IF NOT EXISTS uploads (msg_id TEXT NOT NULL, uuid TEXT NOT NULL, "
                   "kind TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', size INTEGER NOT NULL, "
                   "upload_id TEXT, done INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (msg_id, uuid))")
        db["profiles"].create({"user_id": str, "nick": str, "face_url": str},
                              pk="user_id", if_not_exists=True)
        if "body" not in db["profiles"].columns_dict:
            db.execute("ALTER TABLE profiles ADD COLUMN body TEXT NOT NULL DEFAULT ''")
        contacts.create(db)
        db["kv"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
        db.execute("CREATE TABLE IF NOT EXISTS operations (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                   "conv_id TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL)")
        db.execute("CREATE INDEX IF NOT EXISTS operations_conv ON operations(conv_id, id)")
        # Version 1 kept reads made offline as "pending_read:<conv>" values.
        for key, value in db.execute("SELECT key, value FROM kv WHERE key LIKE 'pending_read:%'"
                                     ).fetchall():
            conv_id = key.split(":", 1)[1]
            db.execute("INSERT INTO operations(conv_id, kind, body) VALUES (?, 'read', ?)",
                       [conv_id, operations.encode(operations.Read(conv_id, int(value)))])
            db.execute("DELETE FROM kv WHERE key = ?", [key])
        search.create_index(db)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
