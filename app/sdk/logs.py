"""Daily SDK log files (``imsdk_YYYYMMDD.log``) in the data directory, as V2TIM keeps them."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from .config import LogLevel

_LEVELS = {
    LogLevel.DEBUG: logging.DEBUG,
    LogLevel.INFO: logging.INFO,
    LogLevel.WARN: logging.WARNING,
    LogLevel.ERROR: logging.ERROR,
}


class DailyFileHandler(logging.FileHandler):
    """Writes to ``imsdk_<today>.log`` and moves to a new file when the date changes."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self._day = time.strftime("%Y%m%d")
        super().__init__(self._path(), encoding="utf-8", delay=True)

    def _path(self) -> Path:
        return self.directory / f"imsdk_{self._day}.log"

    def emit(self, record: logging.LogRecord) -> None:
        day = time.strftime("%Y%m%d", time.localtime(record.created))
        if day != self._day:
            self._day = day
            self.close()
            self.baseFilename = str(self._path())
        super().emit(record)


def configure(level: LogLevel, directory: Path) -> None:
    logger = logging.getLogger("tidings.sdk")
    for handler in [h for h in logger.handlers if isinstance(h, DailyFileHandler)]:
        logger.removeHandler(handler)
        handler.close()
    if level == LogLevel.NONE:
        logger.setLevel(logging.CRITICAL + 1)
        return
    logger.setLevel(_LEVELS[level])
    handler = DailyFileHandler(directory)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
