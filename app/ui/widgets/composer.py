"""The message composer: a text box that grows with its text, and a Send button.

Which key sends is the user's choice (`AppSettings.send_key`): with "enter", Enter sends and
Shift+Enter breaks the line; with "ctrl_enter", Ctrl+Enter sends and Enter breaks the line (for
people who write long messages). Input methods are not disturbed: while a CJK candidate is being
composed the IME consumes Enter itself and this widget never sees it. In a narrow window the Send
button drops its label and keeps its icon, so the text box keeps room for a line of text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent, QTextCursor, QTextOption
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QSizePolicy, QWidget

from app.ui.i18n import Retranslatable
from app.ui.settings import AppSettings
from app.ui.theme import current_palette, set_primary, theme_controller
from app.ui.widgets.icons import tinted_icon

MAX_LINES = 6
SLACK = 4
"""A few pixels more than the lines need: QPlainTextEdit scrolls when a line fits exactly."""
QWIDGETSIZE_MAX = 16777215
COMPACT_WIDTH = 440
"""Narrower than this, the Send button shows only its icon."""


class MessageEdit(QPlainTextEdit):
    """The text box: emits `submitted` on the send key, grows to MAX_LINES lines."""

    submitted = Signal()

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.setTabChangesFocus(True)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._fit_height()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            ctrl = Qt.KeyboardModifier.ControlModifier
            if self._settings.send_key == "ctrl_enter":
                sends = mods == ctrl
            else:
                sends = mods == Qt.KeyboardModifier.NoModifier
            if sends:
                self.submitted.emit()
                return
            if mods in (Qt.KeyboardModifier.ShiftModifier, ctrl, Qt.KeyboardModifier.NoModifier):
                self.insertPlainText("\n")
                return
        super().keyPressEvent(event)

    def _line_count(self) -> int:
        lines = 0
        block = self.document().begin()
        while block.isValid():
            lines += max(1, block.layout().lineCount())
            block = block.next()
        return max(1, lines)

    def height_for(self, lines: int) -> int:
        """The box's height when it shows `lines` lines of text: the lines, the document's
        margins, and whatever the frame and the stylesheet's padding put around the viewport."""
        self.ensurePolished()
        chrome = self.height() - self.viewport().height() if self.viewport().height() else 14
        margin = round(self.document().documentMargin() * 2)
        return lines * self.fontMetrics().lineSpacing() + margin + max(chrome, 0) + SLACK

    def _fit_height(self) -> None:
        lines = self._line_count()
        policy = Qt.ScrollBarPolicy
        self.setVerticalScrollBarPolicy(
            policy.ScrollBarAsNeeded if lines > MAX_LINES else policy.ScrollBarAlwaysOff
        )
        self.setFixedHeight(self.height_for(min(MAX_LINES, lines)))

    def resizeEvent(self, event: QResizeEvent) -> None:  # rewrapping changes the line count
        super().resizeEvent(event)
        self._fit_height()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_height()


class Composer(Retranslatable, QWidget):
    """The bar under the timeline. `send_requested(text)` carries the text to send; the chat
    view clears the box once it took the text."""

    send_requested = Signal(str)
    text_edited = Signal()

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.edit = MessageEdit(settings, self)
        self.edit.setMinimumWidth(120)
        self.edit.setStyleSheet("QPlainTextEdit { border-radius: 12px; padding: 6px 10px; }")
        self.send_button = QPushButton(self)
        set_primary(self.send_button)
        self.send_button.setIconSize(QSize(18, 18))
        self.send_button.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 14)
        layout.setSpacing(10)
        layout.addWidget(self.edit, 1, Qt.AlignmentFlag.AlignBottom)
        layout.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.edit.submitted.connect(self._submit)
        self.send_button.clicked.connect(self._submit)
        self.edit.textChanged.connect(self._on_text_changed)
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()
        self._on_text_changed()

    def sizeHint(self) -> QSize:
        """As wide as it may be: centred in the chat pane (an aligned layout item gets its
        hint, not the free space), it then fills the message column."""
        hint = super().sizeHint()
        if self.maximumWidth() < QWIDGETSIZE_MAX:
            hint.setWidth(max(hint.width(), self.maximumWidth()))
        return hint

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_text(self, text: str) -> None:
        """Replace the text (a restored draft) without announcing an edit."""
        self.edit.blockSignals(True)
        self.edit.setPlainText(text)
        self.edit.blockSignals(False)
        self.edit.moveCursor(QTextCursor.MoveOperation.End)
        self._update_button()

    def clear(self) -> None:
        self.set_text("")

    def focus(self) -> None:
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        self.edit.setPlaceholderText(self.tr("Write a message…"))
        self.send_button.setToolTip(self.tr("Send the message"))
        self.send_button.setAccessibleName(self.tr("Send"))
        self._label_button()

    @property
    def compact(self) -> bool:
        return self.width() < COMPACT_WIDTH

    def _label_button(self) -> None:
        self.send_button.setText("" if self.compact else self.tr("Send"))

    def _apply_theme(self) -> None:
        self.send_button.setIcon(tinted_icon("send", current_palette().accent_text, 18))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.send_button.setFixedHeight(self.edit.height_for(1))
        self._label_button()
        if self.compact:
            self.send_button.setFixedWidth(self.send_button.height())
        else:
            self.send_button.setMinimumWidth(0)
            self.send_button.setMaximumWidth(QWIDGETSIZE_MAX)

    def _on_text_changed(self) -> None:
        self._update_button()
        self.text_edited.emit()

    def _update_button(self) -> None:
        self.send_button.setEnabled(bool(self.text().strip()))

    def _submit(self) -> None:
        text = self.text()
        if text.strip():
            self.send_requested.emit(text.strip("\n"))
