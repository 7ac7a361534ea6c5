"""Painting one row of the conversation list.

    [avatar]  Name                         ✓✓ 14:05
              Last message preview…             (3)

Rows are fixed-height and painted from the `Conversation` alone (no per-row widgets), so a list
of a thousand conversations scrolls at paint cost only. Colours come from the theme palette at
paint time, so a theme switch needs nothing but a repaint. A painted row is kept as a pixmap
(`RowPixmaps`) while its conversation and look stay the same: when one chat moves to the top,
the rows it pushed down are drawn, not painted again.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QLocale, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app.protocol import RecvOpt
from app.sdk import Conversation
from app.ui.faces import FaceStore, face_of
from app.ui.formatting import (
    draft_marker,
    draft_preview,
    group_preview,
    list_time,
    mention_marker,
    message_preview,
)
from app.ui.models.conversations import Role
from app.ui.palette import Palette
from app.ui.system_conversation import is_system
from app.ui.theme import current_palette
from app.ui.widgets.avatar import render_avatar, render_icon_avatar
from app.ui.widgets.group_avatar import GroupFaces, member_face_urls, render_group_avatar
from app.ui.widgets.icons import tinted_pixmap
from app.ui.widgets.row_pixmaps import RowPixmaps
from app.ui.widgets.status_marks import MARK_WIDTH, Mark, mark_of, paint_mark

ROW_HEIGHT = 68
AVATAR = 46
PAD_X = 12
GAP = 12
BADGE_H = 20
DOT = 10
"""The unread dot of a chat that receives without notifying."""

Index = QModelIndex | QPersistentModelIndex


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """`a` moved a fraction `t` towards `b` (tints that work on both themes)."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


def badge_text(count: int) -> str:
    return "99+" if count > 99 else str(count)


def conversation_avatar_key(conv: Conversation) -> str:
    """Avatars are keyed by the peer or group, so its colour is the same in every view."""
    return conv.user_id or conv.group_id or conv.conversation_id


class ConversationDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group_faces: GroupFaces | None = None
        """Set by the window: a group's avatar is its picture or its first members."""
        self.faces: FaceStore | None = None
        """Set by the window: the session's pictures behind face URLs."""
        self._rows = RowPixmaps()

    def shows_face(self, conv: Conversation, url: str) -> bool:
        """Whether a row paints the picture behind `url`: the peer's, or the group's picture
        or one of the members its drawn avatar shows."""
        if conv.group_id and self.group_faces is not None:
            face_url, members = self.group_faces.group_face(conv.group_id)
            return url == face_url or url in member_face_urls(members)
        return url == conv.face_url

    def _member_face(self, url: str) -> QImage | None:
        return face_of(self.faces, url)

    def _avatar(self, conv: Conversation, dpr: float) -> QPixmap:
        if is_system(conv.conversation_id):
            return render_icon_avatar("bell", AVATAR, dpr)
        if conv.group_id and self.group_faces is not None:
            face_url, members = self.group_faces.group_face(conv.group_id)
            return render_group_avatar(conv.group_id, conv.show_name or conv.group_id,
                                       face_url, members, AVATAR, dpr,
                                       face_of(self.faces, face_url), self._member_face)
        return render_avatar(conversation_avatar_key(conv), conv.show_name, AVATAR, dpr,
                             face_of(self.faces, conv.face_url))

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """No width of its own: the list gives rows the viewport's width. (Answering with the
        row's current width kept rows as wide as they first were when the column narrowed.)"""
        return QSize(0, ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        conv = index.data(Role.CONVERSATION)
        if not isinstance(conv, Conversation):
            return
        palette = current_palette()
        dpr = painter.device().devicePixelRatioF()
        avatar = self._avatar(conv, dpr)
        rect = option.rect
        state = option.state & (QStyle.StateFlag.State_Selected
                                | QStyle.StateFlag.State_MouseOver)
        look = (rect.width(), rect.height(), int(state.value), dpr, avatar.cacheKey(),
                palette, option.font.key(), QLocale().name(), int(time.time() // 60))
        pixmap = self._rows.get(conv.conversation_id, conv, look)
        if pixmap is None:
            pixmap = self._render(option, conv, palette, avatar, dpr)
            self._rows.put(conv.conversation_id, conv, look, pixmap)
        painter.drawPixmap(rect.topLeft(), pixmap)

    def _render(self, option: QStyleOptionViewItem, conv: Conversation, palette: Palette,
                avatar: QPixmap, dpr: float) -> QPixmap:
        """The row drawn into a pixmap of its size, at the screen's pixel ratio."""
        size = option.rect.size()
        pixmap = QPixmap(round(size.width() * dpr), round(size.height() * dpr))
        pixmap.setDevicePixelRatio(dpr)
        painter = QPainter(pixmap)
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        rect = QRectF(0, 0, size.width(), size.height())
        painter.fillRect(rect, self._background(option, conv, palette))
        painter.drawPixmap(PAD_X, round((rect.height() - AVATAR) / 2), avatar)

        name_font, small, preview_font = _fonts(option.font)
        left, line1, line2 = _lines(rect)

        self._paint_time_and_mark(painter, line1, conv, small, palette)
        painter.setFont(name_font)
        painter.setPen(palette.text)
        name_rect, name = self._name(line1, conv, name_font, small)
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         name)

        indicator_left = self._paint_indicators(painter, line2, conv, palette, dpr)
        self._paint_preview(
            painter, QRectF(left, line2.top(), indicator_left - left - 8, line2.height()),
            conv, preview_font, palette,
        )
        painter.end()
        return pixmap

    def displayed_name(self, option: QStyleOptionViewItem, conv: Conversation) -> str:
        """The name as a row of `option.rect` draws it (elided only when it lacks room)."""
        name_font, small, _preview = _fonts(option.font)
        _left, line1, _line2 = _lines(QRectF(option.rect))
        return self._name(line1, conv, name_font, small)[1]

    # --- parts ---------------------------------------------------------------------------

    @staticmethod
    def _name(line: QRectF, conv: Conversation, font: QFont, small: QFont,
              ) -> tuple[QRectF, str]:
        """Where the name goes (left of the time and mark) and its text, elided to fit."""
        left_edge = _time_and_mark(line, conv, small)[3]
        width = left_edge - line.left() - 8
        name = QFontMetricsF(font).elidedText(conv.show_name, Qt.TextElideMode.ElideRight,
                                              width)
        return QRectF(line.left(), line.top(), width, line.height()), name

    @staticmethod
    def _background(option: QStyleOptionViewItem, conv: Conversation, palette: Palette) -> QColor:
        state = option.state
        if state & QStyle.StateFlag.State_Selected:
            return palette.list_selected
        base = mix(palette.list_bg, palette.rail, 0.55) if conv.is_pinned else palette.list_bg
        if state & QStyle.StateFlag.State_MouseOver:
            return mix(base, palette.list_hover, 0.85) if not conv.is_pinned else mix(
                base, palette.separator, 0.5
            )
        return base

    @staticmethod
    def _paint_time_and_mark(
        painter: QPainter, line: QRectF, conv: Conversation, font: QFont, palette: Palette
    ) -> None:
        """Time at the right end, my last message's mark before it."""
        text, time_rect, mark_box, _left = _time_and_mark(line, conv, font)
        painter.setFont(font)
        painter.setPen(palette.secondary_text)
        painter.drawText(time_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         text)
        if mark_box is not None:
            mark = mark_of(conv.last_message)
            color = palette.accent if mark == Mark.READ else palette.secondary_text
            paint_mark(painter, mark_box, mark, color, palette.danger)

    @staticmethod
    def _paint_indicators(
        painter: QPainter, line: QRectF, conv: Conversation, palette: Palette, dpr: float
    ) -> float:
        """Unread badge (or pin) at the right end of the second line; returns the left edge.

        The receive option decides how unread shows (C6): a count when the chat notifies, a
        plain dot when it receives without notifying (something is new, but nothing asks for
        attention), and nothing at all when it does not receive — those chats only show the
        muted mark, as they are left out of every total too.
        """
        right = line.right()
        muted = conv.recv_opt != RecvOpt.RECEIVE
        if conv.unread_count > 0 and conv.recv_opt == RecvOpt.RECEIVE_NOT_NOTIFY:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.badge_muted)
            center_y = line.center().y()
            painter.drawEllipse(QRectF(right - DOT, center_y - DOT / 2, DOT, DOT))
            right -= DOT + 6
        elif conv.unread_count > 0 and conv.recv_opt == RecvOpt.RECEIVE:
            font = QFont(painter.font())
            font.setPixelSize(11)
            font.setWeight(QFont.Weight.Bold)
            text = badge_text(conv.unread_count)
            width = max(float(BADGE_H), QFontMetricsF(font).horizontalAdvance(text) + 12)
            badge = QRectF(right - width, line.center().y() - BADGE_H / 2, width, BADGE_H)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.badge)
            painter.drawRoundedRect(badge, BADGE_H / 2, BADGE_H / 2)
            painter.setFont(font)
            painter.setPen(QColor("#FFFFFF"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
            right = badge.left() - 6
        elif conv.is_pinned:
            size = 14
            pin = tinted_pixmap("pin", palette.secondary_text, size, dpr)
            painter.drawPixmap(round(right - size), round(line.center().y() - size / 2), pin)
            right -= size + 6
        if muted:
            size = 14
            icon = tinted_pixmap("muted", palette.secondary_text, size, dpr)
            painter.drawPixmap(round(right - size), round(line.center().y() - size / 2), icon)
            right -= size + 6
        return right + 6

    @staticmethod
    def _paint_preview(
        painter: QPainter, rect: QRectF, conv: Conversation, font: QFont, palette: Palette
    ) -> None:
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        x, width = rect.left(), rect.width()
        mention = mention_marker(conv)
        if mention:
            marker = mention + " "
            marker_w = metrics.horizontalAdvance(marker)
            painter.setPen(palette.danger)
            painter.drawText(QRectF(x, rect.top(), marker_w, rect.height()), align, marker)
            x, width = x + marker_w, width - marker_w
        if conv.draft_text:
            marker = draft_marker() + " "
            marker_w = metrics.horizontalAdvance(marker)
            painter.setPen(palette.danger)
            painter.drawText(QRectF(x, rect.top(), marker_w, rect.height()), align, marker)
            x, width = x + marker_w, width - marker_w
            text = draft_preview(conv.draft_text)
        elif conv.last_message is not None and conv.group_id:
            text = group_preview(conv.last_message)
        elif conv.last_message is not None:
            text = message_preview(conv.last_message)
        else:
            return
        painter.setPen(palette.secondary_text)
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0.0, width))
        painter.drawText(QRectF(x, rect.top(), width, rect.height()), align, elided)


