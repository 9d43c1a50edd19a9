"""The order approving the school's Положение, with the Положение and the roadmap appended
(П1 §3.1, П2 stage 1; ГОСТ Р 7.0.97-2025)."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from docx import Document as read_docx
from docx.shared import Pt

from storage.db import db_session
from tests.helpers.documents import check_refused, draft, person, refused, signed_copy, state, walk
from tests.helpers.docx import docx_text, rendered
from tests.helpers.http import login_as, post
from tests.helpers.orders import SITE, START, regulation_data, roadmap_rows
from workflows.rendering import render_document
from workflows.roadmap import default_rows, model, stages

FORM = "/documents/new/regulation_order"
FULL_NAME = ("Муниципальное общеобразовательное учреждение «Средняя школа № 5 Дзержинского "
             "района Волгограда»")


def _term(n: int) -> str:
    """«с … по …» of the stage ``n`` (from 0) of the default roadmap counted from ``START``."""
    row = default_rows(from_day=START)[n]
    first, last = (date.fromisoformat(row[k]) for k in ("start_date", "end_date"))
    return f"с {first:%d.%m.%Y} по {last:%d.%m.%Y}"


def test_draft_carries_every_requisite_and_both_appendices(app):
    with app.app_context():
        doc = draft("regulation_order", regulation_data())
        text = rendered(doc)
        for requisite in (
                FULL_NAME, "(МОУ СШ № 5)", "ПРОЕКТ", "ПРИКАЗ", "№ _______", "г. Волгоград",
                "Об утверждении Положения о системе наставничества педагогических работников "
                "в МОУ СШ № 5",
                "статьёй 351.8 Трудового кодекса", "от 21.03.2022 № 25", "ПРИКАЗЫВАЮ:",
                "1. Утвердить Положение о системе наставничества педагогических работников в "
                f"МОУ СШ № 5 (приложение № 1) и ввести его в действие с {START:%d.%m.%Y}.",
                "2. Утвердить дорожную карту (план мероприятий)",
                "3. Назначить ответственными за выполнение этапов дорожной карты",
                "3.1. за этап «Подготовка условий для реализации системы наставничества» — "
                "заместителя директора по учебно-воспитательной работе Сидорову Елену "
                f"Викторовну, срок: {_term(0)};",
                "4. Секретарю Кузнецовой Ольге Николаевне разместить настоящий приказ",
                f"в срок до {SITE:%d.%m.%Y}.",
                "5. Контроль исполнения настоящего приказа возложить на заместителя "
                "директора по учебно-воспитательной работе Сидорову Елену Викторовну.",
                "Директор", "И.С. Петров",
                "Приложение № 1", "к приказу МОУ СШ № 5", "от __________ № _____",
                "Приложение № 2", "ДОРОЖНАЯ КАРТА (план мероприятий)",
                "ЛИСТ ОЗНАКОМЛЕНИЯ", "Кузнецова Ольга Николаевна"):
            assert requisite in text, requisite
        assert "ПОДПИСАН" not in text


def test_appendix_1_is_the_whole_model_regulation_with_the_school_named(app):
    with app.app_context():
        text = rendered(draft("regulation_order", regulation_data()))
        assert "о системе наставничества педагогических работников в МОУ СШ № 5" in text
        assert "в образовательной организации – муниципальном общеобразовательном учреждении " \
               "«Средняя школа № 5 Дзержинского района Волгограда» (МОУ СШ № 5) (далее " \
               "именуется – Положение)" in text  # the school's name in the prepositional
        for section in model()["regulation"]["sections"]:
            assert f"{section['number']}. {section['title']}" in text
            for paragraph in section["paragraphs"][1:]:
                assert paragraph in text, paragraph[:60]
        body = text.split("ПОЛОЖЕНИЕ")[1].split("Приложение № 2")[0]
        assert "_____" not in body and "{school}" not in body
        assert "9.2. В настоящее Положение могут быть внесены изменения" in text


def test_appendix_2_is_the_roadmap_of_seven_stages(app):
    with app.app_context():
        text = rendered(draft("regulation_order", regulation_data()))
        roadmap = text.split("ДОРОЖНАЯ КАРТА (план мероприятий)")[1]
        for n, stage in enumerate(stages(), 1):
            assert f"{n}.\n{stage}" in roadmap
        assert "Формирование банка наставляемых" in roadmap
        assert _term(1) in roadmap  # the stages counted from the order's date
        assert "Сидорова Е.В., заместитель директора по учебно-воспитательной работе" in roadmap


def test_layout_follows_gost(app):
    with app.app_context():
        data = render_document(db_session(), draft("regulation_order", regulation_data()),
                               final=False)
        d = read_docx(io.BytesIO(data))
        section = d.sections[0]
        assert round(section.left_margin.mm) == 30  # kept permanently
        assert round(section.right_margin.mm) == 10 and round(section.top_margin.mm) == 20
        assert section.different_first_page_header_footer
        assert "PAGE" in section.header._element.xml
        assert d.styles["Normal"].font.name == "Times New Roman"
        assert d.styles["Normal"].font.size == Pt(14)


def test_signed_copy_has_number_date_esign_and_no_draft_mark(app):
    with app.app_context():
        doc = draft("regulation_order", regulation_data())
        walk(doc, "submit", "sign")  # no visa of the head's own
        assert doc.state == "signed" and doc.number.endswith("-од")
        assert doc.journal == "main"
        text = docx_text(signed_copy(doc))
        assert "ПРОЕКТ" not in text
        assert f"№ {doc.number}" in text
        assert doc.doc_date.strftime("%d.%m.%Y") in text
        assert f"от {doc.doc_date:%d.%m.%Y} № {doc.number}" in text  # appendix marks
        assert "ДОКУМЕНТ ПОДПИСАН ПРОСТОЙ ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in text
        assert "Подписант: Петров Иван Сергеевич" in text
        assert "СОГЛАСОВАНО:" not in text  # the head visas no order he signs (issue 9)


def test_control_kept_by_the_head_when_nobody_named(app):
    with app.app_context():
        doc = draft("regulation_order", regulation_data(control=None))
        assert "5. Контроль исполнения настоящего приказа оставляю за собой." in rendered(doc)
        walk(doc, "submit")
        assert state(doc) == "approved"  # the head signs it: no visa of his own


def test_roadmap_without_a_stage_is_refused(app):
    with app.app_context():
        rows = [r for r in roadmap_rows(from_day=START) if r["stage"] != stages()[5]]
        doc = draft("regulation_order", regulation_data(rows=rows))
        message = refused(doc, "submit")
        assert message.startswith("В дорожной карте нет этапов, предусмотренных Приложением 2")
        assert "6. Завершение персонализированных программ наставничества" in message
        assert state(doc) == "draft"


def test_roadmap_row_ending_before_it_starts_is_refused_at_signing(app):
    with app.app_context():
        doc = draft("regulation_order", regulation_data())
        walk(doc, "submit")  # the head signs it: no visa of his own
        rows = roadmap_rows(from_day=START)
        before = START - timedelta(days=1)  # before its start, not yet past on signing
        rows[1]["end_date"] = before.isoformat()
        doc.data = {**doc.data, "rows": rows}
        db_session().commit()
        check_refused(doc, f"Строка 2 дорожной карты («Формирование банка наставляемых»): дата "
                           f"окончания {before:%d.%m.%Y} раньше даты начала {START:%d.%m.%Y}.",
                      action="sign", whole=True, stays="approved")


def _form(app, **extra):
    with app.app_context():
        site, control = person("Кузнецова").id, person("Сидорова").id
        rows = roadmap_rows(from_day=START)
    fields = {"effective_date": START.isoformat(), "site_person_id": site,
              "site_date": f"{SITE:%d.%m.%Y}", "control_person_id": control}
    for i, row in enumerate(rows):
        for key, value in row.items():
            fields[f"rows-{i}-{key}"] = value
    fields.update(extra)
    return fields


def test_http_form_errors_are_russian_and_name_the_field(client, app):
    login_as(client, "clerk")
    response = post(client, FORM, _form(app, effective_date="", site_date="32.13.2026",
                                        **{"rows-3-start_date": "вчера"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "«Дата введения Положения в действие»: Поле обязательно для заполнения." in page
    assert "«Срок размещения Положения и дорожной карты на сайте»: Введите дату в формате " \
           "ДД.ММ.ГГГГ." in page
    assert "«Дорожная карта (Приложение 2 к приказу)», строка 4, «Срок: с»: Введите дату" in page
    assert 'value="32.13.2026"' in page  # what was typed is kept


def test_http_happy_path_from_form_to_signed_order(client, app):
    login_as(client, "clerk")
    assert "Формирование банка наставников" in client.get(FORM).get_data(as_text=True)
    response = post(client, FORM, _form(app))
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    doc_id = int(re.search(r"/documents/(\d+)$", response.headers["Location"]).group(1))
    preview = client.get(f"/documents/{doc_id}/preview.docx")
    assert preview.status_code == 200 and "ПРОЕКТ" in docx_text(preview.data)
    assert post(client, f"/documents/{doc_id}/act/submit").status_code == 302
    login_as(client, "director")  # submitted, it awaits his signature: no visa of his own
    signed = post(client, f"/documents/{doc_id}/act/sign", {"password": "nastavnik2026"})
    assert signed.status_code == 302, signed.get_data(as_text=True)[-1500:]
    with app.app_context():
        from storage.models import Document

        doc = db_session().get(Document, doc_id)
        assert doc.state == "signed"
        text = docx_text(signed_copy(doc))
        assert f"№ {doc.number}" in text and "ПРОЕКТ" not in text


def test_a_roadmap_stage_already_over_is_refused_at_signing(app):
    """stage_ends_not_past: the order's Приложение 2 never sets a stage over on its date."""
    with app.app_context():
        doc = draft("regulation_order", regulation_data())
        walk(doc, "submit")  # the head signs it: no visa of his own
        rows = roadmap_rows(from_day=START)
        yesterday = date.today() - timedelta(days=1)
        rows[0]["start_date"] = (yesterday - timedelta(days=30)).isoformat()
        rows[0]["end_date"] = yesterday.isoformat()
        doc.data = {**doc.data, "rows": rows}
        db_session().commit()
        check_refused(doc, (
            f"Строка 1 дорожной карты, этап «Подготовка условий для реализации системы "
            f"наставничества»: срок окончания ({yesterday:%d.%m.%Y}) уже прошёл на дату "
            f"подписания приказа ({date.today():%d.%m.%Y}): укажите срок не ранее даты "
            f"подписания."), action="sign", whole=True, stays="approved")


def test_the_forms_roadmap_is_counted_from_today(client, app):
    """The order's form offers the stages from the day it opens (default_rows(from_day=)),
    none already over: a clerk who keeps them signs no stage gone by."""
    login_as(client, "clerk")
    page = client.get(FORM).get_data(as_text=True)
    for row in default_rows(from_day=date.today()):
        due = date.fromisoformat(row["end_date"])
        assert due >= date.today()
        assert f'value="{due.isoformat()}"' in page or f'value="{due:%d.%m.%Y}"' in page, due
