"""IMClient: init, login, logout and the SDK listener (V2TIMManager's counterpart).

Life cycle: ``init`` starts the long connection at once (L5); ``login`` opens the user's cache,
authenticates, runs catch-up and returns when the SDK is ready (L9); after a network drop the
transport reconnects and this class logs in again by itself with ``resume`` (L7), except when the
sig is known to be expired or the device was replaced meanwhile (6208, L8) — then the listener is
told and nothing retries.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from pathlib import Path
from typing import Any

from app.protocol import Cmd, ErrorCode, IMError, KickReason, PushName, usersig
from app.protocol.commands import KickedPush, LoginReq, LoginResp, ProfileSetReq
from app.protocol.ids import check_user_id
from app.protocol.limits import DEFAULT_LIMITS, Limits

from . import avatars, logs
from .announcer import Announcer
from .cache.store import CacheStore
from .config import SDKConfig
from .conversations import ConversationManager
from .friends.manager import FriendshipManager
from .groups import GroupManager
from .listeners import SDKListener, notify
from .media.manager import MediaManager
from .messaging import MessageManager
from .models import ConnectionState, LoginStatus, UserInfo
from .operations import OperationQueue
from .outbox import Outbox
from .profiles import ProfileBook
from .sync import SyncEngine
from .transport import Transport
from .typing_status import TypingStatus
from .uploader import Uploader

log = logging.getLogger("tidings.sdk")

AUTH_FAILURES = {
    ErrorCode.SIG_EXPIRED, ErrorCode.SIG_INVALID, ErrorCode.SIG_USER_MISMATCH,
    ErrorCode.SIG_APP_MISMATCH, ErrorCode.ACCOUNT_NOT_FOUND,
}


class IMClient:
    def __init__(self) -> None:
        self.config = SDKConfig()
        self.limits: Limits = DEFAULT_LIMITS
        self.sdk_app_id = 0
        self._listeners: list[SDKListener] = []
        self._transport: Transport | None = None
        self._cache: CacheStore | None = None
        self._status = LoginStatus.LOGOUT
        self._user = ""
        self._sig = ""
        self._server_url = ""
        self._clock_offset_ms = 0
        self._ready = asyncio.Event()
        self._caught_up = asyncio.Event()
        self._connected = asyncio.Event()
        self._background: set[asyncio.Task[Any]] = set()
        self.announcer = Announcer(self)
        self.profiles = ProfileBook(self)
        self.outbox = Outbox(self)
        self.uploader = Uploader(self)
        self.media = MediaManager(self)
        self.operations = OperationQueue(self)
        self.sync = SyncEngine(self)
        self.message_manager = MessageManager(self)
        self.typing = TypingStatus(self)
        self.conversation_manager = ConversationManager(self)
        self.group_manager = GroupManager(self)
        self.friendship_manager = FriendshipManager(self)

    # --- init ----------------------------------------------------------------------------

    def configure(self, sdk_app_id: int, config: SDKConfig | None = None) -> None:
        """Set the app and the configuration without connecting, so that ``init_storage`` can
        open a user's cache before the service's address is known (a desktop app shows its
        window from the cache while its embedded service is still starting)."""
        self.sdk_app_id = int(sdk_app_id)
        if config is not None:
            self.config = config
        logs.configure(self.config.log_level, self.config.data_dir / "logs")

    def init(self, sdk_app_id: int, server_url: str, config: SDKConfig | None = None,
             listener: SDKListener | None = None) -> bool:
        """Start connecting (must be called with a running event loop)."""
        if self._transport is not None:
            return True
        self.configure(sdk_app_id, config)
        if listener is not None:
            self.add_listener(listener)
        self._server_url = server_url
        self._transport = Transport(server_url, self.config, self._on_push,
                                    self._on_connected, self._on_state, self._on_retry)
        self._transport.start()
        self.sync.start()
        return True

    async def uninit(self) -> None:
        if self._status != LoginStatus.LOGOUT:
            await self.logout()
        if self._transport is not None:
            await self._transport.stop()
            self._transport = None
        await self.sync.stop()
        await self._close_cache()

    def add_listener(self, listener: SDKListener) -> None:
        if listener not in self._listeners:
            self._listeners.append(listener)

    def remove_listener(self, listener: SDKListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    @property
    def device_id(self) -> str:
        """Stable per data directory: the kick policy's notion of "this device"."""
        path = self.config.data_dir / "device_id"
        try:
            return path.read_text().strip()
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            value = secrets.token_hex(16)
            path.write_text(value)
            return value

    # --- state ---------------------------------------------------------------------------

    @property
    def me(self) -> str:
        return self._user

    @property
    def ready(self) -> bool:
        """Logged in on the current connection: requests and sends may go out."""
        return self._ready.is_set()

    @property
    def caught_up(self) -> bool:
        """Logged in and this login's catch-up ran: the outbox and the operation queue may
        write. Before it, an ack could land on a seq the cache still holds from a service that
        has since been restored from an earlier copy (the catch-up is what detects that)."""
        return self._caught_up.is_set()

    @property
    def has_storage(self) -> bool:
        """A user's cache is open (signed in, signing in, or opened offline by init_storage)."""
        return self._cache is not None

    @property
    def cache(self) -> CacheStore:
        if self._cache is None:
            raise IMError(ErrorCode.SDK_NOT_LOGGED_IN)
        return self._cache

    @property
    def connection_state(self) -> ConnectionState:
        return self._transport.state if self._transport else ConnectionState.DISCONNECTED

    def get_login_user(self) -> str | None:
        return self._user if self._status == LoginStatus.LOGINED else None

    def get_login_status(self) -> LoginStatus:
        return self._status

    @property
    def server_url(self) -> str:
        return self._server_url

    def current_sig(self) -> str:
        """The UserSig of this login: the media API authenticates each request with it."""
        return self._sig

    def server_time_ms(self) -> int:
        """Local clock corrected by the offset measured at login (V2TIM's calibrated time)."""
        return time.time_ns() // 1_000_000 + self._clock_offset_ms

    def reconnect_now(self) -> None:
        if self._transport is not None:
            self._transport.reconnect_now()

    @property
    def transport(self) -> Transport:
        if self._transport is None:
            raise IMError(ErrorCode.SDK_NOT_INITIALIZED)
        return self._transport

    async def request(self, cmd: Cmd | str, body: Any, timeout: float | None = None) -> Any:
        return await self.transport.request(cmd, body, timeout)

    # --- login / logout --------------------------------------------------------------------

    async def init_storage(self, user_id: str) -> None:
        """Open a user's cache without signing in, so history and conversations show offline."""
        check_user_id(user_id)
        if self._cache is not None and self._cache.me == user_id:
            return
        await self._close_cache()
        path = Path(self.config.data_dir) / str(self.sdk_app_id) / user_id / "cache.db"
        cache = CacheStore(path, user_id)
        try:
            await cache.open()
        except BaseException:
            # Cancelled or failed half-way: the cache thread may hold the file open.
            await asyncio.shield(cache.close())
            raise
        self._cache = cache
        self.media.open(path.parent / "media")
        self.announcer.reset()
        self.group_manager.reset()
        self.friendship_manager.reset()
        self._user = user_id
        await self.profiles.load()
        await self.group_manager.load()
        await self.friendship_manager.load()

    async def login(self, user_id: str, user_sig: str) -> None:
        if self._transport is None:
            raise IMError(ErrorCode.SDK_NOT_INITIALIZED)
        if self._status != LoginStatus.LOGOUT:
            raise IMError(ErrorCode.SDK_LOGIN_IN_PROGRESS)
        try:
            check_user_id(user_id)
        except IMError as exc:
            raise IMError(ErrorCode.SDK_INVALID_PARAMETERS, exc.detail) from None
        expires = usersig.expires_at(user_sig)
        if expires is not None and expires <= time.time():
            raise IMError(ErrorCode.SDK_SIG_EXPIRED)
        self._status = LoginStatus.LOGINING
        try:
            await self.init_storage(user_id)
            try:
                await asyncio.wait_for(self._connected.wait(), self.config.connect_timeout_s)
            except TimeoutError:
                raise IMError(ErrorCode.SDK_NETWORK_UNAVAILABLE) from None
            self._user, self._sig = user_id, user_sig
            await self._authenticate(resume=False)
        except BaseException:
            self._status = LoginStatus.LOGOUT
            self._sig = ""
            raise
        self._status = LoginStatus.LOGINED
        await self._after_login()

    async def _authenticate(self, resume: bool) -> None:
        resp: LoginResp = await self.request(Cmd.LOGIN, LoginReq(
            sdk_app_id=self.sdk_app_id, user_id=self._user, user_sig=self._sig,
            platform=self.config.platform, device_id=self.device_id, resume=resume))
        assert self._transport is not None
        self._transport.heartbeat_s = resp.heartbeat_s
        self._clock_offset_ms = resp.server_time - time.time_ns() // 1_000_000
        self._caught_up.clear()
        self.sync.service_changed(resp.store_id, resp.epoch)
        await self.profiles.updated(resp.profile)
        self._ready.set()

    async def _after_login(self) -> None:
        """Catch up, then replay local operations and drain the outbox. A failed catch-up is
        reported to the conversation listener and retried on the next reconnect; it does not
        undo the login."""
        try:
            # Groups first: the catch-up announces group chats, which show the groups' names.
            await self.group_manager.refresh_joined()
        except IMError as exc:
            log.info("joined groups not refreshed: %s", exc)
        try:
            # Contacts too: my remarks are the first link of a chat's show name (C1).
            await self.friendship_manager.refresh()
        except IMError as exc:
            log.info("contacts not refreshed: %s", exc)
        try:
            await self.sync.catch_up()
        except IMError as exc:
            log.info("catch-up incomplete: %s", exc)
        if not self.ready:
            return  # the link went again; the next login catches up
        self._caught_up.set()
        self.operations.kick()
        self.uploader.kick()
        self.outbox.kick()
        try:
            await self.profiles.refresh_peers()
        except IMError as exc:
            log.info("after-login refresh incomplete: %s", exc)

    async def logout(self) -> None:
        if self._status == LoginStatus.LOGOUT:
            return
        was_ready = self.ready
        self._signed_out()
        if was_ready:
            try:
                await self.request(Cmd.LOGOUT, {})
            except IMError as exc:
                log.info("logout not confirmed by the service: %s", exc)
        await self._close_cache()

    def _signed_out(self) -> None:
        self._status = LoginStatus.LOGOUT
        self._ready.clear()
        self._caught_up.clear()
        self._sig = ""
        self.spawn(self.outbox.stop())
        self.spawn(self.uploader.stop())
        self.spawn(self.operations.stop())

    async def _close_cache(self) -> None:
        await self.outbox.stop()
        await self.uploader.stop()
        await self.operations.stop()
        await self.media.close()
        if self._cache is not None:
            cache, self._cache = self._cache, None
            await cache.close()
        self._user = ""

    async def set_self_info(self, nick: str | None = None, face_url: str | None = None,
                            self_signature: str | None = None, gender: int | None = None,
                            birthday: int | None = None, location: str | None = None,
                            language: int | None = None, level: int | None = None,
                            role: int | None = None, allow_type: int | None = None,
                            custom: dict[str, str | int] | None = None) -> UserInfo | None:
        """Change the fields given (an empty custom value removes it). Through the operation
        queue: my profile reads with the change and ``on_self_info_updated`` tells it at once;
        answers my profile as the service took it, or None while the change waits for the
        link."""
        req = ProfileSetReq(nick=nick, face_url=face_url, self_signature=self_signature,
                            gender=gender, birthday=birthday, location=location,
                            language=language, level=level, role=role, allow_type=allow_type,
                            custom=custom or {})
        profile = await self.friendship_manager.change(Cmd.PROFILE_SET, req)
        return None if profile is None else UserInfo.of(profile)

    async def upload_avatar(self, path: str | Path,
                            crop: tuple[int, int, int, int] | None = None) -> str:
        """My picture made into a face (cropped to ``crop``, (left, top, width, height) in the
        upright picture; None: the centred square) and put on the service; answers the
        ``face_url`` to give ``set_self_info``. Live: needs the link (``avatars``)."""
        return await avatars.upload_avatar(self, path, crop)

    async def get_users_info(self, user_ids: list[str]) -> list[UserInfo]:
        """Anyone's profile (≤ 100 a request, more in batches); offline, the ones this device
        knows, as last heard."""
        if not self.ready:
            known = (self.profiles.user_info(u) for u in dict.fromkeys(user_ids))
            return [info for info in known if info is not None]
        fetched = {p.user_id for p in await self.profiles.fetch(user_ids)}
        known = (self.profiles.user_info(u) for u in dict.fromkeys(user_ids) if u in fetched)
        return [info for info in known if info is not None]

    # --- transport callbacks -------------------------------------------------------------

    def _on_state(self, state: ConnectionState, code: int, error: str) -> None:
        if state == ConnectionState.CONNECTED:
            self._connected.set()
            self.notify_sdk("on_connect_success")
            return
        self._connected.clear()
        self._ready.clear()
        self._caught_up.clear()
        if state == ConnectionState.CONNECTING:
            self.notify_sdk("on_connecting")
        else:
            self.notify_sdk("on_connect_failed", code, error)

    def _on_retry(self, delay: float) -> None:
        self.notify_sdk("on_retry_scheduled", delay)

    async def _on_connected(self) -> None:
        """Automatic re-login after a reconnect (never with a sig known to be expired)."""
        if self._status != LoginStatus.LOGINED:
            return
        expires = usersig.expires_at(self._sig)
        if expires is not None and expires <= time.time():
            self._signed_out()
            self.notify_sdk("on_user_sig_expired")
            return
        try:
            await self._authenticate(resume=True)
        except IMError as exc:
            if exc.code == ErrorCode.KICKED_BY_OTHERS:
                self._signed_out()
                self.notify_sdk("on_kicked_offline")
            elif exc.code in AUTH_FAILURES:
                self._signed_out()
                self.notify_sdk("on_user_sig_expired")
            else:
                log.info("automatic re-login failed: %s", exc)
                assert self._transport is not None
                self._transport.drop()
            return
        await self._after_login()

    def _on_push(self, name: str, body: Any) -> None:
        if name == PushName.KICKED:
            self._on_kicked(body)
        elif name == PushName.GROUP_EVENT:
            self.group_manager.on_event(body)
        elif name == PushName.FRIEND_EVENT:
            self.friendship_manager.on_event(body)
        else:
            self.sync.on_push(name, body)

    def _on_kicked(self, push: KickedPush) -> None:
        log.info("kicked by the service: %s (%s)", push.reason, push.code)
        if self._status == LoginStatus.LOGOUT:
            return
        self._signed_out()
        if push.reason == KickReason.SIG_EXPIRED:
            self.notify_sdk("on_user_sig_expired")
        else:
            self.notify_sdk("on_kicked_offline")

    # --- listener fan-out ----------------------------------------------------------------

    def notify_sdk(self, method: str, *args: Any) -> None:
        notify(self._listeners, method, *args)

    def notify_message(self, method: str, *args: Any) -> None:
        notify(self.message_manager.listeners, method, *args)

    def notify_conversation(self, method: str, *args: Any) -> None:
        notify(self.conversation_manager.listeners, method, *args)

    def spawn(self, coro: Any) -> asyncio.Task[Any]:
        """Run in the background, kept referenced until done."""
        task = asyncio.get_running_loop().create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

