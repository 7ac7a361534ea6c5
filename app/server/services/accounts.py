"""Accounts: self-registration and password sign-in (L4), admin import / check / delete (OPS2),
profiles, and the UserSigs the business server issues.

Passwords are argon2id hashes; hashing and verifying take tens of milliseconds of CPU on
purpose, so they run in a worker thread rather than stalling every connection on the loop. An
unknown UserID is verified against a dummy hash so both failures cost the same time and get the
same answer (71003).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.protocol import ErrorCode, IMError, KickReason, Limits, usersig
from app.protocol.ids import check_user_id, is_valid_user_id
from app.server.bus import Bus
from app.server.clock import now_ms, now_s
from app.server.store import accounts as store
from app.server.store.db import Database

from .conversations import LiveRows
from .devices import kicked_frame

MIN_PASSWORD_LENGTH = 6
MAX_PASSWORD_BYTES = 1024
"""Longer is no safer, and hashing a megabyte on every guess is work an attacker chooses."""

T = TypeVar("T")


async def _in_thread(func: Callable[..., T], *args: object) -> T:
    return await asyncio.get_running_loop().run_in_executor(None, func, *args)


class AccountService:
    def __init__(self, db: Database, bus: Bus, live_rows: LiveRows, limits: Limits, *,
                 sdk_app_id: int, secret_key: str, registration_open: bool) -> None:
        self._db = db
        self._bus = bus
        self._live_rows = live_rows
        self._limits = limits
        self._sdk_app_id = sdk_app_id
        self._secret_key = secret_key
        self.registration_open = registration_open
        self._hasher = PasswordHasher()
        self._dummy_hash: str | None = None

    # --- sigs and passwords ----------------------------------------------------------------

    def issue_sig(self, user_id: str) -> tuple[str, int]:
        """A UserSig for the account and when it expires (seconds)."""
        issued = now_s()
        sig = usersig.generate(self._sdk_app_id, self._secret_key, user_id, now=issued)
        return sig, issued + usersig.DEFAULT_EXPIRE_S

    def _matches(self, hashed: str, password: str) -> bool:
        try:
            return self._hasher.verify(hashed, password)
        except (VerificationError, InvalidHashError):
            return False

    async def register(self, user_id: str, password: str, nick: str) -> None:
        if not self.registration_open:
            raise IMError(ErrorCode.REGISTRATION_DISABLED, "self-registration is turned off")
        check_user_id(user_id)
        if len(password) < MIN_PASSWORD_LENGTH:
            raise IMError(ErrorCode.PASSWORD_TOO_WEAK)
        if len(password.encode()) > MAX_PASSWORD_BYTES:
            raise IMError(ErrorCode.PASSWORD_TOO_WEAK,
                          f"the password is longer than {MAX_PASSWORD_BYTES} bytes")
        self._check_profile(nick, None, ErrorCode.INVALID_PARAMETER)
        async with self._db.read() as conn:
            if await store.existing(conn, [user_id]):
                raise IMError(ErrorCode.USER_EXISTS)
        hashed = await _in_thread(self._hasher.hash, password)
        async with self._db.write() as conn:
            if not await store.create(conn, user_id, now_ms(), nick=nick, password_hash=hashed):
                raise IMError(ErrorCode.USER_EXISTS)

    async def check_password(self, user_id: str, password: str) -> None:
        """Raise 71003 unless the account exists and the password is its password."""
        if len(password.encode()) > MAX_PASSWORD_BYTES:
            raise IMError(ErrorCode.WRONG_CREDENTIALS)  # no such password was ever accepted
        hashed = None
        if is_valid_user_id(user_id):
            async with self._db.read() as conn:
                hashed = await store.password_hash(conn, user_id)
        if hashed is None:
            if self._dummy_hash is None:
                self._dummy_hash = await _in_thread(self._hasher.hash, "no such account")
            await _in_thread(self._matches, self._dummy_hash, password)
            raise IMError(ErrorCode.WRONG_CREDENTIALS)
        if not await _in_thread(self._matches, hashed, password):
            raise IMError(ErrorCode.WRONG_CREDENTIALS)
        if self._hasher.check_needs_rehash(hashed):
            rehashed = await _in_thread(self._hasher.hash, password)
            async with self._db.write() as conn:
                await store.set_password_hash(conn, user_id, rehashed)

    # --- profiles --------------------------------------------------------------------------

    def _check_profile(self, nick: str | None, face_url: str | None, code: ErrorCode) -> None:
        if nick is not None and len(nick.encode()) > self._limits.nick_bytes:
            raise IMError(code, f"nick: at most {self._limits.nick_bytes} bytes")
        if face_url is not None and len(face_url.encode()) > self._limits.face_url_bytes:
            raise IMError(code, f"face_url: at most {self._limits.face_url_bytes} bytes")

    # --- admin -----------------------------------------------------------------------------

    async def import_account(self, user_id: str, nick: str | None, face_url: str | None) -> None:
        """Create the account, or update the given profile fields of an existing one."""
        if not is_valid_user_id(user_id):
            raise IMError(ErrorCode.INVALID_PARAMETER,
                          f"invalid UserID {user_id!r}: use 1–32 bytes of letters, digits, "
                          "'_' and '-'")
        self._check_profile(nick, face_url, ErrorCode.INVALID_PARAMETER)
        async with self._db.write() as conn:
            if not await store.create(conn, user_id, now_ms(), nick=nick or "",
                                      face_url=face_url or ""):
                await store.update_profile(conn, user_id, nick=nick, face_url=face_url)

    async def import_accounts(self, user_ids: Sequence[str]) -> list[str]:
        """Create the accounts that do not exist yet, in one transaction (existing ones keep
        their profile); the IDs that cannot be accounts, which are not imported."""
        invalid = [u for u in user_ids if not is_valid_user_id(u)]
        valid = list(dict.fromkeys(u for u in user_ids if is_valid_user_id(u)))
        async with self._db.write() as conn:
            await store.create_many(conn, valid, now_ms())
        return invalid

    async def existing(self, user_ids: Sequence[str]) -> set[str]:
        async with self._db.read() as conn:
            return await store.existing(conn, [u for u in user_ids if is_valid_user_id(u)])

    async def delete(self, user_ids: Sequence[str]) -> set[str]:
        """Remove the accounts with their places and per-user state in one transaction, and
        sign out their sessions; the ones that existed. Messages they exchanged stay in the
        other participants' logs."""
        wanted = [u for u in dict.fromkeys(user_ids) if is_valid_user_id(u)]
        for user_id in wanted:
            self._live_rows.forget(user_id)
        async with self._db.write() as conn:
            deleted = await store.delete(conn, wanted)
        for user_id in deleted:
            self._bus.kick(user_id, kicked_frame(KickReason.ACCOUNT_DELETED,
                                                 ErrorCode.ACCOUNT_NOT_FOUND))
        return deleted
