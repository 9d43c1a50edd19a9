"""What the pages answer a user over HTTP: the status and the words of the page, and a form
refused, then filled in right, making a draft that is submitted."""

from __future__ import annotations

from typing import Any

from storage.db import db_session
from storage.models import Document
from tests.helpers.http import form_refused_then_submitted, login_as


def answers(response, status: int, *parts: str) -> str:
    """The ``response`` has ``status`` and its page holds each of ``parts``: the page."""
    page = response.get_data(as_text=True)
    assert response.status_code == status, page[-1500:]
    for part in parts:
        assert part in page, part
    return page


def submitted_by_form(client, app, login: str, form: str, good: dict[str, Any],
                      bad: dict[str, Any], errors: tuple[str, ...],
                      submitted: str = "in_approval") -> dict[str, Any]:
    """As ``login``, the page ``form`` posted with ``good`` changed by ``bad`` is refused
    naming each of ``errors``; posted with ``good`` it makes a draft, submitted and now
    ``submitted`` (in approval; approved when no visa is due): the data the draft holds."""
    login_as(client, login)
    doc_id = form_refused_then_submitted(client, form, {**good, **bad}, errors, good)
    with app.app_context():
        doc = db_session().get(Document, doc_id)
        assert doc.state == submitted
        return doc.data
