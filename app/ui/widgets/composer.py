"""The message composer: a text box that grows with its text, a Send button, the paper clip and
the emoji panel beside it, and the message being replied to above it.

Which key sends is the user's choice (`AppSettings.send_key`): with "enter", Enter sends and
Shift+Enter breaks the line; with "ctrl_enter", Ctrl+Enter sends and Enter breaks the line (for
people who write long messages). Input methods are not disturbed: while a CJK candidate is being
composed the IME consumes Enter itself and this widget never sees it. In a narrow window the Send
button drops its label and keeps its icon, so the text box keeps room for a line of text.

What is not text never lands in the box: a pasted screenshot (an image on the clipboard) or
copied files (a ``text/uri-list`` of local files) are handed on (`image_pasted`,
`files_chosen`) to the preview sheet, as Telegram does. A paste that carries text as well as a
picture (a word processor puts a rendering of the copied text next to it) pastes the text.
The paper clip offers "Photo or video" and "File": the same files, sent as pictures or as they
are. The microphone records a voice message in `RecordingBar`, laid over the composer; where
there is no microphone (or no PortAudio) the first click disables it, with the reason as its
tooltip.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QPoint, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QImage,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app.protocol import AT_ALL
from app.ui.i18n import Retranslatable
from app.ui.playback.voice_widget import RecordingBar
from app.ui.settings import AppSettings
from app.ui.theme import current_palette, set_primary, theme_controller
from app.ui.widgets.drop_overlay import local_files
from app.ui.widgets.emoji_picker import EmojiPicker
from app.ui.widgets.icons import tinted_icon, tinted_pixmap
from app.ui.widgets.mention_picker import Candidate, MentionPicker, matches, typed_query

MAX_LINES = 6
SLACK = 4
"""A few pixels more than the lines need: QPlainTextEdit scrolls when a line fits exactly."""
QWIDGETSIZE_MAX = 16777215
COMPACT_WIDTH = 440
"""Narrower than this, the Send button shows only its icon."""
TOOL_SIZE = 34
MEDIA_PATTERNS = "*.jpg *.jpeg *.png *.gif *.webp *.mp4 *.mov *.m4v *.webm *.mkv *.avi"


class MessageEdit(QPlainTextEdit):
    """The text box: emits `submitted` on the send key, grows to MAX_LINES lines; Esc is
    `escaped` while there is a reply or an edit to cancel (else the window's); pasted files
    and pictures go to `files_pasted` / `image_pasted`."""

    submitted = Signal()
    escaped = Signal()
    up_on_empty = Signal()
    """↑ in an empty box: edit my last message (as in Telegram Desktop)."""
    files_pasted = Signal(list)
    image_pasted = Signal(QImage)

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.picker: MentionPicker | None = None
        """The "@" picker, in a group chat: it takes the navigation keys while open."""
        self.cancels_on_escape: Callable[[], bool] = lambda: False
        """Set by the composer: whether Esc has a reply or an edit to cancel."""
        self.setTabChangesFocus(True)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._fit_height()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.picker is not None and self.picker.handle_key(event):
            return
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
        if event.key() == Qt.Key.Key_Escape and self.cancels_on_escape():
            self.escaped.emit()
            return  # the reply or the edit is what Esc closes, not the panel behind it
        if (event.key() == Qt.Key.Key_Up and not self.toPlainText()
                and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            self.up_on_empty.emit()
            return
        super().keyPressEvent(event)

    @staticmethod
    def _pasted_picture(source: QMimeData) -> bool:
        return source.hasImage() and not source.text().strip()

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        if local_files(source) or self._pasted_picture(source):
            return True
        return super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        files = local_files(source)
        if files:
            self.files_pasted.emit(files)
        elif self._pasted_picture(source):
            image = source.imageData()
            if isinstance(image, QImage) and not image.isNull():
                self.image_pasted.emit(image)
        else:
            super().insertFromMimeData(source)

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


class _ElidedLabel(QLabel):
    """One line, elided at the right when it does not fit (the reply bar's name and quote)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.color = QColor()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.color)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(" ".join(self.text().split()),
                                             Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        painter.end()


class ReplyBar(QWidget):
    """"Reply to Bob" and what Bob wrote, with ✕ to drop the reply (`cancelled`)."""

    cancelled = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._icon = QLabel(self)
        self._icon.setFixedSize(24, 24)
        self._icon_name = "reply"
        self.title = _ElidedLabel(self)
        font = QFont(self.title.font())
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.abstract = _ElidedLabel(self)
        self.close_button = QToolButton(self)
        self.close_button.setIconSize(QSize(16, 16))
        self.close_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self._line = QWidget(self)
        self._line.setFixedWidth(2)
        texts = QVBoxLayout()
        texts.setContentsMargins(0, 0, 0, 0)
        texts.setSpacing(0)
        texts.addWidget(self.title)
        texts.addWidget(self.abstract)
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 0, 0, 2)
        row.setSpacing(10)
        row.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self._line)
        row.addLayout(texts, 1)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.close_button.clicked.connect(self.cancelled)
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()

    def show_reply(self, title: str, abstract: str, icon: str = "reply") -> None:
        """`icon` names the bar's picture: "reply", or "compose" for a message being edited."""
        self.title.setText(title)
        self.abstract.setText(abstract)
        if icon != self._icon_name:
            self._icon_name = icon
            self._apply_theme()
        self.show()

    def _apply_theme(self) -> None:
        palette = current_palette()
        self._icon.setPixmap(tinted_pixmap(self._icon_name, palette.accent, 22,
                                           self.devicePixelRatioF()))
        self._line.setStyleSheet(f"background: {palette.accent.name()}; border-radius: 1px;")
        self.title.color = palette.accent
        self.abstract.color = palette.secondary_text
        self.close_button.setIcon(tinted_icon("dismiss", palette.secondary_text, 16))
        self.update()


