"""Which host names mean this machine, for the service (which names a loopback-bound service
answers to) and for clients (a loopback service is reached directly, never through a proxy)."""

from __future__ import annotations

import ipaddress

LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "127.0.0.1", "::1"})


def is_loopback(host: str) -> bool:
    name = host.lower()
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
