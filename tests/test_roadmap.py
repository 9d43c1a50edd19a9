"""The roadmap of putting the Положение into practice, approved «УТВЕРЖДАЮ» by the head (П2)."""

from __future__ import annotations

import pytest

from storage.db import db_session
from storage.models import Person
from tests.helpers.documents import (
    check_refused,
    draft,
    organization,
    person,
    signed_copy,
    walk,
)
from tests.helpers.docx import docx_text, rendered
from tests.helpers.orders import roadmap_rows
from workflows.errors import ValidationError
from workflows.roadmap import stages


def roadmap_data(**extra):
    return {"school_year": 2026, "rows": roadmap_rows(2026), "notes": "", **extra}


def test_draft_has_approval_stamp_table_and_acknowledgment(app):
    with app.app_context():
        text = rendered(draft("roadmap", roadmap_data(notes="Сроки «ориентировочные» & <гибкие>")))
        for requisite in ("ПРОЕКТ", "УТВЕРЖДАЮ", "Директор МОУ СШ № 5", "____________ И.С. Петров",
                          "Муниципальное общеобразовательное учреждение «Средняя школа № 5",
                          "(МОУ СШ № 5)", "ДОРОЖНАЯ КАРТА", "№ _______", "г. Волгоград",
                          "ДОРОЖНАЯ КАРТА\n(план мероприятий)",
                          "по реализации Положения о системе наставничества "
                          "педагогических работников в МОУ СШ № 5 на 2026/2027 учебный год",
                          "Наименование этапа", "Ответственный", "ЛИСТ ОЗНАКОМЛЕНИЯ",
                          "с дорожной картой МОУ СШ № 5",
                          "Примечание: Сроки «ориентировочные» & <гибкие>"):
            assert requisite in text, requisite
        for n, stage in enumerate(stages(), 1):
            assert f"{n}.\n{stage}" in text
        assert "с 01.09.2026 по 31.08.2027" in text  # stage 7 runs all year


def test_signed_copy_is_dated_and_numbered(app):
    with app.app_context():
        doc = draft("roadmap", roadmap_data())
        walk(doc, "submit", "approve", "sign")
        text = docx_text(signed_copy(doc))
        assert "ПРОЕКТ" not in text and f"№ {doc.number}" in text
        assert doc.number.endswith("-п")
        day = doc.doc_date
        assert f"{day.day:02d}" in text and "УТВЕРЖДАЮ" in text
        assert "ДОКУМЕНТ ПОДПИСАН ПРОСТОЙ ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in text


@pytest.mark.parametrize(("index", "fields", "message"), [
    pytest.param(2, None, "В дорожной карте нет этапов, предусмотренных Приложением 2 к "
                          "Положению о наставничестве: 3. Формирование банка наставников.",
                 id="missing_stage"),
    pytest.param(3, {"start_date": "2026-12-01", "end_date": "2026-11-01"},
                 "Строка 4 дорожной карты («Отбор и обучение»): дата окончания 01.11.2026 "
                 "раньше даты начала 01.12.2026.", id="end_before_start"),
    pytest.param(6, {"end_date": "2027-09-15"},
                 "Строка 7 дорожной карты («Информационная поддержка системы наставничества»): "
                 "дата 15.09.2027 вне 2026/2027 учебного года (01.09.2026 – 31.08.2027).",
                 id="dates_outside_the_school_year"),
])
def test_a_row_breaking_a_rule_is_refused(app, index, fields, message):
    """The row ``index`` gets ``fields``, or, if None, the stage ``index`` has no row."""
    with app.app_context():
        rows = roadmap_rows(2026)
        if fields is None:
            rows = [r for r in rows if r["stage"] != stages()[index]]
        else:
            rows[index].update(fields)
        doc = draft("roadmap", roadmap_data(rows=rows))
        check_refused(doc, message, whole=True, stays="draft")


def test_responsible_of_another_school_is_refused(app):
    with app.app_context():
        from sqlalchemy import select

        from storage.models import Organization

        other = db_session().scalars(select(Organization).where(
            Organization.id != organization().id)).first()
        stranger = db_session().scalars(select(Person).where(
            Person.organization_id == other.id)).first()
        rows = roadmap_rows(2026)
        rows[0]["responsible_id"] = stranger.id
        with pytest.raises(ValidationError) as err:  # refused at save (workflows.scoping)
            draft("roadmap", roadmap_data(rows=rows))
        db_session().rollback()
        assert err.value.fields == {"rows": [
            "«Мероприятия дорожной карты», строка 1, «Ответственный»: Педагог не найден в "
            "вашей организации."]}
        doc = draft("roadmap", roadmap_data())
        doc.data = {**doc.data, "rows": rows}  # changed behind the save: the guard holds
        db_session().commit()
        check_refused(doc, (
            "Строка 1 дорожной карты («Подготовка условий для реализации системы "
            "наставничества»): ответственный не найден в вашей организации."),
                      whole=True, stays="draft")
        assert person("Сидорова").organization_id == organization().id
