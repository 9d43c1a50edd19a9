"""Whether the outside services (Redis, LibreOffice, Chromium) must be there: in CI
(``NASTAVNIK_REQUIRE_SERVICES=1``) a missing one fails its tests instead of skipping them."""

from __future__ import annotations

import os

REQUIRE_SERVICES = os.environ.get("NASTAVNIK_REQUIRE_SERVICES") == "1"
