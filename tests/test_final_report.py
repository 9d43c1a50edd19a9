"""The curator's final report: figures built from the data, frozen in the signed copy
(§4.4.4, П1 §3.4)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from storage.db import db_session
from storage.models import BankEntry, GroupMember, MentoringGroup, Program
from storage.roles import Role
from tests.helpers.documents import (
    check_refused,
    draft,
    organization,
    person,
    refused,
    signed_copy,
    state,
    walk,
)
from tests.helpers.docx import docx_text, rendered
from workflows.final_report import figures
from workflows.vocabulary import MENTEE_CATEGORIES

START, END = date(2025, 9, 1), date(2026, 6, 30)
GROUP = "наставничество в группе"
TRADITIONAL = "традиционная форма наставничества"
VIRTUAL = "виртуальное (дистанционное) наставничество"


def bank(last_name: str, role: str, category: str = "", withdrawn: bool = False,
         added: datetime = datetime(2025, 9, 1, 9, 0)) -> None:
    """An entry of the bank made on ``added`` (in the period) and, if ``withdrawn``, taken
    out within the period."""
    db_session().add(BankEntry(
        organization_id=organization().id, person_id=person(last_name).id, role=role,
        category=category, added_at=added,
        withdrawn_at=datetime(2026, 3, 1, 9, 0) if withdrawn else None))


def group(mentor: str, *mentees: str, form: str, start: date, end: date,
          status: str = "active", ended_on: date | None = None) -> MentoringGroup:
    g = MentoringGroup(organization_id=organization().id, mentor_id=person(mentor).id, form=form,
                       start_date=start, end_date=end, status=status, ended_on=ended_on)
    g.members = [GroupMember(mentee_id=person(m).id) for m in mentees]
    db_session().add(g)
    db_session().flush()
    return g


def program(g: MentoringGroup, status: str, *, forms=(), ended_on=None, extended=0) -> None:
    db_session().add(Program(
        organization_id=organization().id, group_id=g.id, start_date=g.start_date,
        end_date=g.end_date, forms={"forms": list(forms)}, status=status, ended_on=ended_on,
        extended_times=extended))


def the_school_year() -> None:
    """Two mentors, three mentees (one more withdrawn), a group, a pair, and noise."""
    bank("Иванова", "mentor")
    bank("Шевчук", "mentor")
    bank("Кравец", "mentee", MENTEE_CATEGORIES[0])
    bank("Гоголь", "mentee", MENTEE_CATEGORIES[0])
    bank("Петрова-Водкина", "mentee", MENTEE_CATEGORIES[2])
    bank("Седых", "mentee", MENTEE_CATEGORIES[5], withdrawn=True)
    g1 = group("Иванова", "Кравец", "Гоголь", form=GROUP, start=date(2025, 9, 15),
               end=date(2026, 5, 31), status="ended", ended_on=date(2026, 5, 20))
    program(g1, "completed", forms=[GROUP, VIRTUAL], ended_on=date(2026, 5, 20), extended=1)
    g2 = group("Шевчук", "Петрова-Водкина", form=TRADITIONAL, start=date(2025, 10, 1),
               end=date(2026, 9, 30))
    program(g2, "ended_early", forms=[TRADITIONAL], ended_on=date(2026, 3, 1))
    group("Шевчук", "Седых", form=TRADITIONAL, start=date(2025, 10, 1), end=date(2026, 3, 1),
          status="proposed")  # never ordered: not counted
    later = group("Иванова", "Седых", form=VIRTUAL, start=date(2026, 9, 1),
                  end=date(2027, 5, 31))  # after the period
    program(later, "active", forms=[VIRTUAL])
    db_session().commit()


def report_data(**extra):
    return {"start_date": START.isoformat(), "end_date": END.isoformat(),
            "conclusions": "Система наставничества работает; «узкие места» — график & нагрузка.",
            "proposals": "Продолжить работу групп в 2026/2027 учебном году.", **extra}


def test_figures_are_built_from_the_data(app):
    with app.app_context():
        the_school_year()
        f = figures(db_session(), organization().id, START, END)
        assert (f["mentors"], f["mentees"]) == (2, 3)
        assert (f["pairs"], f["groups"]) == (1, 1)
        assert (f["mentors_working"], f["mentees_working"]) == (2, 3)
        assert f["forms"] == [{"form": VIRTUAL, "count": 1}, {"form": GROUP, "count": 1},
                              {"form": TRADITIONAL, "count": 1}]
        assert (f["programs"], f["completed"], f["ended_early"], f["extended"],
                f["running"]) == (2, 1, 1, 1, 0)
        counts = {c["category"]: c["count"] for c in f["categories"]}
        assert counts[MENTEE_CATEGORIES[0]] == 2 and counts[MENTEE_CATEGORIES[2]] == 1
        assert counts[MENTEE_CATEGORIES[5]] == 0  # withdrawn from the bank
        assert [c["category"] for c in f["categories"]] == list(MENTEE_CATEGORIES)


def test_draft_shows_the_figures_and_every_requisite(app):
    with app.app_context():
        the_school_year()
        text = rendered(draft("final_report", report_data(), author="curator"))
        for requisite in (
                "ПРОЕКТ", "УТВЕРЖДАЮ", "Директор МОУ СШ № 5", "И.С. Петров",
                "Муниципальное общеобразовательное учреждение «Средняя школа № 5",
                "(МОУ СШ № 5)", "ОТЧЁТ", "№ _______", "г. Волгоград",
                "ОТЧЁТ", "об итогах реализации системы наставничества "
                "педагогических работников в МОУ СШ № 5 за период с 01.09.2025 по 30.06.2026",
                "пунктом 4.4.4 Положения о наставничестве",
                "Наставников в банке наставников\n2", "Наставляемых в банке наставляемых\n3",
                "Наставнических пар, работавших в отчётном периоде\n1",
                "Наставнических групп, работавших в отчётном периоде\n1",
                f"{GROUP}\n1", f"{VIRTUAL}\n1", f"{TRADITIONAL}\n1",
                "из них завершено в полном объёме\n1",
                "завершено досрочно (п. 7.1 Положения)\n1",
                "продлено по обоюдному согласию (п. 7.2 Положения)\n1",
                "молодых педагогов\n2",
                "«узкие места» — график & нагрузка.",
                "Куратор реализации программ наставничества", "Е.В. Сидорова"):
            assert requisite in text, requisite


def test_signed_copy_freezes_the_figures(app):
    with app.app_context():
        the_school_year()
        doc = draft("final_report", report_data(), author="curator")
        walk(doc, "submit", actor="curator")  # no visa: the head signs it after the curator
        walk(doc, "sign")
        assert doc.state == "signed" and doc.number.endswith("-отч")
        bank("Седых", "mentor")  # the bank grows after signing
        db_session().commit()
        text = docx_text(signed_copy(doc))
        assert "Наставников в банке наставников\n2" in text
        assert "ПРОЕКТ" not in text and f"№ {doc.number}" in text
        assert "ДОКУМЕНТ ПОДПИСАН ПРОСТОЙ ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in text
        assert "Наставников в банке наставников\n3" in rendered(doc)  # a new draft would


def test_a_period_not_yet_over_is_not_signed(app):
    with app.app_context():
        end = date.today() + timedelta(days=30)
        doc = draft("final_report", report_data(end_date=end.isoformat()), author="curator")
        walk(doc, "submit")  # the head's visa is skipped: he signs it
        check_refused(doc, (
            f"Отчётный период ещё не закончился (окончание {end:%d.%m.%Y}): итоговый отчёт "
            f"подписывается после окончания периода."), action="sign", whole=True, stays="approved")


def test_a_period_ending_before_it_starts_is_refused(app):
    with app.app_context():
        doc = draft("final_report", report_data(end_date="2025-08-01"), author="curator")
        check_refused(doc, (
            "Окончание отчётного периода (01.08.2025) раньше его начала (01.09.2025)."),
                      whole=True, stays="draft")


def test_only_the_curator_submits_the_report(app):
    with app.app_context():
        doc = draft("final_report", report_data(), author="clerk")
        message = refused(doc, "submit", actor="clerk", roles={Role.CLERK})
        assert "может выполнить только: администратор, куратор" in message
        assert state(doc) == "draft"
        walk(doc, "submit", actor="curator")
        assert state(doc) == "approved"  # the only visa is the head's, who signs it


def test_figures_add_up_for_the_period(app):
    """A program ended on paper with a date after the period still ran at its end: it is
    counted among those running, so the programs add up; every mentee is counted in a
    category, one without a category or with another included."""
    with app.app_context():
        the_school_year()
        bank("Кузнецова", "mentee", "")  # no category: «категория не указана»
        g = group("Иванова", "Кузнецова", form=TRADITIONAL, start=date(2026, 2, 1),
                  end=date(2026, 12, 31), status="ended", ended_on=date(2026, 9, 30))
        program(g, "ended_early", forms=[TRADITIONAL], ended_on=date(2026, 9, 30))
        db_session().commit()
        f = figures(db_session(), organization().id, START, END)
        assert (f["programs"], f["completed"], f["ended_early"], f["running"]) == (3, 1, 1, 1)
        assert f["mentees"] == sum(c["count"] for c in f["categories"]) == 4
        assert {"category": "категория не указана", "wording": "категория не указана",
                "count": 1} in f["categories"]
        text = rendered(draft("final_report", report_data(), author="curator"))
        assert "Персонализированных программ, реализуемых в отчётном периоде\n3" in text
        assert "продолжают реализовываться\n1" in text
        assert "Наставляемые из числа" in text
        assert ("педагогов, испытывающих другие профессиональные затруднения и осознающих "
                "потребность в наставнике\n0") in text  # §5.2.3 in full
        assert "проходящих стажировку/практику в образовательной организации\n0" in text


def test_figures_that_do_not_add_up_are_refused(app, monkeypatch):
    """figures_add_up: a report whose total disagrees with its parts is not sent on (nor
    rendered); the draft stays a draft."""
    with app.app_context():
        the_school_year()
        doc = draft("final_report", report_data(), author="curator")
        real = figures

        def miscounted(*args):
            return {**real(*args), "running": 5}

        monkeypatch.setattr("workflows.final_report.figures", miscounted)
        check_refused(doc, (
            "Показатели отчёта не сходятся: Персонализированных программ в отчётном периоде "
            "2, а завершено в полном объёме, завершено досрочно и продолжают реализовываться 7."
            " Проверьте данные программ и банка наставляемых."), whole=True, stays="draft")


def test_the_bank_is_counted_at_the_period_s_end(app):
    """The bank of the period: one entered after the period is not counted, one withdrawn
    after it still is (she was in the bank at its end)."""
    with app.app_context():
        the_school_year()
        bank("Кузнецова", "mentor", added=datetime(2026, 7, 15, 9, 0))  # after the period
        db_session().add(BankEntry(
            organization_id=organization().id, person_id=person("Сидорова").id,
            role="mentee", category=MENTEE_CATEGORIES[1], added_at=datetime(2025, 9, 1),
            withdrawn_at=datetime(2026, 8, 1)))  # withdrawn after the period
        db_session().commit()
        f = figures(db_session(), organization().id, START, END)
        assert (f["mentors"], f["mentees"]) == (2, 4)
        assert {c["category"]: c["count"] for c in f["categories"]}[MENTEE_CATEGORIES[1]] == 1
        later = figures(db_session(), organization().id, START, date(2026, 8, 31))
        assert (later["mentors"], later["mentees"]) == (3, 3)
