"""Media bubbles and the media viewer, on real widgets over a real media cache.

The pictures are real files made with Pillow (a photo-like landscape, a tall and a wide one, an
animated GIF), cut into their levels by the SDK's own `prepare_image` and stored in a real
`MediaCache`. What the service would serve is a folder of files behind `CacheSource.download`,
which copies into that cache in chunks, reporting progress, and can be held (a gate) so a test
sees a download under way. The timeline is a real TimelineView over a TimelineModel of a real
(unconnected) IMClient, as in test_chat_widgets; the viewer opens over its window.

Screenshots: test-artifacts/media-bubbles-light.png, media-bubbles-dark.png, media-viewer.png.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFilter
from PySide6.QtCore import QDate, QDateTime, QLocale, QPoint, QRectF, QSize, Qt, QTime, QUrl
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.protocol import (
    ConvType,
    FaceElem,
    FileElem,
    GroupTipsElem,
    ImageElem,
    ImageInfo,
    LocationElem,
    MergerElem,
    Snapshot,
    SoundElem,
    TextElem,
    VideoElem,
)
from app.sdk import IMClient, Message, MessageStatus
from app.sdk.media.cache import MediaCache
from app.sdk.media.images import prepare_image
from app.ui.media.bubbles import BubbleKind, kind_of, revoked_text
from app.ui.media.kit import MediaKit
from app.ui.media.source import ProgressFn
from app.ui.media.thumbnails import ThumbnailLoader, Want
from app.ui.media.voices import VoiceStates
from app.ui.models.timeline import TimelineModel
from app.ui.settings import AppSettings
from app.ui.theme import apply_theme, current_palette
from app.ui.views.media_viewer import MediaViewer
from app.ui.widgets.timeline_view import TimelineView
from tests.gui.conftest import ARTIFACTS, until

ME = "mei"
PEER = "bob"
CHUNK = 64 * 1024


# --- a media source: the real cache, and "the service" as a folder ----------------------


class CacheSource:
    """`IMClient.media`'s two calls over a real MediaCache; downloads copy from `remote`
    (uuid → file) in chunks, and wait while `gate` is clear."""

    def __init__(self, cache: MediaCache) -> None:
        self.cache = cache
        self.remote: dict[str, Path] = {}
        self.gate = asyncio.Event()
        self.gate.set()
        self.downloads: list[str] = []

    def cached(self, uuid: str, url: str = "") -> Path | None:
        return self.cache.get(uuid)

    async def download(self, uuid: str, *, url: str = "", size: int = 0,
                       progress: ProgressFn | None = None) -> Path:
        held = self.cache.get(uuid)
        if held is not None:
            return held
        self.downloads.append(uuid)
        data = self.remote[uuid].read_bytes()
        for done in range(0, len(data), CHUNK):
            await self.gate.wait()
            if progress is not None:
                progress(min(done + CHUNK, len(data)), len(data))
            await asyncio.sleep(0)
        scratch = self.cache.root / "incoming" / uuid
        scratch.parent.mkdir(parents=True, exist_ok=True)
        scratch.write_bytes(data)
        self.cache.adopt(scratch)
        return self.cache.path(uuid)


# --- pictures -------------------------------------------------------------------------


def landscape(path: Path, size: tuple[int, int], seed: int) -> Path:
    """A photo-like picture: a dusk sky, a sun, layered hills, grain — JPEG like a camera's."""
    width, height = size
    rnd = random.Random(seed)
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    top, bottom = (24, 40, 92), (250, 164, 96)
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * t)
                                                   for a, b in zip(top, bottom, strict=True)))
    sun = (width * rnd.uniform(0.25, 0.75), height * 0.45)
    radius = min(width, height) * 0.09
    draw.ellipse([sun[0] - radius, sun[1] - radius, sun[0] + radius, sun[1] + radius],
                 fill=(255, 222, 160))
    for layer, shade in enumerate(((92, 58, 88), (60, 40, 70), (30, 24, 44))):
        base = height * (0.55 + 0.13 * layer)
        phase = rnd.uniform(0, math.tau)
        points = [(0, height)]
        for x in range(0, width + 20, 20):
            wave = math.sin(x / width * math.tau * (1.2 + layer) + phase)
            points.append((x, base + wave * height * 0.05 + rnd.uniform(-4, 4)))
        points.append((width, height))
        draw.polygon(points, fill=shade)
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    noise = Image.effect_noise(size, 18).convert("RGB")
    image = Image.blend(image, noise, 0.05)
    image.save(path, "JPEG", quality=90)
    return path


