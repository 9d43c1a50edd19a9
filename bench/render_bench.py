"""Benchmark of DOCX rendering: our cached renderer against docxtpl loading the template anew.

Run: ``.venv/bin/python bench/render_bench.py``. Renders the built-in pairing order
(``doc_templates/pairing_order.docx``) with a table of 50 mentoring pairs, realistic
Russian data and our sandboxed environment, and measures in the same run the median time
per document of

- the baseline: ``DocxTemplate(template)`` + ``render(context, jinja_env, autoescape=True)``
  + ``save()`` — docxtpl loading, patching and compiling the template for every document;
- ours: ``doc_templates.render.render_docx`` with its per-template cache (patched XML and
  compiled Jinja kept per SHA-256; only rendering and writing the zip per document),

their ratio (goal: ≥ 2×), and checks that both give the same document text. Prints a
table; asserts nothing. ``--rows`` and ``-n`` change the table size and the repetitions.
"""

import argparse
import importlib
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import docx  # noqa: E402

from doc_templates.render import render_docx, template_path  # noqa: E402
from tests.helpers.baseline import comparable  # noqa: E402
from tests.helpers.baseline import plain_docxtpl as baseline  # noqa: E402
from webforms.samples import sample_context, sample_data  # noqa: E402
from workflows.kinds import KIND_NAMES  # noqa: E402

KIND = "pairing_order"


def context(rows: int) -> dict:
    """The sample pairing order with ``rows`` pairs (the sample people take turns)."""
    for name in KIND_NAMES:  # register every kind, as the app does
        importlib.import_module(f"workflows.{name}")
    data = sample_data(KIND)
    data["pairs"] = [dict(data["pairs"][0]) for _ in range(rows)]
    return sample_context(KIND, data=data)


def text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for r in t.rows for c in r.cells]
    return comparable("\n".join(parts))  # ours also typesets (non-breaking spaces)


def timed(func, *args) -> float:
    start = time.perf_counter()
    func(*args)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50)
    parser.add_argument("-n", type=int, default=50, help="documents per renderer")
    args = parser.parse_args()

    template = template_path(KIND).read_bytes()
    ctx = context(args.rows)
    ours_doc, theirs_doc = render_docx(template, ctx), baseline(template, ctx)  # warm-up
    rows = max(len(t.rows) for t in docx.Document(io.BytesIO(ours_doc)).tables)
    same = text(ours_doc) == text(theirs_doc)

    ours, theirs = [], []
    for _ in range(args.n):  # interleaved, so both see the same machine state
        theirs.append(timed(baseline, template, ctx))
        ours.append(timed(render_docx, template, ctx))
    m_theirs, m_ours = statistics.median(theirs), statistics.median(ours)
    print(f"pairing order, {args.rows} pairs (table of {rows} rows), N={args.n} each")
    print(f"{'renderer':<44}{'median, ms':>12}{'p90, ms':>10}")
    for name, values in (("docxtpl, template loaded anew (baseline)", theirs),
                         ("ours, cached template", ours)):
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"{name:<44}{statistics.median(values):>12.2f}{p90:>10.2f}")
    print(f"ratio baseline / ours: {m_theirs / m_ours:.2f}x (goal >= 2x)")
    print(f"same document text: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