def _fonts(base: QFont) -> tuple[QFont, QFont, QFont]:
    """The name's, the time's and the preview's font, from the list's."""
    name = QFont(base)
    name.setPointSizeF(base.pointSizeF() * 1.12)
    name.setWeight(QFont.Weight.DemiBold)
    small = QFont(base)
    small.setPointSizeF(base.pointSizeF() * 0.9)
    preview = QFont(base)
    preview.setPointSizeF(base.pointSizeF() * 1.02)
    return name, small, preview


def _lines(rect: QRectF) -> tuple[float, QRectF, QRectF]:
    """The text column's left edge, and its first (name, time) and second (preview) line."""
    left = rect.left() + PAD_X + AVATAR + GAP
    right = rect.right() - PAD_X
    return (left, QRectF(left, rect.top() + 13, right - left, 22),
            QRectF(left, rect.top() + 36, right - left, 20))


def _time_and_mark(line: QRectF, conv: Conversation, font: QFont,
                   ) -> tuple[str, QRectF, QRectF | None, float]:
    """The time's text and box at the right end of `line`, the box of my last message's
    mark before it (None without one), and the left edge of both."""
    last = conv.last_message
    when = max(last.time_ms if last else 0, conv.draft_time if conv.draft_text else 0)
    text = list_time(when)
    width = QFontMetricsF(font).horizontalAdvance(text)
    time_rect = QRectF(line.right() - width, line.top(), width, line.height())
    left = time_rect.left()
    mark_box = None
    if not conv.draft_text and mark_of(last) != Mark.NONE:
        mark_box = QRectF(left - MARK_WIDTH - 3, line.top() + 4, MARK_WIDTH, line.height() - 8)
        left = mark_box.left()
    return text, time_rect, mark_box, left
