"""Configuration from the environment, with defaults that need no server at all.

| variable | default |
|---|---|
| DATABASE_URL | SQLite file ``nastavnik.sqlite3`` in the instance folder |
| REDIS_URL | unset: background jobs run in-process |
| STORAGE_DIR | ``files/`` in the instance folder |
| SECRET_KEY | generated once and kept in ``instance/secret_key`` |
| INTEGRITY_KEY | generated once and kept in ``instance/integrity_key`` (see storage/keys.py) |
| SESSION_COOKIE_SECURE | ``1``: always Secure; unset: Secure on HTTPS requests |
| TRUSTED_PROXIES | ``0``; the number of reverse proxies whose ``X-Forwarded-*`` to believe |
| SESSION_IDLE_MINUTES | ``480``: a login ends after 8 hours without a request |
| LOGIN_LIMIT_PER_ACCOUNT | ``10 per 15 minutes`` failed logins for one login name |
| LOGIN_LIMIT_PER_ADDRESS | ``50 per 15 minutes`` failed logins from one address |
| SIGN_LIMIT_PER_ACCOUNT | ``5 per 15 minutes`` wrong signing passwords for one account |
| RATELIMIT_STORAGE_URI | unset: ``REDIS_URL`` if set, else process memory |
| TEMPLATE_RENDER_TIMEOUT | ``5`` s (CPU and wall clock) to check or render an uploaded template |
| TEMPLATE_RENDER_MEMORY_MB | ``256`` MB a check or render of an uploaded template may allocate |
| TEMPLATE_OUTPUT_MAX_MB | ``20`` MB: the largest document an uploaded template may produce |
| PD_PROCESSOR_NAME, PD_PROCESSOR_ADDRESS | unset: the schools process personal data themselves; |
| | set: who runs the service on their instruction (152-ФЗ ст. 6 ч. 3), named in the consent |
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from flask import Flask

from storage.keys import from_setting


def load(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    env = os.environ
    app.config.update(
        DATABASE_URL=env.get("DATABASE_URL") or f"sqlite:///{instance / 'nastavnik.sqlite3'}",
        REDIS_URL=env.get("REDIS_URL") or None,
        STORAGE_DIR=env.get("STORAGE_DIR") or str(instance / "files"),
        MAX_CONTENT_LENGTH=int(env.get("MAX_UPLOAD_BYTES", 20 * 1024 * 1024)),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=env.get("SESSION_COOKIE_SECURE") == "1",  # behind HTTPS
        WTF_CSRF_TIME_LIMIT=None,
        PDF_ENABLED=env.get("PDF_ENABLED", "1") != "0",
        PASSWORD_HASH_METHOD="scrypt",
        TRUSTED_PROXIES=int(env.get("TRUSTED_PROXIES") or 0),
        SESSION_IDLE_MINUTES=int(env.get("SESSION_IDLE_MINUTES") or 480),
        LOGIN_LIMIT_PER_ACCOUNT=env.get("LOGIN_LIMIT_PER_ACCOUNT") or "10 per 15 minutes",
        LOGIN_LIMIT_PER_ADDRESS=env.get("LOGIN_LIMIT_PER_ADDRESS") or "50 per 15 minutes",
        SIGN_LIMIT_PER_ACCOUNT=env.get("SIGN_LIMIT_PER_ACCOUNT") or "5 per 15 minutes",
        RATELIMIT_STORAGE_URI=env.get("RATELIMIT_STORAGE_URI") or None,
        # limits of the process that checks and renders an uploaded template
        TEMPLATE_RENDER_TIMEOUT=float(env.get("TEMPLATE_RENDER_TIMEOUT") or 5),
        TEMPLATE_RENDER_MEMORY_MB=int(env.get("TEMPLATE_RENDER_MEMORY_MB") or 256),
        TEMPLATE_OUTPUT_MAX_MB=int(env.get("TEMPLATE_OUTPUT_MAX_MB") or 20),
        # the processor the personal-data consent names (workflows.pd_consent.processor)
        PD_PROCESSOR_NAME=(env.get("PD_PROCESSOR_NAME") or "").strip(),
        PD_PROCESSOR_ADDRESS=(env.get("PD_PROCESSOR_ADDRESS") or "").strip(),
    )
    app.config["SECRET_KEY"] = env.get("SECRET_KEY") or _instance_secret(instance)
    # keys the audit chain and signature ids; never stored in the database
    app.config["INTEGRITY_KEY"] = env.get("INTEGRITY_KEY") or \
        _instance_secret(instance, "integrity_key")
    if overrides:
        app.config.update(overrides)
    from_setting(app.config["INTEGRITY_KEY"])  # refuse to start with a short integrity key
    _check_processor(app.config)


def _check_processor(config: dict[str, Any]) -> None:
    """A consent names the processor with its address (152-ФЗ ст. 9 ч. 4 п. 6): one of the
    two without the other is refused at start, not printed as a half-filled item."""
    name = (config.get("PD_PROCESSOR_NAME") or "").strip()
    address = (config.get("PD_PROCESSOR_ADDRESS") or "").strip()
    if bool(name) != bool(address):
        raise ValueError("Задайте вместе PD_PROCESSOR_NAME и PD_PROCESSOR_ADDRESS — "
                         "наименование и адрес лица, обрабатывающего персональные данные "
                         "по поручению организаций, — или не задавайте ни одну.")


def _instance_secret(instance: Path, name: str = "secret_key") -> str:
    """Read the instance's secret ``name``, creating it (mode 0600) on first start.

    The new secret is written in full to a temporary file and then linked into place, so
    processes starting together (web, worker) agree on one secret and never read half of it.
    """
    path = instance / name
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=instance, prefix=f".{name}-")  # mode 0600
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
                f.flush()
                os.fsync(f.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another process made it first: use theirs
        finally:
            os.unlink(tmp)
    return path.read_text().strip()
