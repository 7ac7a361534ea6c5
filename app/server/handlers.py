"""The dispatch table: each command's decoded body → the service call that answers it.

Login, logout and heartbeat change the connection itself and stay in the gateway; everything
here only needs to know who is asking (the session's user) and which session asked (so the
change is pushed to the user's *other* sessions).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from app.protocol import COMMANDS, Cmd
from app.protocol.commands import (
    ConvDeleteReq,
    ConvSyncReq,
    ConvUpdateReq,
    DeleteReq,
    HistoryReq,
    ModifyReq,
    PullReq,
    ReadReq,
    RevokeReq,
    SendReq,
)
from app.server.container import Services
from app.server.friends.handlers import READ_ONLY as FRIEND_READ_ONLY
from app.server.friends.handlers import friend_handlers
from app.server.groups.handlers import group_handlers
from app.server.sessions import LiveSession

Handler = Callable[[LiveSession, Any], Awaitable[Any]]
SESSION_COMMANDS = frozenset({Cmd.LOGIN, Cmd.LOGOUT, Cmd.HEARTBEAT})
READ_ONLY_COMMANDS = frozenset({
    Cmd.MSG_PULL, Cmd.MSG_HISTORY, Cmd.CONV_SYNC, Cmd.GROUP_INFO,
    Cmd.GROUP_MEMBERS, Cmd.GROUP_MEMBERS_INFO, Cmd.GROUP_JOINED, Cmd.GROUP_SEARCH,
    Cmd.GROUP_APPLICATIONS}) | FRIEND_READ_ONLY
"""Commands that change nothing, so they may run beside others and answer out of order; every
other command changes state and keeps its arrival order (``app.server.lanes``)."""


def command_handlers(services: Services) -> dict[str, Handler]:
    messaging = services.messaging
    conversations = services.conversations
    sends = services.throttles.send

    async def msg_send(s: LiveSession, req: SendReq) -> object:
        sends.take(s.user_id)
        return await messaging.send(s.user_id, req.msg, s.id)

    async def msg_pull(s: LiveSession, req: PullReq) -> object:
        return await messaging.pull(s.user_id, req)

    async def msg_history(s: LiveSession, req: HistoryReq) -> object:
        return await messaging.history(s.user_id, req)

    async def msg_read(s: LiveSession, req: ReadReq) -> object:
        return await messaging.read(s.user_id, req.conv_id, req.seq, s.id)

    async def msg_delete(s: LiveSession, req: DeleteReq) -> object:
        return await messaging.delete(s.user_id, req.conv_id, req.seqs, s.id)

    async def msg_revoke(s: LiveSession, req: RevokeReq) -> object:
        # Every session of both sides is told, this one too: the SDK marks the message once,
        # from whichever of the push and this answer it reads first.
        window_ms = services.config.limits.revoke_window_s * 1000
        return await services.revocations.recall(s.user_id, req, window_ms)

    async def msg_modify(s: LiveSession, req: ModifyReq) -> object:
        # As a recall: every session of every participant is told, this one too, and the SDK
        # takes whichever of the push and this answer comes first (the version decides). An
        # edit is fanned out as a send is, so it spends from the same rate.
        sends.take(s.user_id)
        return await services.modifications.modify(s.user_id, req)

    async def conv_sync(s: LiveSession, req: ConvSyncReq) -> object:
        return await conversations.sync(s.user_id, req)

    async def conv_update(s: LiveSession, req: ConvUpdateReq) -> object:
        return await conversations.update(s.user_id, req, s.id)

    async def conv_delete(s: LiveSession, req: ConvDeleteReq) -> object:
        return await conversations.delete(s.user_id, req.conv_id, req.seq, s.id)

    table: dict[str, Handler] = {
        **group_handlers(services),
        **friend_handlers(services),
        Cmd.MSG_SEND: msg_send,
        Cmd.MSG_PULL: msg_pull,
        Cmd.MSG_HISTORY: msg_history,
        Cmd.MSG_READ: msg_read,
        Cmd.MSG_DELETE: msg_delete,
        Cmd.MSG_REVOKE: msg_revoke,
        Cmd.MSG_MODIFY: msg_modify,
        Cmd.CONV_SYNC: conv_sync,
        Cmd.CONV_UPDATE: conv_update,
        Cmd.CONV_DELETE: conv_delete,
    }
    missing = set(COMMANDS) - SESSION_COMMANDS - set(table)
    if missing:
        raise RuntimeError(f"commands without a handler: {sorted(missing)}")
    return table
