"""How long an oversized table takes to be refused (issue 7 point 6; review D12).

Posts a roadmap with ``--rows`` rows (default 100 000) as a teacher, through the JSON API
and through the HTML form, against the baseline of the same request with a table at the
limit (200 rows), in one run on a fresh SQLite database with the demo data. Prints the
status and median time of each and the ratio; asserts nothing.

    .venv/bin/python bench/rows_bench.py [--rows 100000] [-n 3]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storage.migrate import upgrade  # noqa: E402
from webforms import create_app  # noqa: E402
from webforms.demo import DEMO_PASSWORD, seed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("-n", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "STORAGE_DIR": str(tmp / "files"), "REDIS_URL": None,
                      "PDF_ENABLED": False, "SECRET_KEY": "bench", "TESTING": True,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        seed()
        from sqlalchemy import select

        from storage.db import db_session
        from storage.models import Person

        pid = db_session().scalars(select(Person.id)).first()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/login", data={"login": "ivanova", "password": DEMO_PASSWORD,
                                "csrf_token": token})
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/").get_data(as_text=True)).group(1)

    def api(count: int) -> tuple[int, float]:
        row = {"stage": "x", "content": "мероприятие", "start_date": "2026-09-01",
               "end_date": "2026-09-30", "responsible_id": pid}
        body = json.dumps({"kind": "roadmap", "data": {"school_year": 2026,
                                                       "rows": [row] * count}})
        start = time.perf_counter()
        response = client.post("/api/documents", data=body, content_type="application/json",
                               headers={"X-CSRFToken": token})
        return response.status_code, time.perf_counter() - start

    def form(count: int) -> tuple[int, float]:
        data = {"csrf_token": token, "school_year": "2026"}
        for i in range(count):
            data[f"rows-{i}-stage"] = "x"
            data[f"rows-{i}-content"] = "мероприятие"
        start = time.perf_counter()
        response = client.post("/documents/new/roadmap", data=data)
        return response.status_code, time.perf_counter() - start

    print(f"{'request':<34}{'status':>8}{'median, s':>12}")
    for name, fn in (("API", api), ("HTML form", form)):
        results = {}
        for count in (200, args.rows):
            runs = [fn(count) for _ in range(args.n)]
            results[count] = statistics.median(t for _, t in runs)
            print(f"{name + f', {count} rows':<34}{runs[0][0]:>8}{results[count]:>12.3f}")
        print(f"{name + ': ratio':<34}{'':>8}{results[args.rows] / results[200]:>11.1f}×")


if __name__ == "__main__":
    main()
