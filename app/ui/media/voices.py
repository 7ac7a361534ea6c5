"""What voice bubbles show besides the recording: played or not, and where playback is.

Which incoming voice messages were played is kept by the UI until the SDK's cache keeps it:
a set of message ids in the app's settings file (`AppSettings.store`, key ``media/played``), the
newest few thousand, so the unplayed dot does not come back after a restart. Playback itself is
done elsewhere; its owner reports the position here (`set_position`) and the bubbles follow.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.ui.settings import AppSettings

PLAYED_KEY = "media/played"
PLAYED_KEPT = 5000


class VoiceStates(QObject):
    changed = Signal(str)
    """The msg_id whose voice bubble looks different now."""

    def __init__(self, settings: AppSettings | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        raw = settings.store.value(PLAYED_KEY) if settings is not None else None
        ids = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
        self._played: dict[str, None] = dict.fromkeys(str(i) for i in ids if i)
        self._position: tuple[str, float, bool] | None = None
        """(msg_id, fraction played, playing) of the voice message last played."""

    def is_played(self, msg_id: str) -> bool:
        return msg_id in self._played

    def mark_played(self, msg_id: str) -> None:
        if msg_id in self._played:
            return
        self._played[msg_id] = None
        while len(self._played) > PLAYED_KEPT:
            del self._played[next(iter(self._played))]
        if self._settings is not None:
            self._settings.store.setValue(PLAYED_KEY, list(self._played))
        self.changed.emit(msg_id)

    def set_position(self, msg_id: str, fraction: float, playing: bool) -> None:
        """Playback of `msg_id` is at `fraction` (0–1), running or paused; another message's
        bubble goes back to its start."""
        previous = self._position
        self._position = (msg_id, max(0.0, min(1.0, fraction)), playing)
        if previous is not None and previous[0] != msg_id:
            self.changed.emit(previous[0])
        self.changed.emit(msg_id)

    def position(self, msg_id: str) -> tuple[float, bool]:
        """(fraction played, playing) of `msg_id`'s bubble."""
        if self._position is None or self._position[0] != msg_id:
            return 0.0, False
        return self._position[1], self._position[2]
