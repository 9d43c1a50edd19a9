"""Kinds share rules through ``workflows.guards`` and the shared modules, never through
each other: every rule is named and described for docs/workflows.md, and no kind module
imports another kind's module."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from workflows.journals import JOURNALS
from workflows.kinds import all_kinds

WORKFLOWS = Path(__file__).parent.parent / "workflows"
NAMES = {k.name for k in all_kinds()}


def test_every_rule_is_named_and_described():
    for kind in all_kinds():
        for action, guards in kind.guards.items():
            for guard in guards:
                assert guard.__name__ not in ("check", "<lambda>"), (kind.name, action)
                assert inspect.getdoc(guard), (kind.name, guard.__name__)


def test_sign_checks_every_submit_rule_again():
    for kind in all_kinds():
        if kind.rules:
            assert kind.guards["sign"][:len(kind.rules)] == kind.guards["submit"], kind.name


def test_every_journal_is_one_of_the_table():
    for kind in all_kinds():
        assert kind.journal is None or JOURNALS[kind.journal.code] is kind.journal, kind.name


def test_no_kind_imports_another_kind():
    for name in NAMES:
        tree = ast.parse((WORKFLOWS / f"{name}.py").read_text(encoding="utf-8"))
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.removeprefix("workflows."))
                if node.module == "workflows":
                    imported.update(a.name for a in node.names)
            elif isinstance(node, ast.Import):
                imported.update(a.name.removeprefix("workflows.") for a in node.names)
        assert not (imported & NAMES) - {name}, (name, sorted(imported & NAMES))
