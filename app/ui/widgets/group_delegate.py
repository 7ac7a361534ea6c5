"""Painting the rows of the group list and of a group's member list.

    [avatar]  Group name  [Public]            [avatar]  Name card                 [Admin]
              12 members · you own it                   user-id · muted until 14:05

Painted from the model alone (no per-row widgets), like the conversation rows, so both lists
scroll at paint cost only and a theme switch needs nothing but a repaint. The little pills
(group type, member role) share one painter so they look the same wherever they appear.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app.protocol.groups import GroupInfo, GroupMember
from app.protocol.groups import GroupRole as MemberRole
from app.ui.faces import FaceStore, face_of
from app.ui.formatting import clock_time, list_time
from app.ui.group_texts import member_count, role_name, translate, type_badge
from app.ui.models.group_members import Role as MemberItem
from app.ui.models.group_members import display_name
from app.ui.models.groups import Role as GroupItem
from app.ui.palette import Palette
from app.ui.theme import current_palette
from app.ui.widgets.avatar import render_avatar
from app.ui.widgets.conversation_delegate import mix
from app.ui.widgets.group_avatar import render_group_avatar

GROUP_ROW = 64
GROUP_AVATAR = 44
MEMBER_ROW = 52
MEMBER_AVATAR = 36
PAD_X = 12
GAP = 12
PILL_H = 18

Index = QModelIndex | QPersistentModelIndex


def paint_pill(painter: QPainter, right: float, center_y: float, text: str, font: QFont,
               fill: QColor, color: QColor, *, anchor_left: bool = False) -> QRectF:
    """A rounded label ending at `right` (or starting there, `anchor_left`); returns its box."""
    width = QFontMetricsF(font).horizontalAdvance(text) + 12
    left = right if anchor_left else right - width
    box = QRectF(left, center_y - PILL_H / 2, width, PILL_H)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawRoundedRect(box, PILL_H / 2, PILL_H / 2)
    painter.setFont(font)
    painter.setPen(color)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    return box


def pill_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * 0.8)
    font.setWeight(QFont.Weight.DemiBold)
    return font


def pill_width(text: str, base: QFont) -> float:
    return QFontMetricsF(pill_font(base)).horizontalAdvance(text) + 12


def _background(option: QStyleOptionViewItem, palette: Palette) -> QColor:
    if option.state & QStyle.StateFlag.State_Selected:
        return palette.list_selected
    if option.state & QStyle.StateFlag.State_MouseOver:
        return palette.list_hover
    return palette.list_bg


def _name_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * 1.06)
    font.setWeight(QFont.Weight.DemiBold)
    return font


def _small_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * 0.92)
    return font


def role_pill_colors(role: int, palette: Palette) -> tuple[QColor, QColor]:
    """(fill, text) of a role's pill: the owner in the accent, admins in a soft tint of it."""
    if role == MemberRole.OWNER:
        return palette.accent, palette.accent_text
    return mix(palette.list_bg, palette.accent, 0.16), palette.link


