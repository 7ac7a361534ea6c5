"""Remembering a sign-in ("Remember me"): the UserSig, never the password, in the OS keyring —
or, where no keyring works (headless Linux, some containers), in a file only the user can read.

The sig is what the SDK signs in with; it expires by itself and is worth nothing on another
service, so keeping it is far less dangerous than keeping a password. Keyring calls go through
D-Bus, the Keychain or the Credential Manager and may wait on an unlock prompt, so every
operation runs on a worker thread and the GUI thread only awaits it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from app.protocol import usersig

log = logging.getLogger(__name__)

FILE_NAME = "credentials.json"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Credential:
    """A signed-in account: which service, who, and the ticket to sign in with."""

    server: str
    """"embedded", "demo" or the service's base URL."""
    user_id: str
    user_sig: str
    sdk_app_id: int

    @property
    def key(self) -> str:
        return entry_key(self.server, self.user_id)

    def expired(self, now: float | None = None) -> bool:
        """Expired or unreadable: the SDK would refuse it, so do not even try."""
        expires = usersig.expires_at(self.user_sig)
        return expires is None or expires <= (time.time() if now is None else now)


def entry_key(server: str, user_id: str) -> str:
    return f"{user_id}@{server}"


class CredentialStore:
    """Remembered credentials of one app profile (data directory)."""

    def __init__(self, data_dir: Path, keyring_service: str = "Tidings") -> None:
        self._file = data_dir / FILE_NAME
        self._service = keyring_service
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="credentials")
        """One thread: keyring backends are not all thread-safe, and calls stay in order."""

    async def load(self, server: str, user_id: str) -> Credential | None:
        return await self._run(self._load, server, user_id)

    async def save(self, credential: Credential) -> None:
        await self._run(self._save, credential)

    async def forget(self, server: str, user_id: str) -> None:
        await self._run(self._forget, entry_key(server, user_id))

    def close(self) -> None:
        self._worker.shutdown(wait=False)

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._worker, fn, *args)

    # --- on the worker thread --------------------------------------------------------------

    def _load(self, server: str, user_id: str) -> Credential | None:
        key = entry_key(server, user_id)
        # The file first: where it has the entry, no keyring works here, and importing keyring
        # (~0.1 s) would only delay a remembered start.
        raw = self._read_file().get(key)
        if not isinstance(raw, str):
            raw = _keyring_call("get_password", self._service, key)
        if not isinstance(raw, str):
            return None
        try:
            data = json.loads(raw)
            return Credential(server, user_id, str(data["sig"]), int(data["sdk_app_id"]))
        except (ValueError, KeyError, TypeError):
            log.warning("ignoring an unreadable remembered credential for %s", key)
            return None

    def _save(self, credential: Credential) -> None:
        secret = json.dumps({"sig": credential.user_sig, "sdk_app_id": credential.sdk_app_id})
        entries = self._read_file()
        if _keyring_call("set_password", self._service, credential.key, secret) is _FAILED:
            entries[credential.key] = secret
        else:
            entries.pop(credential.key, None)  # moved to the keyring: no copy in a file
        self._write_file(entries)

    def _forget(self, key: str) -> None:
        _keyring_call("delete_password", self._service, key)
        entries = self._read_file()
        if entries.pop(key, None) is not None:
            self._write_file(entries)

    def _read_file(self) -> dict[str, Any]:
        try:
            data = json.loads(self._file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            log.warning("%s is unreadable; starting without remembered sign-ins", self._file)
            return {}
        return data if isinstance(data, dict) else {}

    def _write_file(self, entries: dict[str, Any]) -> None:
        """Atomically, created 0600 so the sig is never readable by others, not even briefly."""
        if not entries:
            self._file.unlink(missing_ok=True)
            return
        self._file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._file.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(entries, fh)
        os.replace(tmp, self._file)


_FAILED = object()
"""`_keyring_call`'s answer when no keyring backend works."""


def _keyring_call(name: str, *args: str) -> Any:
    """`keyring.<name>(*args)`, or `_FAILED` when there is no working backend (its import, ~0.1 s,
    is paid here, off the GUI thread, and only when a credential is needed)."""
    try:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError
    except ImportError:
        return _FAILED
    try:
        return getattr(keyring, name)(*args)
    except PasswordDeleteError:
        return None
    except KeyringError as exc:
        log.info("keyring unavailable (%s); using %s", exc, FILE_NAME)
        return _FAILED
    except Exception:  # backends raise their own D-Bus / OS errors
        log.warning("keyring %s failed; using %s", name, FILE_NAME, exc_info=True)
        return _FAILED
