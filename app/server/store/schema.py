"""The service's tables (SQLAlchemy Core), kept portable between SQLite and PostgreSQL.

Design points:

- A conversation is a log keyed by ``conv_key`` (``c2c:<a>:<b>`` with the pair sorted), with its
  own ``max_seq`` counter: seqs are allocated by incrementing it inside the transaction that
  stores the messages, so they are gap-free and correct with several service nodes.
- ``messages.body`` is the complete wire encoding of the message (seq, time and the sender's
  profile snapshot included), so pushes, pulls and history send stored bytes verbatim. The
  columns beside it exist only to be queried.
- Per-user state lives in ``user_conversations``; every change to it takes the next
  ``accounts.state_version`` of that user and stamps the row, which is what ``conv.sync`` diffs.
- ``meta`` holds facts about the store itself, such as its identity (``store_id``). Tables added
  after version 1 (``meta`` is one) are created on the first start of the code that knows them,
  so they need no schema version of their own as long as older code can ignore them. A change
  to an existing table takes a version and a step in ``MIGRATIONS``.
- ``hidden_messages.version`` is the user's state version when the message was deleted for them,
  so ``conv.sync`` can tell a device that was away which messages its other devices deleted.
  ``revoked_messages`` does the same for revocations, one row per participant: a revocation
  changes both participants' view, and each has their own state version. ``modified_messages``
  does the same for edits, restamped by each later edit of the message.
- ``nodes`` and ``connections`` say which sessions are connected, for the online-status API: a
  process records its live sessions under its node ID and renews the node's ``seen_at`` lease;
  sessions of a node whose lease ran out are not reported and are swept (see
  ``services.presence``). In-process memory would only know one node's sessions.
- Media (``app.server.media``): ``media_blobs`` lists the content held, by its SHA-256 (the
  bytes are in the blob store, not here); ``media_uploads`` the uploads under way, with the
  offset reached, so any node can take the next chunk; ``media_owners`` who completed an upload
  of which content (the uploader may read it); ``media_refs`` which logged message refers to
  which content (the participants may read it while the message is not revoked). The writer adds
  a message's references in the transaction that stores it.
- Groups (``app.server.groups``): ``groups`` holds the profile, ``group_members`` who is in it
  now. A group's messages are one log (``group:<groupID>``) read by every member (read
  diffusion): each member has a ``user_conversations`` row for their read position and the first
  seq they may see (``min_seq``), created when they join; a message is fanned out to whoever is a
  member when the writer stores it. ``member_seq`` orders members for the paged member list
  (a stable cursor while members come and go). ``group_applications`` keeps one application per
  group and applicant; deciding it is a conditional update, so the first decision wins.
  ``group_attributes`` holds an AVChatRoom's key/value attributes (§1.8), one row per key.
- Profiles and relationships (``app.server.friends``): ``user_profiles`` holds the §3.1 fields
  beyond ``accounts.nick``/``face_url`` (no row: every field at its default). ``friends`` is one
  row per direction — (A, B) means B is in A's list — so one-way and two-way friendships are one
  or two rows and nothing can disagree with itself. ``friend_applications`` keeps one pending
  request per (applicant, target); ``friend_group_names`` and ``friend_group_members`` a user's
  friend groups; ``blacklist`` one row per (blocker, blocked). Changes lock the ``accounts`` rows
  of the users concerned in user-ID order first (``store.friends.lock_users``).
- ``rate_windows`` keeps the state of limits that must hold across nodes (a group's message
  rate, its attribute writes), one row per (scope, key), read and rewritten inside a write
  transaction that locks the row: a node's memory would let each node admit the full rate.
"""

from __future__ import annotations

import sqlalchemy as sa

SCHEMA_VERSION = 2

MIGRATIONS: dict[int, list[str]] = {
    2: ["ALTER TABLE hidden_messages ADD COLUMN version BIGINT NOT NULL DEFAULT 0"],
}
"""The statements that bring a database from the version before to this one; the same SQL on
SQLite and PostgreSQL."""

metadata = sa.MetaData()

