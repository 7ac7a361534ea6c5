"""My profile: the face, name and lines others see, and who may add me — edited in one place.

    [ face ]  Change photo  Remove photo       ← click: choose a picture, then frame it
    Name        [Alice Chen            ]
    Bio         [Out running           ]
    Gender      [Not set ▾]
    Birthday    [Not set ▾] ×
    Region      [Shanghai   ]
    Who can add me   (•) Anyone ( ) Ask me first ( ) Nobody
                                                 [Cancel] [Save]

Choosing a picture (or dropping one on the dialog) decodes it off the GUI thread and turns the
dialog over to the crop view (the picture under a fixed round frame, dragged and zoomed); "Use
photo" comes back with the framed square shown at once. Nothing leaves the device before Save:
then the picture is uploaded first (live — it needs the link, so offline Save says so and
keeps everything as typed) and one `set_self_info` carries every changed field with the new
face. That change goes through the SDK's operation queue: answered None, it waits for the
link, and the dialog says it is kept. Non-modal, opened with `open()` (a nested event loop
would break qasync).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSlider,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.protocol import ErrorCode, IMError
from app.protocol.friends import AllowType, Gender
from app.sdk import IMClient, UserInfo
from app.ui.avatar_picture import Picture, load_preview
from app.ui.friend_texts import error_text, gender_name, queued_text
from app.ui.i18n import Retranslatable
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, set_primary, theme_controller
from app.ui.views.add_friend import fits
from app.ui.widgets.avatar import AvatarLabel
from app.ui.widgets.avatar_cropper import MAX_ZOOM, AvatarCropper
from app.ui.widgets.icons import tinted_icon, tinted_pixmap

FACE = 96
NICK_BYTES = 64
SIGNATURE_BYTES = 500
REGION_BYTES = 16
NO_BIRTHDAY = QDate(1900, 1, 1)
"""The birthday field's minimum, shown as "Not set"."""
PICTURE_FILTER = "*.jpg *.jpeg *.png *.gif *.webp *.bmp"
ZOOM_STEPS = 100


def birthday_of(date: QDate) -> int:
    return 0 if date <= NO_BIRTHDAY else date.year() * 10000 + date.month() * 100 + date.day()


def date_of(birthday: int) -> QDate:
    date = QDate(birthday // 10000, birthday // 100 % 100, birthday % 100)
    return date if birthday > 0 and date.isValid() and date > NO_BIRTHDAY else NO_BIRTHDAY


class _FacePicker(AvatarLabel):
    """My face with a camera badge: a click chooses a new picture."""

    clicked = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(FACE, parent)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a ring for the keyboard, not on a click

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        palette = current_palette()
        painter = QPainter(self)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.SmoothPixmapTransform)
        side = 30.0
        badge = QRectF(FACE - side, FACE - side, side, side)
        painter.setPen(QPen(palette.window, 2.5))
        painter.setBrush(palette.accent)
        painter.drawEllipse(badge.adjusted(1, 1, -1, -1))
        glyph = tinted_pixmap("picture", palette.accent_text, 16, self.devicePixelRatioF())
        painter.drawPixmap(QPointF(badge.center().x() - 8, badge.center().y() - 8), glyph)
        if self.hasFocus():
            painter.setPen(QPen(palette.accent, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QRectF(1, 1, FACE - 2, FACE - 2))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()):
            self.clicked.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.clicked.emit()
        else:
            super().keyPressEvent(event)


