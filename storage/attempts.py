"""Counters of failed password attempts, and the refusal once one is used up.

Only failures count. Once a counter has used up its limit every attempt it covers is
refused with ``TooManyAttempts`` (429, a Russian message saying in how many minutes to try
again; ``g.retry_after`` holds the seconds for a ``Retry-After`` header) — the right
password too — until the moving window frees a slot. A counter's limit is a setting in the
notation of the ``limits`` library, e.g. ``"10 per 15 minutes"``.

The counters live in the storage ``webforms.throttle`` sets up (``app.extensions
["throttle"]``, an ``AttemptStore``): Redis when configured, process memory otherwise; when
Redis cannot be reached they fall back to memory rather than refuse to log anyone in.
Logins (``webforms.auth``) and signing passwords (``signatures.simple``) are counted here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, g
from limits import parse
from limits.errors import StorageError
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter, RateLimiter

from storage.errors import TooManyAttempts

PREFIX = "nastavnik"


@dataclass(frozen=True)
class Counter:
    """One counter of failures: the setting that holds its limit, and whose attempts."""

    setting: str
    key: str


def sign_counters(user_id: int) -> tuple[Counter, ...]:
    """The counter of signing passwords (re-authentication) of one account."""
    return (Counter("SIGN_LIMIT_PER_ACCOUNT", str(user_id)),)


def refuse_if_exhausted(counters: tuple[Counter, ...], what: str) -> None:
    """Raise ``TooManyAttempts`` if any counter has no attempt left; ``what`` names the act
    in the message (e.g. «входа»)."""
    for counter in counters:
        item = parse(current_app.config[counter.setting])
        if not _call("test", item, counter):
            reset_at, _remaining = _call("get_window_stats", item, counter)
            wait = max(1, math.ceil(reset_at - time.time()))
            g.retry_after = wait
            raise TooManyAttempts(
                f"Слишком много неудачных попыток {what}. Попробуйте снова через "
                f"{math.ceil(wait / 60)} мин.", retry_after=wait)


def count_failure(counters: tuple[Counter, ...]) -> None:
    """Charge one failed attempt to every counter."""
    for counter in counters:
        _call("hit", parse(current_app.config[counter.setting]), counter)


def _call(method: str, item, counter: Counter):
    state = current_app.extensions["throttle"]
    ids = (PREFIX, counter.setting, counter.key)
    if not state.fallen_back:
        try:
            return getattr(state.limiter(), method)(item, *ids)
        except StorageError:
            current_app.logger.warning("attempt counters unreachable, counting in memory")
            state.fallen_back = True
    return getattr(state.fallback, method)(item, *ids)


class AttemptStore:
    """Where the counters live: ``limiter()`` gives the rate limiter of the configured
    storage (Flask-Limiter's); memory once that storage failed."""

    def __init__(self, limiter: Callable[[], RateLimiter]):
        self.limiter = limiter
        self.fallen_back = False
        self._fallback: RateLimiter | None = None

    @property
    def fallback(self) -> RateLimiter:
        if self._fallback is None:
            self._fallback = MovingWindowRateLimiter(MemoryStorage())
        return self._fallback
