"""The layers run one way: ``lint-imports`` keeps the contracts of ``pyproject.toml``.

webforms > workflows > doc_templates | signatures > storage: no package imports one above
it, templates and signatures know nothing of each other, and only the web layer handles
logins, forms and request limits (``[tool.importlinter]``). Imports stay at the top of a
module; one inside a function says why (a real cycle, or a heavy load deferred).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from doc_templates.builder import gost
from workflows.kinds import all_kinds

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache", "--no-logo"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


PACKAGES = ("storage", "signatures", "doc_templates", "workflows", "webforms")


def local_imports_without_a_reason() -> list[str]:
    """Imports inside functions whose line, or the line above their group, has no comment
    saying why (a real cycle, or a heavy load deferred: redis, rq...)."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            lines = path.read_text(encoding="utf-8").splitlines()
            for node in ast.walk(ast.parse("\n".join(lines))):
                if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                for inner in ast.walk(node):
                    if isinstance(inner, (ast.Import, ast.ImportFrom)) and \
                            not _has_reason(lines, inner.lineno - 1):
                        found.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    return found


def _has_reason(lines: list[str], i: int) -> bool:
    """A comment on the import's line, on an import line of its group, or just above it."""
    while i >= 0:
        if "#" in lines[i]:
            return True
        if not lines[i].lstrip().startswith(("import ", "from ")):
            return False
        i -= 1
    return False


def test_imports_inside_functions_say_why():
    assert local_imports_without_a_reason() == []


def test_the_builder_lays_out_the_kinds_kept_permanently():
    """The template builder knows no kind: it is told which kinds are kept permanently
    (30 mm margin), and that list agrees with the kinds' own declarations."""
    assert gost.PERMANENT == {k.name for k in all_kinds() if k.retention_permanent}
