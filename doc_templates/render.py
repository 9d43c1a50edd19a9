"""Rendering a document's DOCX from its kind's template, safely.

``render_docx(template, context)`` is the whole rendering: docxtpl with our sandboxed,
autoescaping, strict environment. Template errors become ``TemplateProblem`` naming the
variable or showing the text around a syntax error.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from sqlalchemy.orm import Session

from doc_templates.context import document_context
from doc_templates.environment import make_environment
from storage.models import Document, User
from workflows.errors import TemplateProblem

TEMPLATES = Path(__file__).parent


def template_path(kind: str) -> Path:
    """The built-in template of ``kind``: ``doc_templates/<kind>.docx``."""
    return TEMPLATES / f"{kind}.docx"


def render_docx(template: bytes | Path, context: dict[str, Any]) -> bytes:
    """Render a DOCX template with ``context``; raise TemplateProblem on any template error."""
    source = io.BytesIO(template) if isinstance(template, bytes) else template
    tpl = DocxTemplate(source)
    try:
        tpl.render(context, jinja_env=make_environment(), autoescape=True)
    except UndefinedError as exc:
        raise TemplateProblem(f"В шаблоне используется неизвестная переменная: {exc.message}."
                              ) from None
    except SecurityError as exc:
        raise TemplateProblem(f"Шаблон пытается обратиться к запрещённому: {exc}.") from None
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"Ошибка в шаблоне (строка {exc.lineno}): {exc.message}."
                              ) from None
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def render_document(session: Session, doc: Document, *, final: bool,
                    signer: User | None = None) -> bytes:
    """The document's DOCX: a draft marked ПРОЕКТ, or the final registered copy."""
    context = document_context(session, doc, final=final, signer=signer)
    return render_docx(template_path(doc.kind), context)
