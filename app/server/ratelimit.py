"""Request rates per key (an account, a client address): token buckets.

A ``Rate`` of N per S seconds lets a burst of N through, then one more every S/N seconds, so a
person retyping a password or sending a quick run of messages never notices it, and a script
does. A refused request learns when to retry (9506 with the seconds to wait).

The buckets live in this node's memory. That is a bound on abuse, not a correctness rule: with
several nodes a client may get up to N per node, and a restart forgets the counts. Memory is
bounded: the least recently used keys are forgotten first.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from dataclasses import dataclass

from app.protocol import ErrorCode, IMError

KEYS_MAX = 100_000


@dataclass(frozen=True, slots=True)
class Rate:
    count: int
    per_s: float

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``"N/SECONDS"``; ``"0"`` or ``"off"`` for no limit."""
        text = text.strip().lower()
        if text in ("0", "off", "none"):
            return cls(0, 1)
        count, sep, seconds = text.partition("/")
        try:
            rate = cls(int(count), float(seconds) if sep else 1.0)
        except ValueError:
            raise ValueError(f"not a rate: {text!r} (expected N/SECONDS, e.g. 20/60)") from None
        if rate.count < 0 or not rate.per_s > 0:
            raise ValueError(f"not a rate: {text!r} (N ≥ 0 and SECONDS > 0)")
        return rate

    @property
    def unlimited(self) -> bool:
        return self.count == 0


RATE_LOGIN = Rate(20, 60)
RATE_LOGIN_FAILURES = Rate(10, 300)
RATE_REGISTER = Rate(10, 3600)
RATE_SEND = Rate(1000, 10)


class RateLimiter:
    def __init__(self, rate: Rate, what: str) -> None:
        self._rate = rate
        self._what = what
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def _level(self, key: str, now: float) -> float:
        """Tokens in the key's bucket now (a new key starts full)."""
        tokens, at = self._buckets.get(key, (float(self._rate.count), now))
        return min(float(self._rate.count), tokens + (now - at) * self._rate.count
                   / self._rate.per_s)

    def wait_s(self, key: str, now: float | None = None) -> float:
        """Seconds until the key may act again; 0 when it may act now."""
        if self._rate.unlimited:
            return 0.0
        now = time.monotonic() if now is None else now
        missing = 1.0 - self._level(key, now)
        return max(0.0, missing * self._rate.per_s / self._rate.count)

    def spend(self, key: str, now: float | None = None) -> None:
        """Count one action, whether or not it was allowed (failed sign-ins are counted after
        they failed)."""
        if self._rate.unlimited:
            return
        now = time.monotonic() if now is None else now
        self._buckets[key] = (max(self._level(key, now) - 1.0, 0.0), now)
        self._buckets.move_to_end(key)
        while len(self._buckets) > KEYS_MAX:
            self._buckets.popitem(last=False)

    def check(self, key: str) -> None:
        """Refuse with 9506 if the key has no token left; otherwise nothing is spent."""
        wait = self.wait_s(key)
        if wait > 0:
            raise rate_limited(self._what, wait)

    def take(self, key: str) -> None:
        """Spend a token, or refuse with 9506 when there is none."""
        self.check(key)
        self.spend(key)


class RateLimitedError(IMError):
    """9506 with the seconds to wait, for the transports that can say so (HTTP Retry-After)."""

    def __init__(self, detail: str, retry_after_s: int) -> None:
        super().__init__(ErrorCode.RATE_LIMITED, detail)
        self.retry_after_s = retry_after_s


def rate_limited(what: str, wait_s: float) -> RateLimitedError:
    seconds = max(1, math.ceil(wait_s))
    return RateLimitedError(f"too many {what}; retry after {seconds} s", seconds)


@dataclass(frozen=True, slots=True)
class Throttles:
    """The service's limiters, one per kind of request."""

    login: RateLimiter
    login_failures: RateLimiter
    register: RateLimiter
    send: RateLimiter

    @classmethod
    def of(cls, login: Rate, login_failures: Rate, register: Rate, send: Rate) -> Throttles:
        return cls(RateLimiter(login, "sign-ins from this address"),
                   RateLimiter(login_failures, "failed sign-ins for this account"),
                   RateLimiter(register, "registrations from this address"),
                   RateLimiter(send, "messages"))
