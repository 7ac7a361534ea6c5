"""Every keyboard shortcut of the app, declared once: its name, keys, category and description.

Each has a scope: WINDOW ones the main window installs from here (`install`), CHAT ones the chat
page installs from here (active while the keys are in the chat), and WIDGET ones a widget
handles in its own key events (Enter and ↑ in the composer, Esc, the Menu key, the viewer's
keys) — declared here all the same, so the "Keyboard shortcuts" sheet (`views/shortcuts_sheet`),
which lists every one from here, cannot drift from what the keys do.

Keys are Qt's portable text ("Ctrl+K"): on macOS Qt reads Ctrl as ⌘, and `key_caps` writes them
as the OS does.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


class Scope(IntEnum):
    WINDOW = 0
    """Installed on the main window: works wherever the keys are in it."""
    CHAT = 1
    """Installed on the chat page: works while the keys are in the open chat."""
    WIDGET = 2
    """Handled by a widget's own key events; declared for the sheet."""


class Category(IntEnum):
    NAVIGATION = 0
    CHAT = 1
    APP = 2
    VIEWER = 3


def category_title(category: Category) -> str:
    return {
        Category.NAVIGATION: QCoreApplication.translate("Shortcuts", "Navigation"),
        Category.CHAT: QCoreApplication.translate("Shortcuts", "Chat"),
        Category.APP: QCoreApplication.translate("Shortcuts", "Application"),
        Category.VIEWER: QCoreApplication.translate("Shortcuts", "Photo and video viewer"),
    }[category]


@dataclass(frozen=True, slots=True)
class Shortcut:
    name: str
    keys: tuple[str, ...]
    """Alternatives, the first the main one; each Qt's portable text."""
    category: Category
    text: str
    """The description in English; `describe()` says it in the current language."""
    scope: Scope = Scope.WINDOW

    def describe(self) -> str:
        return QCoreApplication.translate("Shortcuts", self.text)


def registry(send_key: str = "enter") -> list[Shortcut]:
    """Every shortcut, in the sheet's order. `send_key`: the setting ("enter" or
    "ctrl_enter") that decides which of Enter and Ctrl+Enter sends."""
    nav, chat, app, viewer = Category.NAVIGATION, Category.CHAT, Category.APP, Category.VIEWER
    sends, newline = (("Ctrl+Return",), ("Return", "Shift+Return")) if send_key == "ctrl_enter" \
        else (("Return",), ("Shift+Return",))
    # Qt reads Ctrl as ⌘ on macOS, and ⌘Tab is the system's app switcher: there the chats are
    # switched with the Control key itself (Meta to Qt), as Telegram and Safari do.
    tab = "Meta+Tab" if sys.platform == "darwin" else "Ctrl+Tab"
    return [
        Shortcut("quick_switcher", ("Ctrl+K",), nav,
                 QT_TRANSLATE_NOOP("Shortcuts", "Go to a chat, contact or group")),
        Shortcut("next_chat", ("Alt+Down", tab, "Ctrl+PgDown"), nav,
                 QT_TRANSLATE_NOOP("Shortcuts", "Next chat")),
        Shortcut("previous_chat", ("Alt+Up", tab.replace("+Tab", "+Shift+Tab"), "Ctrl+PgUp"), nav,
                 QT_TRANSLATE_NOOP("Shortcuts", "Previous chat")),
        Shortcut("next_unread", ("Alt+Shift+Down",), nav,
                 QT_TRANSLATE_NOOP("Shortcuts", "Next unread chat")),
        Shortcut("previous_unread", ("Alt+Shift+Up",), nav,
                 QT_TRANSLATE_NOOP("Shortcuts", "Previous unread chat")),
        Shortcut("page_chats", ("Ctrl+1",), nav, QT_TRANSLATE_NOOP("Shortcuts", "Chats")),
        Shortcut("page_contacts", ("Ctrl+2",), nav, QT_TRANSLATE_NOOP("Shortcuts", "Contacts")),
        Shortcut("page_groups", ("Ctrl+3",), nav, QT_TRANSLATE_NOOP("Shortcuts", "Groups")),
        Shortcut("close", ("Esc",), nav,
                 QT_TRANSLATE_NOOP("Shortcuts", "Close the open panel, popup or selection"),
                 scope=Scope.WIDGET),
        Shortcut("open_row", ("Return",), nav,
                 QT_TRANSLATE_NOOP("Shortcuts", "Open the selected chat, contact or group"),
                 scope=Scope.WIDGET),
        Shortcut("context_menu", ("Menu", "Shift+F10"), nav,
                 QT_TRANSLATE_NOOP("Shortcuts", "Menu of the selected row or message"),
                 scope=Scope.WIDGET),
        Shortcut("send", sends, chat,
                 QT_TRANSLATE_NOOP("Shortcuts", "Send the message"), scope=Scope.WIDGET),
        Shortcut("newline", newline, chat,
                 QT_TRANSLATE_NOOP("Shortcuts", "New line"), scope=Scope.WIDGET),
        Shortcut("edit_last", ("Up",), chat,
                 QT_TRANSLATE_NOOP("Shortcuts", "Edit your last message (message box empty)"),
                 scope=Scope.WIDGET),
        Shortcut("find_in_chat", ("Ctrl+F",), chat,
                 QT_TRANSLATE_NOOP("Shortcuts", "Find in this chat"), scope=Scope.CHAT),
        Shortcut("search_messages", ("Ctrl+Shift+F",), chat,
                 QT_TRANSLATE_NOOP("Shortcuts", "Search all messages")),
        Shortcut("copy", ("Ctrl+C",), chat,
                 QT_TRANSLATE_NOOP("Shortcuts", "Copy the selected message or text"),
                 scope=Scope.WIDGET),
        Shortcut("new_chat", ("Ctrl+N",), chat, QT_TRANSLATE_NOOP("Shortcuts", "New chat")),
        Shortcut("settings", ("Ctrl+,",), app, QT_TRANSLATE_NOOP("Shortcuts", "Settings")),
        Shortcut("shortcuts", ("Ctrl+/",), app,
                 QT_TRANSLATE_NOOP("Shortcuts", "Keyboard shortcuts")),
        Shortcut("quit", ("Ctrl+Q",), app, QT_TRANSLATE_NOOP("Shortcuts", "Quit Tidings")),
        Shortcut("viewer_browse", ("Left", "Right"), viewer,
                 QT_TRANSLATE_NOOP("Shortcuts", "Previous or next photo or video"),
                 scope=Scope.WIDGET),
        Shortcut("viewer_zoom", ("+", "-"), viewer,
                 QT_TRANSLATE_NOOP("Shortcuts", "Zoom in or out"), scope=Scope.WIDGET),
        Shortcut("viewer_fit", ("0",), viewer,
                 QT_TRANSLATE_NOOP("Shortcuts", "Fit to the window"), scope=Scope.WIDGET),
        Shortcut("viewer_save", ("Ctrl+S",), viewer,
                 QT_TRANSLATE_NOOP("Shortcuts", "Save as…"), scope=Scope.WIDGET),
        Shortcut("viewer_close", ("Esc",), viewer,
                 QT_TRANSLATE_NOOP("Shortcuts", "Close the viewer"), scope=Scope.WIDGET),
    ]


