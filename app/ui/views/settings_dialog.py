"""The settings dialog: language, theme, send key, tray and notification preferences.

Every control writes its `AppSettings` value the moment it changes and the effect is immediate
(the language switches, the theme repaints), so there is no OK/Apply step to forget. The dialog
is non-modal and opened with `open()` (never `exec()` under qasync), and follows changes made
elsewhere, e.g. from the tray menu, through `AppSettings.changed`.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.ui.i18n import Retranslatable, install_language
from app.ui.settings import AppSettings, Language, SendKey, ThemeMode
from app.ui.theme import apply_theme, current_palette, theme_controller

LANGUAGES: tuple[Language, ...] = ("system", "en", "zh_CN")
THEMES: tuple[ThemeMode, ...] = ("system", "light", "dark")
SEND_KEYS: tuple[SendKey, ...] = ("enter", "ctrl_enter")


class SettingsDialog(Retranslatable, QDialog):
    sign_out_requested = Signal()
    shortcuts_requested = Signal()
    """Keyboard shortcuts…: the sheet of every shortcut."""

    def __init__(self, settings: AppSettings, user_id: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._user_id = user_id
        self.setMinimumWidth(460)
        self.language = QComboBox(self)
        self.theme = QComboBox(self)
        self.send_key = QComboBox(self)
        self.close_to_tray = QCheckBox(self)
        self.notifications = QCheckBox(self)
        self.do_not_disturb = QCheckBox(self)
        self.notification_sound = QCheckBox(self)
        self.quiet_hours = QCheckBox(self)
        self.quiet_from = QTimeEdit(self)
        self.quiet_to = QTimeEdit(self)
        self._quiet_dash = QLabel("–", self)
        for edit in (self.quiet_from, self.quiet_to):
            edit.setDisplayFormat("HH:mm")
        self.start_at_login = QCheckBox(self)
        self.start_minimized = QCheckBox(self)
        self._headings = [QLabel(self) for _ in range(3)]
        for heading in self._headings:
            font = QFont()
            font.setWeight(QFont.Weight.DemiBold)
            heading.setFont(font)
        self._labels = {name: QLabel(self) for name in ("language", "theme", "send_key")}
        self._account = QLabel(self)
        self.sign_out = QPushButton(self)
        self._close = QPushButton(self)
        self._close.setDefault(True)
        self.shortcuts_button = QPushButton(self)

        form = QFormLayout()
        form.setHorizontalSpacing(18)
        form.setVerticalSpacing(10)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(self._headings[0])
        form.addRow(self._labels["language"], self.language)
        form.addRow(self._labels["theme"], self.theme)
        form.addRow(self._spacer())
        form.addRow(self._headings[1])
        form.addRow(self._labels["send_key"], self.send_key)
        form.addRow(self.close_to_tray)
        form.addRow(self.start_at_login)
        form.addRow(self.start_minimized)
        form.addRow(self._spacer())
        form.addRow(self._headings[2])
        form.addRow(self.notifications)
        form.addRow(self.notification_sound)
        form.addRow(self.do_not_disturb)
        quiet = QHBoxLayout()
        quiet.setSpacing(6)
        quiet.addWidget(self.quiet_hours)
        quiet.addSpacing(4)
        quiet.addWidget(self.quiet_from)
        quiet.addWidget(self._quiet_dash)
        quiet.addWidget(self.quiet_to)
        quiet.addStretch(1)
        form.addRow(quiet)
        account = QHBoxLayout()
        account.addWidget(self._account, 1)
        account.addWidget(self.sign_out)
        buttons = QHBoxLayout()
        buttons.addWidget(self.shortcuts_button)
        buttons.addStretch(1)
        buttons.addWidget(self._close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addLayout(account)
        layout.addSpacing(4)
        layout.addLayout(buttons)

        self.language.currentIndexChanged.connect(self._on_language)
        self.theme.currentIndexChanged.connect(self._on_theme)
        self.send_key.currentIndexChanged.connect(self._on_send_key)
        self.close_to_tray.toggled.connect(lambda on: setattr(settings, "close_to_tray", on))
        self.notifications.toggled.connect(lambda on: setattr(settings, "notifications", on))
        self.do_not_disturb.toggled.connect(lambda on: setattr(settings, "do_not_disturb", on))
        self.notification_sound.toggled.connect(
            lambda on: setattr(settings, "notification_sound", on))
        self.quiet_hours.toggled.connect(lambda on: setattr(settings, "quiet_hours", on))
        self.quiet_from.timeChanged.connect(
            lambda t: setattr(settings, "quiet_from", t.toString("HH:mm")))
        self.quiet_to.timeChanged.connect(
            lambda t: setattr(settings, "quiet_to", t.toString("HH:mm")))
        self.start_at_login.toggled.connect(lambda on: setattr(settings, "start_at_login", on))
        self.start_minimized.toggled.connect(lambda on: setattr(settings, "start_minimized", on))
        self.sign_out.clicked.connect(self.sign_out_requested)
        self._close.clicked.connect(self.accept)
        self.shortcuts_button.clicked.connect(self.shortcuts_requested)
        settings.changed.connect(self._load)
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()

    def _spacer(self) -> QWidget:
        spacer = QWidget(self)
        spacer.setFixedHeight(4)
        return spacer

    # --- settings → widgets --------------------------------------------------------------

    def _load(self, _key: str = "") -> None:
        s = self._settings
        widgets = (self.language, self.theme, self.send_key, self.close_to_tray,
                   self.notifications, self.do_not_disturb, self.notification_sound,
                   self.quiet_hours, self.quiet_from, self.quiet_to, self.start_at_login,
                   self.start_minimized)
        for widget in widgets:
            widget.blockSignals(True)
        self.language.setCurrentIndex(LANGUAGES.index(s.language))
        self.theme.setCurrentIndex(THEMES.index(s.theme))
        self.send_key.setCurrentIndex(SEND_KEYS.index(s.send_key))
        self.close_to_tray.setChecked(s.close_to_tray)
        self.notifications.setChecked(s.notifications)
        self.do_not_disturb.setChecked(s.do_not_disturb)
        self.do_not_disturb.setEnabled(s.notifications)
        self.notification_sound.setChecked(s.notification_sound)
        self.quiet_hours.setChecked(s.quiet_hours)
        for edit, text in ((self.quiet_from, s.quiet_from), (self.quiet_to, s.quiet_to)):
            edit.setTime(QTime.fromString(text, "HH:mm"))
            edit.setEnabled(s.notifications and s.quiet_hours)
        self.notification_sound.setEnabled(s.notifications)
        self.quiet_hours.setEnabled(s.notifications)
        self.start_at_login.setChecked(s.start_at_login)
        self.start_minimized.setChecked(s.start_minimized)
        self.start_minimized.setEnabled(s.start_at_login)
        for widget in widgets:
            widget.blockSignals(False)

    # --- widgets → settings (applied at once) --------------------------------------------

    def _on_language(self, index: int) -> None:
        choice = LANGUAGES[index]
        self._settings.language = choice
        install_language(cast(QApplication, QApplication.instance()), choice)

    def _on_theme(self, index: int) -> None:
        choice = THEMES[index]
        self._settings.theme = choice
        apply_theme(cast(QApplication, QApplication.instance()), choice)

    def _on_send_key(self, index: int) -> None:
        self._settings.send_key = SEND_KEYS[index]

    # --- look and language ---------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        self._headings[0].setText(self.tr("Appearance"))
        self._headings[1].setText(self.tr("Chats"))
        self._headings[2].setText(self.tr("Notifications"))
        self._labels["language"].setText(self.tr("Language"))
        self._labels["theme"].setText(self.tr("Theme"))
        self._labels["send_key"].setText(self.tr("Send messages with"))
        self._fill(self.language, [self.tr("System"), "English", "简体中文"])
        self._fill(self.theme, [self.tr("System"), self.tr("Light"), self.tr("Dark")])
        self._fill(self.send_key, [
            self.tr("Enter (Shift+Enter for a new line)"),
            self.tr("Ctrl+Enter (Enter for a new line)"),
        ])
        self.close_to_tray.setText(self.tr("Keep running in the tray when the window is closed"))
        self.notifications.setText(self.tr("Show desktop notifications for new messages"))
        self.do_not_disturb.setText(self.tr("Do not disturb (no pop-ups or sounds)"))
        self.notification_sound.setText(self.tr("Play a sound"))
        self.quiet_hours.setText(self.tr("Do not disturb every day from"))
        self.start_at_login.setText(self.tr("Start Tidings when I sign in to this computer"))
        self.start_minimized.setText(self.tr("Start in the tray, without the window"))
        self._account.setText(
            self.tr("Signed in as %1").replace("%1", self._user_id) if self._user_id else ""
        )
        self.sign_out.setText(self.tr("Sign out"))
        self.sign_out.setVisible(bool(self._user_id))
        self._close.setText(self.tr("Close"))
        self.shortcuts_button.setText(self.tr("Keyboard shortcuts…"))
        self._load()

    @staticmethod
    def _fill(combo: QComboBox, texts: list[str]) -> None:
        combo.blockSignals(True)
        index = combo.currentIndex()
        combo.clear()
        combo.addItems(texts)
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)

    def _apply_theme(self) -> None:
        self._account.setStyleSheet(f"color: {current_palette().secondary_text.name()}")
