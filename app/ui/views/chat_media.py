"""ChatMedia: what a chat does when the user plays a voice message, a video, or opens a
forwarded chat history.

The timeline only says what was asked (`play_voice`, `play_video`, `open_merger`); fetching the
file into the media cache, the app-wide voice player and the video window are here, so the
timeline stays a view and the chat view stays a layout. One `MediaKit` per signed-in session is
made here too and handed to the timeline; the voice player's position is reported back to the
kit's `VoiceStates`, which the voice bubbles draw.

A click on the voice message that is playing pauses it, a second click resumes it; a click on
another one stops the first (one sound at a time, `playback.focus`). A file that cannot be
fetched or played is one notice, never a dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.protocol import IMError
from app.sdk import IMClient, Message
from app.ui.media.kit import MediaKit
from app.ui.playback.player import voice_player
from app.ui.playback.video import VideoWindow
from app.ui.settings import AppSettings
from app.ui.tasks import TaskGroup
from app.ui.views.chat_controller import media_source
from app.ui.views.merger_dialog import MergerDialog
from app.ui.widgets.timeline_view import TimelineView


class ChatMedia(QObject):
    notice = Signal(str, bool)
    """A line for the user above the composer: (text, is an error)."""

    def __init__(self, client: IMClient, settings: AppSettings, timeline: TimelineView,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.client = client
        self._window = parent
        self.kit = MediaKit.create(client.media, settings, parent=self)
        self.tasks = TaskGroup("chat media")
        self._voice: str | None = None
        """The msg_id of the voice message in the player (playing or paused)."""
        self.video: VideoWindow | None = None
        self.merger: MergerDialog | None = None
        self.player = voice_player()
        self.player.position_changed.connect(self._voice_moved)
        self.player.state_changed.connect(self._voice_moved)
        self.player.error.connect(lambda _text: self._failed(self.tr("The voice message could "
                                                                     "not be played")))
        timeline.set_media(self.kit)
        timeline.play_voice.connect(self.play_voice)
        timeline.play_video.connect(self.play_video)
        timeline.open_merger.connect(self.open_merger)

    def close(self) -> None:
        """At sign-out: stop what plays and the kit's workers."""
        self.tasks.cancel_all()
        if self._voice is not None:
            self.player.stop()
        if self.video is not None:
            self.video.close()
        self.kit.close()

    # --- voice ---------------------------------------------------------------------------

    def play_voice(self, msg: Message) -> None:
        if msg.msg_id == self._voice and self.player.state != "stopped":
            self.player.toggle()
            return
        source = media_source(msg)
        if source is None:
            return
        self.tasks.run(self.client.media.download(source.uuid, url=source.url,
                                                  size=source.size),
                       on_done=lambda path: self._start_voice(msg.msg_id, path),
                       on_error=lambda _e: self._failed(self.tr("The voice message could not "
                                                                "be downloaded")))

    def _start_voice(self, msg_id: str, path: Path) -> None:
        self._voice = msg_id
        self.player.play(path)

    def _voice_moved(self, *_args: object) -> None:
        if self._voice is None:
            return
        duration = self.player.duration
        state = self.player.state
        fraction = self.player.position / duration if duration and state != "stopped" else 0.0
        self.kit.voices.set_position(self._voice, fraction, state == "playing")
        if state == "stopped":
            self._voice = None

    # --- video ---------------------------------------------------------------------------

    def play_video(self, msg: Message) -> None:
        source = media_source(msg)
        if source is None:
            return
        self.tasks.run(self.client.media.download(source.uuid, url=source.url,
                                                  size=source.size),
                       on_done=self._show_video,
                       on_error=lambda _e: self._failed(self.tr("The video could not be "
                                                                "downloaded")))

    def _show_video(self, path: Path) -> None:
        if self.video is not None:
            self.video.close()
        if self._voice is not None:
            self.player.stop()
        window = VideoWindow(path, self._window.window())
        window.destroyed.connect(lambda: setattr(self, "video", None))
        self.video = window
        window.show()

    # --- forwarded chat history ----------------------------------------------------------

    def open_merger(self, msg: Message) -> None:
        async def fetch() -> list[Message]:
            return await self.client.message_manager.download_merger_message(msg)

        self.tasks.run(fetch(), on_done=lambda inner: self._show_merger(msg, inner),
                       on_error=self._merger_failed)

    def _show_merger(self, msg: Message, inner: list[Message]) -> None:
        if self.merger is not None:
            self.merger.close()
        title = msg.merger_elem.title if msg.merger_elem is not None else ""
        dialog = MergerDialog(title, inner, self._window.window())
        dialog.finished.connect(lambda _r: setattr(self, "merger", None))
        self.merger = dialog
        dialog.open()

    def _merger_failed(self, _error: IMError) -> None:
        self._failed(self.tr("The forwarded messages could not be downloaded"))

    def _failed(self, text: str) -> None:
        self.notice.emit(text, True)
