"""MediaKit: the media services one signed-in session's timeline and viewer share.

One loader (so a thumbnail decoded for the timeline is the viewer's blur-up too), one GIF
animator, the file transfers and the voice states — all over one MediaSource, which in the app
is `IMClient.media`. The chat view makes it once per session and hands it to its timeline
(`TimelineView.set_media`); `close` stops the worker threads and downloads at sign-out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject

from app.ui.media.animation import GifAnimator
from app.ui.media.source import MediaSource
from app.ui.media.thumbnails import LIMIT_BYTES, ThumbnailLoader
from app.ui.media.transfers import FileTransfers
from app.ui.media.voices import VoiceStates
from app.ui.settings import AppSettings


@dataclass(eq=False, slots=True)
class MediaKit:
    source: MediaSource
    loader: ThumbnailLoader
    animator: GifAnimator
    files: FileTransfers
    voices: VoiceStates

    @classmethod
    def create(cls, source: MediaSource, settings: AppSettings | None = None,
               files_dir: Path | None = None, limit_bytes: int = LIMIT_BYTES,
               parent: QObject | None = None) -> MediaKit:
        return cls(source, ThumbnailLoader(source, limit_bytes, parent),
                   GifAnimator(source, parent), FileTransfers(source, files_dir, parent),
                   VoiceStates(settings, parent))

    def close(self) -> None:
        self.loader.close()
        self.animator.close()
        self.files.close()
