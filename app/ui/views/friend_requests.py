"""The "New friends" inbox: requests to me (Refuse, Accept, Accept and add back) and the ones
I sent, still waiting (Withdraw).

Requests are few and each needs real buttons, so rows are widgets, rebuilt from the SDK's
list whenever the bridge says it changed (the SDK answers from memory). A request being decided
keeps its buttons disabled until the service answers, so a double click cannot decide twice;
what the service said, when it is not what the user asked for, shows above the list.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.protocol import ErrorCode, IMError
from app.protocol.friends import AcceptType, ApplicationType, FriendApplication, FriendResult
from app.sdk import FriendApplicationResult, IMClient
from app.ui.faces import FaceStore, faces_of
from app.ui.formatting import list_time
from app.ui.friend_texts import add_result_text, error_text, queued_text
from app.ui.i18n import Retranslatable
from app.ui.tasks import TaskGroup
from app.ui.theme import current_palette, set_primary, theme_controller
from app.ui.widgets.face_label import FaceLabel
from app.ui.widgets.row_column import EmptyState, RowColumn


def applicant_name(client: IMClient, application: FriendApplication) -> str:
    """Their nickname as the request carries it (or as I know it), else their ID."""
    profile = client.profiles.get(application.user_id)
    return application.nick or (profile.nick if profile else "") or application.user_id


def applicant_face(client: IMClient, application: FriendApplication) -> str:
    """Their face URL as the request carries it, or as I know it."""
    profile = client.profiles.get(application.user_id)
    return application.face_url or (profile.face_url if profile else "")


class RequestRow(QFrame):
    """One request; `incoming` ones get the three decisions, sent ones Withdraw."""

    def __init__(self, application: FriendApplication, name: str, face_url: str, busy: bool,
                 parent: QWidget, faces: FaceStore) -> None:
        super().__init__(parent)
        self.setObjectName("friendRequestRow")
        self.application = application
        self.incoming = application.type == ApplicationType.COME_IN
        self.avatar = avatar = FaceLabel(44, self, faces)
        avatar.set_face(application.user_id, name, face_url)
        self.who = QLabel(name, self)
        font = QFont(self.who.font())
        font.setWeight(QFont.Weight.DemiBold)
        self.who.setFont(font)
        self.who.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.details = QLabel(self)
        self.details.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.wording = QLabel(f"“{application.add_wording}”" if application.add_wording
                              else "", self)
        self.wording.setWordWrap(True)
        self.wording.setVisible(bool(application.add_wording))
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.who)
        texts.addWidget(self.details)
        texts.addWidget(self.wording)
        self.buttons: list[QPushButton] = []
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 12, 20, 12)
        row.setSpacing(12)
        row.addWidget(avatar, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(texts, 1)
        if self.incoming:
            self.refuse_button = self._button(row)
            self.accept_button = self._button(row)
            self.accept_add_button = self._button(row)
            set_primary(self.accept_add_button)
        else:
            self.withdraw_button = self._button(row)
        for button in self.buttons:
            button.setEnabled(not busy)

    def _button(self, row: QHBoxLayout) -> QPushButton:
        button = QPushButton(self)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.buttons.append(button)
        return button


class FriendRequestsView(Retranslatable, QWidget):
    def __init__(self, client: IMClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._tasks = TaskGroup("friend requests")
        self._listed: list[FriendApplication] = []
        self._busy: set[tuple[str, int]] = set()
        self.rows: list[RequestRow] = []
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.scroll = RowColumn(self, "friendRequestsContent")
        self._content, self._rows_layout = self.scroll.content, self.scroll.rows
        self.sent_heading = QLabel(self._content)
        self.sent_heading.setObjectName("sentHeading")
        self.empty = EmptyState(self)
        self.empty_title, self.empty_text = self.empty.title, self.empty.text
        head = QVBoxLayout()
        head.setContentsMargins(20, 16, 20, 10)
        head.setSpacing(8)
        head.addWidget(self.title)
        head.addWidget(self.notice)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(head)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.empty, 1)
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()
        self._rebuild()

    def refresh(self) -> None:
        """Read the requests again (the SDK answers from memory)."""
        self._tasks.run(self._client.friendship_manager.get_friend_application_list(),
                        on_done=self._show)

    def stop(self) -> None:
        self._tasks.cancel_all()

    def _show(self, result: FriendApplicationResult) -> None:
        self._listed = result.applications
        self._rebuild()

    def _rebuild(self) -> None:
        for row in self.rows:
            row.deleteLater()
        self.rows = []
        incoming = [a for a in self._listed if a.type == ApplicationType.COME_IN]
        sent = [a for a in self._listed if a.type == ApplicationType.SEND_OUT]
        self._rows_layout.removeWidget(self.sent_heading)
        at = 0
        for application in incoming + sent:
            if application is (sent[0] if sent else None) and incoming:
                self._rows_layout.insertWidget(at, self.sent_heading)
                at += 1
            row = RequestRow(application, applicant_name(self._client, application),
                             applicant_face(self._client, application),
                             (application.user_id, application.type) in self._busy,
                             self._content, faces_of(self._client))
            self._connect(row)
            self._rows_layout.insertWidget(at, row)
            at += 1
            self.rows.append(row)
        self.sent_heading.setVisible(bool(incoming and sent))
        self._retranslate_rows()
        self._apply_theme()
        self.empty.setVisible(not self.rows)
        self.scroll.setVisible(bool(self.rows))

    def _connect(self, row: RequestRow) -> None:
        manager = self._client.friendship_manager
        application = row.application
        if row.incoming:
            row.refuse_button.clicked.connect(lambda: self._decide(
                application, manager.refuse_friend_application(application)))
            row.accept_button.clicked.connect(lambda: self._decide(
                application, manager.accept_friend_application(application, AcceptType.AGREE)))
            row.accept_add_button.clicked.connect(lambda: self._decide(
                application, manager.accept_friend_application(
                    application, AcceptType.AGREE_AND_ADD)))
        else:
            row.withdraw_button.clicked.connect(lambda: self._decide(
                application, manager.delete_friend_application(application)))

    def _decide(self, application: FriendApplication,
                call: Coroutine[Any, Any, FriendResult | None]) -> None:
        key = (application.user_id, application.type)
        self._busy.add(key)
        for row in self.rows:
            if row.application is application:
                for button in row.buttons:
                    button.setEnabled(False)
        self._tell("")

        def done(result: FriendResult | None) -> None:
            self._busy.discard(key)
            if result is None:
                self._tell(queued_text())
            elif result.result_code == ErrorCode.NO_FRIEND_APPLICATION:
                self._tell(self.tr("That request is no longer there."))
            elif result.result_code:
                self._tell(add_result_text(result.result_code,
                                           applicant_name(self._client, application)))
            self.refresh()

        def failed(error: IMError) -> None:
            self._busy.discard(key)
            self._tell(error_text(error))
            self.refresh()

        self._tasks.run(call, on_done=done, on_error=failed)

    def _tell(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # --- look and language ---------------------------------------------------------------

    def _retranslate_rows(self) -> None:
        for row in self.rows:
            when = list_time(row.application.add_time) if row.application.add_time else ""
            user_id = row.application.user_id
            parts = [user_id] if row.who.text() != user_id else []
            if row.incoming:
                row.refuse_button.setText(self.tr("Refuse"))
                row.accept_button.setText(self.tr("Accept"))
                row.accept_add_button.setText(self.tr("Accept and add back"))
                row.accept_button.setToolTip(
                    self.tr("You join their friends; they stay out of yours."))
            else:
                parts.append(self.tr("waiting for them to accept"))
                row.withdraw_button.setText(self.tr("Withdraw"))
            if when:
                parts.append(when)
            row.details.setText(" · ".join(parts))

    def retranslate(self) -> None:
        self.title.setText(self.tr("New friends"))
        self.sent_heading.setText(self.tr("Sent by you"))
        self.empty_title.setText(self.tr("No friend requests"))
        self.empty_text.setText(self.tr("When someone asks to be your friend, you decide here. "
                                        "Requests you send wait here too."))
        self._retranslate_rows()

    def _apply_theme(self) -> None:
        palette = current_palette()
        secondary = f"color: {palette.secondary_text.name()}"
        self.empty_text.setStyleSheet(secondary)
        self.notice.setStyleSheet(f"color: {palette.danger.name()}")
        self._content.setStyleSheet(
            f"QWidget#friendRequestsContent {{ background: {palette.window.name()}; }}"
            f"QFrame#friendRequestRow {{ border: none;"
            f" border-bottom: 1px solid {palette.separator.name()}; }}"
            f"QLabel#sentHeading {{ color: {palette.secondary_text.name()};"
            " font-weight: 600; padding: 16px 20px 6px 20px; }")
        for row in self.rows:
            row.details.setStyleSheet(secondary)
