"""Reading a whole conversation back out of a client, page by page, the way an app scrolls."""

from __future__ import annotations

from app.sdk import HistoryType, IMClient, Message


async def full_history(client: IMClient, conversation_id: str, local: bool = True,
                       page: int = 100) -> list[Message]:
    """Every visible message, oldest first."""
    get_type = HistoryType.LOCAL_OLDER if local else HistoryType.CLOUD_OLDER
    out: list[Message] = []
    last: Message | None = None
    while True:
        batch = await client.message_manager.get_history_message_list(
            conversation_id, page, last, get_type)
        stored = [m for m in batch if m.seq]
        if not stored:
            break
        out.extend(stored)
        last = stored[-1]
    out.reverse()
    return out
