"""The generated page of document lifecycles stays in step with the declarations."""

from pathlib import Path

from workflows.describe import markdown

DOC = Path(__file__).parent.parent / "docs" / "workflows.md"


def test_docs_workflows_md_is_current(app):
    with app.app_context():
        assert DOC.read_text() == markdown(), \
            "regenerate: flask --app wsgi kinds describe > docs/workflows.md"
