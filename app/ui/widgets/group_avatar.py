"""Group avatars: a chosen preset picture, or a disc split among the first members' initials.

WeChat draws a group without a picture from its members' faces; people recognise a group by
who is in it long before they remember its name. Here the first two to four members each get
a segment of the disc (halves, a half and two quarters, or quarters): their own picture once it
has arrived, else their avatar colour with their initial, so the segments match how those
people look everywhere else. A group of one (just created, nobody invited yet) shows the
group's own initials instead.

Pictures are presets — an emoji on the group's colour, stored as a short ``tidings:face/…``
face URL — or a real picture (an ``avatar`` upload or a web URL, fetched by ``app.ui.faces``
and passed in as `image` once it is there); until a picture arrives, and when it cannot, the
members' segments stand in.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPixmap,
)
from PySide6.QtWidgets import QWidget

from app.ui.models.groups import FaceMember
from app.ui.theme import current_palette, theme_controller
from app.ui.widgets.avatar import avatar_color, blank_pixmap, initials, render_avatar

PRESET_PREFIX = "tidings:face/"
PRESET_FACES = ("👥", "💼", "🎓", "🎮", "⚽", "🎵", "📚", "✈️", "🍜", "🏠", "💡", "❤️")
"""The pictures a creator picks from; one emoji each, a few bytes of face URL."""

GAP = 1.5
"""The transparent seam between segments, in logical pixels."""
CACHE_SIZE = 256

Members = Sequence[FaceMember]
MemberFaces = Callable[[str], QImage | None]
"""A member's picture by face URL once it is ready (asking may start fetching it)."""

_cache: OrderedDict[tuple[object, ...], QPixmap] = OrderedDict()


class GroupFaces(Protocol):
    """Where views that show a group among other chats (the chat list, the chat header) find
    what its avatar is drawn from: the Groups page's model, which reads the first members."""

    def group_face(self, group_id: str) -> tuple[str, Members]:
        """(face URL, first members) of a group I am in; ("", ()) for one not known."""
        ...


def preset_url(face: str) -> str:
    return PRESET_PREFIX + face


def preset_of(face_url: str) -> str:
    """The emoji of a preset face URL, "" for any other URL."""
    return face_url[len(PRESET_PREFIX):] if face_url.startswith(PRESET_PREFIX) else ""


def member_face_urls(members: Members) -> set[str]:
    """The pictures a drawn group avatar shows: an arrival among them repaints it."""
    return {m.face_url for m in members[:4] if m.face_url}


def render_group_avatar(group_id: str, name: str, face_url: str, members: Members, size: int,
                        dpr: float, image: QImage | None = None,
                        member_faces: MemberFaces | None = None) -> QPixmap:
    """A `size`×`size` (logical pixels) circular avatar for the group: `image` (the picture
    of `face_url`, once fetched) cropped round, else its preset or members, each with their
    picture from `member_faces` when it is ready. GUI thread only."""
    if image is not None and not image.isNull():
        return render_avatar(group_id, name, size, dpr, image)
    face = preset_of(face_url)
    shown = tuple(members[:4]) if not face and len(members) >= 2 else ()
    if not face and not shown:
        return render_avatar(group_id, name, size, dpr)
    palette = current_palette()
    pictures = tuple(member_faces(m.face_url) if member_faces and m.face_url else None
                     for m in shown)
    key = (group_id, face, shown, tuple(p.cacheKey() if p else 0 for p in pictures), size, dpr,
           palette.name)
    cached = _cache.get(key)
    if cached is not None:
        _cache.move_to_end(key)
        return cached
    pixmap = blank_pixmap(size, dpr)
    painter = QPainter(pixmap)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing
                           | QPainter.RenderHint.TextAntialiasing)
    disc = QPainterPath()
    disc.addEllipse(QRectF(0, 0, size, size))
    painter.setClipPath(disc)
    if face:
        _paint_preset(painter, face, avatar_color(group_id, palette.is_dark), size)
    else:
        _paint_segments(painter, shown, pictures, size, palette.is_dark)
    painter.end()
    _cache[key] = pixmap
    if len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return pixmap


def render_preset(face: str, color_key: str, size: int, dpr: float) -> QPixmap:
    """A preset's picture on `color_key`'s colour (the picker's swatches)."""
    return render_group_avatar(color_key, "", preset_url(face), (), size, dpr)


