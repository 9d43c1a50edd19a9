"""Benchmark of the limited process that renders uploaded templates.

Run: ``.venv/bin/python bench/sandbox_bench.py``. Renders the built-in pairing order with
a table of 50 pairs (as ``bench/render_bench.py``) N times each, interleaved, as

- in-process, cached: ``render_docx`` with the template prepared once (built-in templates);
- in-process, uncached: ``render_docx`` after clearing the cache (preparation every time);
- sandboxed: ``doc_templates.sandbox_process.render``, as an uploaded template is rendered
  (a child forked from the zygote, limits applied, the template prepared, rendered, sent);

and prints the medians and the overhead of the isolation (sandboxed − in-process uncached).
Also times the zygote's start (once per web process). Asserts nothing.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from render_bench import KIND, context  # noqa: E402

from doc_templates import render, sandbox_process  # noqa: E402


def timed(func, *args) -> float:
    start = time.perf_counter()
    func(*args)
    return (time.perf_counter() - start) * 1000


def uncached(template: bytes, ctx: dict) -> bytes:
    render._cache.clear()
    return render.render_docx(template, ctx)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50)
    parser.add_argument("-n", type=int, default=30)
    args = parser.parse_args()
    template = render.template_path(KIND).read_bytes()
    ctx = context(args.rows)
    start = timed(sandbox_process.render, template, ctx)
    runs = {"in-process, cached (built-in)": [], "in-process, uncached": [],
            "sandboxed process (uploaded)": []}
    render.render_docx(template, ctx)
    for _ in range(args.n):
        runs["in-process, cached (built-in)"].append(timed(render.render_docx, template, ctx))
        runs["in-process, uncached"].append(timed(uncached, template, ctx))
        runs["sandboxed process (uploaded)"].append(timed(sandbox_process.render, template,
                                                          ctx))
    print(f"pairing order, {args.rows} pairs, N={args.n} each; zygote start {start:.0f} ms")
    print(f"{'renderer':<34}{'median, ms':>12}{'p90, ms':>10}")
    for name, values in runs.items():
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"{name:<34}{statistics.median(values):>12.1f}{p90:>10.1f}")
    medians = [statistics.median(v) for v in runs.values()]
    print(f"isolation overhead (sandboxed - uncached): {medians[2] - medians[1]:.1f} ms; "
          f"sandboxed / cached: {medians[2] / medians[0]:.1f}x")


if __name__ == "__main__":
    main()
