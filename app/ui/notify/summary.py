"""What arrived while the app was closed, told once (N4).

A desktop client has no push channel while it is not running (seed §8), so after a restart the
first catch-up would announce everything that came meanwhile as new. One notification per
message then would be a storm of old news; instead the first catch-up's messages that would
have notified are counted here and told once, when that catch-up finishes: "12 new messages in
3 chats", or for a single chat its name, count and latest line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.ui.notify.texts import Texts, summary_texts


@dataclass
class Missed:
    """The messages of the first catch-up, by conversation, in arrival order."""

    counts: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    latest: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Conversation → (msg_id, body) of its newest message."""

    def add(self, conversation_id: str, chat_name: str, msg_id: str, body: str) -> None:
        self.counts[conversation_id] = self.counts.get(conversation_id, 0) + 1
        self.names[conversation_id] = chat_name
        self.latest[conversation_id] = (msg_id, body)

    @property
    def messages(self) -> int:
        return sum(self.counts.values())

    @property
    def chats(self) -> int:
        return len(self.counts)

    @property
    def single(self) -> str:
        """The one conversation it is about, or "" for several (or none)."""
        return next(iter(self.counts)) if len(self.counts) == 1 else ""

    def texts(self) -> Texts | None:
        if not self.counts:
            return None
        last = next(reversed(self.latest))
        return summary_texts(self.messages, self.chats, self.names[last], self.latest[last][1])
