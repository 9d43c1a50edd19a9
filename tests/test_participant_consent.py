"""The mentee's consent to take part in a mentoring program (§4.4.3, П1 §3.3, §6.2)."""

from __future__ import annotations

import pytest

from storage.db import db_session
from storage.models import Document
from tests.helpers import documents as f
from tests.helpers.docx import draft_then_signed
from tests.helpers.http import login_as, post
from tests.helpers.kinds import participant_data, pd_data
from workflows.errors import RuleViolation

FORM = "/documents/new/participant_consent"


def test_draft_and_signed_copy(app):
    with app.app_context():
        pid = f.person("Гоголь").id
        f.signed("pd_consent", pd_data(pid))
        doc = f.draft("participant_consent", participant_data(pid))
        draft, final = draft_then_signed(doc, "submit", "approve", "sign")
        number = doc.number
    assert "ПРОЕКТ" in draft and "№ _______" in draft
    for text in (draft, final):
        assert "МОУ СШ № 5" in text and "СОГЛАСИЕ" in text
        assert "на участие в программе наставничества" in text
        assert "Директору МОУ СШ № 5" in text and "И.С. Петрову" in text
        assert "от Гоголя Никиты Андреевича," in text
        assert "Я, Гоголь Никита Андреевич, учитель (история)" in text
        assert "Категория наставляемого (пункт 5.2.3 Положения): молодой педагог." in text
        assert "формирующего оценивания & <проектную> работу" in text
        assert "«2» сентября 2026 г." in text and "Н.А. Гоголь" in text
        assert "г. Волгоград" in text
    assert "ПРОЕКТ" not in final and f"№ {number}" in final
    assert "ДОКУМЕНТ ПОДПИСАН ПРОСТОЙ ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in final


def test_refused_without_a_signed_pd_consent(app):
    with app.app_context():
        doc = f.draft("participant_consent", participant_data(f.person("Кравец").id))
        with pytest.raises(RuleViolation) as err:
            f.walk(doc, "submit")
        db_session().rollback()
        assert "Нельзя оформить согласие на участие от Кравец Любови Ивановны: нет " \
               "подписанного согласия на обработку персональных данных." == err.value.message
        assert db_session().get(Document, doc.id).state == "draft"


def test_a_withdrawn_pd_consent_does_not_count(app):
    from datetime import date

    with app.app_context():
        pid = f.person("Кравец").id
        f.signed("pd_consent", pd_data(pid))
        f.person("Кравец").pd_withdrawn_on = date(2026, 9, 1)
        db_session().commit()
        doc = f.draft("participant_consent", participant_data(pid))
        with pytest.raises(RuleViolation, match="нет подписанного согласия на обработку"):
            f.walk(doc, "submit")


def test_http_happy_path_and_form_error(client, app):
    with app.app_context():
        pid = f.person("Кравец").id
        f.signed("pd_consent", pd_data(pid))
    login_as(client, "clerk")
    bad = post(client, FORM, {**participant_data(pid), "category": "отличник"})
    assert bad.status_code == 422
    assert "«Категория наставляемого (п. 5.2.3 Положения)»: Выберите значение из списка." \
        in bad.get_data(as_text=True)
    ok = post(client, FORM, participant_data(pid))
    assert ok.status_code == 302
    doc_id = int(ok.headers["Location"].rsplit("/", 1)[1])
    assert post(client, f"/documents/{doc_id}/act/submit").status_code == 302
    with app.app_context():
        assert db_session().get(Document, doc_id).state == "in_approval"
