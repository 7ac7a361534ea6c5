"""SDK configuration (V2TIMSDKConfig's counterpart)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path

import platformdirs

from app.protocol import Platform


class LogLevel(IntEnum):
    """V2TIM_LOG_*: each level includes the ones after it."""

    NONE = 0
    DEBUG = 3
    INFO = 4
    WARN = 5
    ERROR = 6


@dataclass(slots=True)
class SDKConfig:
    data_dir: Path = field(default_factory=lambda: Path(platformdirs.user_data_dir("tidings")))
    """Root of per-user caches, the device ID and the daily log files."""
    log_level: LogLevel = LogLevel.INFO
    platform: Platform = Platform.DESKTOP
    request_timeout_s: float = 10.0
    connect_timeout_s: float = 10.0
    reconnect_min_s: float = 0.5
    reconnect_max_s: float = 30.0
    healthy_after_s: float = 10.0
    """A connection must stay up this long before the reconnect backoff starts again from its
    shortest delay, so a service that accepts and then drops every connection is not hammered."""
    outbox_ttl_s: float = 600.0
    """A message that could not be sent for this long fails with SDK_SEND_EXPIRED."""
    catch_up_window: int = 2000
    """Newest messages per conversation pulled on catch-up; older ones load on scroll."""
    pull_batch: int = 1000
    media_cache_bytes: int = 2 * 1024 ** 3
    """Downloaded and sent media kept per user; the least recently used go first."""
