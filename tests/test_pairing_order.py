"""The order on assigning mentoring pairs/groups (П1 §6; ТК РФ ст. 351.8)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from doc_templates.russian import date_long
from storage.db import db_session
from storage.models import Document, MentoringGroup
from tests.helpers.documents import check_refused as refused_unchanged
from tests.helpers.documents import draft, person, refused, state, walk
from tests.helpers.docx import rendered
from tests.helpers.http import login_as, post
from tests.helpers.pages import answers
from tests.helpers.pairs import (
    END,
    PROGRAMS_DUE,
    START,
    groups_of,
    on_file,
    order_data,
    pair,
    ready,
    signed_order,
)

FORM = "/documents/new/pairing_order"
GROUP = "наставничество в группе"


def test_draft_and_signed_order_carry_every_requisite(app):
    with app.app_context():
        ready("Иванова", "Кравец", "Гоголь")
        ready("Шевчук", "Петрова-Водкина")
        doc = draft("pairing_order", order_data(
            pair("Иванова", "Кравец", "Гоголь", form="наставничество в группе"),
            pair("Шевчук", "Петрова-Водкина", pay="3500.50")))
        text = rendered(doc, final=False)
        assert "ПРОЕКТ" in text and "№ _____" in text
        for requisite in ("Муниципальное общеобразовательное учреждение «Средняя школа № 5",
                          "(МОУ СШ № 5)", "ПРИКАЗ", "г. Волгоград",
                          "О закреплении наставнических пар/групп педагогических работников",
                          "статьёй 351.8 Трудового кодекса", "ПРИКАЗЫВАЮ:",
                          "1. Назначить наставниками педагогических работников, указанных",
                          f"в срок до {date_long(PROGRAMS_DUE)} разработать персонализированные",
                          "Куратору реализации программ наставничества Сидоровой Елене "
                          "Викторовне",
                          "5. Контроль за исполнением настоящего приказа оставляю за собой.",
                          "Директор", "И.С. Петров",
                          "Приложение", "к приказу МОУ СШ № 5", "ЛИСТ ОЗНАКОМЛЕНИЯ"):
            assert requisite in text, requisite
        assert "Иванова Мария Петровна, учитель математики" in text
        assert "Кравец Любовь Ивановна, учитель начальных классов; Гоголь Никита " \
               "Андреевич, учитель истории" in text
        assert "с 01.09.2026 по 31.05.2027" in text
        assert "3 500,50 руб." in text and "5 000,00 руб." in text

        walk(doc, "submit", "approve")
        assert "СОГЛАСОВАНО:" in rendered(doc, final=False)
        walk(doc, "sign")
        final = rendered(doc, final=True)
        assert "ПРОЕКТ" not in final
        assert f"№ {doc.number}" in final and doc.number.endswith("-од")
        assert f"от {doc.doc_date:%d.%m.%Y} № {doc.number}" in final  # the appendix mark
        assert "ДОКУМЕНТ ПОДПИСАН ПРОСТОЙ ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in final
        assert f"Директор\t____________ И.С. Петров\n{date.today():%d.%m.%Y}" \
            in final  # the visa (given here by the director on the curator's step)
        assert "Петрова-Водкина Ольга Сергеевна" in final  # acknowledgment sheet


def test_signing_makes_the_pairs_active(app):
    with app.app_context():
        ready("Иванова", "Кравец", "Гоголь")
        order = signed_order(pair("Иванова", "Кравец", "Гоголь",
                                  form="наставничество в группе"))
        assert order.state == "signed"
        (group,) = groups_of(order)
        assert group.status == "active" and group.mentor_id == person("Иванова").id
        assert {m.mentee_id for m in group.members} == {person("Кравец").id,
                                                       person("Гоголь").id}
        assert (group.start_date, group.end_date, group.pay) == (START, END, "5000.00")
        assert group.form == "наставничество в группе"


def test_a_new_order_supersedes_the_pairs_it_replaces(app):
    with app.app_context():
        ready("Иванова", "Кравец")
        ready("Шевчук", "Гоголь")
        old = signed_order(pair("Иванова", "Кравец"), pair("Шевчук", "Гоголь"))
        kept, replaced = groups_of(old)
        on_file("Седых", "pd_consent", "mentor_consent", "mentoring_agreement")
        new = signed_order(pair("Седых", "Гоголь"), replaces_order_id=old.id)
        db_session().refresh(kept)
        db_session().refresh(replaced)
        assert replaced.status == "ended" and replaced.ended_on == date.today()
        assert kept.status == "active"
        assert groups_of(new)[0].status == "active"
        assert new.supersedes_id == old.id


def check_refused(doc: Document, message: str) -> None:
    """Submitting is refused with ``message``, the state unchanged, no pair or group made."""
    refused_unchanged(doc, message, none_of=MentoringGroup)


@pytest.mark.parametrize(("ready_", "papers", "pairs", "message"), [
    pytest.param([("Иванова",)], {"Гоголь": ("participant_consent",)},
                 lambda: [pair("Иванова", "Гоголь")],
                 "Нельзя включить в приказ Гоголя Никиту Андреевича: нет подписанного согласия на "
                 "обработку персональных данных.", id="participant_without_consents"),
    pytest.param([("Шевчук", "Кравец")], {"Иванова": ("pd_consent", "mentor_consent")},
                 lambda: [pair("Иванова", "Кравец")],
                 "Нельзя включить в приказ Иванову Марию Петровну: нет подписанного "
                 "дополнительного соглашения к трудовому договору о наставничестве.",
                 id="mentor_without_an_agreement"),
    pytest.param([("Иванова", "Кравец")], {}, lambda: [pair("Седых", "Кравец")],
                 "Нельзя включить в приказ Седых Ирину Павловну: нет подписанных документов: "
                 "согласия на обработку персональных данных, письменного согласия на назначение "
                 "наставником, дополнительного соглашения",
                 id="mentor_with_nothing_on_file_hears_every_missing_paper"),
    pytest.param([("Шевчук", "Кравец")], {},
                 lambda: [pair("Шевчук", "Кравец", "Шевчук", form=GROUP)],
                 "Строка 1 приложения: Шевчук Олег Игоревич не может быть наставником самому "
                 "себе", id="mentor_is_not_his_own_mentee"),
    pytest.param([("Иванова", "Кравец"), ("Шевчук", "Гоголь")], {},
                 lambda: [pair("Иванова", "Кравец"), pair("Шевчук", "Гоголь", form=GROUP)],
                 "Строка 2 приложения: в форме «наставничество в группе» у наставника должно "
                 "быть не меньше двух наставляемых", id="group_has_two_or_more_mentees"),
    pytest.param([("Иванова", "Кравец")], {},
                 lambda: [pair("Иванова", "Кравец", start=END, end=START)],
                 "Строка 1 приложения: дата окончания наставничества должна быть позже даты "
                 "начала (31.05.2027).", id="term_ends_after_it_starts"),
])
def test_an_order_breaking_a_rule_is_refused(app, ready_, papers, pairs, message):
    """With the papers of ``ready_`` (a mentor and mentees each) and of ``papers`` on file,
    an order of ``pairs`` is refused submitting."""
    with app.app_context():
        for people in ready_:
            ready(*people)
        for last_name, kinds in papers.items():
            on_file(last_name, *kinds)
        check_refused(draft("pairing_order", order_data(*pairs())), message)


def test_a_mentee_already_in_an_active_pair_is_refused(app):
    with app.app_context():
        ready("Иванова", "Кравец")
        ready("Шевчук")
        first = signed_order(pair("Иванова", "Кравец"))
        doc = draft("pairing_order", order_data(pair("Шевчук", "Кравец")))
        before = state(doc)
        message = refused(doc, "submit")
        assert message == (f"Строка 1 приложения: Кравец Любовь Ивановна уже закреплён(а) за "
                           f"наставником Ивановой Марией Петровной по приказу № {first.number}; "
                           f"укажите этот приказ как заменяемый или завершите ту программу.")
        assert state(doc) == before


def test_the_replaced_order_must_be_a_signed_pairing_order(app):
    with app.app_context():
        ready("Иванова", "Кравец")
        consent = db_session().scalars(select(Document).where(
            Document.kind == "mentor_consent", Document.state == "signed")).first()
        doc = draft("pairing_order", order_data(pair("Иванова", "Кравец"),
                                                replaces_order_id=consent.id))
        check_refused(doc, f"Заменяемый приказ (документ № {consent.id}) не найден среди "
                           f"подписанных приказов о закреплении пар.")


def test_guards_hold_again_at_signing(app):
    with app.app_context():
        ready("Иванова", "Кравец")
        ready("Шевчук")
        doc = draft("pairing_order", order_data(pair("Шевчук", "Кравец")))
        walk(doc, "submit", "approve")
        signed_order(pair("Иванова", "Кравец"))  # meanwhile Кравец got another mentor
        assert "Кравец Любовь Ивановна уже закреплён(а)" in refused(doc, "sign")
        assert state(doc) == "approved"
        assert not groups_of(doc)


def _ids(app, *names):
    with app.app_context():
        return [person(n).id for n in names]


def test_http_clerk_curator_visa_director_signs(client, app):
    with app.app_context():
        ready("Иванова", "Кравец", "Гоголь")
    mentor, kravets, gogol, curator = _ids(app, "Иванова", "Кравец", "Гоголь", "Сидорова")
    login_as(client, "clerk")
    form = {"pairs-0-mentor_id": mentor, "pairs-0-mentee_ids": [kravets, gogol],
            "pairs-0-form": "наставничество в группе", "pairs-0-start_date": "2026-09-01",
            "pairs-0-end_date": "2027-05-31", "pairs-0-pay": "5 000,00",
            "curator_id": curator, "programs_due_date": f"{PROGRAMS_DUE:%d.%m.%Y}"}
    created = post(client, FORM, form)
    assert created.status_code == 302, created.get_data(as_text=True)
    doc_id = int(re.search(r"/documents/(\d+)$", created.headers["Location"]).group(1))
    assert post(client, f"/documents/{doc_id}/act/submit").status_code == 302

    login_as(client, "director")  # not the director's turn: the curator's visa comes first
    answers(post(client, f"/documents/{doc_id}/act/approve"), 403, "Куратор")

    login_as(client, "curator")
    assert post(client, f"/documents/{doc_id}/act/approve").status_code == 302
    with app.app_context():
        assert db_session().get(Document, doc_id).state == "approved"

    login_as(client, "director")
    answers(post(client, f"/documents/{doc_id}/act/sign", {"password": "nastavnik2026"}), 302)
    with app.app_context():
        doc = db_session().get(Document, doc_id)
        assert doc.state == "signed" and doc.number == "1-од"
        (group,) = groups_of(doc)
        assert group.status == "active" and len(group.members) == 2
    page = client.get("/programs").get_data(as_text=True)
    assert "Иванова Мария Петровна" in page and "1-од" in page


def test_http_form_error_names_the_field_and_the_row(client, app):
    mentor, kravets, curator = _ids(app, "Иванова", "Кравец", "Сидорова")
    login_as(client, "clerk")
    response = post(client, FORM, {
        "pairs-0-mentor_id": mentor, "pairs-0-mentee_ids": [kravets],
        "pairs-0-form": "традиционная форма наставничества", "pairs-0-start_date": "2026-09-01",
        "pairs-0-end_date": "2027-05-31", "pairs-0-pay": "5000",
        "pairs-1-mentor_id": mentor, "pairs-1-form": "традиционная форма наставничества",
        "pairs-1-start_date": "2026-09-01", "pairs-1-end_date": "31.13.2027",
        "pairs-1-pay": "пять тысяч",
        "curator_id": curator, "programs_due_date": "2026-09-15"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    label = "«Наставнические пары и группы (приложение к приказу)», строка 2"
    assert f"{label}, «Окончание»: Введите дату в формате ДД.ММ.ГГГГ." in page
    assert f"{label}, «Наставляемые»: Выберите хотя бы одного наставляемого." in page
    assert f"{label}, «Доплата, руб. в месяц»: Введите сумму числом" in page
    assert 'value="пять тысяч"' in page  # what was typed is kept


def test_a_due_date_already_past_is_refused_at_signing(app):
    """programs_due_date_not_past: no pair is made by an order whose term is gone by."""
    with app.app_context():
        ready("Иванова", "Кравец")
        yesterday = date.today() - timedelta(days=1)
        doc = draft("pairing_order", order_data(pair("Иванова", "Кравец"),
                                                programs_due_date=yesterday.isoformat()))
        walk(doc, "submit", "approve")
        refused_unchanged(doc, (
            f"Срок разработки персонализированных программ ({yesterday:%d.%m.%Y}) уже прошёл "
            f"на дату подписания приказа ({date.today():%d.%m.%Y}): укажите срок не ранее даты "
            f"подписания."), action="sign", whole=True, stays="approved", none_of=MentoringGroup)
