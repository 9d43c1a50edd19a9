"""docxtpl as it is, loading and compiling the template anew for every document: what the
cached renderer (``doc_templates.render``) is tested against and measured against in
``bench/render_bench.py``, written once."""

from __future__ import annotations

import io
import re

from docxtpl import DocxTemplate

from doc_templates.environment import make_environment


def plain_docxtpl(template: bytes, context: dict) -> bytes:
    """The DOCX docxtpl writes for ``template`` and ``context`` in our sandboxed environment,
    autoescaped, with no cache."""
    tpl = DocxTemplate(io.BytesIO(template))
    tpl.render(context, jinja_env=make_environment(), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def comparable(text: str) -> str:
    """A document's text as both renderers should agree on it: ours also typesets
    (non-breaking spaces, ``doc_templates.typography``) and drops the empty paragraphs that
    would spill onto a blank page, which docxtpl as it is does not."""
    return re.sub(r"\n+", "\n", text.replace("\u00a0", " ")).strip()
