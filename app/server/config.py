"""Service configuration (OPS1): defaults < TOML file (``--config``) < environment (``TIDINGS_*``)
< command-line flags.

Every setting has one name used in all four places (``sdk_app_id`` ↔ ``TIDINGS_SDK_APP_ID`` ↔
``--sdk-app-id``), so a deployment can move a value between them without a lookup table. The
secret key is the one value that must survive restarts without being configured: if none is
given it is generated once and kept in ``<data_dir>/secret.key`` (mode 0600), because every
UserSig ever issued depends on it. Limits (``app.protocol.Limits``: payload, frame and answer
sizes, page sizes) are set in the TOML file's ``[limits]`` table under their field names; the
one an operator changes as policy rather than capacity, the recall window, is also a setting
(``revoke_window`` ↔ ``TIDINGS_REVOKE_WINDOW`` ↔ ``--revoke-window``) that overrides it.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import secrets
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from app.protocol import DEFAULT_LIMITS, Limits, usersig
from app.protocol.limits import CLIENT_FRAME_MAX
from app.server.ratelimit import (
    RATE_LOGIN,
    RATE_LOGIN_FAILURES,
    RATE_REGISTER,
    RATE_SEND,
    Rate,
)

ENV_PREFIX = "TIDINGS_"
SECRET_KEY_FILE = "secret.key"
DB_FILE = "tidings.db"
ANSWER_BYTES_MIN = 16 * 1024
"""Smallest ``[limits] answer_bytes``: a page should hold more than one full-size message."""
_LIMIT_SETTINGS = frozenset({"revoke_window_s"})
"""Settings that are ``Limits`` fields: merged into ``limits`` over the ``[limits]`` table."""


@dataclass(frozen=True, slots=True)
class ServerConfig:
    data_dir: Path
    secret_key: str
    host: str = "127.0.0.1"
    port: int = 8700
    """0 binds any free port; the ready line reports the one chosen."""
    sdk_app_id: int = 1400000000
    admin: str = "administrator"
    db_url: str = ""
    """Empty means SQLite in ``data_dir``; see ``database_url``."""
    heartbeat_s: float = 25.0
    max_sessions_per_platform: int = 1
    registration_open: bool = True
    sig_max_lifetime_s: int = usersig.MAX_LIFETIME_S
    """UserSigs valid for longer are refused (70003)."""
    sensitive_words_file: Path | None = None
    log_level: str = "info"
    max_connections: int = 20_000
    """HTTP and WebSocket connections together; lowered to what the open-file limit holds."""
    header_timeout_s: float = 10.0
    """A request head (a WebSocket handshake too) must be complete this long after connecting."""
    body_timeout_s: float = 30.0
    login_timeout_s: float = 15.0
    """A WebSocket that has not logged in this long after its handshake is closed."""
    session_queue_bytes: int = 8 * 1024 * 1024
    """Frames waiting to be sent to one connection; a reader further behind is dropped and
    catches up with ``conv.sync`` when it reconnects."""
    rate_login: Rate = RATE_LOGIN
    """Password sign-ins per client address."""
    rate_login_failures: Rate = RATE_LOGIN_FAILURES
    """Failed password sign-ins per account, whatever the address."""
    rate_register: Rate = RATE_REGISTER
    """Registrations per client address."""
    rate_send: Rate = RATE_SEND
    """Messages per account (burst of N, then N per period)."""
    allowed_origins: tuple[str, ...] = ()
    """Web origins allowed to call ``/api`` and open ``/ws``; requests from any other page are
    refused (the desktop SDK sends no Origin)."""
    allowed_hosts: tuple[str, ...] = ()
    """``Host`` names accepted; empty: loopback names when bound to loopback (so a web page
    cannot reach a local service through DNS rebinding), anything otherwise."""
    media_chunk_bytes: int = 1024 * 1024
    """Largest chunk of a media upload (``PUT /media/uploads/…``); each must arrive within
    ``body_timeout_s``, so a slow link wants smaller chunks."""
    blacklist_send_error: bool = False
    """M12: a C2C message to someone who blocks its sender is refused with 20007; off (the
    default), the sender sees it sent and the receiver never gets it."""
    c2c_friends_only: bool = False
    """M12: a C2C message needs its sender in the receiver's friend list (20009 otherwise)."""
    profile_custom_fields: tuple[str, ...] = ()
    """Custom profile fields kept (``Tag_Profile_Custom_<name>``, names without the prefix);
    empty: any name of letters and digits within ``[limits] custom_key_bytes``."""
    friend_custom_fields: tuple[str, ...] = ()
    """The same for friend records (``Tag_SNS_Custom_<name>``)."""
    limits: Limits = field(default=DEFAULT_LIMITS)

    @property
    def database_url(self) -> str:
        return self.db_url or f"sqlite+aiosqlite:///{self.data_dir / DB_FILE}"


