"""The outside services the tests use: whether they must be there, and which Redis
database is this test process's.

In CI (``NASTAVNIK_REQUIRE_SERVICES=1``) a missing Redis, LibreOffice or Chromium fails its
tests instead of skipping them.

The RQ tests flush their Redis database. Under pytest-xdist every worker takes its own, so
two workers never flush each other's queue: ``TEST_REDIS_URL``'s database (15 by default)
for the first worker, the one below it for the next (gw1 → 14, gw2 → 13...).
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

REQUIRE_SERVICES = os.environ.get("NASTAVNIK_REQUIRE_SERVICES") == "1"


def worker_number() -> int:
    """This pytest-xdist worker's number (``gw1`` → 1); 0 without xdist."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


def _redis_url() -> str:
    url = urlsplit(os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/15")
    database = int(url.path.strip("/") or 0) - worker_number()
    if database < 0:
        raise RuntimeError(f"no Redis database left for worker {worker_number()}: "
                           "run fewer workers or name a higher one in TEST_REDIS_URL")
    return url._replace(path=f"/{database}").geturl()


REDIS_URL = _redis_url()
