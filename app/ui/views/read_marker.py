"""Marking the open chat read up to what the user has seen on this device, and no further.

A read names an explicit seq: the newest stored message whose bubble is on screen while the
window is active. Reading "up to whatever the service holds" would mark (and receipt) messages
that arrived after the user looked away, or that sit below the viewport; scrolling down through
a long unread stretch instead moves the read position along with the eyes, as Telegram does.
Checks are debounced: a burst of arrivals or a scroll collapses into one report.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, QTimer

from app.protocol import IMError
from app.sdk import Conversation, IMClient
from app.ui.models.timeline import TimelineModel
from app.ui.tasks import TaskGroup
from app.ui.widgets.timeline_view import TimelineView

CHECK_MS = 150
SHOWN_PX = 24
"""How much of a bubble (about its first line) must be inside the viewport for its message to
count as shown."""


class ReadMarker(QObject):
    def __init__(self, client: IMClient, view: TimelineView, model: TimelineModel,
                 conversation: Callable[[], Conversation | None],
                 can_see: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._view = view
        self._model = model
        self._conversation = conversation
        self._can_see = can_see
        self.tasks = TaskGroup("reads")
        """Reads run to the end even when the user switches chats."""
        self._reported: dict[str, int] = {}
        """The seq last reported per conversation (until the SDK's copy catches up)."""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.check)

    def soon(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def forget(self) -> None:
        """The service's data was reset: seqs reported before name messages of the old log."""
        self._reported.clear()

    def newest_shown_seq(self) -> int:
        """The seq of the newest stored message on screen (0 if none)."""
        model, view = self._model, self._view
        rows = model.rowCount()
        if rows == 0 or model.loading:
            return 0
        viewport = view.viewport()
        bottom = viewport.height() - 1
        index = view.indexAt(QPoint(viewport.width() // 2, bottom))
        if not index.isValid():
            return model.newest_seq_up_to(rows - 1)
        row = index.row()
        if view.visualRect(index).top() + view.delegate.content_top(index) > bottom - SHOWN_PX:
            row -= 1
        return model.newest_seq_up_to(row) if row >= 0 else 0

    def check(self) -> None:
        conv = self._conversation()
        if conv is None or conv.unread_count <= 0 or not self._can_see():
            return
        conv_id = conv.conversation_id
        seq = self.newest_shown_seq()
        reported = self._reported.get(conv_id, 0)
        if seq <= max(conv.read_seq, reported):
            return
        self._reported[conv_id] = seq

        def failed(_error: IMError) -> None:
            if self._reported.get(conv_id) == seq:
                self._reported[conv_id] = reported  # the next look tries again

        self.tasks.run(
            self._client.message_manager.mark_conversation_as_read(conv_id, seq),
            on_error=failed,
        )