def bouncing_gif(path: Path) -> Path:
    frames = []
    for i in range(8):
        frame = Image.new("RGB", (240, 180), (32, 120, 112))
        draw = ImageDraw.Draw(frame)
        x = 30 + i * 22
        y = 90 - abs(math.sin(i / 8 * math.pi)) * 60
        draw.ellipse([x - 18, y - 18, x + 18, y + 18], fill=(250, 200, 80))
        frames.append(frame)
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=80, loop=0)
    return path


def image_elem(source: CacheSource, src: Path, tmp: Path, held: bool = True) -> ImageElem:
    """`src` cut into its levels by the SDK; held: in the cache, else only on "the service"
    (the thumbnail stays held either way only when `held`)."""
    prepared = prepare_image(src, tmp / f"levels-{src.stem}")
    infos = []
    for level in prepared.levels:
        uuid = MediaCache.sha256_of(level.path)
        if held:
            source.cache.put_file(level.path)
        else:
            copy = tmp / "remote" / uuid
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(level.path.read_bytes())
            source.remote[uuid] = copy
        infos.append(ImageInfo(level.kind, uuid, "", level.size, level.width, level.height))
    return ImageElem(prepared.format, infos)


def fake_uuid(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


# --- messages -------------------------------------------------------------------------


_counter = iter(range(1, 10_000))


def message(elem: Any, mine: bool = False, minute: int = 0,
            status: MessageStatus = MessageStatus.SEND_SUCC) -> Message:
    seq = next(_counter)
    when = QDateTime(QDate.currentDate(), QTime(9, 0)).addSecs(minute * 60)
    return Message(msg_id=f"m{seq}", conv_type=ConvType.C2C, sender=ME if mine else PEER,
                   receiver=PEER if mine else ME, seq=seq, time_ms=when.toMSecsSinceEpoch(),
                   elems=[elem], status=status, is_self=mine, is_peer_read=mine)


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(QLocale.system())


@pytest.fixture
def source(tmp_path: Path, arun: Callable[..., Any]) -> CacheSource:
    return CacheSource(MediaCache(tmp_path / "media"))


@pytest.fixture
def pictures(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "pictures"
    folder.mkdir()
    return {
        "photo": landscape(folder / "photo.jpg", (1600, 1200), 1),
        "wide": landscape(folder / "wide.jpg", (1800, 600), 2),
        "tall": landscape(folder / "tall.jpg", (600, 1800), 3),
        "gif": bouncing_gif(folder / "ball.gif"),
        "snapshot": landscape(folder / "snapshot.jpg", (1280, 720), 4),
    }


class Chat:
    """A timeline of the given messages in a window the size of the chat pane."""

    def __init__(self, qtbot: QtBot, kit: MediaKit | None, messages: list[Message],
                 size: tuple[int, int] = (720, 760)) -> None:
        self.window = QWidget()
        qtbot.addWidget(self.window)
        self.window.resize(*size)
        self.view = TimelineView(self.window)
        layout = QVBoxLayout(self.window)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.model = TimelineModel(IMClient(), self.view)
        self.model.conversation_id = f"c2c_{PEER}"
        self.view.setModel(self.model)
        self.view.delegate.set_names({PEER: "Bob Lin"})
        if kit is not None:
            self.view.set_media(kit)
        for msg in messages:
            self.model.add_message(msg)
        palette = current_palette()
        self.view.setStyleSheet(
            f"QListView {{ background: {palette.window.name()}; }}"
            "QListView::item:hover, QListView::item:selected { background: transparent; }")
        self.window.show()
        qtbot.waitExposed(self.window)
        self.view.scroll_to_bottom()

    def row(self, msg: Message) -> int:
        return self.model.row_of(msg.msg_id)

    def bubble(self, msg: Message) -> QRectF:
        self.view.doItemsLayout()
        index = self.model.index(self.row(msg))
        return self.view.delegate.geometry(QRectF(self.view.visualRect(index)), index,
                                           self.view.font()).bubble

    def show(self, msg: Message) -> None:
        self.view.scrollTo(self.model.index(self.row(msg)))

    def click(self, qtbot: QtBot, msg: Message) -> None:
        self.show(msg)
        qtbot.mouseClick(self.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=self.bubble(msg).center().toPoint())


def kit_for(source: CacheSource, tmp_path: Path, settings: AppSettings | None = None,
            limit_bytes: int = 64 * 1024 * 1024) -> MediaKit:
    return MediaKit.create(source, settings, tmp_path / "Downloads", limit_bytes)


def every_kind(source: CacheSource, pictures: dict[str, Path], tmp: Path) -> list[Message]:
    """A conversation with one bubble of every kind, both sides."""
    shot = pictures["snapshot"]
    shot_uuid, shot_size = source.cache.put_file(shot)
    gif = image_elem(source, pictures["gif"], tmp)
    return [
        message(TextElem("Photos from the trip are in 🌄"), minute=0),
        message(image_elem(source, pictures["photo"], tmp), minute=1),
        message(image_elem(source, pictures["wide"], tmp), minute=1),
        message(TextElem("And the tower, seen from below:"), mine=True, minute=2),
        message(image_elem(source, pictures["tall"], tmp), mine=True, minute=2),
        message(VideoElem(fake_uuid("video"), "", 8_400_000, 12, "mp4",
                          Snapshot(shot_uuid, "", shot_size, 1280, 720)), minute=3),
        message(gif, mine=True, minute=4),
        message(SoundElem(fake_uuid("voice-1"), "", 48_000, 7), minute=5),
        message(SoundElem(fake_uuid("voice-2"), "", 96_000, 23), mine=True, minute=5),
        message(FileElem(fake_uuid("file-1"), "", 2_516_582,
                         "Q3 report — final version (signed).pdf"), minute=6),
        message(FileElem(fake_uuid("file-2"), "", 184_320, "budget-2025.xlsx"), mine=True,
                minute=6),
        message(LocationElem("Shanghai Tower, Lujiazui", 121.5055, 31.2335), minute=7),
        message(FaceElem(2), mine=True, minute=8),
        message(MergerElem("Chat history of Mei and Bob",
                           ["Mei: Are we still on for Friday?", "Bob: Yes — 10 am, room 4",
                            "Mei: 👍 I'll bring the slides", "Bob: Great, see you there",
                            "Mei: (one line too many)"], "[Chat history]"), minute=9),
        message(TextElem("oops, wrong chat"), minute=10, status=MessageStatus.LOCAL_REVOKED),
        message(TextElem("never mind"), mine=True, minute=10,
                status=MessageStatus.LOCAL_REVOKED),
        message(GroupTipsElem(op_user=PEER, user_ids=[ME]), minute=11),
        message(TextElem("No worries 🙂"), minute=11),
    ]


def grab(widget: QWidget, name: str) -> QImage:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image = widget.grab().toImage()
    image.save(str(ARTIFACTS / name))
    return image


# --- bubbles --------------------------------------------------------------------------


def settle(chat: Chat, kit: MediaKit) -> Callable[[], bool]:
    """Painted, and everything the paint asked for decoded."""
    def done() -> bool:
        chat.view.viewport().repaint()
        return kit.loader.pending == 0
    return done


def test_every_bubble_kind_paints_at_a_sane_size(
    qtbot: QtBot, qapp: QApplication, english: None, source: CacheSource,
    pictures: dict[str, Path], tmp_path: Path, arun: Callable[..., Any],
) -> None:
    kit = kit_for(source, tmp_path)
    messages = every_kind(source, pictures, tmp_path)
    assert {kind_of(m) for m in messages} == set(BubbleKind)
    photo, wide, tall = messages[1], messages[2], messages[4]
    for theme in ("light", "dark"):
        apply_theme(qapp, theme)
        chat = Chat(qtbot, kit, messages, size=(720, 2480))
        for msg in messages:
            hint = chat.view.sizeHintForIndex(chat.model.index(chat.row(msg)))
            bubble = chat.bubble(msg)
            assert 24 <= hint.height() <= 400, (kind_of(msg), hint)
            assert 60 <= bubble.width() <= 0.65 * 720, (kind_of(msg), bubble)
            assert chat.view.viewport().rect().contains(bubble.toRect()), kind_of(msg)
        assert chat.bubble(wide).width() / chat.bubble(wide).height() == pytest.approx(3, 0.02)
        assert chat.bubble(tall).width() / chat.bubble(tall).height() == pytest.approx(1 / 3,
                                                                                    0.02)
        assert chat.bubble(wide).width() <= 320 and chat.bubble(tall).height() <= 320
        assert chat.bubble(photo).size().toSize() == QSize(320, 240)
        arun(until(settle(chat, kit), what="thumbnails decoded"))
        shot = grab(chat.window, f"media-bubbles-{theme}.png")
        for msg in (photo, wide, tall):  # the pictures, not the placeholder's flat tint
            rect = chat.bubble(msg).toRect()
            colors = {shot.pixel(rect.left() + rect.width() * i // 8,
                                 rect.top() + rect.height() * j // 8)
                      for i in range(1, 8) for j in range(1, 8)}
            assert len(colors) > 8, kind_of(msg)
        chat.window.close()
    apply_theme(qapp, "light")
    kit.close()


def test_a_recalled_message_is_a_service_line_in_both_languages(
    qtbot: QtBot, qapp: QApplication, english: None, source: CacheSource, tmp_path: Path,
) -> None:
    from app.ui.i18n import install_language

    theirs = message(TextElem("x"), status=MessageStatus.LOCAL_REVOKED)
    mine = message(TextElem("y"), mine=True, status=MessageStatus.LOCAL_REVOKED)
    after = message(TextElem("hello again"), minute=0)
    chat = Chat(qtbot, None, [theirs, mine, after])
    assert revoked_text(theirs, "Bob Lin") == "Bob Lin recalled a message"
    assert revoked_text(mine, "") == "You recalled a message"
    column = chat.view.viewport().rect()
    for msg in (theirs, mine):
        assert chat.bubble(msg).center().x() == pytest.approx(column.center().x(), abs=1)
    geo = chat.view.delegate.geometry(QRectF(chat.view.visualRect(chat.model.index(2))),
                                      chat.model.index(2), chat.view.font())
    assert geo.avatar is not None  # the line ended Bob's run: his avatar shows again
    try:
        install_language(qapp, "zh_CN")
        assert revoked_text(theirs, "Bob Lin") == "Bob Lin 撤回了一条消息"
        assert revoked_text(mine, "") == "你撤回了一条消息"
    finally:
        install_language(qapp, "en")


# --- loading ----------------------------------------------------------------------------


def test_a_thumbnail_downloads_with_progress_then_decodes(
    qtbot: QtBot, source: CacheSource, pictures: dict[str, Path], tmp_path: Path,
    arun: Callable[..., Any],
) -> None:
    kit = kit_for(source, tmp_path)
    msg = message(image_elem(source, pictures["photo"], tmp_path, held=False))
    source.gate.clear()
    chat = Chat(qtbot, kit, [msg])
    thumb = msg.image_elem.images[-1]
    progress: list[float] = []
    kit.loader.progress.connect(lambda uuid: progress.append(kit.loader.fraction(uuid)))

    async def scenario() -> None:
        await until(lambda: source.downloads, what="a download to start")
        uuid = source.downloads[0]
        assert uuid != msg.image_elem.images[0].uuid  # never the original for a bubble
        assert kit.loader.is_downloading(uuid)
        source.gate.set()
        await until(settle(chat, kit), what="the thumbnail")
        assert kit.loader.best(uuid) is not None

    arun(scenario())
    assert progress and progress[-1] == pytest.approx(1.0) and progress == sorted(progress)
    assert thumb.kind in ("thumb", "large")
    kit.close()


def test_the_lru_keeps_to_its_byte_limit(
    qtbot: QtBot, source: CacheSource, pictures: dict[str, Path], tmp_path: Path,
    arun: Callable[..., Any],
) -> None:
    uuid, _size = source.cache.put_file(pictures["photo"])
    limit = 1024 * 1024
    loader = ThumbnailLoader(source, limit)
    targets = [QSize(200 + i, 150) for i in range(40)]  # ~120 KB each: 40 would be ~5 MB

    async def decode_each() -> None:
        for target in targets:
            assert loader.request(Want(uuid), target) is None
            await until(lambda t=target: loader.request(Want(uuid), t) is not None,
                        what="the decode")

    arun(decode_each())
    assert 0 < loader.cached_bytes <= limit
    assert loader.request(Want(uuid), targets[-1]) is not None  # the newest stayed
    assert loader.request(Want(uuid), targets[0]) is None  # the oldest went
    assert loader.preview([uuid]) is not None
    loader.close()


def test_a_gif_plays_while_painted_and_stops_when_not(
    qtbot: QtBot, source: CacheSource, pictures: dict[str, Path], tmp_path: Path,
    arun: Callable[..., Any],
) -> None:
    kit = kit_for(source, tmp_path)
    gif = message(image_elem(source, pictures["gif"], tmp_path), mine=True)
    chat = Chat(qtbot, kit, [gif])
    frames: list[str] = []
    kit.animator.frame_ready.connect(frames.append)

    async def plays() -> None:
        await until(lambda: len(frames) >= 4, what="frames")
        chat.window.hide()  # nothing paints it any more
        await until(lambda: kit.animator.playing == 0, what="the animation to stop")

    arun(plays())
    kit.close()


# --- clicks ---------------------------------------------------------------------------


def test_clicks_on_voice_location_merger_and_file(
    qtbot: QtBot, source: CacheSource, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    arun: Callable[..., Any],
) -> None:
    settings = AppSettings(tmp_path / "settings.ini")
    kit = kit_for(source, tmp_path, settings)
    payload = tmp_path / "payload.pdf"
    payload.write_bytes(bytes(range(256)) * 2048)  # 512 KB: several chunks
    uuid = MediaCache.sha256_of(payload)
    source.remote[uuid] = payload
    voice = message(SoundElem(fake_uuid("v"), "", 1000, 7))
    place = message(LocationElem("Shanghai Tower", 121.5055, 31.2335))
    merger = message(MergerElem("Chat history", ["Bob: hi"]))
    file = message(FileElem(uuid, "", payload.stat().st_size, "report.pdf"))
    chat = Chat(qtbot, kit, [voice, place, merger, file])
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)

    with qtbot.waitSignal(chat.view.play_voice) as played:
        chat.click(qtbot, voice)
    assert played.args == [voice]
    assert VoiceStates(settings).is_played(voice.msg_id)  # kept across restarts
    chat.click(qtbot, place)
    assert opened[-1].toString().startswith(
        "https://www.openstreetmap.org/?mlat=31.233500&mlon=121.505500")
    with qtbot.waitSignal(chat.view.open_merger) as merged:
        chat.click(qtbot, merger)
    assert merged.args == [merger]

    async def download() -> None:
        source.gate.clear()
        chat.click(qtbot, file)
        await until(lambda: kit.files.progress(file.msg_id) is not None, what="progress")
        chat.click(qtbot, file)  # the second click cancels
        assert kit.files.progress(file.msg_id) is None
        source.gate.set()
        chat.click(qtbot, file)
        await until(lambda: len(opened) == 2, what="the file to open")

    arun(download())
    path = Path(opened[-1].toLocalFile())
    assert path.name == "report.pdf" and path.parent == tmp_path / "Downloads"
    assert path.read_bytes() == payload.read_bytes()
    kit.close()


# --- the viewer -----------------------------------------------------------------------


@pytest.fixture
def gallery(source: CacheSource, pictures: dict[str, Path], tmp_path: Path) -> list[Message]:
    shot_uuid, shot_size = source.cache.put_file(pictures["snapshot"])
    return [
        message(image_elem(source, pictures["photo"], tmp_path), minute=1),
        message(TextElem("between"), minute=2),
        message(image_elem(source, pictures["wide"], tmp_path), mine=True, minute=3),
        message(VideoElem(fake_uuid("clip"), "", 5_000_000, 12, "mp4",
                          Snapshot(shot_uuid, "", shot_size, 1280, 720)), minute=4),
    ]


def open_viewer(qtbot: QtBot, chat: Chat, msg: Message) -> MediaViewer:
    chat.click(qtbot, msg)
    viewer = chat.view.viewer
    assert viewer is not None and viewer.isVisible()
    qtbot.waitUntil(lambda: viewer.hasFocus())
    return viewer


def test_the_viewer_opens_on_click_and_steps_through_the_chat(
    qtbot: QtBot, english: None, source: CacheSource, gallery: list[Message],
    tmp_path: Path, arun: Callable[..., Any],
) -> None:
    kit = kit_for(source, tmp_path)
    chat = Chat(qtbot, kit, gallery, size=(1100, 720))
    viewer = open_viewer(qtbot, chat, gallery[0])
    assert viewer.geometry() == chat.window.rect()
    assert [m.msg_id for m in viewer.items] == [gallery[i].msg_id for i in (0, 2, 3)]
    assert viewer.current is gallery[0] and viewer.caption.text().startswith("Bob Lin")
    qtbot.keyClick(viewer, Qt.Key.Key_Right)
    assert viewer.current is gallery[2] and viewer.caption.text().startswith("You")
    qtbot.keyClick(viewer, Qt.Key.Key_Right)
    assert viewer.is_video
    with qtbot.waitSignal(viewer.play_video) as play:
        qtbot.mouseClick(viewer, Qt.MouseButton.LeftButton,
                         pos=viewer.picture_rect().center().toPoint())
    assert play.args == [gallery[3]]
    qtbot.keyClick(viewer, Qt.Key.Key_Right)  # the last one: stays
    assert viewer.current is gallery[3] and not viewer.next_button.isVisible()
    qtbot.keyClick(viewer, Qt.Key.Key_Left)
    qtbot.keyClick(viewer, Qt.Key.Key_Left)
    assert viewer.current is gallery[0]

    async def original() -> None:  # "fit" decodes the original at the size it is shown
        await until(lambda: (viewer.repaint(), kit.loader.pending == 0)[1], what="original")

    arun(original())
    chat.window.resize(1100, 720)
    grab(chat.window, "media-viewer.png")
    qtbot.keyClick(viewer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: chat.view.viewer is None)
    kit.close()


def test_zoom_changes_the_scale_around_the_pointer(
    qtbot: QtBot, source: CacheSource, gallery: list[Message], tmp_path: Path,
) -> None:
    kit = kit_for(source, tmp_path)
    chat = Chat(qtbot, kit, gallery, size=(1100, 720))
    viewer = open_viewer(qtbot, chat, gallery[0])
    fit = viewer.zoom.scale
    assert viewer.zoom.fitted and fit < 1  # 1600×1200 in a smaller area
    assert viewer.picture_rect().width() == pytest.approx(1600 * fit)
    qtbot.keyClick(viewer, Qt.Key.Key_Plus)
    assert viewer.zoom.scale == pytest.approx(fit * 1.25)
    qtbot.keyClick(viewer, Qt.Key.Key_Minus)
    qtbot.keyClick(viewer, Qt.Key.Key_Minus)
    assert viewer.zoom.scale == pytest.approx(fit / 1.25)
    qtbot.keyClick(viewer, Qt.Key.Key_0)
    assert viewer.zoom.fitted
    point = viewer.picture_rect().center().toPoint() + QPoint(100, 50)
    qtbot.mouseDClick(viewer, Qt.MouseButton.LeftButton, pos=point)
    assert viewer.zoom.scale == pytest.approx(1.0)
    before = viewer.picture_rect()
    qtbot.mousePress(viewer, Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseMove(viewer, point + QPoint(-60, -40))
    qtbot.mouseRelease(viewer, Qt.MouseButton.LeftButton, pos=point + QPoint(-60, -40))
    assert viewer.picture_rect().topLeft() == before.topLeft() + QPoint(-60, -40)
    assert viewer.isVisible()  # a drag is not a click beside the picture
    qtbot.mouseDClick(viewer, Qt.MouseButton.LeftButton, pos=point)
    assert viewer.zoom.fitted
    qtbot.mouseClick(viewer, Qt.MouseButton.LeftButton, pos=QPoint(30, 300))  # beside it
    qtbot.waitUntil(lambda: chat.view.viewer is None)
    kit.close()


def test_save_as_writes_the_original_bytes(
    qtbot: QtBot, source: CacheSource, gallery: list[Message], pictures: dict[str, Path],
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arun: Callable[..., Any],
) -> None:
    kit = kit_for(source, tmp_path)
    chat = Chat(qtbot, kit, gallery, size=(1100, 720))
    viewer = open_viewer(qtbot, chat, gallery[0])
    target = tmp_path / "saved" / "mine.jpg"
    target.parent.mkdir()
    asked: list[str] = []

    def choose(parent: QWidget, caption: str, start: str, filters: str) -> tuple[str, str]:
        asked.append(start)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    qtbot.keyClick(viewer, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    arun(until(lambda: target.exists() and viewer.notice.isVisible(), what="the copy"))
    assert target.read_bytes() == pictures["photo"].read_bytes()
    assert Path(asked[0]).name.startswith("IMG_") and asked[0].endswith(".jpg")
    kit.close()
