"""What every answer carries for safety: security headers, no caching, HSTS and a Secure
session cookie on HTTPS, and the client's real address and scheme behind a proxy.

- Every answer but static files is ``Cache-Control: no-store``: pages, JSON and downloads
  of a logged-in user hold personal data, and the login page holds a form token.
- Behind a reverse proxy, ``TRUSTED_PROXIES`` (the number of proxies in front, e.g. ``1``)
  makes Werkzeug's ``ProxyFix`` believe their ``X-Forwarded-For`` and
  ``X-Forwarded-Proto``. Without it those headers are ignored, so nobody can claim an
  address (the login limits count per address) or HTTPS by sending a header.
- On HTTPS (directly or through a trusted proxy) answers carry HSTS and the session cookie
  is ``Secure``; ``SESSION_COOKIE_SECURE=1`` makes it Secure always.
"""

from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                               "style-src 'self' 'unsafe-inline'; "
                               "script-src 'self' 'unsafe-inline'; "
                               "frame-ancestors 'none'; form-action 'self'",
}
HSTS = "max-age=31536000; includeSubDomains"


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def _headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    return response


def init_app(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.session_interface = _SessionInterface()
    app.after_request(_headers)