def by_name(name: str, send_key: str = "enter") -> Shortcut:
    return next(s for s in registry(send_key) if s.name == name)


def install(widget: QWidget, handlers: Mapping[str, Callable[[], object]],
            scope: Scope = Scope.WINDOW) -> list[QShortcut]:
    """A QShortcut on `widget` for every key of every shortcut of `scope`, calling its handler
    in `handlers` (by name). Every one must have a handler: a declared key that does nothing
    would be listed in the sheet as working. WINDOW shortcuts work anywhere in `widget`'s
    window, CHAT ones while the keys are in `widget` or its children."""
    context = (Qt.ShortcutContext.WindowShortcut if scope == Scope.WINDOW
               else Qt.ShortcutContext.WidgetWithChildrenShortcut)
    made: list[QShortcut] = []
    for shortcut in registry():
        if shortcut.scope != scope:
            continue
        handler = handlers[shortcut.name]
        variants = list(shortcut.keys)
        # Shift+Tab arrives as Backtab: a sequence with Tab would never match it.
        variants += [k.replace("Shift+Tab", "Shift+Backtab") for k in shortcut.keys
                     if "Shift+Tab" in k]
        for keys in variants:
            made.append(QShortcut(QKeySequence(keys), widget, handler, context=context))
    return made


def shortcut_text(keys: str) -> str:
    """A combination as this OS writes it in a tooltip ("Ctrl+1", "⌘1")."""
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText) or keys


def key_caps(keys: str) -> list[str]:
    """One combination as the caps the sheet draws: ["Ctrl", "K"], ["⌘", "K"] on macOS,
    arrows as arrows. Keys keep their English names in every language, as keyboards print
    them (Qt's native text would write 回车 for Enter)."""
    sequence = QKeySequence(keys)
    if sys.platform == "darwin":
        native = sequence.toString(QKeySequence.SequenceFormat.NativeText)
        if len(native) > 1 and native[0] in "⌘⌥⇧⌃":  # macOS writes ⌘K, not Cmd+K
            return _mac_caps(native)
    text = sequence.toString(QKeySequence.SequenceFormat.PortableText) or keys
    if text == "+" or text.endswith("++"):  # the plus key itself, alone or last
        parts = [*text[:-2].split("+"), "+"] if len(text) > 1 else ["+"]
    else:
        parts = text.split("+")
    return [_SYMBOLS.get(part, part) for part in parts if part]


def _mac_caps(native: str) -> list[str]:
    caps: list[str] = []
    rest = native
    while rest and rest[0] in "⌘⌥⇧⌃":
        caps.append(rest[0])
        rest = rest[1:]
    if rest:
        caps.append(_SYMBOLS.get(rest, rest))
    return caps


_SYMBOLS = {
    "Up": "↑",
    "Down": "↓",
    "Left": "←",
    "-": "−",
    "Right": "→",
    "Return": "Enter",
    "Esc": "Esc",
    "Backtab": "Tab",
    "PgDown": "PgDn",
}