class Composer(Retranslatable, QWidget):
    """The bar under the timeline. `send_requested(text)` carries the text to send; the chat
    view clears the box once it took the text. `files_chosen(paths, as_media)` carries files
    from the paper clip or a paste (as_media: "Photo or video" was chosen), `image_pasted` a
    picture from the clipboard; `reply_cancelled` the user dropped the reply (✕ or Esc)."""

    send_requested = Signal(str)
    text_edited = Signal()
    files_chosen = Signal(list, bool)
    image_pasted = Signal(QImage)
    reply_cancelled = Signal()
    edit_last_requested = Signal()
    """↑ in the empty box: the chat starts editing my last text message."""
    edit_cancelled = Signal()
    """The user dropped the edit (✕ on the editing bar, or Esc)."""
    voice_recorded = Signal(object, float)
    """(Path of the .m4a, seconds) of a voice message recorded with the mic button."""

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self._settings = settings
        self._last_folder = str(Path.home())
        self.file_dialog: QFileDialog | None = None
        """The paper clip's dialog while it is open."""
        self.emoji_picker: EmojiPicker | None = None
        """Made the first time the emoji button is clicked."""
        self.reply_bar = ReplyBar(self)
        self.reply_bar.hide()
        self.edit = MessageEdit(settings, self)
        self.edit.setMinimumWidth(120)
        self.edit.setStyleSheet("QPlainTextEdit { border-radius: 12px; padding: 6px 10px; }")
        self.attach_button = self._tool_button()
        self.attach_menu = QMenu(self)
        self._attach_media = QAction(self.attach_menu)
        self._attach_files = QAction(self.attach_menu)
        self.attach_menu.addAction(self._attach_media)
        self.attach_menu.addAction(self._attach_files)
        self.attach_button.setMenu(self.attach_menu)
        self.attach_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.attach_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.emoji_button = self._tool_button()
        self.mic_button = self._tool_button()
        self.recording_bar: RecordingBar | None = None
        """Made the first time the mic button is clicked; laid over the composer."""
        self.send_button = QPushButton(self)
        set_primary(self.send_button)
        self.send_button.setIconSize(QSize(18, 18))
        self.send_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self._row = QHBoxLayout()
        self._row.setSpacing(6)
        self._row.addWidget(self.attach_button, 0, Qt.AlignmentFlag.AlignBottom)
        self._row.addWidget(self.edit, 1, Qt.AlignmentFlag.AlignBottom)
        self._row.addWidget(self.emoji_button, 0, Qt.AlignmentFlag.AlignBottom)
        self._row.addWidget(self.mic_button, 0, Qt.AlignmentFlag.AlignBottom)
        self._row.addSpacing(4)
        self._row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(16, 10, 16, 14)
        self._layout.setSpacing(8)
        self._layout.addWidget(self.reply_bar)
        self._layout.addLayout(self._row)
        self.edit.submitted.connect(self._submit)
        self.edit.escaped.connect(self._on_escape)
        self.edit.cancels_on_escape = lambda: self._editing or self.replying
        self.edit.files_pasted.connect(lambda files: self.files_chosen.emit(files, True))
        self.edit.image_pasted.connect(self.image_pasted)
        self.send_button.clicked.connect(self._submit)
        self.edit.textChanged.connect(self._on_text_changed)
        self._attach_media.triggered.connect(lambda: self.choose_files(as_media=True))
        self._attach_files.triggered.connect(lambda: self.choose_files(as_media=False))
        self.emoji_button.clicked.connect(self.open_emoji_picker)
        self.mic_button.clicked.connect(self.record_voice)
        self.reply_bar.cancelled.connect(self._on_bar_closed)
        self.edit.up_on_empty.connect(self.edit_last_requested)
        self._editing = False
        self.mention_picker = MentionPicker(self)
        self.mention_picker.chosen.connect(self._insert_mention)
        self._candidates: list[Candidate] = []
        self._mentioned: dict[str, str] = {}
        """"@Name" inserted → the member's ID, for the text being written."""
        self.edit.cursorPositionChanged.connect(self._update_picker)
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()
        self._on_text_changed()

    def _tool_button(self) -> QToolButton:
        button = QToolButton(self)
        button.setFixedSize(TOOL_SIZE, TOOL_SIZE)
        button.setIconSize(QSize(22, 22))
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        return button

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
        self._mentioned.clear()
        self.mention_picker.hide()

    # --- mentions ------------------------------------------------------------------------

    def set_mention_candidates(self, candidates: list[Candidate]) -> None:
        """Who "@" offers (a group chat's members, AT_ALL first when I may mention everyone);
        empty in a one-to-one chat, where "@" is only a character."""
        self._candidates = candidates
        self.edit.picker = self.mention_picker if candidates else None
        if not candidates:
            self.mention_picker.hide()

    def mentions_in(self, text: str) -> list[str]:
        """The members picked with "@" whose "@Name" is still in `text`."""
        return list(dict.fromkeys(uid for label, uid in self._mentioned.items() if label in text))

    def _update_picker(self) -> None:
        if not self._candidates:
            return
        cursor = self.edit.textCursor()
        block = cursor.block().text()[:cursor.positionInBlock()]
        query = typed_query(block)
        if query is None:
            self.mention_picker.hide()
            return
        found = matches(self._candidates, query)
        edit = self.edit.geometry()
        self.mention_picker.show_matches(found, self.tr("Everyone"),
                                         QPoint(edit.left(), edit.top() - 4),
                                         min(edit.width(), 320))

    def _insert_mention(self, candidate: Candidate) -> None:
        cursor = self.edit.textCursor()
        query = typed_query(cursor.block().text()[:cursor.positionInBlock()]) or ""
        cursor.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor,
                            len(query) + 1)
        name = self.tr("Everyone") if candidate.user_id == AT_ALL else candidate.name
        label = f"@{name}"
        cursor.insertText(label + " ")
        self.edit.setTextCursor(cursor)
        self._mentioned[label] = candidate.user_id
        self.mention_picker.hide()

    def focus(self) -> None:
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- replying ------------------------------------------------------------------------

    @property
    def replying(self) -> bool:
        return not self.reply_bar.isHidden() and not self._editing

    def show_reply(self, name: str, abstract: str) -> None:
        """Show "Reply to `name`: `abstract`" above the box, until `hide_reply`."""
        self._editing = False
        self.reply_bar.show_reply(self.tr("Reply to %1").replace("%1", name), abstract)
        self.reply_bar.close_button.setToolTip(self.tr("Don't reply"))
        self.focus()

    def hide_reply(self) -> None:
        if not self._editing:
            self.reply_bar.hide()

    # --- editing -------------------------------------------------------------------------

    @property
    def editing(self) -> bool:
        return self._editing

    def show_editing(self, original: str, text: str | None = None) -> None:
        """The reply bar as "Editing" with the message's text as it was, and that text (or
        `text`, an edit to try again) in the box to change: Enter saves (`send_requested`), Esc
        or ✕ cancels (`edit_cancelled`)."""
        self._editing = True
        self.reply_bar.show_reply(self.tr("Editing"), original, icon="compose")
        self.reply_bar.close_button.setToolTip(self.tr("Cancel editing"))
        self._label_button()
        self.set_text(original if text is None else text)
        self.focus()

    def hide_editing(self) -> None:
        if self._editing:
            self._editing = False
            self.reply_bar.hide()
            self._label_button()

    def _on_bar_closed(self) -> None:
        if self._editing:
            self.edit_cancelled.emit()
        else:
            self.reply_cancelled.emit()

    def _on_escape(self) -> None:
        if self._editing:
            self.edit_cancelled.emit()
        elif self.replying:
            self.reply_cancelled.emit()

    # --- attaching -----------------------------------------------------------------------

    def choose_files(self, as_media: bool) -> None:
        """The paper clip's file dialog (several files at once), opened without blocking."""
        if self.file_dialog is not None:
            self.file_dialog.raise_()
            return
        title = self.tr("Send photos or videos") if as_media else self.tr("Send files")
        dialog = QFileDialog(self, title, self._last_folder)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        all_files = self.tr("All files") + " (*)"
        if as_media:
            dialog.setNameFilters([self.tr("Photos and videos") + f" ({MEDIA_PATTERNS})",
                                   all_files])
        else:
            dialog.setNameFilters([all_files])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def chosen(files: list[str]) -> None:
            if files:
                self._last_folder = str(Path(files[0]).parent)
                self.files_chosen.emit(files, as_media)

        dialog.filesSelected.connect(chosen)
        dialog.finished.connect(lambda _result: setattr(self, "file_dialog", None))
        self.file_dialog = dialog
        dialog.open()

    def open_emoji_picker(self) -> None:
        if self.emoji_picker is None:
            self.emoji_picker = EmojiPicker(self._settings, self)
            self.emoji_picker.picked.connect(self._insert_emoji)
        self.emoji_picker.popup_above(self.emoji_button)

    def record_voice(self) -> bool:
        """Start recording over the composer; without a microphone (or PortAudio) the button
        is disabled and says why instead."""
        bar = self.recording_bar
        if bar is None:
            bar = RecordingBar(parent=self)
            bar.recorded.connect(self.voice_recorded)
            bar.cancelled.connect(self.focus)
            self.recording_bar = bar
        if bar.start():
            return True
        self.mic_button.setEnabled(False)
        self.mic_button.setToolTip(bar.reason)
        QToolTip.showText(self.mic_button.mapToGlobal(self.mic_button.rect().center()),
                          bar.reason, self.mic_button)
        return False

    def _insert_emoji(self, emoji: str) -> None:
        self.edit.insertPlainText(emoji)

    # --- look and language ---------------------------------------------------------------

    def retranslate(self) -> None:
        self.edit.setPlaceholderText(self.tr("Write a message…"))
        self.send_button.setAccessibleName(self.tr("Send"))
        self.attach_button.setToolTip(self.tr("Attach photos, videos or files"))
        self.attach_button.setAccessibleName(self.tr("Attach"))
        self._attach_media.setText(self.tr("Photo or video"))
        self._attach_files.setText(self.tr("File"))
        self.emoji_button.setToolTip(self.tr("Emoji"))
        self.emoji_button.setAccessibleName(self.tr("Emoji"))
        if self.mic_button.isEnabled():
            self.mic_button.setToolTip(self.tr("Record a voice message"))
        self.mic_button.setAccessibleName(self.tr("Record a voice message"))
        self.reply_bar.close_button.setToolTip(
            self.tr("Cancel editing") if self._editing else self.tr("Don't reply"))
        self._label_button()

    @property
    def compact(self) -> bool:
        return self.width() < COMPACT_WIDTH

    def _label_button(self) -> None:
        label = self.tr("Save") if self._editing else self.tr("Send")
        self.send_button.setText("" if self.compact else label)
        self.send_button.setToolTip(self.tr("Save the edited message") if self._editing
                                    else self.tr("Send the message"))

    def _apply_theme(self) -> None:
        palette = current_palette()
        self.send_button.setIcon(tinted_icon("send", palette.accent_text, 18))
        self.attach_button.setIcon(tinted_icon("attach", palette.secondary_text, 22))
        self.emoji_button.setIcon(tinted_icon("emoji", palette.secondary_text, 22))
        self.mic_button.setIcon(tinted_icon("mic", palette.secondary_text, 22))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        line = self.edit.height_for(1)
        self.send_button.setFixedHeight(line)
        for button in (self.attach_button, self.emoji_button, self.mic_button):
            button.setFixedHeight(line)
        self._label_button()
        side = 8 if self.compact else 16
        self._layout.setContentsMargins(side, 10, side, 14)
        self._row.setSpacing(2 if self.compact else 6)
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
