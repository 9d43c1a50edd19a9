"""The layers run one way: ``lint-imports`` keeps the contracts of ``pyproject.toml``.

webforms > workflows > doc_templates | signatures > storage: no package imports one above
it, templates and signatures know nothing of each other, and only the web layer handles
logins, forms and request limits (``[tool.importlinter]``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache", "--no-logo"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
