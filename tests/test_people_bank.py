"""The cards of the bank of mentors and mentees (issue 10 point 1): adding, refusing with
Russian messages, editing, archiving, searching with ё/е folded, the Russian order, and a
login with a first password shown once."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from storage.db import db_session
from storage.models import (
    AuditEntry,
    BankEntry,
    Document,
    GroupMember,
    MentoringGroup,
    Person,
    User,
)
from tests.helpers.documents import organization, person_id
from tests.helpers.http import csrf_token, login_as, post
from tests.helpers.pages import answers
from workflows import acknowledgments, people_bank
from workflows.people_vocabulary import MENTOR_ACHIEVEMENTS, POSITIONS
from workflows.vocabulary import MENTEE_CATEGORIES

GOOD = {"last_name": "Ёлкина", "first_name": "Дарья", "middle_name": "Олеговна",
        "gender": "f", "position": "Педагог-психолог", "subject": "",
        "email": "elkina@school5.ru", "hire_date": "2024-09-02", "service_years": "3",
        "achievements": [MENTOR_ACHIEVEMENTS[0]], "mentee_categories": [MENTEE_CATEGORIES[0]]}


def people_count(app) -> int:
    with app.app_context():
        return db_session().scalar(select(func.count(Person.id)))


def card(app, last_name: str) -> Person:
    with app.app_context():
        found = db_session().scalars(select(Person).where(Person.last_name == last_name)).one()
        db_session().expunge(found)
        return found


def test_a_card_is_added_with_every_field_and_audited(app, client):
    login_as(client, "clerk")
    page = client.get("/people/new").get_data(as_text=True)
    assert "Новый педагог" in page and "Педагогические должности" in page
    assert MENTOR_ACHIEVEMENTS[2] in page and MENTEE_CATEGORIES[3] in page
    added = post(client, "/people/new", GOOD)
    assert added.status_code == 302, added.get_data(as_text=True)
    made = card(app, "Ёлкина")
    assert (made.gender, made.position, made.hire_date, made.service_years) == \
        ("f", "Педагог-психолог", date(2024, 9, 2), 3)
    assert made.achievements == [MENTOR_ACHIEVEMENTS[0]]
    assert made.mentee_categories == [MENTEE_CATEGORIES[0]]
    shown = client.get(added.headers["Location"]).get_data(as_text=True)
    assert "Карточка педагога" in shown and "(педагогическая должность)" in shown
    assert "3 года" in shown and "02.09.2024" in shown
    with app.app_context():
        row = db_session().scalars(select(AuditEntry).where(
            AuditEntry.action == "person_add")).one()
        assert row.comment == f"Внесён педагог № {made.id} (карточка)."
        assert "Ёлкина" not in row.comment  # the audit is never erased: no names in it


@pytest.mark.parametrize("change, field_message", [
    ({"last_name": ""}, "«Фамилия»: Поле обязательно для заполнения."),
    ({"gender": "x"}, "«Пол»: Укажите пол: «м» или «ж»."),
    ({"gender": ""}, "«Пол»: Поле обязательно для заполнения."),
    ({"position": "Завхоз"},
     "«Должность»: Должности «Завхоз» нет в списке: выберите должность из списка."),
    ({"hire_date": (date.today() + timedelta(days=1)).isoformat()},
     f"Дата приёма на работу {date.today() + timedelta(days=1):%d.%m.%Y} ещё не наступила: "
     f"укажите дату не позже сегодняшней ({date.today():%d.%m.%Y})."),
    ({"last_name": "Ёлкина=1+1"}, "«Фамилия»: Только буквы, дефис, пробел или апостроф."),
    ({"service_years": "71"}, "«Педагогический стаж, полных лет»: Допустимо от 0 до 70."),
    ({"email": "нет"}, "«Электронная почта»: Введите адрес электронной почты"),
    ({"achievements": ["выдумано"]}, "«выдумано» нет в перечне"),
])
def test_a_card_is_refused_with_its_russian_message_and_kept(app, client, change,
                                                             field_message):
    login_as(client, "curator")
    before = people_count(app)
    refused = post(client, "/people/new", {**GOOD, **change})
    page = answers(refused, 422, "Карточка не сохранена", field_message)
    assert "elkina@school5.ru" in page or change.get("email")  # what was typed is kept
    assert people_count(app) == before


def test_every_problem_is_listed_at_once(app, client):
    login_as(client, "curator")
    refused = post(client, "/people/new", {**GOOD, "last_name": "", "position": "Завхоз",
                                           "gender": "x", "hire_date": "2030-01-01"})
    answers(refused, 422, "«Фамилия»: Поле обязательно", "Должности «Завхоз» нет в списке",
            "Укажите пол", "Дата приёма на работу 01.01.2030 ещё не наступила")
    twin = post(client, "/people/new", {"last_name": "Иванова", "first_name": "Мария",
                                        "middle_name": "Петровна", "position": "Завхоз"})
    answers(twin, 422, "Иванова Мария Петровна уже есть в списке педагогов",
            "Должности «Завхоз» нет в списке", "«Пол»: Поле обязательно")


def test_a_duplicate_is_refused_unless_the_hire_dates_differ(app, client):
    login_as(client, "clerk")
    # Иванова Мария Петровна of the demo has no hire date: any date may be hers
    twin = {**GOOD, "last_name": "ИВАНОВА", "first_name": "мария", "middle_name": "Пётровна"}
    refused = post(client, "/people/new", {**twin, "middle_name": "Петровна"})
    answers(refused, 422, "Иванова Мария Петровна уже есть в списке педагогов. Если это "
                          "другой человек с теми же фамилией, именем и отчеством, укажите "
                          "дату приёма на работу: по ней их различат.")
    assert post(client, "/people/new", GOOD).status_code == 302
    again = post(client, "/people/new", {**GOOD, "last_name": "Елкина"})  # ё = е
    answers(again, 422, "Ёлкина Дарья Олеговна уже есть в списке педагогов.")
    namesake = post(client, "/people/new", {**GOOD, "hire_date": "2010-09-01"})
    assert namesake.status_code == 302  # hired another day: another woman


def test_another_organizations_card_is_not_found(app, client):
    ivanova = person_id(app, "Иванова")
    login_as(client, "clerk12")
    for url in (f"/people/{ivanova}/edit",):
        assert client.get(url).status_code == 404
    for url in (f"/people/{ivanova}/edit", f"/people/{ivanova}/archive",
                f"/people/{ivanova}/restore"):
        answers(post(client, url, GOOD), 404, "Педагог не найден.")
    login_as(client, "director12")
    answers(post(client, f"/people/{ivanova}/login"), 404, "Педагог не найден.")
    assert card(app, "Иванова").archived_at is None


def test_the_menu_offers_the_bank_to_those_who_may_open_it(app, client):
    login_as(client, "ivanova")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/people"' not in page  # a teacher would get 403 there
    assert client.get("/people").status_code == 403
    for login in ("clerk", "inspector"):
        login_as(client, login)
        assert 'href="/people"' in client.get("/").get_data(as_text=True)


def test_a_teacher_and_the_inspector_may_not_add(app, client):
    for login in ("ivanova", "inspector"):
        login_as(client, login)
        answers(client.get("/people/new"), 403, "Вносить педагогов в список может только:")
        answers(post(client, "/people/new", GOOD), 403)


def test_edit_changes_the_card_and_names_the_fields(app, client):
    pid = person_id(app, "Седых")
    login_as(client, "curator")
    form = client.get(f"/people/{pid}/edit").get_data(as_text=True)
    assert 'value="Седых"' in form and "Учитель" in form
    saved = post(client, f"/people/{pid}/edit", {
        "last_name": "Седых", "first_name": "Ирина", "middle_name": "Павловна",
        "gender": "f", "position": "Учитель", "subject": "русский язык",
        "hire_date": "01.09.2025", "service_years": "1",
        "mentee_categories": [MENTEE_CATEGORIES[0], MENTEE_CATEGORIES[4]]})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    changed = card(app, "Седых")
    assert changed.hire_date == date(2025, 9, 1) and changed.service_years == 1
    assert changed.mentee_categories == [MENTEE_CATEGORIES[0], MENTEE_CATEGORIES[4]]
    shown = client.get(f"/people/{pid}").get_data(as_text=True)  # the bank's form offers it
    assert f'<option value="{MENTEE_CATEGORIES[0]}" selected>' in shown
    with app.app_context():
        row = db_session().scalars(select(AuditEntry).where(
            AuditEntry.action == "person_edit")).one()
        assert row.comment.endswith("hire_date, service_years, mentee_categories.")
    bad = post(client, f"/people/{pid}/edit", {"last_name": "Седых", "first_name": "Ирина",
                                               "gender": "f", "position": "Дворник"})
    answers(bad, 422, "Должности «Дворник» нет в списке")
    assert card(app, "Седых").position == "Учитель"


def test_a_card_whose_consent_is_withdrawn_is_not_edited(app, client):
    pid = person_id(app, "Гоголь")
    with app.app_context():
        db_session().get(Person, pid).pd_withdrawn_on = date.today()
        db_session().commit()
    login_as(client, "clerk")
    message = f"Гоголь Никита Андреевич отозвал согласие на обработку персональных данных " \
              f"{date.today():%d.%m.%Y}: данные больше не обрабатываются и не изменяются."
    answers(client.get(f"/people/{pid}/edit"), 409, message)
    answers(post(client, f"/people/{pid}/edit", {**GOOD, "last_name": "Гоголь"}), 409, message)
    answers(post(client, f"/people/{pid}/password"), 409, message)
    assert "Изменить карточку" not in client.get(f"/people/{pid}").get_data(as_text=True)


def test_archived_people_leave_the_lists_and_choices_but_keep_documents(demo, app, client):
    pid = person_id(app, "Петрова-Водкина")
    link = f'href="/people/{pid}"'
    login_as(client, "clerk")
    with app.app_context():
        hers = db_session().scalars(select(Document.id).where(Document.person_id == pid)).all()
        db_session().add(BankEntry(organization_id=organization().id, person_id=pid,
                                   role="mentor", competences="стаж 12 лет"))
        db_session().commit()
    assert hers and link in client.get("/people").get_data(as_text=True)
    archived = post(client, f"/people/{pid}/archive", follow_redirects=True)
    answers(archived, 200, "Петрова-Водкина Ольга Сергеевна переведена в архив",
            "Учётная запись отключена.", "Исключена из банка наставников и наставляемых.")
    assert link not in client.get("/people").get_data(as_text=True)
    assert link in client.get("/people?archived=1").get_data(as_text=True)
    form = client.get("/documents/new/pd_consent").get_data(as_text=True)
    assert "Петрова-Водкина" not in form and "Иванова Мария Петровна" in form
    page = client.get(f"/people/{pid}").get_data(as_text=True)
    assert "в архиве с" in page and "Вернуть из архива" in page
    for doc_id in hers:  # her documents stay, and open
        assert client.get(f"/documents/{doc_id}").status_code == 200
    with app.app_context():
        assert db_session().scalars(select(Document.id).where(
            Document.person_id == pid)).all() == hers
        login = db_session().scalars(select(User).where(User.person_id == pid)).one()
        assert not login.is_active  # her login is switched off
        # she who left is not asked to acknowledge the school's acts any more
        entry = db_session().scalars(select(BankEntry).where(BankEntry.person_id == pid)).one()
        assert entry.withdrawn_at is not None  # out of the bank, the row kept
        school = Document(organization_id=organization().id)
        assert pid not in acknowledgments.every_pedagogue(db_session(), school)
    answers(post(client, f"/people/{pid}/archive"), 409, "уже в архиве")
    assert post(client, f"/people/{pid}/restore").status_code == 302
    assert link in client.get("/people").get_data(as_text=True)


def test_a_participant_of_a_running_pair_is_not_archived(app, client):
    with app.app_context():
        session = db_session()
        mentor, mentee = person_id(app, "Иванова"), person_id(app, "Седых")
        group = MentoringGroup(organization_id=organization().id, mentor_id=mentor,
                               form="традиционная форма наставничества",
                               start_date=date.today(), status="active",
                               end_date=date.today() + timedelta(days=200))
        group.members.append(GroupMember(mentee_id=mentee))
        session.add(group)
        session.commit()
        number = group.id
    login_as(client, "clerk")
    answers(post(client, f"/people/{mentee}/archive"), 409,
            f"Нельзя перевести в архив Седых Ирину Павловну: она участница действующих пар "
            f"или групп наставничества (№ {number}). Сначала завершите их программы")
    answers(post(client, f"/people/{mentor}/archive"), 409, "Иванову Марию Петровну")
    with app.app_context():
        assert db_session().get(Person, mentor).archived_at is None


def test_search_folds_yo_and_case_and_lists_sort_as_russian(app, client):
    login_as(client, "clerk")
    for last, first in (("Ёжиков", "Пётр"), ("Ежов", "Иван"), ("Жуков", "Олег"),
                        ("Елизарова", "Анна"), ("Яковлева", "Нина"), ("Акулова", "Вера")):
        made = post(client, "/people/new", {**GOOD, "last_name": last, "first_name": first,
                                            "middle_name": "", "email": "",
                                            "gender": "m", "hire_date": ""})
        assert made.status_code == 302, made.get_data(as_text=True)
    page = client.get("/people").get_data(as_text=True)
    order = [n for n in re.findall(r'<a href="/people/\d+">([А-ЯЁ][а-яё-]+) ', page)
             if n in ("Ёжиков", "Ежов", "Жуков", "Елизарова", "Яковлева", "Акулова",
                      "Ёлкина")]
    # as a Russian dictionary (and ICU's ru collation): ё is е, then after е on a tie;
    # not at the end, where code points put it
    assert order == ["Акулова", "Ёжиков", "Ежов", "Елизарова", "Жуков", "Яковлева"]
    for query in ("ежиков", "ЁЖИКОВ", "Ежиков Петр", "пётр"):
        found = client.get("/people", query_string={"q": query}).get_data(as_text=True)
        assert "Ёжиков Пётр" in found and "Ежов" not in found, query
    assert "Никого не найдено по запросу «Щукин»" in \
        client.get("/people", query_string={"q": "Щукин"}).get_data(as_text=True)
    with app.app_context():
        people = db_session().scalars(select(Person)).all()
        names = [p.last_name for p in sorted(people, key=people_bank.sort_key)]
        assert names.index("Ёжиков") < names.index("Ежов") < names.index("Жуков")


def test_russian_key_puts_yo_after_ye_not_at_the_end():
    words = ["Яна", "ёж", "Елка", "ель", "Ёлка", "жук", "Ева"]
    assert sorted(words, key=people_bank.russian_key) == \
        ["Ева", "ёж", "Елка", "Ёлка", "ель", "жук", "Яна"]
    assert sorted(["Ёлка", "Елка"], key=people_bank.russian_key) == ["Елка", "Ёлка"]


def test_positions_tell_pedagogues_from_others():
    assert POSITIONS["Учитель"] == POSITIONS["Старший вожатый"] == "teaching"
    assert POSITIONS["Заместитель директора по учебно-воспитательной работе"] == "management"
    assert POSITIONS["Секретарь"] == "other"
    assert people_bank.is_pedagogue(Person(position="Тьютор"))
    assert not people_bank.is_pedagogue(Person(position="Директор"))


def test_the_list_marks_who_is_not_a_pedagogue(app, client):
    login_as(client, "curator")
    page = client.get("/people").get_data(as_text=True)
    rows = {name: row for name, row in re.findall(
        r'<a href="/people/\d+">([^<]+)</a>(.*?)</td>', page, re.S)}
    assert "не педагогическая должность" in rows["Кузнецова Ольга Николаевна"]  # secretary
    assert "не педагогическая должность" in rows["Петров Иван Сергеевич"]  # the head
    assert "не педагогическая должность" not in rows["Иванова Мария Петровна"]


def test_a_login_with_a_first_password_shown_once(app, client):
    login_as(client, "clerk")
    assert post(client, "/people/new", GOOD).status_code == 302
    pid = card(app, "Ёлкина").id
    given = post(client, f"/people/{pid}/login")
    page = answers(given, 200, "Учётная запись выдана", "Логин:", "Пароль показан один раз")
    password = re.search(r'id="first-password">([^<]+)<', page).group(1)
    login = re.search(r"Логин: <strong><code>([^<]+)</code>", page).group(1)
    assert login == "elkina.do" and len(password) == 14
    assert given.headers["Cache-Control"].startswith("no-store")
    with app.app_context():
        made = db_session().scalars(select(User).where(User.login == login)).one()
        assert made.person_id == pid and password not in made.password_hash
        assert [m.role for m in made.memberships] == ["teacher"]
        assert made.memberships[0].organization_id == organization().id
    shown = client.get(f"/people/{pid}").get_data(as_text=True)
    assert password not in shown and "elkina.do" in shown and "Выдать новый пароль" in shown
    assert "(выданный пароль ещё не сменён)" in shown
    again = post(client, f"/people/{pid}/login")
    answers(again, 409, "У педагога уже есть учётная запись «elkina.do»")
    assert password not in again.get_data(as_text=True)

    client.post("/logout", data={"csrf_token": csrf_token(client)})
    login_as(client, login, password)
    own = set_own_password(client, password, "мой-пароль-2026")
    login_as(client, login, own)
    start = client.get("/").get_data(as_text=True)
    assert "Ёлкина Дарья Олеговна" in start and "Педагог" in start

    login_as(client, "director")  # the head may give a new one; the old stops working
    renewed = post(client, f"/people/{pid}/password")
    new = re.search(r'id="first-password">([^<]+)<',
                    answers(renewed, 200, "получила новый пароль")).group(1)
    assert new != password
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    refused = client.post("/login", data={"login": login, "password": own,
                                          "csrf_token": csrf_token(client)})
    assert refused.status_code == 401
    login_as(client, login, new)
    assert client.get("/queue").headers["Location"].endswith("/account/password")


def set_own_password(client, given: str, own: str) -> str:
    """Logged in with a given password: every page sends to /account/password, the API
    answers 403, wrong entries are refused by field; the own password logs out."""
    for url in ("/", "/people", f"/documents/{1}"):
        sent = client.get(url)
        assert sent.status_code == 302 and sent.headers["Location"].endswith(
            "/account/password"), url
    api = client.get("/api/documents", headers={"Accept": "application/json"})
    assert api.status_code == 403 and "Смените выданный вам пароль" in api.json["error"]
    answers(client.get("/account/password"), 200, "Вам выдали первый пароль")
    for bad, message in (
            ({"current": "не тот", "new": own, "repeated": own},
             "Текущий пароль введён неверно."),
            ({"current": given, "new": "коротко", "repeated": "коротко"},
             "Новый пароль — не короче 10 знаков."),
            ({"current": given, "new": given, "repeated": given},
             "Новый пароль должен отличаться от логина и от текущего пароля."),
            ({"current": given, "new": own, "repeated": own + "!"},
             "Пароли не совпадают")):
        answers(post(client, "/account/password", bad), 422, "Пароль не изменён", message)
    changed = post(client, "/account/password", {"current": given, "new": own,
                                                 "repeated": own})
    assert changed.status_code == 302 and changed.headers["Location"].endswith("/login")
    assert client.get("/").status_code == 302  # logged out: the sessions ended
    return own


def test_a_login_name_is_checked(app, client):
    login_as(client, "curator")
    answers(post(client, f"/people/{person_id(app, 'Гоголь')}/login"), 409,
            "У педагога уже есть учётная запись «gogol». Если пароль утерян, выдайте новый "
            "пароль.")
    assert post(client, "/people/new", GOOD).status_code == 302
    pid = card(app, "Ёлкина").id
    answers(post(client, f"/people/{pid}/login", {"login": "ivanova"}), 422,
            "Логин «ivanova» уже занят: выберите другой.")
    answers(post(client, f"/people/{pid}/login", {"login": "Я"}), 422,
            "Логин: от 3 до 50 знаков")
    login_as(client, "ivanova")
    answers(post(client, f"/people/{pid}/login"), 403,
            "Выдавать учётные записи педагогам может только:")
