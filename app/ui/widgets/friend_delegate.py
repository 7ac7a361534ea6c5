"""Painting the friend list: friend-group headings, A–Z letters and friend rows.

    MY FRIENDS                                     12
    A
    [avatar]  Alice Chen
              Out running · alice

Painted from the model alone, like the group rows, so a long list scrolls at paint cost and a
theme switch is a repaint. Headings are not selectable and carry no hover.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.protocol.friends import Friend
from app.ui.faces import FaceStore, face_of
from app.ui.friend_texts import translate
from app.ui.models.friends import Kind, Role
from app.ui.theme import current_palette
from app.ui.widgets.avatar import render_avatar

FRIEND_ROW = 56
AVATAR = 40
GROUP_ROW = 36
LETTER_ROW = 26
PAD_X = 14
GAP = 12

Index = QModelIndex | QPersistentModelIndex


def default_group_name() -> str:
    return translate("FriendRowDelegate", "My friends")


def second_line(friend: Friend, name: str) -> str:
    """Their status line and, when the name shown is not their ID, the ID."""
    parts = []
    if friend.profile is not None and friend.profile.self_signature:
        parts.append(friend.profile.self_signature)
    if name != friend.user_id:
        parts.append(friend.user_id)
    return " · ".join(parts)


def face_url_of(friend: Friend) -> str:
    return friend.profile.face_url if friend.profile is not None else ""


class FriendRowDelegate(QStyledItemDelegate):
    faces: FaceStore | None = None
    """The session's pictures behind face URLs, set by the page."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        kind = index.data(Role.KIND)
        height = {Kind.GROUP: GROUP_ROW, Kind.LETTER: LETTER_ROW}.get(kind, FRIEND_ROW)
        return QSize(0, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        kind = index.data(Role.KIND)
        painter.save()
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing)
        if kind == Kind.GROUP:
            self._paint_group(painter, option, index)
        elif kind == Kind.LETTER:
            self._paint_letter(painter, option, index)
        elif isinstance(friend := index.data(Role.FRIEND), Friend):
            self._paint_friend(painter, option, friend, index.data() or friend.user_id,
                               face_of(self.faces, face_url_of(friend)))
        painter.restore()

    @staticmethod
    def _paint_group(painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        palette = current_palette()
        rect = QRectF(option.rect)
        painter.fillRect(rect, palette.list_bg)
        painter.fillRect(QRectF(rect.left(), rect.top(), rect.width(), 1), palette.separator)
        font = QFont(option.font)
        font.setPointSizeF(option.font.pointSizeF() * 0.86)
        font.setWeight(QFont.Weight.DemiBold)
        font.setCapitalization(QFont.Capitalization.AllUppercase)
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 104)
        painter.setFont(font)
        painter.setPen(palette.secondary_text)
        text_rect = rect.adjusted(PAD_X, 4, -PAD_X, 0)
        count = str(index.data(Role.COUNT) or 0)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         count)
        room = text_rect.width() - QFontMetricsF(font).horizontalAdvance(count) - 12
        name = index.data() or default_group_name()  # "" is the default group
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         QFontMetricsF(font).elidedText(name, Qt.TextElideMode.ElideRight, room))

    @staticmethod
    def _paint_letter(painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        palette = current_palette()
        rect = QRectF(option.rect)
        painter.fillRect(rect, palette.list_bg)
        font = QFont(option.font)
        font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        painter.setPen(palette.link)
        painter.drawText(rect.adjusted(PAD_X + 4, 4, -PAD_X, 0),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         index.data() or "")

    @staticmethod
    def _paint_friend(painter: QPainter, option: QStyleOptionViewItem, friend: Friend,
                      name: str, face: QImage | None) -> None:
        palette = current_palette()
        rect = QRectF(option.rect)
        if option.state & QStyle.StateFlag.State_Selected:
            background = palette.list_selected
        elif option.state & QStyle.StateFlag.State_MouseOver:
            background = palette.list_hover
        else:
            background = palette.list_bg
        painter.fillRect(rect, background)
        dpr = painter.device().devicePixelRatioF()
        painter.drawPixmap(round(rect.left() + PAD_X),
                           round(rect.top() + (rect.height() - AVATAR) / 2),
                           render_avatar(friend.user_id, name, AVATAR, dpr, face))
        left = rect.left() + PAD_X + AVATAR + GAP
        width = rect.right() - PAD_X - left
        details = second_line(friend, name)
        name_font = QFont(option.font)
        name_font.setWeight(QFont.Weight.DemiBold)
        small = QFont(option.font)
        small.setPointSizeF(option.font.pointSizeF() * 0.92)
        middle = rect.top() + rect.height() / 2
        name_box = (QRectF(left, middle - 20, width, 20) if details
                    else QRectF(left, rect.top(), width, rect.height()))
        painter.setFont(name_font)
        painter.setPen(palette.text)
        painter.drawText(name_box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         QFontMetricsF(name_font).elidedText(name, Qt.TextElideMode.ElideRight,
                                                             width))
        if details:
            painter.setFont(small)
            painter.setPen(palette.secondary_text)
            painter.drawText(QRectF(left, middle + 1, width, 18),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             QFontMetricsF(small).elidedText(details,
                                                             Qt.TextElideMode.ElideRight, width))
