"""Where a location message opens: OpenStreetMap in the browser (no tiles are fetched here)."""

from __future__ import annotations

from PySide6.QtCore import QUrl

from app.protocol import LocationElem

ZOOM = 16


def map_url(elem: LocationElem) -> QUrl:
    lat, lon = f"{elem.latitude:.6f}", f"{elem.longitude:.6f}"
    return QUrl(f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map={ZOOM}/{lat}/{lon}")