def _names(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"not a boolean: {text!r}")


# name → parser of the textual form (env values and TOML values that are strings)
_SETTINGS: dict[str, Callable[[str], Any]] = {
    "host": str,
    "port": int,
    "data_dir": Path,
    "sdk_app_id": int,
    "secret_key": str,
    "admin": str,
    "db_url": str,
    "heartbeat_s": float,
    "max_sessions_per_platform": int,
    "registration_open": _bool,
    "sig_max_lifetime_s": int,
    "sensitive_words_file": Path,
    "log_level": str,
    "max_connections": int,
    "header_timeout_s": float,
    "body_timeout_s": float,
    "login_timeout_s": float,
    "session_queue_bytes": int,
    "rate_login": Rate.parse,
    "rate_login_failures": Rate.parse,
    "rate_register": Rate.parse,
    "rate_send": Rate.parse,
    "allowed_origins": _names,
    "allowed_hosts": _names,
    "media_chunk_bytes": int,
    "revoke_window_s": int,
    "blacklist_send_error": _bool,
    "c2c_friends_only": _bool,
    "profile_custom_fields": _names,
    "friend_custom_fields": _names,
}
# Friendlier spellings accepted in TOML and the environment, as the flags use them.
_ALIASES = {"heartbeat": "heartbeat_s", "sensitive_words": "sensitive_words_file",
            "revoke_window": "revoke_window_s"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tidings-server", description="The Tidings IM service.",
                                     argument_default=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="TOML file with any of the settings below")
    parser.add_argument("--host", help="bind address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="TCP port, 0 for any free port (default 8700)")
    parser.add_argument("--data-dir", dest="data_dir", type=Path, metavar="DIR",
                        help="where the database and the generated secret key live")
    parser.add_argument("--sdk-app-id", dest="sdk_app_id", type=int, metavar="ID",
                        help="the SDKAppID served")
    parser.add_argument("--secret-key", dest="secret_key", metavar="KEY",
                        help="UserSig key (default: generated once into <data-dir>/secret.key)")
    parser.add_argument("--admin", help="the admin identifier for /v4 (default administrator)")
    parser.add_argument("--db-url", dest="db_url", metavar="URL",
                        help="SQLAlchemy async database URL")
    parser.add_argument("--heartbeat", dest="heartbeat_s", type=float, metavar="SECONDS",
                        help="heartbeat interval in seconds announced to clients (default 25)")
    parser.add_argument("--max-sessions-per-platform", dest="max_sessions_per_platform",
                        type=int, metavar="N",
                        help="signed-in devices allowed per account and platform")
    parser.add_argument("--no-registration", dest="registration_open", action="store_false",
                        help="refuse POST /api/register")
    parser.add_argument("--sensitive-words", dest="sensitive_words_file", type=Path,
                        metavar="FILE", help="file with one sensitive word per line")
    parser.add_argument("--log-level", dest="log_level",
                        choices=["debug", "info", "warning", "error"], help="default info")
    parser.add_argument("--max-connections", dest="max_connections", type=int, metavar="N",
                        help="open connections accepted (default 20000, capped by ulimit -n)")
    for name, what in (("login", "sign-ins per address"),
                       ("login-failures", "failed sign-ins per account"),
                       ("register", "registrations per address"),
                       ("send", "messages per account")):
        parser.add_argument(f"--rate-{name}", dest=f"rate_{name.replace('-', '_')}",
                            type=Rate.parse, metavar="N/SECONDS",
                            help=f"{what}: N per SECONDS; 0 turns the limit off")
    parser.add_argument("--allowed-origins", dest="allowed_origins", type=_names,
                        metavar="LIST", help="comma-separated web origins allowed")
    parser.add_argument("--allowed-hosts", dest="allowed_hosts", type=_names, metavar="LIST",
                        help="comma-separated Host names accepted (default: loopback names "
                             "when bound to loopback)")
    parser.add_argument("--revoke-window", dest="revoke_window_s", type=int, metavar="SECONDS",
                        help="how long after sending a sender may recall a message "
                             f"(default {DEFAULT_LIMITS.revoke_window_s}; 0: never)")
    parser.add_argument("--blacklist-send-error", dest="blacklist_send_error",
                        action="store_true",
                        help="refuse C2C messages to someone who blocks the sender with 20007 "
                             "(default: the sender sees success, the message is dropped)")
    parser.add_argument("--c2c-friends-only", dest="c2c_friends_only", action="store_true",
                        help="C2C messages only from senders in the receiver's friend list "
                             "(20009 otherwise)")
    parser.add_argument("--profile-custom-fields", dest="profile_custom_fields", type=_names,
                        metavar="LIST", help="comma-separated custom profile field names "
                                             "(default: any)")
    parser.add_argument("--friend-custom-fields", dest="friend_custom_fields", type=_names,
                        metavar="LIST", help="comma-separated custom friend field names "
                                             "(default: any)")
    parser.add_argument("--media-chunk-bytes", dest="media_chunk_bytes", type=int, metavar="N",
                        help="largest media upload chunk in bytes (default 1 MiB)")
    return parser


def _from_toml(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    with path.open("rb") as fh:
        doc = tomllib.load(fh)
    limits = doc.pop("limits", {})
    values: dict[str, Any] = {}
    for key, value in doc.items():
        name = _ALIASES.get(key, key)
        if name not in _SETTINGS:
            raise ValueError(f"{path}: unknown setting {key!r}")
        if isinstance(value, list):
            value = ",".join(map(str, value))
        values[name] = _SETTINGS[name](value) if isinstance(value, str) else value
    if not isinstance(limits, dict):
        raise ValueError(f"{path}: [limits] must be a table")
    return values, limits


def _from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    names = {**{name: name for name in _SETTINGS}, **_ALIASES}
    for spelled, name in names.items():
        raw = environ.get(ENV_PREFIX + spelled.upper())
        if raw is not None and raw != "":
            values[name] = _SETTINGS[name](raw)
    return values


def load_secret_key(data_dir: Path) -> str:
    """Read the generated key, creating it (0600) on first start."""
    path = data_dir / SECRET_KEY_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


def load_config(argv: Sequence[str] | None = None,
                environ: Mapping[str, str] | None = None) -> ServerConfig:
    """Merge the four sources; the data dir is created here because the key may live in it."""
    args = vars(_parser().parse_args(argv))
    config_file = args.pop("config", None)
    values: dict[str, Any] = {}
    limits: dict[str, Any] = {}
    if config_file is not None:
        values, limits = _from_toml(config_file)
    values.update(_from_env(os.environ if environ is None else environ))
    values.update(args)

    data_dir = Path(values.pop("data_dir", None) or platformdirs.user_data_dir("tidings-server"))
    data_dir = data_dir.expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    secret_key = values.pop("secret_key", None) or load_secret_key(data_dir)
    unknown = set(limits) - {f.name for f in dataclasses.fields(Limits)}
    if unknown:
        raise ValueError(f"unknown limits: {', '.join(sorted(unknown))}")
    limits.update({name: values.pop(name) for name in _LIMIT_SETTINGS if name in values})
    merged = dataclasses.replace(DEFAULT_LIMITS, **limits)
    if not ANSWER_BYTES_MIN <= merged.answer_bytes <= CLIENT_FRAME_MAX // 2:
        raise ValueError(f"limits.answer_bytes: expected {ANSWER_BYTES_MIN}–"
                         f"{CLIENT_FRAME_MAX // 2} (well below the clients' frame limit)")
    if merged.revoke_window_s < 0:
        raise ValueError("revoke_window: expected 0 or more seconds")
    if values.get("media_chunk_bytes", 1) < 1:
        raise ValueError("media_chunk_bytes: at least 1")
    return ServerConfig(data_dir=data_dir, secret_key=secret_key, limits=merged, **values)
