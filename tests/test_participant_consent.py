"""The mentee's consent to take part in a mentoring program (§4.4.3, П1 §3.3, §6.2)."""

from __future__ import annotations

import pytest

from storage.db import db_session
from storage.models import Document
from tests.helpers import documents as f
from tests.helpers.kinds import participant_data, pd_data
from tests.helpers.pages import submitted_by_form
from tests.helpers.statements import check_draft_and_signed_copy
from workflows.errors import RuleViolation

FORM = "/documents/new/participant_consent"


def test_draft_and_signed_copy(app):
    with app.app_context():
        pid = f.person("Гоголь").id
        f.signed("pd_consent", pd_data(pid))
        check_draft_and_signed_copy(f.draft("participant_consent", participant_data(pid)), (
            "МОУ СШ № 5", "СОГЛАСИЕ", "на участие в программе наставничества",
            "Директору МОУ СШ № 5", "И.С. Петрову", "от Гоголя Никиты Андреевича,",
            "Я, Гоголь Никита Андреевич, учитель истории",
            "Категория наставляемого (пункт 5.2.3 Положения о наставничестве, утверждённого",
            "молодой педагог.", "в качестве наставляемого,",
            "формирующего оценивания & <проектную> работу",
            "«2» сентября 2026 г.", "Н.А. Гоголь"),
            "submit", "approve", "sign")


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
    submitted_by_form(client, app, "clerk", FORM, participant_data(pid), {"category": "отличник"},
                      ("«Категория наставляемого (п. 5.2.3 Положения)»: Выберите значение из "
                       "списка.",))
