"""Typed, validated access to the user's preferences, with one signal for every change.

QSettings hands back untyped strings from an INI file that users (and older versions of the app)
may have edited; every read here goes through the setting's default and allowed values, so the
rest of the UI never sees a theme called "blue" or a bool spelt "yes". Widgets subscribe to
`changed(key)` instead of polling, which is how a language or theme switch reaches open windows.

The INI format is used on every OS (not the Windows registry) so "export diagnostics" can attach
one readable file.
"""

from __future__ import annotations

import os
from typing import Generic, Literal, TypeVar, get_args, overload

from PySide6.QtCore import QByteArray, QObject, QSettings, Signal

Language = Literal["system", "en", "zh_CN"]
ThemeMode = Literal["system", "light", "dark"]
SendKey = Literal["enter", "ctrl_enter"]
"""With "enter", Enter sends and Shift+Enter is a newline; with "ctrl_enter", Ctrl+Enter sends
and Enter is a newline (for people who write long messages)."""
ServerMode = Literal["embedded", "url"]
"""Either start the service inside the app ("embedded": demo, one machine) or connect to one
("url")."""
EMBEDDED = "embedded"
"""The server key (`Credential.server`) of accounts on "This computer"."""
DEMO = "demo"
"""The server key of the demo user, on the demo's own service."""

ORGANIZATION = "Tidings"
APPLICATION = "Tidings"

T = TypeVar("T")


class _Setting(Generic[T]):
    """One stored preference: its INI key, default, and (for enumerations) the allowed values."""

    def __init__(self, key: str, default: T, choices: tuple[T, ...] = ()) -> None:
        self.key = key
        self.default = default
        self.choices = choices
        self.name = key

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type) -> _Setting[T]: ...
    @overload
    def __get__(self, obj: AppSettings, owner: type) -> T: ...
    def __get__(self, obj: AppSettings | None, owner: type) -> T | _Setting[T]:
        if obj is None:
            return self
        return self.coerce(obj.store.value(self.key))

    def __set__(self, obj: AppSettings, value: T) -> None:
        if type(value) is not type(self.default):
            raise TypeError(f"{self.name} takes {type(self.default).__name__}, not {value!r}")
        if self.choices and value not in self.choices:
            raise ValueError(f"{self.name} must be one of {self.choices}, not {value!r}")
        if value == self.__get__(obj, type(obj)):
            return
        obj.store.setValue(self.key, QByteArray(value) if isinstance(value, bytes) else value)
        obj.changed.emit(self.name)

    def coerce(self, raw: object) -> T:
        """Turn what QSettings returns (None, str, QByteArray, bool) into a valid value."""
        default = self.default
        if raw is None:
            return default
        value: object
        if isinstance(default, bool):
            value = raw if isinstance(raw, bool) else str(raw).strip().lower() == "true"
        elif isinstance(default, bytes):
            value = raw.data() if isinstance(raw, QByteArray) else default
        else:
            value = str(raw)
        if self.choices and value not in self.choices:
            return default
        return value  # type: ignore[return-value]


class AppSettings(QObject):
    """The app's preferences. Create one per process and share it: only writes made through the
    same instance emit `changed`."""

    changed = Signal(str)
    """Emitted with the attribute name (e.g. "theme") after a setting's value really changed."""

    language = _Setting[Language]("ui/language", "system", get_args(Language))
    theme = _Setting[ThemeMode]("ui/theme", "system", get_args(ThemeMode))
    send_key = _Setting[SendKey]("chat/send_key", "enter", get_args(SendKey))
    close_to_tray = _Setting[bool]("desktop/close_to_tray", True)
    """Closing the main window hides it to the tray instead of quitting (N4)."""
    do_not_disturb = _Setting[bool]("notifications/do_not_disturb", False)
    notifications = _Setting[bool]("notifications/enabled", True)
    notification_sound = _Setting[bool]("notifications/sound", True)
    """Notifications play the desktop's message sound (N3)."""
    quiet_hours = _Setting[bool]("notifications/quiet_hours", False)
    """Do not disturb every day from `quiet_from` to `quiet_to` (may span midnight)."""
    quiet_from = _Setting[str]("notifications/quiet_from", "22:00")
    quiet_to = _Setting[str]("notifications/quiet_to", "08:00")
    start_at_login = _Setting[bool]("desktop/start_at_login", False)
    """Registered with the OS to start when I sign in to the computer (N4)."""
    start_minimized = _Setting[bool]("desktop/start_minimized", True)
    """Started at login, the app stays in the tray (`--minimized`)."""
    server_mode = _Setting[ServerMode]("server/mode", "embedded", get_args(ServerMode))
    server_url = _Setting[str]("server/url", "")
    last_user_id = _Setting[str]("account/last_user_id", "")
    remember_me = _Setting[bool]("account/remember_me", True)
    """Desktop messengers keep you signed in unless you say otherwise."""
    window_geometry = _Setting[bytes]("window/geometry", b"")
    """`QWidget.saveGeometry()` of the main window; empty until the window was first closed."""
    recent_emoji = _Setting[str]("chat/recent_emoji", "")
    """The emoji picked last in the composer's picker, newest first, separated by spaces."""

    def __init__(
        self, ini_path: str | os.PathLike[str] | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        if ini_path is None:
            self.store = QSettings(
                QSettings.Format.IniFormat,
                QSettings.Scope.UserScope,
                ORGANIZATION,
                APPLICATION,
                self,
            )
        else:
            self.store = QSettings(os.fspath(ini_path), QSettings.Format.IniFormat, self)

    @property
    def file_name(self) -> str:
        """Where the INI file lives (shown in diagnostics)."""
        return self.store.fileName()

    def sync(self) -> None:
        """Write pending changes now; QSettings otherwise writes on its own schedule and at exit."""
        self.store.sync()