class GroupRowDelegate(QStyledItemDelegate):
    """A row of the Groups page's list."""

    faces: FaceStore | None = None
    """The session's pictures behind face URLs, set by the page."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(0, GROUP_ROW)

    def _member_face(self, url: str) -> QImage | None:
        return face_of(self.faces, url)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        group = index.data(GroupItem.GROUP)
        if not isinstance(group, GroupInfo):
            return
        palette = current_palette()
        rect = QRectF(option.rect)
        painter.save()
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(rect, _background(option, palette))
        dpr = painter.device().devicePixelRatioF()
        avatar = render_group_avatar(group.group_id, group.name or group.group_id,
                                     group.face_url, index.data(GroupItem.FACE_MEMBERS) or [],
                                     GROUP_AVATAR, dpr, face_of(self.faces, group.face_url),
                                     self._member_face)
        painter.drawPixmap(round(rect.left() + PAD_X),
                           round(rect.top() + (rect.height() - GROUP_AVATAR) / 2), avatar)
        left = rect.left() + PAD_X + GROUP_AVATAR + GAP
        right = rect.right() - PAD_X
        line1 = QRectF(left, rect.top() + 11, right - left, 22)
        line2 = QRectF(left, rect.top() + 33, right - left, 20)

        name_font = _name_font(option.font)
        badge = type_badge(group.group_type)
        small_pill = pill_font(option.font)
        room = line1.width() - pill_width(badge, option.font) - 8
        name = QFontMetricsF(name_font).elidedText(group.name or group.group_id,
                                                   Qt.TextElideMode.ElideRight, room)
        painter.setFont(name_font)
        painter.setPen(palette.text)
        painter.drawText(line1, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        name_right = line1.left() + QFontMetricsF(name_font).horizontalAdvance(name) + 8
        paint_pill(painter, name_right, line1.center().y(), badge, small_pill,
                   mix(palette.list_bg, palette.secondary_text, 0.14), palette.secondary_text,
                   anchor_left=True)

        small = _small_font(option.font)
        painter.setFont(small)
        painter.setPen(palette.secondary_text)
        details = self.details(group)
        painter.drawText(line2, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         QFontMetricsF(small).elidedText(details, Qt.TextElideMode.ElideRight,
                                                         line2.width()))
        painter.restore()

    @staticmethod
    def details(group: GroupInfo) -> str:
        """The second line: how many members, and my part in the group when I lead it."""
        parts = [member_count(group.member_count)]
        if group.role == MemberRole.OWNER:
            parts.append(translate("GroupRowDelegate", "you own it"))
        elif group.role == MemberRole.ADMIN:
            parts.append(translate("GroupRowDelegate", "you are an admin"))
        if group.all_muted:
            parts.append(translate("GroupRowDelegate", "everyone muted"))
        return " · ".join(parts)


class MemberRowDelegate(QStyledItemDelegate):
    """A row of a group's member list; `me` is told apart with "(you)"."""

    def __init__(self, me: str, parent: QWidget | None = None,
                 faces: FaceStore | None = None) -> None:
        super().__init__(parent)
        self.me = me
        self.faces = faces

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(0, MEMBER_ROW)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        member = index.data(MemberItem.MEMBER)
        if not isinstance(member, GroupMember):
            return
        palette = current_palette()
        rect = QRectF(option.rect)
        painter.save()
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(rect, _background(option, palette))
        name = display_name(member)
        dpr = painter.device().devicePixelRatioF()
        painter.drawPixmap(round(rect.left() + PAD_X),
                           round(rect.top() + (rect.height() - MEMBER_AVATAR) / 2),
                           render_avatar(member.user_id, name, MEMBER_AVATAR, dpr,
                                         face_of(self.faces, member.face_url)))
        left = rect.left() + PAD_X + MEMBER_AVATAR + GAP
        right = rect.right() - PAD_X
        role = role_name(member.role) if member.role in (MemberRole.OWNER,
                                                         MemberRole.ADMIN) else ""
        if role:
            fill, color = role_pill_colors(member.role, palette)
            box = paint_pill(painter, right, rect.center().y(), role, pill_font(option.font),
                             fill, color)
            right = box.left() - 8
        line1 = QRectF(left, rect.top() + 7, right - left, 20)
        line2 = QRectF(left, rect.top() + 27, right - left, 18)
        name_font = QFont(option.font)
        name_font.setWeight(QFont.Weight.DemiBold)
        shown = name
        if member.user_id == self.me:
            shown = translate("MemberRowDelegate", "%1 (you)").replace("%1", name)
        painter.setFont(name_font)
        painter.setPen(palette.text)
        painter.drawText(line1, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         QFontMetricsF(name_font).elidedText(shown, Qt.TextElideMode.ElideRight,
                                                             line1.width()))
        small = _small_font(option.font)
        painter.setFont(small)
        metrics = QFontMetricsF(small)
        detail = member.user_id if name != member.user_id else ""
        muted = self.muted_text(member)
        x = line2.left()
        if detail:
            text = metrics.elidedText(detail, Qt.TextElideMode.ElideMiddle,
                                      line2.width() * (0.55 if muted else 1.0))
            painter.setPen(palette.secondary_text)
            painter.drawText(QRectF(x, line2.top(), line2.width(), line2.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            x += metrics.horizontalAdvance(text)
            if muted:
                painter.drawText(QRectF(x, line2.top(), 20, line2.height()),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 " · ")
                x += metrics.horizontalAdvance(" · ")
        if muted:
            painter.setPen(palette.danger)
            painter.drawText(QRectF(x, line2.top(), line2.right() - x, line2.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(muted, Qt.TextElideMode.ElideRight,
                                                line2.right() - x))
        painter.restore()

    @staticmethod
    def muted_text(member: GroupMember, now_s: float | None = None) -> str:
        """"muted until 14:05" (or until a day) while the member's mute lasts, else ""."""
        now = time.time() if now_s is None else now_s
        if member.mute_until <= now:
            return ""
        until_ms = member.mute_until * 1000
        when = clock_time(until_ms) if member.mute_until - now < 20 * 3600 else list_time(until_ms)
        return translate("MemberRowDelegate", "muted until %1").replace("%1", when)
