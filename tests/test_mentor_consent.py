"""The mentor's consent from web form to archived signed copy, over HTTP."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from storage.db import db_session
from storage.models import AuditEntry, Document, StoredFile
from tests.helpers import documents as f
from tests.helpers.documents import person_id
from tests.helpers.docx import docx_text
from tests.helpers.http import login_as, post
from tests.helpers.kinds import pd_data
from tests.helpers.pages import answers
from tests.helpers.scans import png
from workflows import audit

FORM = "/documents/new/mentor_consent"


def doc_state(app, doc_id: int) -> str:
    with app.app_context():
        return db_session().get(Document, doc_id).state


def new_consent(client, app, last_name="Седых", **extra) -> int:
    data = {"person_id": person_id(app, last_name), "statement_date": "2026-11-20",
            "duties": "разработка персонализированной программы наставничества", **extra}
    response = post(client, FORM, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/documents/(\d+)$", response.headers["Location"]).group(1))


def test_form_errors_name_the_field_and_keep_what_was_typed(client, app):
    login_as(client, "clerk")
    response = post(client, FORM, {"person_id": "", "statement_date": "31.02.2026",
                                   "duties": "мои обязанности <b>&</b>"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "«Педагог, дающий согласие»: Поле обязательно для заполнения." in page
    assert "«Дата согласия»: Введите дату в формате ДД.ММ.ГГГГ." in page
    assert "мои обязанности &lt;b&gt;&amp;&lt;/b&gt;" in page  # kept, and escaped
    assert 'value="31.02.2026"' in page


def test_full_life_of_a_consent(demo, client, app):
    login_as(client, "clerk")
    doc_id = new_consent(client, app, notes="Согласна на «скоростное» наставничество & <иное>")
    assert doc_state(app, doc_id) == "draft"

    draft = client.get(f"/documents/{doc_id}/preview.docx")
    assert draft.status_code == 200
    text = docx_text(draft.data)
    assert "ПРОЕКТ" in text and "СОГЛАСИЕ" in text
    assert "Я, Седых Ирина Павловна, учитель русского языка" in text
    assert "от Седых Ирины Павловны,\nучителя русского языка" in text
    assert "«скоростное» наставничество & <иное>." in text
    assert "№ _______" not in text and "Вх." not in text  # the person's own: no letterhead

    assert post(client, f"/documents/{doc_id}/act/submit").status_code == 302
    assert doc_state(app, doc_id) == "in_approval"

    login_as(client, "director")
    queue = client.get("/queue").get_data(as_text=True)
    assert "Седых Ирина Павловна" in queue
    refused = post(client, f"/documents/{doc_id}/act/return", {"comment": "  "})
    assert refused.status_code == 422
    assert "Комментарий обязателен" in refused.get_data(as_text=True)
    assert doc_state(app, doc_id) == "in_approval"
    post(client, f"/documents/{doc_id}/act/return", {"comment": "Укажите срок."})
    assert doc_state(app, doc_id) == "returned"

    login_as(client, "clerk")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Укажите срок." in page
    edited = post(client, f"/documents/{doc_id}/edit", {
        "person_id": person_id(app, "Седых"), "statement_date": "2026-11-21",
        "duties": "разработка программы на срок 6 месяцев"})
    assert edited.status_code == 302
    assert doc_state(app, doc_id) == "draft"
    post(client, f"/documents/{doc_id}/act/submit")

    login_as(client, "director")
    post(client, f"/documents/{doc_id}/act/approve")
    assert doc_state(app, doc_id) == "approved"
    wrong = post(client, f"/documents/{doc_id}/act/sign", {"password": "не тот"})
    assert wrong.status_code == 403
    assert "неверный пароль" in wrong.get_data(as_text=True)
    assert doc_state(app, doc_id) == "approved"
    # issue 9: the consent is the teacher's, a labour document: she signs it on paper
    answers(post(client, f"/documents/{doc_id}/act/sign", {"password": "nastavnik2026"}), 403,
            "Ваша подпись на этом документе не требуется. Его подписывают: Педагог, давший "
            "согласие (Седых Ирина Павловна).")
    login_as(client, "clerk")
    signed = post(client, f"/documents/{doc_id}/scans", {
        "party": "employee", "file": (io.BytesIO(png()), "скан.png")})
    assert signed.status_code == 302, signed.get_data(as_text=True)[-1500:]

    with app.app_context():
        doc = db_session().get(Document, doc_id)
        assert doc.state == "signed"
        assert doc.number == "3-с"  # the demo signed 1-с and 2-с this year
        assert doc.signature_id and doc.content_hash
        stored = db_session().scalars(select(StoredFile).where(
            StoredFile.document_id == doc_id, StoredFile.role == "signed_docx")).one()
        history = db_session().scalars(select(AuditEntry.action).where(
            AuditEntry.document_id == doc_id).order_by(AuditEntry.id)).all()
        assert history == ["create", "submit", "return", "edit", "submit", "approve", "sign"]
        assert audit.verify(db_session(), doc.organization_id).ok

    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Подписан" in page and stored.filename in page
    download = client.get(f"/documents/{doc_id}/files/{stored.id}")
    assert download.status_code == 200
    import hashlib
    assert hashlib.sha256(download.data).hexdigest() == stored.sha256
    text = docx_text(download.data)
    assert "ПРОЕКТ" not in text
    assert "№ 3-с" in text
    # signed by hand: no mark of a simple signature, and none of the director's (issue 9)
    assert "ДОКУМЕНТ ПОДПИСАН ПРОСТОЙ ЭЛЕКТРОННОЙ ПОДПИСЬЮ" not in text
    assert "Подписант: Петров Иван Сергеевич" not in text
    assert "разработка программы на срок 6 месяцев" in text


def test_signed_document_is_never_edited(demo, client, app):
    login_as(client, "clerk")
    with app.app_context():
        signed = db_session().scalars(select(Document.id).where(
            Document.state == "signed")).first()
    response = post(client, f"/documents/{signed}/edit", {"duties": "подмена"})
    assert response.status_code == 302  # sent back to the page, nothing changed
    with app.app_context():
        assert "подмена" not in db_session().get(Document, signed).data["duties"]


def test_only_the_teacher_signs_and_not_with_a_simple_signature(client, app):
    """Issue 9: the director no longer signs a teacher's consent; she signs it herself, on
    paper or with a qualified signature (ТК РФ ст. 22.1–22.3), never with ПЭП."""
    login_as(client, "clerk")
    doc_id = new_consent(client, app)
    post(client, f"/documents/{doc_id}/act/submit")
    login_as(client, "director")
    post(client, f"/documents/{doc_id}/act/approve")
    login_as(client, "clerk")
    answers(post(client, f"/documents/{doc_id}/act/sign", {"password": "nastavnik2026"}), 403,
            "Ваша подпись на этом документе не требуется")
    login_as(client, "sedykh")
    answers(post(client, f"/documents/{doc_id}/act/sign", {"password": "nastavnik2026"}), 409,
            "«Педагог, давший согласие» подписывает этот документ только так: собственноручная "
            "подпись на бумаге или усиленная квалифицированная электронная подпись.")
    assert doc_state(app, doc_id) == "approved"


def test_a_second_consent_of_the_same_teacher_is_refused(demo, client, app):
    login_as(client, "clerk")
    doc_id = new_consent(client, app, last_name="Иванова")  # the demo signed hers
    answers(post(client, f"/documents/{doc_id}/act/submit"), 409, "уже есть подписанное согласие")
    assert doc_state(app, doc_id) == "draft"


@pytest.mark.parametrize(("login", "action", "form", "message"), [
    ("director", "sign", {"password": "nastavnik2026"},
     "сейчас он в состоянии «Черновик»"),  # a transition from a wrong state
    ("clerk", "submit", {"version": "99"}, "изменил другой пользователь"),  # a stale version
])
def test_an_act_out_of_turn_gives_409_and_the_draft_stays(client, app, login, action, form,
                                                          message):
    login_as(client, login)
    doc_id = new_consent(client, app)
    answers(post(client, f"/documents/{doc_id}/act/{action}", form), 409, message)
    assert doc_state(app, doc_id) == "draft"


def test_a_teacher_writes_only_his_own_consent(client, app):
    login_as(client, "sedykh")
    own = new_consent(client, app, last_name="Седых")
    assert doc_state(app, own) == "draft"
    other = post(client, FORM, {"person_id": person_id(app, "Гоголь"),
                                "statement_date": "2026-11-20", "duties": "обязанности"})
    assert other.status_code == 403
    assert "только от своего имени" in other.get_data(as_text=True)


def test_a_signed_consent_is_superseded_not_edited(demo, client, app):
    login_as(client, "clerk")
    with app.app_context():
        old = db_session().scalars(select(Document).where(Document.state == "signed")).first()
        old_id, old_hash = old.id, old.content_hash
    response = post(client, f"/documents/{old_id}/supersede")
    assert response.status_code == 302
    new_id = int(re.search(r"/documents/(\d+)/edit$", response.headers["Location"]).group(1))
    with app.app_context():
        new = db_session().get(Document, new_id)
        assert new.state == "draft" and new.supersedes_id == old_id and new.number is None
        assert db_session().get(Document, old_id).content_hash == old_hash
    assert "Новая редакция" in client.get(f"/documents/{old_id}").get_data(as_text=True)
    assert post(client, f"/documents/{new_id}/act/submit").status_code == 302  # not a duplicate
    refused = post(client, f"/documents/{new_id}/supersede")
    assert refused.status_code == 409
    assert "только для подписанного документа" in refused.get_data(as_text=True)


def test_document_page_shows_the_content_for_the_approver(client, app):
    login_as(client, "clerk")
    doc_id = new_consent(client, app, notes="Прошу учесть опыт <руководства> МО")
    login_as(client, "director")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Педагог, дающий согласие" in page and "Седых Ирина Павловна" in page
    assert "20.11.2026" in page
    assert "Прошу учесть опыт &lt;руководства&gt; МО" in page


def test_failed_pdf_is_reported_and_can_be_retried(client, app, monkeypatch):
    from doc_templates import pdf
    from workflows.errors import ConversionFailed

    app.config["PDF_ENABLED"] = True

    def broken(data, **kwargs):
        raise ConversionFailed("Не удалось преобразовать документ в PDF: LibreOffice не "
                               "ответил.")

    monkeypatch.setattr(pdf, "convert", broken)
    with app.app_context():  # signed with ПЭП by its teacher (issue 9): a consent to PD
        doc_id = f.walk(f.draft("pd_consent", pd_data(f.person("Седых").id)),
                        "submit", "approve").id
    login_as(client, "sedykh")
    page = post(client, f"/documents/{doc_id}/act/sign", {"password": "nastavnik2026"},
                follow_redirects=True).get_data(as_text=True)
    assert "PDF-копия не создана: Не удалось преобразовать документ в PDF" in page
    assert "Создать PDF-копию" in page
    assert doc_state(app, doc_id) == "signed"  # the signature and the DOCX stay

    monkeypatch.undo()  # LibreOffice answers again: the real converter makes the copy
    retried = post(client, f"/documents/{doc_id}/pdf", follow_redirects=True)
    assert "PDF/A-копия готова." in retried.get_data(as_text=True)
    with app.app_context():
        roles = set(db_session().scalars(select(StoredFile.role).where(
            StoredFile.document_id == doc_id)))
        # the copy she signed stayed DOCX while LibreOffice failed
        assert roles == {"signing_copy", "signed_docx", "signed_pdf"}
