"""How durations, sizes and coordinates read in media bubbles, in the UI language's locale."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale


def duration_text(seconds: int) -> str:
    """"0:07", "12:40", "1:02:03" — as players show it, whatever the language."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def size_text(size: int) -> str:
    """"2.4 MB" (binary multiples, as file managers show them)."""
    return QLocale().formattedDataSize(max(0, size), 1,
                                       QLocale.DataSizeFormat.DataSizeTraditionalFormat)


def progress_text(done: int, total: int) -> str:
    """"1.1 MB / 2.4 MB" while a file moves."""
    return f"{size_text(done)} / {size_text(total)}"


def coordinates_text(latitude: float, longitude: float) -> str:
    """"31.2335° N, 121.5055° E" ("北纬 31.2335°，东经 121.5055°")."""
    locale = QLocale()
    lat, lon = locale.toString(abs(latitude), "f", 4), locale.toString(abs(longitude), "f", 4)
    north = (QCoreApplication.translate("Media", "%1° N") if latitude >= 0
             else QCoreApplication.translate("Media", "%1° S")).replace("%1", lat)
    east = (QCoreApplication.translate("Media", "%1° E") if longitude >= 0
            else QCoreApplication.translate("Media", "%1° W")).replace("%1", lon)
    return QCoreApplication.translate("Media", "%1, %2").replace("%1", north).replace("%2", east)
