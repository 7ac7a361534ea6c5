"""The sign-in window: pick a server, then sign in or create an account (L4), or try the demo.

The window is a form and a translator of failures into words; the work behind it (starting the
embedded service, the HTTP calls) is the `authenticate` coroutine it is given, which either
returns a Credential or raises IMError. While it runs, the form is disabled and the button says
what is happening, so a slow network never looks like a dead button.

Only Qt and the protocol's ID rules are imported here: this window is what a fresh start shows
first, so it must not pull in the SDK or the HTTP client.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.protocol import ErrorCode, IMError
from app.protocol.ids import is_valid_user_id
from app.ui.credentials import Credential
from app.ui.i18n import Retranslatable
from app.ui.resources import app_icon
from app.ui.settings import AppSettings, ServerMode
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, set_primary, theme_controller

log = logging.getLogger(__name__)

FORM_WIDTH = 340
LOGO_SIZE = 64


@dataclass(frozen=True, slots=True)
class LoginForm:
    """What the user asked for."""

    server_mode: ServerMode
    server_url: str
    user_id: str
    password: str
    nick: str
    register: bool
    remember: bool


Authenticate = Callable[[LoginForm], Awaitable[Credential]]


class LoginWindow(Retranslatable, QWidget):
    signed_in = Signal(object, object)
    """(LoginForm, Credential): the service accepted the user; the app takes it from here."""
    demo_requested = Signal()
    closed = Signal()
    """The user closed the window (the app only ever hides it): nothing is left, so quit."""

    def __init__(self, settings: AppSettings, authenticate: Authenticate,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("login")
        self._authenticate = authenticate
        self._tasks = TaskGroup("sign-in")
        self._busy_text = ""
        self._build(settings)
        self.retranslate()
        self._restyle()
        theme_controller().changed.connect(self._restyle)

    # --- public ------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return bool(self._busy_text)

    def prefill(self, user_id: str) -> None:
        """Put a user ID in (after sign-out or a kick) and move to the password."""
        self.user_id.setText(user_id)
        self.password.clear()
        (self.password if user_id else self.user_id).setFocus()

    def set_server(self, mode: ServerMode, url: str = "") -> None:
        self.server.setCurrentIndex(0 if mode == "embedded" else 1)
        self.server_url.setText(url)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def set_busy(self, text: str) -> None:
        """Disable the form and show `text` on the button ("" = ready again)."""
        self._busy_text = text
        for widget in (self.server, self.server_url, self.user_id, self.nick, self.password,
                       self.remember, self.sign_in_tab, self.register_tab, self.demo):
            widget.setEnabled(not text)
        self.submit.setEnabled(not text)
        if text:
            self.show_error("")
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()
        self._retranslate_button()

    def show_demo_failed(self, detail: str) -> None:
        self.set_busy("")
        self.show_error(self.tr("The demo could not start: %1").replace("%1", detail))

    def form(self) -> LoginForm:
        return LoginForm(
            server_mode="embedded" if self.server.currentIndex() == 0 else "url",
            server_url=self.server_url.text().strip(), user_id=self.user_id.text().strip(),
            password=self.password.text(), nick=self.nick.text().strip(),
            register=self.register_tab.isChecked(), remember=self.remember.isChecked())

    def submit_form(self) -> None:
        """Check the form locally, then hand it to `authenticate`."""
        if self.busy:
            return
        form = self.form()
        problem, field = self._local_problem(form)
        if problem:
            self.show_error(problem)
            field.setFocus()
            return
        self.set_busy(self.tr("Creating your account…") if form.register
                      else self.tr("Signing in…"))
        self._tasks.run(self._sign_in(form))

    # --- building ------------------------------------------------------------------------

    def _build(self, settings: AppSettings) -> None:
        self.setWindowIcon(app_icon())
        self.resize(QSize(FORM_WIDTH + 120, 640))

        self.logo = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.logo.setPixmap(app_icon().pixmap(LOGO_SIZE, LOGO_SIZE))
        self.title = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.7)
        title_font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(title_font)
        self.subtitle = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.subtitle.setWordWrap(True)

        self.sign_in_tab = QPushButton(checkable=True, checked=True)
        self.register_tab = QPushButton(checkable=True)
        self._tabs = QButtonGroup(self)
        for tab in (self.sign_in_tab, self.register_tab):
            tab.setObjectName("login-tab")
            tab.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self._tabs.addButton(tab)
        self._tabs.buttonToggled.connect(self._on_mode_changed)
        tabs = QFrame(objectName="login-tabs")
        tabs.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        tabs_row = QHBoxLayout(tabs)
        tabs_row.setContentsMargins(3, 3, 3, 3)
        tabs_row.setSpacing(3)
        tabs_row.addWidget(self.sign_in_tab)
        tabs_row.addWidget(self.register_tab)

        self.server = QComboBox()
        self.server.addItems(["", ""])
        self.server.currentIndexChanged.connect(self._on_server_changed)
        self.server_url = QLineEdit()
        self.server_url.setClearButtonEnabled(True)
        self.user_id = QLineEdit(maxLength=32)
        self.nick = QLineEdit(maxLength=64)
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(checked=settings.remember_me)
        self.error = QLabel(wordWrap=True, visible=False, objectName="login-error")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.submit = QPushButton(objectName="login-submit")
        set_primary(self.submit)
        self.submit.setMinimumHeight(38)
        self.submit.clicked.connect(self.submit_form)
        self.demo = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, objectName="login-demo")
        self.demo.setTextFormat(Qt.TextFormat.RichText)
        self.demo.linkActivated.connect(lambda _link: self.demo_requested.emit())
        for field in (self.server_url, self.user_id, self.nick, self.password):
            field.returnPressed.connect(self.submit_form)

        self.server_label = QLabel(buddy=self.server)
        self.user_id_label = QLabel(buddy=self.user_id)
        self.nick_label = QLabel(buddy=self.nick)
        self.password_label = QLabel(buddy=self.password)
        self._captions = (self.server_label, self.user_id_label, self.nick_label,
                          self.password_label)

        form = QVBoxLayout()
        form.setSpacing(0)
        form.addWidget(tabs)
        form.addSpacing(20)
        self._field(form, self.server_label, self.server)
        form.addSpacing(6)
        form.addWidget(self.server_url)
        form.addSpacing(14)
        self._field(form, self.user_id_label, self.user_id)
        form.addSpacing(14)
        self._nick_box = QWidget()
        nick_layout = QVBoxLayout(self._nick_box)
        nick_layout.setContentsMargins(0, 0, 0, 14)
        nick_layout.setSpacing(0)
        self._field(nick_layout, self.nick_label, self.nick)
        form.addWidget(self._nick_box)
        self._field(form, self.password_label, self.password)
        form.addSpacing(14)
        form.addWidget(self.remember)
        form.addSpacing(12)
        form.addWidget(self.error)
        form.addSpacing(12)
        form.addWidget(self.submit)

        for label in (self.logo, self.title, self.subtitle, self.error, self.demo,
                      *self._captions):
            # Labels keep their height: spare room goes to the margins, not between lines.
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        column = QWidget()
        column.setFixedWidth(FORM_WIDTH)
        column.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        column_layout = QVBoxLayout(column)
        column_layout.setContentsMargins(0, 0, 0, 0)
        column_layout.setSpacing(0)
        column_layout.addWidget(self.logo)
        column_layout.addSpacing(10)
        column_layout.addWidget(self.title)
        column_layout.addSpacing(4)
        column_layout.addWidget(self.subtitle)
        column_layout.addSpacing(24)
        column_layout.addLayout(form)

        outer = QVBoxLayout(self)
        outer.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # never squeeze fields
        outer.setContentsMargins(40, 36, 40, 24)
        outer.addStretch(1)
        outer.addWidget(column, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        outer.addSpacing(16)
        outer.addWidget(self.demo)

        self.set_server(settings.server_mode, settings.server_url)
        self._on_server_changed(self.server.currentIndex())
        self._on_mode_changed()
        if settings.last_user_id:
            self.user_id.setText(settings.last_user_id)

    @staticmethod
    def _field(layout: QVBoxLayout, caption: QLabel, field: QWidget) -> None:
        layout.addWidget(caption)
        layout.addSpacing(6)
        layout.addWidget(field)

    # --- behaviour -----------------------------------------------------------------------

    def _on_mode_changed(self, *_args: object) -> None:
        registering = self.register_tab.isChecked()
        self._nick_box.setVisible(registering)
        self.show_error("")
        self.retranslate()

    def _on_server_changed(self, index: int) -> None:
        self.server_url.setVisible(index == 1)
        if index == 1 and self.isVisible():
            self.server_url.setFocus()

    def _local_problem(self, form: LoginForm) -> tuple[str, QWidget]:
        """What can be said without asking the service, and the field to fix."""
        if form.server_mode == "url" and not form.server_url:
            return self.tr("Enter the address of your Tidings server."), self.server_url
        if not form.user_id:
            return self.tr("Enter your user ID."), self.user_id
        if not is_valid_user_id(form.user_id):
            return self._invalid_user_id(), self.user_id
        if not form.password:
            return (self.tr("Choose a password.") if form.register
                    else self.tr("Enter your password.")), self.password
        return "", self.submit

    async def _sign_in(self, form: LoginForm) -> None:
        try:
            credential = await self._authenticate(form)
        except IMError as error:
            self.set_busy("")
            self._failed(form, error)
            return
        except Exception:
            log.exception("sign-in failed")
            self.set_busy("")
            self._failed(form, IMError(ErrorCode.INTERNAL_ERROR))
            return
        self.set_busy("")
        self.password.clear()
        self.signed_in.emit(form, credential)

    def _failed(self, form: LoginForm, error: IMError) -> None:
        self.show_error(self.error_text(error, form))
        if error.code in (ErrorCode.WRONG_CREDENTIALS, ErrorCode.PASSWORD_TOO_WEAK):
            self.password.selectAll()
            self.password.setFocus()
        elif error.code in (ErrorCode.INVALID_USER_ID, ErrorCode.USER_EXISTS):
            self.user_id.selectAll()
            self.user_id.setFocus()

    def error_text(self, error: IMError, form: LoginForm) -> str:
        """A refusal in words a person can act on."""
        code = error.code
        if code == ErrorCode.WRONG_CREDENTIALS:
            return self.tr("Wrong user ID or password.")
        if code == ErrorCode.INVALID_USER_ID:
            return self._invalid_user_id()
        if code == ErrorCode.USER_EXISTS:
            return self.tr("The user ID “%1” is already taken. Choose another one, or sign "
                           "in if it is yours.").replace("%1", form.user_id)
        if code == ErrorCode.PASSWORD_TOO_WEAK:
            return self.tr("That password is too weak. Use at least 6 characters.")
        if code == ErrorCode.REGISTRATION_DISABLED:
            return self.tr("This server does not let people create accounts. Ask its "
                           "administrator for one.")
        if code == ErrorCode.SDK_INVALID_PARAMETERS and form.server_mode == "url":
            return self.tr("“%1” is not a server address. Try one like "
                           "http://im.example.com:8700.").replace("%1", form.server_url)
        if code == ErrorCode.UNKNOWN_API:
            return self.tr("No Tidings server answers at this address. Check it and try "
                           "again.")
        if code == ErrorCode.SDK_REQUEST_TIMEOUT:
            return self.tr("The server took too long to answer. Try again in a moment.")
        if code == ErrorCode.SDK_NETWORK_UNAVAILABLE:
            if form.server_mode == "embedded":
                return self.tr("The Tidings service on this computer could not start.")
            return self.tr("Can't reach the server. Check the address and your connection.")
        return self.tr("Something went wrong (%1). Try again.").replace("%1", str(int(code)))

    def _invalid_user_id(self) -> str:
        return self.tr("A user ID is 1–32 letters, digits, “_” or “-” (no spaces).")

    # --- language and theme --------------------------------------------------------------

    def retranslate(self) -> None:
        registering = self.register_tab.isChecked()
        self.setWindowTitle(self.tr("Create a Tidings account") if registering
                            else self.tr("Sign in to Tidings"))
        self.title.setText("Tidings")
        self.subtitle.setText(self.tr("Create an account to start chatting.") if registering
                              else self.tr("Welcome back! Sign in to start chatting."))
        self.sign_in_tab.setText(self.tr("Sign in"))
        self.register_tab.setText(self.tr("Create account"))
        self.server_label.setText(self.tr("Server"))
        self.server.setItemText(0, self.tr("This computer"))
        self.server.setItemText(1, self.tr("Another server…"))
        self.server_url.setPlaceholderText("http://im.example.com:8700")
        self.user_id_label.setText(self.tr("User ID"))
        self.user_id.setPlaceholderText(self.tr("Letters, digits, _ or -"))
        self.nick_label.setText(self.tr("Nickname"))
        self.nick.setPlaceholderText(self.tr("How others see you (optional)"))
        self.password_label.setText(self.tr("Password"))
        self.password.setPlaceholderText(self.tr("At least 6 characters") if registering
                                         else "")
        self.remember.setText(self.tr("Keep me signed in"))
        self.remember.setToolTip(self.tr("Sign in automatically next time. Your password is "
                                         "never stored."))
        link = self.tr("Try the demo")
        self.demo.setText(self.tr("New to Tidings? %1").replace(
            "%1", f'<a href="demo">{link}</a>'))
        self._retranslate_button()

    def _retranslate_button(self) -> None:
        if self._busy_text:
            self.submit.setText(self._busy_text)
        else:
            self.submit.setText(self.tr("Create account") if self.register_tab.isChecked()
                                else self.tr("Sign in"))

    def _restyle(self) -> None:
        """Colours that the app stylesheet has no role for: captions, the error, the tabs."""
        p = current_palette()
        secondary, danger = p.secondary_text.name(), p.danger.name()
        self.subtitle.setStyleSheet(f"color: {secondary};")
        for caption in self._captions:
            caption.setStyleSheet(f"color: {secondary}; font-weight: 600;")
        self.error.setStyleSheet(f"color: {danger};")
        self.demo.setStyleSheet(f"color: {secondary};")
        self.setStyleSheet(
            f"QFrame#login-tabs {{ background: {p.input_bg.name()}; border-radius: 9px; }}"
            f"QPushButton#login-tab {{ background: transparent; border: none;"
            f" border-radius: 7px; padding: 6px 12px; color: {secondary}; }}"
            f"QPushButton#login-tab:checked {{ background: {p.list_bg.name()};"
            f" color: {p.text.name()}; font-weight: 600; }}"
            f"QPushButton#login-tab:hover:!checked {{ color: {p.text.name()}; }}")

    # --- window --------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.busy:
            (self.password if self.user_id.text() else self.user_id).setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._tasks.cancel_all()
        super().closeEvent(event)
        if event.isAccepted():
            self.closed.emit()