def _paint_preset(painter: QPainter, face: str, color: QColor, size: int) -> None:
    painter.fillRect(QRectF(0, 0, size, size), color.lighter(135))
    font = QFont(painter.font())
    font.setPixelSize(max(1, round(size * 0.5)))
    painter.setFont(font)
    ink = QFontMetricsF(font).tightBoundingRect(face)
    painter.drawText(QPointF((size - ink.width()) / 2 - ink.left(),
                             (size - ink.height()) / 2 - ink.top()), face)


def _cells(count: int, size: float) -> list[QRectF]:
    """The segments' boxes: halves for two, a left half and two quarters for three."""
    half = size / 2
    left = QRectF(0, 0, half, size)
    right = QRectF(half, 0, half, size)
    if count == 2:
        return [left, right]
    top_right, bottom_right = QRectF(half, 0, half, half), QRectF(half, half, half, half)
    if count == 3:
        return [left, top_right, bottom_right]
    return [QRectF(0, 0, half, half), top_right, QRectF(0, half, half, half), bottom_right]


def _paint_segments(painter: QPainter, members: Members,
                    pictures: Sequence[QImage | None], size: int, dark: bool) -> None:
    cells = _cells(len(members), size)
    for member, picture, cell in zip(members, pictures, cells, strict=True):
        user_id, name = member.user_id, member.name
        if picture is not None and not picture.isNull():
            _paint_cover(painter, picture, cell)
            continue
        painter.fillRect(cell, avatar_color(user_id, dark))
        letter = initials(name or user_id)[:1]
        font = QFont(painter.font())
        font.setPixelSize(max(1, round(size * (0.3 if cell.height() == size else 0.24))))
        font.setWeight(QFont.Weight.DemiBold)
        metrics = QFontMetricsF(font)
        ink = metrics.tightBoundingRect(letter)
        # Segments are off-centre in the disc: nudge letters towards its middle.
        center = cell.center() + (QPointF(size / 2, size / 2) - cell.center()) * 0.18
        painter.setFont(font)
        painter.setPen(QColor("#FFFFFF"))
        painter.drawText(QPointF(center.x() - ink.width() / 2 - ink.left(),
                                 center.y() - ink.height() / 2 - ink.top()), letter)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Clear)
    half = size / 2
    painter.fillRect(QRectF(half - GAP / 2, 0, GAP, size), Qt.GlobalColor.transparent)
    if len(members) >= 3:
        x = 0 if len(members) == 4 else half
        painter.fillRect(QRectF(x, half - GAP / 2, size - x, GAP), Qt.GlobalColor.transparent)


def _paint_cover(painter: QPainter, picture: QImage, cell: QRectF) -> None:
    """`picture` filling `cell`, its middle kept (faces are centred in their pictures)."""
    scale = max(cell.width() / picture.width(), cell.height() / picture.height())
    width, height = cell.width() / scale, cell.height() / scale
    source = QRectF((picture.width() - width) / 2, (picture.height() - height) / 2, width, height)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawImage(cell, picture, source)
    painter.restore()


class GroupAvatarLabel(QWidget):
    """A fixed-size widget showing one group's avatar (the pane's header, the join card)."""

    def __init__(self, size: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._size = size
        self._args: tuple[str, str, str, tuple[FaceMember, ...]] = ("", "", "", ())
        self._image: QImage | None = None
        self.member_faces: MemberFaces | None = None
        """Set by the owner: members' pictures (it repaints the label when one arrives)."""
        self.setFixedSize(size, size)
        theme_controller().changed.connect(self.update)

    def set_group(self, group_id: str, name: str, face_url: str = "",
                  members: Members = (), image: QImage | None = None) -> None:
        """`image`: the picture of `face_url` when it has been fetched."""
        self._args = (group_id, name, face_url, tuple(members))
        self._image = image
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(self._size, self._size)

    def paintEvent(self, event: QPaintEvent) -> None:
        group_id, name, face_url, members = self._args
        QPainter(self).drawPixmap(0, 0, render_group_avatar(
            group_id, name or group_id, face_url, members, self._size,
            self.devicePixelRatioF(), self._image, self.member_faces))

    def shows(self, url: str) -> bool:
        """Whether a picture that just arrived is part of what the label draws."""
        return url in member_face_urls(self._args[3])
