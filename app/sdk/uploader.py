"""Uploads of my media messages: the step between writing a media message to the outbox and
sending it.

One task works through the queue (``cache.uploads``) while the login is caught up, one item at
a time in creation order, and resumes a cut upload from the offset the service reports. When a
message's last item is on the service, the outbox may send it. A passing failure (timeout, the
link) is retried like any drain; a refusal that cannot change (too large, a wrong hash) fails
the message, as a refused send does.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.protocol import ErrorCode, IMError, MediaKind

from .cache.uploads import PendingUpload
from .draining import OFFLINE, RETRYABLE, Drain, Outcome
from .models import Message
from .outbox import now_ms

if TYPE_CHECKING:
    from .client import IMClient

log = logging.getLogger("tidings.sdk.uploads")

PASSING = RETRYABLE | {ErrorCode.SDK_NETWORK_UNAVAILABLE, ErrorCode.SDK_DOWNLOAD_FAILED}
"""Worth another attempt while logged in: the HTTP side can fail while the WebSocket stays up."""
SIGNED_OUT = OFFLINE | {ErrorCode.SIG_EXPIRED, ErrorCode.SIG_INVALID, ErrorCode.ACCOUNT_NOT_FOUND}

ProgressFn = Callable[[int], None]


class Uploader(Drain):
    name = "uploads"

    def __init__(self, client: IMClient) -> None:
        super().__init__(client, log)
        self._waiters: dict[str, asyncio.Future[None]] = {}
        self._messages: dict[str, Message] = {}
        self._progress: dict[str, ProgressFn] = {}
        self._shown: dict[str, int] = {}

    def watch(self, msg: Message, progress: ProgressFn | None) -> asyncio.Future[None]:
        """Before the message is queued: resolves when its media are all on the service, fails
        with the refusal when they cannot be."""
        fut = self._waiters.get(msg.msg_id)
        if fut is None or fut.done():
            fut = self._waiters[msg.msg_id] = asyncio.get_running_loop().create_future()
        self._messages[msg.msg_id] = msg
        if progress is not None:
            self._progress[msg.msg_id] = progress
        self._shown.pop(msg.msg_id, None)
        return fut

    def forget(self, msg_id: str) -> None:
        self._waiters.pop(msg_id, None)
        self._messages.pop(msg_id, None)
        self._progress.pop(msg_id, None)
        self._shown.pop(msg_id, None)

    async def _drain_once(self) -> Outcome:
        client = self.client
        for item in await client.cache.uploads.pending():
            try:
                await self._upload(item)
            except IMError as exc:
                if exc.code in SIGNED_OUT and not client.ready:
                    log.info("upload for %s deferred: %s", item.msg_id, exc)
                    return Outcome.OFFLINE
                if exc.code in PASSING or exc.code in SIGNED_OUT:
                    log.info("upload for %s will be retried: %s", item.msg_id, exc)
                    return Outcome.RETRY
                await self._refused(item.msg_id, exc)
        return Outcome.DONE

    async def _upload(self, item: PendingUpload) -> None:
        client = self.client
        media = client.media
        msg_id, upload = item.msg_id, item.upload
        path = media.cached(upload.uuid)
        if path is None:
            raise IMError(ErrorCode.SDK_FILE_UNREADABLE,
                          f"the file of {upload.name or upload.kind} is no longer on this device")
        done_before, total = await client.cache.uploads.totals(msg_id)

        async def remember(upload_id: str) -> None:
            await client.cache.uploads.remember_id(msg_id, upload.uuid, upload_id)

        await media.transfer.upload(
            path, upload.uuid, MediaKind(upload.kind), name=upload.name,
            progress=lambda done, _size: self._report(msg_id, done_before + done, total),
            upload_id=item.upload_id, on_upload_id=remember)
        deadline = now_ms() + int(client.config.outbox_ttl_s * 1000)
        if await client.cache.uploads.finish(msg_id, upload.uuid, deadline):
            self._report(msg_id, total, total)
            fut = self._waiters.pop(msg_id, None)
            self.forget(msg_id)
            if fut is not None and not fut.done():
                fut.set_result(None)
            client.outbox.kick()

    def _report(self, msg_id: str, done: int, total: int) -> None:
        percent = 100 if total <= 0 else min(100, done * 100 // total)
        if self._shown.get(msg_id) == percent:
            return
        self._shown[msg_id] = percent
        callback = self._progress.get(msg_id)
        if callback is not None:
            callback(percent)
        msg = self._messages.get(msg_id)
        if msg is not None:
            self.client.notify_message("on_send_progress", msg, percent)

    async def _refused(self, msg_id: str, error: IMError) -> None:
        log.info("upload for %s refused: %s", msg_id, error)
        fut = self._waiters.pop(msg_id, None)
        self.forget(msg_id)
        await self.client.outbox.fail_unsent(msg_id, error)
        if fut is not None and not fut.done():
            fut.set_exception(error)
