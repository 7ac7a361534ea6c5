"""Applying the light or dark theme to the whole app, and following the OS when asked to.

One `ThemeController` per process owns the choice ("system" | "light" | "dark"), applies Fusion,
the QPalette and the stylesheet together, and emits `changed` once the colours really changed, so
painted widgets (delegates, avatars) know to drop cached pixmaps and repaint. The module-level
functions are the interface the rest of the UI uses.

The first application also puts the colour emoji faces last in the app font's family list (and
tells Qt they are the emoji fonts), so emoji come out in colour rather than as a monochrome
glyph or an empty box from whichever font fallback finds first.
"""

from __future__ import annotations

import logging
import re
from functools import cache

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFontDatabase, QFontInfo, QGuiApplication
from PySide6.QtWidgets import QApplication, QPushButton

from app.ui.palette import DARK, LIGHT, Palette
from app.ui.resources import icons_dir, themes_dir
from app.ui.settings import ThemeMode

__all__ = [
    "COLOR_EMOJI_FAMILIES",
    "DARK",
    "LIGHT",
    "Palette",
    "ThemeController",
    "apply_theme",
    "current_palette",
    "render_stylesheet",
    "set_primary",
    "theme_controller",
]

log = logging.getLogger(__name__)

COLOR_EMOJI_FAMILIES = (
    "Noto Color Emoji",  # Linux (fonts-noto-color-emoji)
    "Segoe UI Emoji",  # Windows
    "Apple Color Emoji",  # macOS
)

_TOKEN = re.compile(r"@([a-z_]+)")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def _rgba(color: QColor, alpha: float) -> str:
    return f"rgba({color.red()}, {color.green()}, {color.blue()}, {round(alpha * 255)})"


def render_stylesheet(template: str, palette: Palette) -> str:
    """Replace the template's `@token`s with the palette's colours (see the template header).

    An unknown token raises KeyError: a typo must fail in tests, not silently unstyle a widget.
    """
    tokens = {name: color.name() for name, color in palette.colors().items()}
    tokens |= {
        "accent_hover": palette.accent.lighter(112).name(),
        "accent_pressed": palette.accent.darker(115).name(),
        "scroll_handle": _rgba(palette.secondary_text, 0.45),
        "scroll_handle_hover": _rgba(palette.secondary_text, 0.75),
        "icons": icons_dir().as_posix(),
    }
    return _TOKEN.sub(lambda m: tokens[m.group(1)], _COMMENT.sub("", template))


@cache
def _template() -> str:
    path = themes_dir() / "tidings.qss"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        log.warning("stylesheet %s missing; using Fusion and the palette only", path)
        return ""


class ThemeController(QObject):
    """Holds the theme choice and re-applies it when the OS switches between light and dark."""

    changed = Signal()
    """The active Palette changed: read `current_palette()` and repaint."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mode: ThemeMode = "system"
        self._palette: Palette = LIGHT
        self._app: QApplication | None = None

    @property
    def mode(self) -> ThemeMode:
        return self._mode

    @property
    def palette(self) -> Palette:
        return self._palette

    def apply(self, app: QApplication, mode: ThemeMode) -> Palette:
        """Use `mode` from now on; returns the palette now in effect."""
        first = self._app is not app
        if first:
            self._app = app
            app.styleHints().colorSchemeChanged.connect(self._on_color_scheme_changed)
            if app.style().name().lower() != "fusion":
                app.setStyle("Fusion")
            prefer_color_emoji(app)
        self._mode = mode
        self._tell_platform(app, mode)
        self._update(app, force=first)
        return self._palette

    def _tell_platform(self, app: QApplication, mode: ThemeMode) -> None:
        """Qt ≥ 6.8 can ask the OS to draw title bars and native dialogs in the chosen scheme."""
        hints = app.styleHints()
        if not hasattr(hints, "setColorScheme"):
            return
        if mode == "system":
            hints.unsetColorScheme()
        else:
            hints.setColorScheme(Qt.ColorScheme.Dark if mode == "dark" else Qt.ColorScheme.Light)

    def _resolve(self, app: QGuiApplication) -> Palette:
        if self._mode == "dark":
            return DARK
        if self._mode == "light":
            return LIGHT
        return DARK if app.styleHints().colorScheme() == Qt.ColorScheme.Dark else LIGHT

    def _update(self, app: QApplication, *, force: bool = False) -> None:
        palette = self._resolve(app)
        if palette is self._palette and not force:
            return
        self._palette = palette
        app.setPalette(palette.to_qpalette())
        app.setStyleSheet(render_stylesheet(_template(), palette))
        self.changed.emit()

    def _on_color_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._app is not None and self._mode == "system":
            self._update(self._app)


def prefer_color_emoji(app: QGuiApplication) -> None:
    """Append the colour emoji families to the app font's families (after the UI and the
    Chinese faces, so they only serve what those lack) and make the installed ones Qt's emoji
    fonts, which emoji sequences are shaped with."""
    installed = [f for f in COLOR_EMOJI_FAMILIES if QFontDatabase.hasFamily(f)]
    if installed and QFontDatabase.applicationEmojiFontFamilies() != installed:
        QFontDatabase.setApplicationEmojiFontFamilies(installed)
    font = app.font()
    # The real family first, not an alias such as "Sans Serif": a family list skips aliases,
    # and the emoji face would then draw the spaces and digits it also has.
    primary = QFontInfo(font).family()
    others = [f for f in font.families()[1:] if f not in (primary, *COLOR_EMOJI_FAMILIES)]
    families = [primary, *others, *COLOR_EMOJI_FAMILIES]
    if font.families() != families:
        font.setFamilies(families)
        app.setFont(font)


@cache
def theme_controller() -> ThemeController:
    """The process-wide controller; connect to its `changed` signal to repaint on theme change."""
    return ThemeController()


def apply_theme(app: QApplication, mode: ThemeMode) -> Palette:
    """Apply "system", "light" or "dark" to `app` (Fusion + QPalette + stylesheet)."""
    return theme_controller().apply(app, mode)


def current_palette() -> Palette:
    """The colours custom painting should use right now (LIGHT until a theme is applied)."""
    return theme_controller().palette


def set_primary(button: QPushButton, primary: bool = True) -> None:
    """Make `button` the accent-filled main action of its form (the stylesheet's
    `QPushButton[primary="true"]`); repolishes so it also works on a button already shown."""
    button.setProperty("primary", primary)
    button.style().unpolish(button)
    button.style().polish(button)