accounts = sa.Table(
    "accounts", metadata,
    sa.Column("user_id", sa.String(32), primary_key=True),
    sa.Column("nick", sa.String(64), nullable=False, server_default=""),
    sa.Column("face_url", sa.String(500), nullable=False, server_default=""),
    sa.Column("password_hash", sa.String(200), nullable=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("state_version", sa.BigInteger, nullable=False, server_default="0"),
)

devices = sa.Table(
    "devices", metadata,
    sa.Column("user_id", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("platform", sa.String(16), primary_key=True),
    sa.Column("device_id", sa.String(128), primary_key=True),
    sa.Column("login_at", sa.BigInteger, nullable=False),
)

conversations = sa.Table(
    "conversations", metadata,
    sa.Column("conv_key", sa.String(100), primary_key=True),
    sa.Column("conv_type", sa.SmallInteger, nullable=False),
    sa.Column("max_seq", sa.BigInteger, nullable=False, server_default="0"),
)

messages = sa.Table(
    "messages", metadata,
    sa.Column("conv_key", sa.String(100), sa.ForeignKey("conversations.conv_key"),
              primary_key=True),
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("msg_id", sa.String(64), nullable=False),
    sa.Column("sender", sa.String(32), nullable=False),
    sa.Column("receiver", sa.String(32), nullable=False, server_default=""),
    sa.Column("group_id", sa.String(48), nullable=False, server_default=""),
    sa.Column("time", sa.BigInteger, nullable=False),
    sa.Column("body", sa.LargeBinary, nullable=False),
    sa.Column("counts_unread", sa.Boolean, nullable=False),
    sa.Column("exclude_last", sa.Boolean, nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("random", sa.BigInteger, nullable=False, server_default="0"),
    sa.UniqueConstraint("msg_id", "sender", name="uq_messages_sender_msg_id"),
    # admin_getroammsg filters by time, and the REST 5-minute MsgRandom rule looks back by time
    sa.Index("ix_messages_conv_time", "conv_key", "time"),
)

user_conversations = sa.Table(
    "user_conversations", metadata,
    sa.Column("user_id", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("conv_key", sa.String(100), sa.ForeignKey("conversations.conv_key"),
              primary_key=True),
    sa.Column("conv_id", sa.String(64), nullable=False),
    sa.Column("read_seq", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("peer_read_seq", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("min_seq", sa.BigInteger, nullable=False, server_default="1"),
    sa.Column("pinned", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("draft", sa.Text, nullable=False, server_default=""),
    sa.Column("draft_time", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("recv_opt", sa.SmallInteger, nullable=False, server_default="0"),
    sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("version", sa.BigInteger, nullable=False, server_default="0"),
)

hidden_messages = sa.Table(
    "hidden_messages", metadata,
    sa.Column("user_id", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("conv_key", sa.String(100), primary_key=True),
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("version", sa.BigInteger, nullable=False, server_default="0"),
)

revoked_messages = sa.Table(
    "revoked_messages", metadata,
    sa.Column("user_id", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("conv_key", sa.String(100), primary_key=True),
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("version", sa.BigInteger, nullable=False),
)

modified_messages = sa.Table(
    # An edit, for each participant who can see the message, at that user's state version
    # (restamped by a later edit), so ``conv.sync`` brings a device that was away the edits
    # made since the version it holds (``services.modification``)
    "modified_messages", metadata,
    sa.Column("user_id", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("conv_key", sa.String(100), primary_key=True),
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("version", sa.BigInteger, nullable=False),
)

read_resets = sa.Table(
    # A read position moved back by the admin (``set_unread_msg_num``): read positions otherwise
    # only move forward, so a device takes a lower one only from a state whose reset version is
    # newer than the one it holds, and ignores the read position of states older than it
    "read_resets", metadata,
    sa.Column("user_id", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("conv_key", sa.String(100), primary_key=True),
    sa.Column("version", sa.BigInteger, nullable=False),
)

group_departures = sa.Table(
    # Where a former member's view of a group's log ended: their state stops there (no unread,
    # no newer last message, nothing to pull), while the log goes on for the members
    "group_departures", metadata,
    sa.Column("user_id", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("conv_key", sa.String(100), primary_key=True),
    sa.Column("until_seq", sa.BigInteger, nullable=False),
)

message_mentions = sa.Table(
    # M11: who a group message mentions (a member's ID, or AT_ALL), so a member's conversation
    # state can say "[@me]" until read without scanning message bodies
    "message_mentions", metadata,
    sa.Column("conv_key", sa.String(100), primary_key=True),
    sa.Column("user_id", sa.String(32), primary_key=True),
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
)

nodes = sa.Table(
    "nodes", metadata,
    sa.Column("node_id", sa.String(32), primary_key=True),
    sa.Column("seen_at", sa.BigInteger, nullable=False),
)

connections = sa.Table(
    "connections", metadata,
    sa.Column("connection_id", sa.String(32), primary_key=True),
    sa.Column("node_id", sa.String(32), sa.ForeignKey("nodes.node_id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("user_id", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), nullable=False),
    sa.Column("platform", sa.String(16), nullable=False),
    sa.Column("device_id", sa.String(128), nullable=False),
    sa.Column("connected_at", sa.BigInteger, nullable=False),
    sa.Index("ix_connections_user", "user_id"),
    sa.Index("ix_connections_node", "node_id"),
)

media_blobs = sa.Table(
    "media_blobs", metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
)

media_public = sa.Table(
    # Content uploaded as an avatar: anyone signed in may read it (a face is shown to all)
    "media_public", metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
)

media_uploads = sa.Table(
    "media_uploads", metadata,
    sa.Column("upload_id", sa.String(32), primary_key=True),
    sa.Column("user_id", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("name", sa.String(255), nullable=False, server_default=""),
    sa.Column("received", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("expires_at", sa.BigInteger, nullable=False),
    sa.Index("ix_media_uploads_expires", "expires_at"),
)

media_owners = sa.Table(
    "media_owners", metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
)

media_refs = sa.Table(
    "media_refs", metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("conv_key", sa.String(100), primary_key=True),
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
)

groups = sa.Table(
    "groups", metadata,
    sa.Column("group_id", sa.String(48), primary_key=True),
    sa.Column("group_type", sa.String(16), nullable=False),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("introduction", sa.Text, nullable=False, server_default=""),
    sa.Column("notification", sa.Text, nullable=False, server_default=""),
    sa.Column("face_url", sa.String(500), nullable=False, server_default=""),
    sa.Column("owner", sa.String(32), nullable=False, server_default=""),
    sa.Column("join_option", sa.SmallInteger, nullable=False),
    sa.Column("all_muted", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("max_members", sa.Integer, nullable=False),
    sa.Column("custom", sa.Text, nullable=False, server_default="{}"),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("info_time", sa.BigInteger, nullable=False),
    sa.Column("dismissed", sa.Boolean, nullable=False, server_default=sa.false()),
    # the last group_members.member_seq given out
    sa.Column("member_seq", sa.BigInteger, nullable=False, server_default="0"),
)

group_members = sa.Table(
    "group_members", metadata,
    sa.Column("group_id", sa.String(48), sa.ForeignKey("groups.group_id"), primary_key=True),
    sa.Column("user_id", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("role", sa.SmallInteger, nullable=False),
    sa.Column("name_card", sa.String(200), nullable=False, server_default=""),
    sa.Column("custom", sa.Text, nullable=False, server_default="{}"),
    sa.Column("join_time", sa.BigInteger, nullable=False),
    sa.Column("mute_until", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("member_seq", sa.BigInteger, nullable=False),
    sa.Index("ix_group_members_user", "user_id"),
    sa.Index("ix_group_members_seq", "group_id", "member_seq"),
)

group_applications = sa.Table(
    "group_applications", metadata,
    sa.Column("group_id", sa.String(48), sa.ForeignKey("groups.group_id"), primary_key=True),
    sa.Column("applicant", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("message", sa.String(500), nullable=False, server_default=""),
    sa.Column("time", sa.BigInteger, nullable=False),
    sa.Column("status", sa.SmallInteger, nullable=False, server_default="0"),
    sa.Column("handler", sa.String(32), nullable=False, server_default=""),
    sa.Column("handle_message", sa.String(500), nullable=False, server_default=""),
)

group_attributes = sa.Table(
    "group_attributes", metadata,
    sa.Column("group_id", sa.String(48), sa.ForeignKey("groups.group_id"), primary_key=True),
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

user_profiles = sa.Table(
    "user_profiles", metadata,
    sa.Column("user_id", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("self_signature", sa.Text, nullable=False, server_default=""),
    sa.Column("gender", sa.SmallInteger, nullable=False, server_default="0"),
    sa.Column("birthday", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("location", sa.String(64), nullable=False, server_default=""),
    sa.Column("language", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("level", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("role", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("allow_type", sa.SmallInteger, nullable=False, server_default="1"),
    sa.Column("admin_forbid_type", sa.SmallInteger, nullable=False, server_default="0"),
    sa.Column("custom", sa.Text, nullable=False, server_default="{}"),
)

friends = sa.Table(
    "friends", metadata,
    sa.Column("user_id", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("friend_id", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("remark", sa.String(200), nullable=False, server_default=""),
    sa.Column("add_source", sa.String(64), nullable=False, server_default=""),
    sa.Column("add_wording", sa.String(500), nullable=False, server_default=""),
    sa.Column("add_time", sa.BigInteger, nullable=False),
    sa.Column("custom", sa.Text, nullable=False, server_default="{}"),
    sa.Index("ix_friends_friend", "friend_id"),
)

friend_applications = sa.Table(
    "friend_applications", metadata,
    sa.Column("applicant", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("target", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("add_type", sa.SmallInteger, nullable=False),
    sa.Column("remark", sa.String(200), nullable=False, server_default=""),
    sa.Column("group_name", sa.String(100), nullable=False, server_default=""),
    sa.Column("add_source", sa.String(64), nullable=False, server_default=""),
    sa.Column("add_wording", sa.String(500), nullable=False, server_default=""),
    sa.Column("time", sa.BigInteger, nullable=False),
    sa.Column("read", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("ix_friend_applications_target", "target", "time"),
)

friend_group_names = sa.Table(
    "friend_group_names", metadata,
    sa.Column("user_id", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
)

friend_group_members = sa.Table(
    "friend_group_members", metadata,
    sa.Column("user_id", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("friend_id", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), primary_key=True),
)

blacklist = sa.Table(
    "blacklist", metadata,
    sa.Column("user_id", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("blocked_id", sa.String(32),
              sa.ForeignKey("accounts.user_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("add_time", sa.BigInteger, nullable=False),
    sa.Index("ix_blacklist_blocked", "blocked_id"),
)

rate_windows = sa.Table(
    "rate_windows", metadata,
    sa.Column("scope", sa.String(16), primary_key=True),
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("state", sa.Text, nullable=False, server_default=""),
)

meta = sa.Table(
    "meta", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
)

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, nullable=False),
)
