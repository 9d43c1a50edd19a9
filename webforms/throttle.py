"""Limits on password attempts: logins per account and per address, signing passwords
per account.

Only failures count. Once a counter has used up its limit every attempt it covers is
refused with ``TooManyAttempts`` (429, a Russian message saying in how many minutes to try
again, and ``Retry-After``) — the right password too — until the moving window frees a
slot. The counting is ``storage.attempts``; this module sets up its storage and sends the
``Retry-After`` header. The counters live in Flask-Limiter's storage: Redis when
``REDIS_URL`` (or ``RATELIMIT_STORAGE_URI``) is set, process memory otherwise; when Redis
cannot be reached they fall back to memory rather than refuse to log anyone in.

The limits are settings (``LOGIN_LIMIT_PER_ACCOUNT``, ``LOGIN_LIMIT_PER_ADDRESS``,
``SIGN_LIMIT_PER_ACCOUNT``) in the notation of the ``limits`` library, e.g.
``"10 per 15 minutes"``. Concurrent failures may pass the check together, so a counter can
overshoot its limit by the number of requests in flight.
"""

from __future__ import annotations

from flask import Flask, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse

from storage.attempts import (  # noqa: F401  (the counting itself; the web layer's names)
    PREFIX,
    AttemptStore,
    Counter,
    count_failure,
    refuse_if_exhausted,
)


def login_counters(login: str) -> tuple[Counter, ...]:
    """The counters a login attempt with ``login`` is charged to: the account, the address."""
    return (Counter("LOGIN_LIMIT_PER_ACCOUNT", login.strip().casefold() or "-"),
            Counter("LOGIN_LIMIT_PER_ADDRESS", request.remote_addr or "-"))


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
    app.extensions["throttle"] = AttemptStore(lambda: limiter.limiter)

    @app.after_request
    def _retry_after(response):
        if response.status_code == 429 and "retry_after" in g:
            response.headers["Retry-After"] = str(g.retry_after)
        return response
