"""The named colours of the light and dark themes.

Custom delegates (conversation rows, bubbles, badges) paint with these names rather than with
QPalette roles, because QPalette has no role for "outgoing bubble" or "muted badge"; the QPalette
and the stylesheet are derived from the same values so painted and styled widgets always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtGui import QColor, QPalette


@dataclass(frozen=True, eq=False)
class Palette:
    """One theme's colours. Compare palettes by identity (`is LIGHT`) or by `name`."""

    name: str
    is_dark: bool
    window: QColor
    """Main window and chat background."""
    rail: QColor
    """Navigation rail / sidebar (Chats, Contacts, Groups)."""
    list_bg: QColor
    list_selected: QColor
    list_hover: QColor
    text: QColor
    secondary_text: QColor
    """Timestamps, previews, placeholders."""
    accent: QColor
    accent_text: QColor
    """Text drawn on an accent fill (primary buttons, selection)."""
    bubble_in: QColor
    bubble_in_text: QColor
    bubble_out: QColor
    bubble_out_text: QColor
    separator: QColor
    badge: QColor
    """Unread count of a conversation that notifies."""
    badge_muted: QColor
    """Unread count of a muted conversation: visible, but not asking for attention."""
    danger: QColor
    input_bg: QColor
    link: QColor

    def colors(self) -> dict[str, QColor]:
        """Every colour by field name (the stylesheet's `@name` tokens)."""
        values = ((f.name, getattr(self, f.name)) for f in fields(self))
        return {name: value for name, value in values if isinstance(value, QColor)}

    def to_qpalette(self) -> QPalette:
        """The QPalette for Fusion, so unstyled widgets (check boxes, menus, dialogs) match."""
        role = QPalette.ColorRole
        group = QPalette.ColorGroup
        qp = QPalette()
        for r, color in (
            (role.Window, self.window),
            (role.WindowText, self.text),
            (role.Base, self.list_bg),
            (role.AlternateBase, self.list_hover),
            (role.ToolTipBase, self.list_bg),
            (role.ToolTipText, self.text),
            (role.PlaceholderText, self.secondary_text),
            (role.Text, self.text),
            (role.Button, self.input_bg),
            (role.ButtonText, self.text),
            (role.BrightText, self.accent_text),
            (role.Highlight, self.accent),
            (role.HighlightedText, self.accent_text),
            (role.Link, self.link),
            (role.LinkVisited, self.link),
            (role.Accent, self.accent),
            (role.Light, self.list_bg.lighter(110)),
            (role.Midlight, self.input_bg),
            (role.Mid, self.separator),
            (role.Dark, self.separator.darker(130)),
            (role.Shadow, QColor(0, 0, 0, 90 if self.is_dark else 40)),
        ):
            qp.setColor(r, color)
        disabled_text = QColor(self.secondary_text)
        disabled_text.setAlphaF(0.7)
        for r in (role.WindowText, role.Text, role.ButtonText):
            qp.setColor(group.Disabled, r, disabled_text)
        qp.setColor(group.Disabled, role.Highlight, self.separator)
        return qp


def _palette(name: str, is_dark: bool, **hex_colors: str) -> Palette:
    return Palette(name=name, is_dark=is_dark, **{k: QColor(v) for k, v in hex_colors.items()})


LIGHT = _palette(
    "light",
    False,
    window="#F4F5F7",
    rail="#E9ECEF",
    list_bg="#FFFFFF",
    list_selected="#DCEFEC",
    list_hover="#F1F3F5",
    text="#1C2024",
    secondary_text="#6B7480",
    accent="#1F8A7D",
    accent_text="#FFFFFF",
    bubble_in="#FFFFFF",
    bubble_in_text="#1C2024",
    bubble_out="#D5F0EB",
    bubble_out_text="#0F2F2A",
    separator="#E2E5E9",
    badge="#E5484D",
    badge_muted="#A3AAB3",
    danger="#D93A3F",
    input_bg="#EDF0F3",
    link="#17786C",
)

DARK = _palette(
    "dark",
    True,
    window="#15191E",
    rail="#101317",
    list_bg="#1B2026",
    list_selected="#1D3B37",
    list_hover="#232930",
    text="#E7EAEE",
    secondary_text="#8D97A3",
    accent="#2A9D8F",
    accent_text="#FFFFFF",
    bubble_in="#242B33",
    bubble_in_text="#E7EAEE",
    bubble_out="#1F6B62",
    bubble_out_text="#F1FAF8",
    separator="#272E36",
    badge="#E5484D",
    badge_muted="#4B545E",
    danger="#F26B6B",
    input_bg="#232A31",
    link="#5CC8B8",
)
