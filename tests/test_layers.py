"""The layers run one way: ``lint-imports`` keeps the contracts of ``pyproject.toml``.

webforms > workflows > doc_templates | signatures > storage: no package imports one above
it, templates and signatures know nothing of each other, and only the web layer handles
logins, forms and request limits (``[tool.importlinter]``).
"""

from __future__ import annotations

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


def test_the_builder_lays_out_the_kinds_kept_permanently():
    """The template builder knows no kind: it is told which kinds are kept permanently
    (30 mm margin), and that list agrees with the kinds' own declarations."""
    assert gost.PERMANENT == {k.name for k in all_kinds() if k.retention_permanent}