class MyProfileDialog(Retranslatable, QDialog):
    def __init__(self, client: IMClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("myProfileDialog")
        self._client = client
        self._tasks = TaskGroup("my profile")
        me = client.me
        self._before = client.profiles.user_info(me) or UserInfo(me)
        self._picture: tuple[Path, tuple[int, int, int, int]] | None = None
        """The chosen file and the square framed in it, uploaded on Save."""
        self._chosen: Path | None = None
        self._remove_face = False
        """Remove photo was chosen: Save clears my face."""
        self._finished = False

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._form_page())
        self.pages.addWidget(self._crop_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.setMinimumWidth(540)
        self.setAcceptDrops(True)

        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)  # Return means Save (or Use photo), never a link
        self._show_page(0)
        self._fill(self._before)
        self.finished.connect(lambda _r: self._tasks.cancel_all())
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()
        self.show_face(None)

    # --- building ------------------------------------------------------------------------

    def _form_page(self) -> QWidget:
        page = QWidget(self)
        self.face = _FacePicker(page)
        self.face.clicked.connect(self.choose_picture)
        self.change_photo = QPushButton(page)
        self.change_photo.setObjectName("linkButton")
        self.change_photo.setFlat(True)
        self.change_photo.setCursor(Qt.CursorShape.PointingHandCursor)
        self.change_photo.clicked.connect(self.choose_picture)
        self.remove_photo = QPushButton(page)
        self.remove_photo.setObjectName("linkButton")
        self.remove_photo.setFlat(True)
        self.remove_photo.setCursor(Qt.CursorShape.PointingHandCursor)
        self.remove_photo.clicked.connect(self.remove_picture)
        links = QHBoxLayout()
        links.setSpacing(16)
        links.addWidget(self.change_photo)
        links.addWidget(self.remove_photo)
        links.addStretch(1)
        self.id_line = QLabel(page)
        self.id_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        head_text = QVBoxLayout()
        head_text.setSpacing(4)
        head_text.addStretch(1)
        self.title = QLabel(page)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        head_text.addWidget(self.title)
        head_text.addWidget(self.id_line)
        head_text.addLayout(links)
        head_text.addStretch(1)
        head = QHBoxLayout()
        head.setSpacing(18)
        head.addWidget(self.face)
        head.addLayout(head_text, 1)

        self.nickname = QLineEdit(page)
        self.signature = QLineEdit(page)
        self.gender = QComboBox(page)
        for _ in (Gender.UNKNOWN, Gender.MALE, Gender.FEMALE):
            self.gender.addItem("")
        self.birthday = QDateEdit(page)
        self.birthday.setCalendarPopup(True)
        self.birthday.setMinimumDate(NO_BIRTHDAY)
        self.birthday.setMaximumDate(QDate.currentDate())
        self.birthday.calendarWidget().installEventFilter(self)
        self.clear_birthday = QToolButton(page)
        self.clear_birthday.setIcon(tinted_icon("dismiss", current_palette().secondary_text))
        self.clear_birthday.setAutoRaise(True)
        self.clear_birthday.clicked.connect(lambda: self.birthday.setDate(NO_BIRTHDAY))
        birthday = QHBoxLayout()
        birthday.setSpacing(4)
        birthday.addWidget(self.birthday, 1)
        birthday.addWidget(self.clear_birthday)
        self.region = QLineEdit(page)
        self.allow = QButtonGroup(page)
        self.allow_buttons: dict[AllowType, QRadioButton] = {}
        allow_row = QHBoxLayout()
        allow_row.setSpacing(16)
        for kind in AllowType:
            button = QRadioButton(page)
            self.allow.addButton(button, int(kind))
            self.allow_buttons[kind] = button
            allow_row.addWidget(button)
        allow_row.addStretch(1)
        self.allow_hint = QLabel(page)
        self.allow_hint.setWordWrap(True)
        choices = QWidget(page)
        choices.setLayout(allow_row)
        allow_row.setContentsMargins(0, 0, 0, 0)
        allow = QVBoxLayout()
        allow.setSpacing(2)
        allow.addWidget(choices)
        allow.addWidget(self.allow_hint)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.form.setHorizontalSpacing(16)
        self.form.setVerticalSpacing(10)
        self.labels: dict[str, QLabel] = {}
        line = self.nickname.sizeHint().height()
        for key, field in (("nick", self.nickname), ("signature", self.signature),
                           ("gender", self.gender), ("birthday", birthday),
                           ("region", self.region), ("allow", allow)):
            label = QLabel(page)
            self.labels[key] = label
            self.form.addRow(label, field)
            # Labels sit at their row's top, as tall as a one-line field and centred in that:
            # level with the field, and with the choices rather than choices and hint.
            label.setFixedHeight(line)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        choices.setFixedHeight(line)
        self.birthday.setFixedHeight(line)

        self.status = QLabel(page)
        self.status.setObjectName("profileStatus")
        self.status.setWordWrap(True)
        self.status.hide()
        self.cancel_button = QPushButton(page)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button = QPushButton(page)
        set_primary(self.save_button)
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)

        column = QVBoxLayout(page)
        column.setContentsMargins(24, 22, 24, 18)
        column.setSpacing(14)
        column.addLayout(head)
        column.addSpacing(4)
        column.addLayout(self.form)
        column.addWidget(self.status)
        column.addStretch(1)
        column.addLayout(buttons)
        for field in (self.nickname, self.signature, self.region):
            field.textChanged.connect(self._check)  # Return: the default button, Save
        self.gender.currentIndexChanged.connect(self._check)
        self.birthday.dateChanged.connect(self._check)
        self.allow.idToggled.connect(lambda _id, _on: self._check())
        return page

    def _crop_page(self) -> QWidget:
        page = QWidget(self)
        self.crop_title = QLabel(page)
        font = QFont(self.crop_title.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setWeight(QFont.Weight.DemiBold)
        self.crop_title.setFont(font)
        self.crop_hint = QLabel(page)
        self.cropper = AvatarCropper(page)
        self.zoom_out = QLabel(page)
        self.zoom_in = QLabel(page)
        self.zoom = QSlider(Qt.Orientation.Horizontal, page)
        self.zoom.setRange(0, ZOOM_STEPS)
        self.zoom.valueChanged.connect(
            lambda v: self.cropper.set_zoom(1 + (MAX_ZOOM - 1) * v / ZOOM_STEPS))
        self.cropper.zoom_changed.connect(self._zoom_moved)
        zoom = QHBoxLayout()
        zoom.setSpacing(10)
        zoom.addWidget(self.zoom_out)
        zoom.addWidget(self.zoom, 1)
        zoom.addWidget(self.zoom_in)
        self.back_button = QPushButton(page)
        self.back_button.clicked.connect(self._back)
        self.use_button = QPushButton(page)
        set_primary(self.use_button)
        self.use_button.clicked.connect(self.use_picture)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.use_button)
        column = QVBoxLayout(page)
        column.setContentsMargins(24, 22, 24, 18)
        column.setSpacing(12)
        column.addWidget(self.crop_title)
        column.addWidget(self.crop_hint)
        column.addWidget(self.cropper, 1)
        column.addLayout(zoom)
        column.addLayout(buttons)
        return page

    def _fill(self, info: UserInfo) -> None:
        self.nickname.setText(info.nick_name)
        self.signature.setText(info.self_signature)
        self.gender.setCurrentIndex(info.gender if 0 <= info.gender <= 2 else 0)
        self.birthday.setDate(date_of(info.birthday))
        self.region.setText(info.location)
        allow = info.allow_type if info.allow_type in tuple(AllowType) else AllowType.NEED_CONFIRM
        self.allow_buttons[AllowType(allow)].setChecked(True)

    def show_face(self, image: QImage | None) -> None:
        """My current face (the rail's image) until a new picture is chosen."""
        if self._picture is None and not self._remove_face:
            self.face.set_avatar(self._client.me, self._display_name(), image)

    # --- choosing and framing a picture --------------------------------------------------

    def choose_picture(self) -> None:
        dialog = QFileDialog(self, self.tr("Choose a photo"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([self.tr("Pictures (%1)").replace("%1", PICTURE_FILTER)])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda name: self.open_picture(Path(name)))
        dialog.open()

    def open_picture(self, path: Path) -> None:
        """A file chosen: read it off the GUI thread, then frame it in the crop view."""
        self._tell(self.tr("Opening the picture…"))
        self._chosen = path
        self._tasks.run(load_preview(path), on_done=self._framing, on_error=self._unreadable)

    def _framing(self, picture: Picture) -> None:
        self._tell("")
        self.cropper.set_image(picture.image, picture.source_size)
        self.zoom.setValue(0)
        self._show_page(1)
        self.cropper.setFocus()

    def _unreadable(self, error: IMError) -> None:
        self._chosen = None
        self._tell(self._picture_error(error), error=True)

    def _zoom_moved(self, zoom: float) -> None:
        self.zoom.blockSignals(True)
        self.zoom.setValue(round((zoom - 1) / (MAX_ZOOM - 1) * ZOOM_STEPS))
        self.zoom.blockSignals(False)

    def use_picture(self) -> None:
        """Back to the form with the framed square as my face (uploaded on Save)."""
        if self._chosen is None:
            return
        self._picture = (self._chosen, self.cropper.crop())
        self._remove_face = False
        side = round(FACE * self.devicePixelRatioF())
        self.face.set_avatar(self._client.me, self._display_name(),
                             self.cropper.cropped_preview(side))
        self._show_page(0)
        self._check()

    def remove_picture(self) -> None:
        """Back to initials: a picture chosen is dropped, and a face I have is cleared on
        Save."""
        self._picture = self._chosen = None
        self._remove_face = bool(self._before.face_url)
        self.face.set_avatar(self._client.me, self._display_name(), None)
        self._check()

    def _back(self) -> None:
        self._chosen = self._picture[0] if self._picture else None
        self._show_page(0)

    def _show_page(self, index: int) -> None:
        """Each page's main button answers Return."""
        self.pages.setCurrentIndex(index)
        (self.save_button if index == 0 else self.use_button).setDefault(True)
        (self.use_button if index == 0 else self.save_button).setDefault(False)

    def reject(self) -> None:
        """Escape in the crop view leaves the picture, not the whole dialog and its edits."""
        if self.pages.currentIndex() == 1:
            self._back()
        else:
            super().reject()

    def showEvent(self, event: QShowEvent) -> None:
        """The name field takes the focus with the cursor at its end, not all selected (a
        first key press would otherwise replace the name)."""
        super().showEvent(event)
        QTimer.singleShot(0, self, self._focus_name)

    def _focus_name(self) -> None:
        self.nickname.setFocus()
        self.nickname.end(False)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """A picture file dropped on the dialog is chosen as if picked in the file dialog."""
        if self._dropped_file(event) is not None and self.pages.currentIndex() == 0:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event)
        if path is not None:
            event.acceptProposedAction()
            self.open_picture(path)

    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
        urls = event.mimeData().urls()
        if len(urls) != 1 or not urls[0].isLocalFile():
            return None
        return Path(urls[0].toLocalFile())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The calendar of an unset birthday opens on a likely year, not on 1900."""
        if (event.type() == QEvent.Type.Show and watched is self.birthday.calendarWidget()
                and self.birthday.date() <= NO_BIRTHDAY):
            self.birthday.calendarWidget().setCurrentPage(QDate.currentDate().year() - 25, 1)
        return super().eventFilter(watched, event)

    # --- saving --------------------------------------------------------------------------

    def changes(self) -> dict[str, Any]:
        """The fields that differ from my profile as the dialog opened with."""
        before = self._before
        now: dict[str, Any] = {
            "nick": self.nickname.text().strip(),
            "self_signature": self.signature.text().strip(),
            "gender": self.gender.currentIndex(),
            "birthday": birthday_of(self.birthday.date()),
            "location": self.region.text().strip(),
            "allow_type": self.allow.checkedId(),
        }
        was = {"nick": before.nick_name, "self_signature": before.self_signature,
               "gender": before.gender, "birthday": before.birthday,
               "location": before.location, "allow_type": before.allow_type}
        changes = {key: value for key, value in now.items() if value != was[key]}
        if self._remove_face:
            changes["face_url"] = ""
        return changes

    def _too_long(self) -> str:
        if not fits(self.nickname.text().strip(), NICK_BYTES):
            return self.tr("The name is at most 64 bytes (a Chinese character takes 3).")
        if not fits(self.signature.text().strip(), SIGNATURE_BYTES):
            return self.tr("The bio is at most 500 bytes (a Chinese character takes 3).")
        if not fits(self.region.text().strip(), REGION_BYTES):
            return self.tr("The region is at most 16 bytes (a Chinese character takes 3).")
        return ""

    def _check(self, *_args: object) -> None:
        if self._finished:
            self._finished = False
            self.cancel_button.show()
            self.retranslate()
        problem = self._too_long()
        if problem:
            self._tell(problem, error=True)
        elif self.status.property("tooLong"):
            self._tell("")
        self.status.setProperty("tooLong", bool(problem))
        self.save_button.setEnabled(not problem and not self._tasks.busy)
        allow = AllowType(self.allow.checkedId()) if self.allow.checkedId() >= 0 else None
        self.allow_hint.setText(self._allow_hint(allow))
        self.clear_birthday.setVisible(self.birthday.date() > NO_BIRTHDAY)
        self.remove_photo.setVisible(self._picture is not None or (
            bool(self._before.face_url) and not self._remove_face))

    def save(self) -> None:
        if self._finished:
            self.accept()
            return
        if not self.save_button.isEnabled():
            return
        changes = self.changes()
        if not changes and self._picture is None:
            self.accept()
            return
        self.save_button.setEnabled(False)
        self._tell(self.tr("Uploading the photo…") if self._picture else self.tr("Saving…"))
        self._tasks.run(self._send(changes), on_done=self._saved, on_error=self._refused)

    async def _send(self, changes: dict[str, Any]) -> UserInfo | None:
        if self._picture is not None:
            path, crop = self._picture
            changes["face_url"] = await self._client.upload_avatar(path, crop)
            self._tell(self.tr("Saving…"))
        return await self._client.set_self_info(**changes)

    def _saved(self, info: UserInfo | None) -> None:
        if info is not None:
            self.accept()
            return
        self._tell(queued_text())
        self._finished = True
        self.save_button.setEnabled(True)
        self.save_button.setText(self.tr("Close"))
        self.cancel_button.hide()

    def _refused(self, error: IMError) -> None:
        self.save_button.setEnabled(True)
        self._tell(self._picture_error(error), error=True)

    def _picture_error(self, error: IMError) -> str:
        if error.code == ErrorCode.SDK_IMAGE_INVALID:
            return self.tr("That file is not a picture Tidings can read. Choose a JPEG, PNG, "
                           "GIF, WebP or BMP picture.")
        if error.code == ErrorCode.SDK_IMAGE_TOO_MANY_PIXELS:
            return self.tr("That picture is too large to open safely (more than 50 megapixels).")
        if error.code == ErrorCode.SDK_MEDIA_TOO_LARGE:
            return self.tr("That file is too large; a photo may be at most 28 MB.")
        if error.code == ErrorCode.SDK_FILE_UNREADABLE:
            return self.tr("That file cannot be read.")
        if error.code in (ErrorCode.SDK_NETWORK_UNAVAILABLE, ErrorCode.SDK_NOT_LOGGED_IN) \
                and self._picture is not None:
            return self.tr("You are offline, so the photo cannot be uploaded. Try again once "
                           "connected.")
        return error_text(error)

    def _tell(self, text: str, *, error: bool = False) -> None:
        palette = current_palette()
        color = palette.danger if error else palette.secondary_text
        self.status.setStyleSheet(f"color: {color.name()}")
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # --- look and language ---------------------------------------------------------------

    def _display_name(self) -> str:
        return self.nickname.text().strip() or self._client.me

    def _allow_hint(self, allow: AllowType | None) -> str:
        if allow == AllowType.ALLOW_ANY:
            return self.tr("Anyone with your ID can add you; no request to accept.")
        if allow == AllowType.DENY_ANY:
            return self.tr("Friend requests to you are refused.")
        return self.tr("Requests wait in New friends until you accept them.")

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("My profile"))
        self.title.setText(self.tr("My profile"))
        self.id_line.setText(self.tr("User ID: %1").replace("%1", self._client.me))
        self.change_photo.setText(self.tr("Change photo"))
        self.remove_photo.setText(self.tr("Remove photo"))
        self.face.setToolTip(self.tr("Change photo"))
        self.face.setAccessibleName(self.tr("Change photo"))
        for key, text in (("nick", self.tr("Name")), ("signature", self.tr("Bio")),
                          ("gender", self.tr("Gender")), ("birthday", self.tr("Birthday")),
                          ("region", self.tr("Region")), ("allow", self.tr("Who can add me"))):
            self.labels[key].setText(text)
        self.nickname.setPlaceholderText(self.tr("The name others see"))
        self.signature.setPlaceholderText(self.tr("A few words about you"))
        self.region.setPlaceholderText(self.tr("e.g. Shanghai"))
        self.gender.setItemText(0, self.tr("Not set"))
        self.gender.setItemText(1, gender_name(Gender.MALE))
        self.gender.setItemText(2, gender_name(Gender.FEMALE))
        self.birthday.setSpecialValueText(self.tr("Not set"))
        self.clear_birthday.setToolTip(self.tr("Remove the birthday"))
        self.allow_buttons[AllowType.ALLOW_ANY].setText(self.tr("Anyone"))
        self.allow_buttons[AllowType.NEED_CONFIRM].setText(self.tr("Ask me first"))
        self.allow_buttons[AllowType.DENY_ANY].setText(self.tr("Nobody"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.save_button.setText(self.tr("Close") if self._finished else self.tr("Save"))
        self.crop_title.setText(self.tr("Position your photo"))
        self.crop_hint.setText(self.tr("Drag to move it, scroll or use the slider to zoom."))
        self.zoom.setAccessibleName(self.tr("Zoom"))
        self.back_button.setText(self.tr("Back"))
        self.use_button.setText(self.tr("Use photo"))
        self._check()

    def _apply_theme(self) -> None:
        palette = current_palette()
        secondary = f"color: {palette.secondary_text.name()}"
        for label in (*self.labels.values(), self.id_line, self.allow_hint, self.crop_hint):
            label.setStyleSheet(secondary)
        for link, color in ((self.change_photo, palette.link),
                            (self.remove_photo, palette.secondary_text)):
            link.setStyleSheet(
                f"QPushButton {{ color: {color.name()}; border: none; padding: 0;"
                " background: transparent; text-align: left; }"
                "QPushButton:hover { text-decoration: underline; }")
        self.clear_birthday.setIcon(tinted_icon("dismiss", palette.secondary_text))
        # Fusion's radio rings and slider handle all but vanish on the dark theme
        self.setStyleSheet(
            "QRadioButton::indicator { width: 12px; height: 12px; border-radius: 8px;"
            f" border: 2px solid {palette.secondary_text.name()};"
            f" background: {palette.input_bg.name()}; }}"
            "QRadioButton::indicator:checked { width: 8px; height: 8px;"
            f" border: 4px solid {palette.accent.name()}; background: {palette.window.name()}; }}"
            "QSlider::groove:horizontal { height: 4px; border-radius: 2px;"
            f" background: {palette.separator.name()}; }}"
            "QSlider::sub-page:horizontal { height: 4px; border-radius: 2px;"
            f" background: {palette.accent.name()}; }}"
            "QSlider::handle:horizontal { width: 16px; height: 16px; margin: -6px 0;"
            f" border-radius: 8px; background: {palette.accent.name()}; }}")
        side = 18
        self.zoom_out.setPixmap(tinted_pixmap("viewer-zoom-out", palette.secondary_text, side,
                                              self.devicePixelRatioF()))
        self.zoom_in.setPixmap(tinted_pixmap("viewer-zoom-in", palette.secondary_text, side,
                                             self.devicePixelRatioF()))
        self.face.update()
