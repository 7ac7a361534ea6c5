"""The inbox of join requests: who asks, to which group, with what words; Accept or Decline.

One widget for both places it appears — the Groups page's "Applications" (every group, with
the group's name on each request) and a group pane's tab (that group only). Requests are few
and each needs two real buttons, so rows are widgets rebuilt from the shared model rather than
painted. A request being decided shows its buttons disabled until the service answers, so a
double click cannot send two decisions.
"""

from __future__ import annotations

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

from app.protocol.groups import GroupApplication
from app.sdk import IMClient
from app.ui.formatting import list_time
from app.ui.i18n import Retranslatable
from app.ui.models.group_applications import GroupApplicationFilter, GroupApplicationsModel
from app.ui.models.group_applications import Role as ApplicationItem
from app.ui.theme import current_palette, set_primary, theme_controller
from app.ui.widgets.avatar import AvatarLabel
from app.ui.widgets.row_column import EmptyState, RowColumn


class _RequestRow(QFrame):
    def __init__(self, application: GroupApplication, name: str, group_name: str,
                 busy: bool, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("requestRow")
        self.application = application
        avatar = AvatarLabel(40, self)
        avatar.set_avatar(application.applicant, name)
        self.who = QLabel(self)
        font = QFont(self.who.font())
        font.setWeight(QFont.Weight.DemiBold)
        self.who.setFont(font)
        self.who.setText(name)
        self.who.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        details = [application.applicant] if name != application.applicant else []
        if group_name:
            details.append(group_name)
        if application.time:
            details.append(list_time(application.time * 1000))
        self.details = QLabel(" · ".join(details), self)
        self.details.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.message = QLabel(f"“{application.message}”" if application.message else "", self)
        self.message.setWordWrap(True)
        self.message.setVisible(bool(application.message))
        self.accept_button = QPushButton(self)
        set_primary(self.accept_button)
        self.refuse_button = QPushButton(self)
        for button in (self.accept_button, self.refuse_button):
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setEnabled(not busy)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.who)
        texts.addWidget(self.details)
        texts.addWidget(self.message)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 10, 14, 10)
        row.setSpacing(12)
        row.addWidget(avatar, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(texts, 1)
        row.addWidget(self.refuse_button, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.accept_button, 0, Qt.AlignmentFlag.AlignVCenter)


class ApplicationsView(Retranslatable, QWidget):
    """`group_id` "" lists every group's requests, naming the group on each."""

    def __init__(self, client: IMClient, model: GroupApplicationsModel, group_id: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self.model = model
        self.proxy = GroupApplicationFilter(model, self)
        self.proxy.set_group(group_id)
        self._group_id = group_id
        self.rows: list[_RequestRow] = []
        self.scroll = RowColumn(self, "requestsContent")
        self._content, self._rows_layout = self.scroll.content, self.scroll.rows
        self.empty = EmptyState(self)
        self.empty_title, self.empty_text = self.empty.title, self.empty.text
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.empty, 1)
        for change in (self.proxy.rowsInserted, self.proxy.rowsRemoved,
                       self.proxy.dataChanged, self.proxy.modelReset,
                       self.proxy.layoutChanged):
            change.connect(self._rebuild)
        theme_controller().changed.connect(self._apply_theme)
        self._apply_theme()
        self.retranslate()

    def set_group(self, group_id: str) -> None:
        self._group_id = group_id
        self.proxy.set_group(group_id)
        self._rebuild()

    def _rebuild(self, *_args: object) -> None:
        for row in self.rows:
            row.deleteLater()
        self.rows = []
        for n in range(self.proxy.rowCount()):
            index = self.proxy.index(n, 0)
            application: GroupApplication = index.data(ApplicationItem.APPLICATION)
            group = self._client.group_manager.cached_group(application.group_id)
            group_name = "" if self._group_id else (group.name if group else
                                                    application.group_id)
            row = _RequestRow(application, index.data(ApplicationItem.APPLICANT_NAME),
                              group_name, self.model.is_deciding(application), self._content)
            row.accept_button.clicked.connect(
                lambda _c=False, a=application: self.model.decide(a, True))
            row.refuse_button.clicked.connect(
                lambda _c=False, a=application: self.model.decide(a, False))
            self._rows_layout.insertWidget(n, row)
            self.rows.append(row)
        self._retranslate_rows()
        self._apply_theme()
        empty = not self.rows
        self.empty.setVisible(empty)
        self.scroll.setVisible(not empty)

    def _retranslate_rows(self) -> None:
        for row in self.rows:
            row.accept_button.setText(self.tr("Accept"))
            row.refuse_button.setText(self.tr("Decline"))

    def retranslate(self) -> None:
        self.empty_title.setText(self.tr("No requests to join"))
        self.empty_text.setText(
            self.tr("When someone asks to join this group, you decide here.") if self._group_id
            else self.tr("When someone asks to join a group you own or administer, the "
                         "request shows up here."))
        self._rebuild()

    def _apply_theme(self) -> None:
        palette = current_palette()
        secondary = f"color: {palette.secondary_text.name()}"
        self.empty_text.setStyleSheet(secondary)
        self._content.setStyleSheet(
            f"QWidget#requestsContent {{ background: {palette.list_bg.name()}; }}"
            f"QFrame#requestRow {{ border-bottom: 1px solid {palette.separator.name()}; }}"
            f"QFrame#requestRow:hover {{ background: {palette.list_hover.name()}; }}")
        for row in self.rows:
            row.details.setStyleSheet(secondary)
