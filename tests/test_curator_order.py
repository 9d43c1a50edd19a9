"""The order appointing the curator of mentoring programs (§4.4.4, П1 §3.4)."""

from __future__ import annotations

import re
from datetime import date

from storage.db import db_session
from tests.helpers.documents import check_refused, draft, person, signed_copy, state, walk
from tests.helpers.docx import docx_text, rendered
from tests.helpers.http import login_as, post
from tests.helpers.orders import BANK, REPORT, ROADMAP, START, curator_data, regulation_data
from workflows.calendar import deadline_after

FORM = "/documents/new/curator_order"


def test_draft_declines_the_curator_and_carries_every_requisite(app):
    with app.app_context():
        text = rendered(draft("curator_order", curator_data()))
        for requisite in (
                "ПРОЕКТ", "Муниципальное общеобразовательное учреждение «Средняя школа № 5",
                "(МОУ СШ № 5)", "ПРИКАЗ", "№ _______", "г. Волгоград",
                "О назначении куратора реализации программ наставничества педагогических "
                "работников", "пунктом 4.4.4 Положения о наставничестве", "ПРИКАЗЫВАЮ:",
                "1. Назначить Сидорову Елену Викторовну, заместителя директора по "
                "учебно-воспитательной работе, куратором реализации программ наставничества "
                f"педагогических работников в МОУ СШ № 5 с {START:%d.%m.%Y}.",
                "2. Сидоровой Елене Викторовне обеспечить выполнение обязанностей куратора",
                f"в срок до {ROADMAP:%d.%m.%Y}", f"в срок до {BANK:%d.%m.%Y}",
                f"в срок до {REPORT:%d.%m.%Y}",
                "3. Секретарю ознакомить с настоящим приказом Сидорову Елену Викторовну под "
                "подпись в течение трёх рабочих дней",
                "4. Контроль исполнения настоящего приказа оставляю за собой.",
                "Директор", "И.С. Петров", "ЛИСТ ОЗНАКОМЛЕНИЯ", "Сидорова Елена Викторовна"):
            assert requisite in text, requisite
        assert "утверждённого приказом от" not in text  # no school regulation order yet


def test_a_deputy_marked_in_the_bank_may_be_curator_whatever_the_position(app):
    with app.app_context():
        shevchuk = person("Шевчук")
        shevchuk.is_deputy_head = True
        db_session().commit()
        doc = draft("curator_order", curator_data("Шевчук"))
        walk(doc, "submit")
        assert state(doc) == "approved"  # the head signs it: no visa of his own


def test_the_rule_is_checked_again_at_signing(app):
    with app.app_context():
        doc = draft("curator_order", curator_data())
        walk(doc, "submit")  # the head signs it: no visa of his own
        sidorova = person("Сидорова")
        sidorova.position, sidorova.is_deputy_head = "Педагог-организатор", False
        db_session().commit()
        check_refused(doc, (
            "Куратором может быть назначен только заместитель руководителя (§4.4.4 "
            "Положения); Сидорова Елена Викторовна — педагог-организатор."),
                      action="sign", whole=True, stays="approved")


def test_signed_order_cites_the_school_regulation_and_shares_the_main_journal(app):
    with app.app_context():
        regulation = draft("regulation_order", regulation_data(None, site_date=BANK.isoformat()))
        walk(regulation, "submit", "sign")
        doc = draft("curator_order", curator_data())
        walk(doc, "submit", "sign")
        first = int(regulation.number.split("-")[0])
        assert doc.number == f"{first + 1}-од"  # one journal of orders on the main activity
        text = docx_text(signed_copy(doc))
        assert f"утверждённого приказом от {regulation.doc_date:%d.%m.%Y} № " \
               f"{regulation.number}" in text
        assert f"№ {doc.number}" in text and "ПРОЕКТ" not in text
        assert "ДОКУМЕНТ ПОДПИСАН ПРОСТОЙ ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in text
        assert "СОГЛАСОВАНО:" not in text  # the head visas no order he signs (issue 9)


def test_http_errors_name_the_field_and_a_teacher_is_refused(client, app):
    login_as(client, "clerk")
    with app.app_context():
        ivanova = person("Иванова").id
    bad = post(client, FORM, {"person_id": ivanova, "start_date": "01.09.2026",
                              "roadmap_due_date": "15.09.2026", "bank_due_date": "01.10.2026",
                              "report_due_date": "30.06.2027"})
    assert bad.status_code == 422
    assert "«Должность куратора в родительном падеже (кого?)»: Поле обязательно для " \
           "заполнения." in bad.get_data(as_text=True)
    created = post(client, FORM, {"person_id": ivanova, "position_genitive": "учителя",
                                  "start_date": "01.09.2026", "roadmap_due_date": "15.09.2026",
                                  "bank_due_date": "01.10.2026",
                                  "report_due_date": "30.06.2027"})
    assert created.status_code == 302
    doc_id = int(re.search(r"/documents/(\d+)$", created.headers["Location"]).group(1))
    refused_ = post(client, f"/documents/{doc_id}/act/submit")
    assert refused_.status_code == 409
    assert "Куратором может быть назначен только заместитель руководителя" in \
        refused_.get_data(as_text=True)


def test_the_form_s_deadlines_are_counted_from_today(client, app):
    """The new form proposes the terms ahead of today (calendar.deadline_after), never the
    day itself for a term: a clerk who keeps them signs no term already past."""
    login_as(client, "clerk")
    page = client.get(FORM).get_data(as_text=True)
    for period in ({"days": 14}, {"days": 30}, {"months": 9}):
        due = deadline_after(date.today(), **period).day
        assert f'value="{due.isoformat()}"' in page or f'value="{due:%d.%m.%Y}"' in page, due
