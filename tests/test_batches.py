"""Batches belong to the user who started them and hold only what he may open (D9)."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import select

from storage.db import db_session
from storage.models import AuditEntry, Document
from tests.helpers.documents import organization, person
from tests.helpers.http import login_as, post
from workflows.states import DocState


def _ids(app, *, about: str | None = None, not_about: str | None = None) -> list[int]:
    with app.app_context():
        q = select(Document).where(Document.organization_id == organization().id)
        if about:
            q = q.where(Document.person_id == person(about).id)
        if not_about:
            q = q.where(Document.person_id != person(not_about).id)
        return [d.id for d in db_session().scalars(q.order_by(Document.id))]


def _start(client, ids: list[int], fmt: str = "docx"):
    return post(client, "/jobs/", {"document_ids": ids, "format": fmt})


def _batch_id(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].split("/")[2]


def _names(client, batch_id: str) -> list[str]:
    response = client.get(f"/jobs/{batch_id}/result.zip")
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.data)).namelist()


def test_a_batch_opens_only_for_the_user_who_started_it(demo, client, app):
    login_as(client, "clerk")
    batch_id = _batch_id(_start(client, _ids(app, not_about="Иванова")))
    assert client.get(f"/jobs/{batch_id}").json["state"] == "finished"
    assert _names(client, batch_id)

    login_as(client, "ivanova")
    for url in (f"/jobs/{batch_id}", f"/jobs/{batch_id}/page", f"/jobs/{batch_id}/result.zip"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Пакет документов не найден" in response.get_data(as_text=True)
    login_as(client, "director")  # staff of the school too: a batch is its starter's
    assert client.get(f"/jobs/{batch_id}/result.zip").status_code == 404
    login_as(client, "clerk12")
    assert client.get(f"/jobs/{batch_id}").status_code == 404


def test_a_teachers_batch_with_others_ids_holds_none_of_them(demo, client, app):
    hers = _ids(app, about="Иванова")
    others = _ids(app, not_about="Иванова")
    with app.app_context():
        theirs_titles = {d.title for d in db_session().scalars(
            select(Document).where(Document.id.in_(others)))}
    login_as(client, "ivanova")
    refused = _start(client, others)
    assert refused.status_code == 404
    assert "Документы для пакета не найдены." in refused.get_data(as_text=True)

    batch_id = _batch_id(_start(client, [*others, *hers]))
    progress = client.get(f"/jobs/{batch_id}").json
    assert progress["total"] == len(hers) and progress["state"] == "finished"
    assert {f"Документ {i} не найден." for i in others} <= set(progress["problems"])
    names = _names(client, batch_id)
    assert len(names) == len(hers)
    with app.app_context():
        her_doc = db_session().get(Document, hers[0])
        assert her_doc.state == DocState.SIGNED and any(
            n.startswith("Согласие") for n in names)
    for title in theirs_titles:
        assert all(title not in n for n in names)


def test_staff_batch_with_another_schools_ids_is_refused(demo, client, app):
    ids = _ids(app)
    login_as(client, "clerk12")
    response = _start(client, ids)
    assert response.status_code == 404


def test_the_inspector_starts_no_batch(client, app):
    login_as(client, "inspector")
    ids = _ids(app)
    for response in (client.get("/jobs/new"), _start(client, ids)):
        assert response.status_code == 403
        assert "Формировать пакеты документов может только:" in response.get_data(as_text=True)
    assert "Пакет документов" not in client.get("/").get_data(as_text=True)


def test_a_batch_files_pdf_copies_in_the_name_of_its_starter(demo, client, app, monkeypatch):
    """The PDF copy a batch makes of a signed document is recorded as its starter's."""
    from doc_templates import pdf

    monkeypatch.setattr(pdf, "convert", lambda docx, pdfa=False: b"%PDF-1.7 copy")
    app.config["PDF_ENABLED"] = True
    signed = [i for i in _ids(app) if _state(app, i) == DocState.SIGNED]
    login_as(client, "clerk")
    _batch_id(_start(client, signed, "pdf"))
    clerk = _full_name(app, "clerk")
    with app.app_context():
        rows = db_session().scalars(select(AuditEntry).where(AuditEntry.action == "pdf")).all()
        assert len(rows) == len(signed) > 0
        assert {r.actor_name for r in rows} == {clerk}


def _state(app, doc_id: int) -> str:
    with app.app_context():
        return db_session().get(Document, doc_id).state


def _full_name(app, login: str) -> str:
    from tests.helpers.documents import user

    with app.app_context():
        return user(login).full_name
