"""Limits on password attempts: logins per account and per address, signing passwords
per account.

Only failures count. Once a counter has used up its limit every attempt it covers is
refused with ``TooManyAttempts`` (429, a Russian message saying in how many minutes to try
again, and ``Retry-After``) — the right password too — until the moving window frees a
slot. The counters live in Flask-Limiter's storage: Redis when ``REDIS_URL`` (or
``RATELIMIT_STORAGE_URI``) is set, process memory otherwise; when Redis cannot be reached
they fall back to memory rather than refuse to log anyone in.

The limits are settings (``LOGIN_LIMIT_PER_ACCOUNT``, ``LOGIN_LIMIT_PER_ADDRESS``,
``SIGN_LIMIT_PER_ACCOUNT``) in the notation of the ``limits`` library, e.g.
``"10 per 15 minutes"``. Concurrent failures may pass the check together, so a counter can
overshoot its limit by the number of requests in flight.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from flask import Flask, current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse
from limits.errors import StorageError
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter, RateLimiter

from workflows.errors import TooManyAttempts

PREFIX = "nastavnik"


@dataclass(frozen=True)
class Counter:
    """One counter of failures: the setting that holds its limit, and whose attempts."""

    setting: str
    key: str


def login_counters(login: str) -> tuple[Counter, ...]:
    """The counters a login attempt with ``login`` is charged to: the account, the address."""
    return (Counter("LOGIN_LIMIT_PER_ACCOUNT", login.strip().casefold() or "-"),
            Counter("LOGIN_LIMIT_PER_ADDRESS", request.remote_addr or "-"))


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
            return getattr(state.limiter.limiter, method)(item, *ids)
        except StorageError:
            current_app.logger.warning("attempt counters unreachable, counting in memory")
            state.fallen_back = True
    return getattr(state.fallback, method)(item, *ids)


class _State:
    def __init__(self, limiter: Limiter):
        self.limiter = limiter
        self.fallen_back = False
        self._fallback: RateLimiter | None = None

    @property
    def fallback(self) -> RateLimiter:
        if self._fallback is None:
            self._fallback = MovingWindowRateLimiter(MemoryStorage())
        return self._fallback


SETTINGS = ("LOGIN_LIMIT_PER_ACCOUNT", "LOGIN_LIMIT_PER_ADDRESS", "SIGN_LIMIT_PER_ACCOUNT")


def init_app(app: Flask) -> None:
    """Set up the counters' storage; a malformed limit setting stops the start (ValueError)."""
    for setting in SETTINGS:
        parse(app.config[setting])
    uri = app.config.get("RATELIMIT_STORAGE_URI") or app.config.get("REDIS_URL") or "memory://"
    options = {"wrap_exceptions": True}
    if not uri.startswith("memory"):
        options.update(socket_connect_timeout=2, socket_timeout=2)
    limiter = Limiter(get_remote_address, app=app, storage_uri=uri, storage_options=options,
                      strategy="moving-window", key_prefix=PREFIX)
    app.extensions["throttle"] = _State(limiter)

    @app.after_request
    def _retry_after(response):
        if response.status_code == 429 and "retry_after" in g:
            response.headers["Retry-After"] = str(g.retry_after)
        return response
