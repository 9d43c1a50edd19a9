"""The bank of mentors and mentees (П2 stages 2–3): rules and pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.db import db_session
from storage.models import BankEntry, Person
from tests.helpers import documents as f
from tests.helpers.documents import person_id
from tests.helpers.http import login_as, post
from tests.helpers.kinds import pd_data
from workflows import bank
from workflows.errors import RuleViolation
from workflows.vocabulary import MENTEE_CATEGORIES


def test_nobody_enters_the_bank_without_a_signed_pd_consent(app):
    with app.app_context():
        with pytest.raises(RuleViolation) as err:
            bank.add(db_session(), f.person("Гоголь"), "mentee", category=MENTEE_CATEGORIES[0])
        assert err.value.message == ("Нельзя внести Гоголя Никиту Андреевича в банк "
                                     "наставляемых: нет подписанного согласия на обработку "
                                     "персональных данных.")
        assert db_session().scalars(select(BankEntry)).all() == []


def test_a_mentor_also_needs_the_mentor_consent(demo, app):
    with app.app_context():
        f.signed("pd_consent", pd_data(f.person("Седых").id))
        with pytest.raises(RuleViolation) as err:
            bank.add(db_session(), f.person("Седых"), "mentor")
        assert err.value.message == ("Нельзя внести Седых Ирину Павловну в банк наставников: "
                                     "нет подписанного письменного согласия на назначение "
                                     "наставником.")
        f.signed("pd_consent", pd_data(f.person("Иванова").id))
        entry = bank.add(db_session(), f.person("Иванова"), "mentor", competences="стаж 20 лет")
        assert entry.role == "mentor" and entry.withdrawn_at is None
        with pytest.raises(RuleViolation, match="уже в банке наставников"):
            bank.add(db_session(), f.person("Иванова"), "mentor")


def test_a_mentee_needs_a_category(app):
    with app.app_context():
        f.signed("pd_consent", pd_data(f.person("Седых").id))
        with pytest.raises(RuleViolation, match="категорию наставляемого из перечня п. 5.2.3"):
            bank.add(db_session(), f.person("Седых"), "mentee", category="")


def test_pages_list_add_and_withdraw(client, app):
    with app.app_context():
        f.signed("pd_consent", pd_data(f.person("Кравец").id))
    pid = person_id(app, "Кравец")
    login_as(client, "curator")
    page = client.get("/people").get_data(as_text=True)
    assert "Банк наставников и наставляемых" in page and "Кравец Любовь Ивановна" in page
    assert "✔" in page  # Иванова's mentor consent and Кравец's pd consent are on file

    no_category = post(client, f"/people/{pid}/bank", {"role": "mentee",
                                                       "competences": "мой запрос <b>"})
    text = no_category.get_data(as_text=True)
    assert no_category.status_code == 409
    assert "Укажите категорию наставляемого из перечня п. 5.2.3 Положения." in text
    assert "мой запрос &lt;b&gt;" in text  # what was typed is kept

    no_role = post(client, f"/people/{pid}/bank", {"role": ""})
    assert no_role.status_code == 422
    assert "«Роль в банке»: Поле обязательно для заполнения." in no_role.get_data(as_text=True)

    added = post(client, f"/people/{pid}/bank", {"role": "mentee",
                                                 "category": MENTEE_CATEGORIES[1]})
    assert added.status_code == 302
    with app.app_context():
        assert bank.in_bank(db_session(), db_session().get(Person, pid), "mentee")

    gogol = person_id(app, "Гоголь")
    refused = post(client, f"/people/{gogol}/bank", {"role": "mentee",
                                                    "category": MENTEE_CATEGORIES[0]})
    assert refused.status_code == 409
    assert "Нельзя внести Гоголя Никиту Андреевича в банк наставляемых" in \
        refused.get_data(as_text=True)

    bad_date = post(client, f"/people/{pid}/withdraw-pd", {"withdrawn_on": "31.02.2026"})
    assert bad_date.status_code == 422
    assert "«Дата отзыва согласия»: Введите дату в формате ДД.ММ.ГГГГ." in \
        bad_date.get_data(as_text=True)
    done = post(client, f"/people/{pid}/withdraw-pd", {"withdrawn_on": "10.09.2026"})
    assert done.status_code == 302
    shown = client.get(f"/people/{pid}").get_data(as_text=True)
    assert "отозвано 10.09.2026" in shown and "не позднее 10.10.2026" in shown
    with app.app_context():
        assert not bank.in_bank(db_session(), db_session().get(Person, pid), "mentee")


def test_other_organizations_people_are_404_and_teachers_are_refused(client, app):
    other = person_id(app, "Орлова")  # a clerk of Лицей № 12
    login_as(client, "curator")
    assert client.get(f"/people/{other}").status_code == 404
    assert post(client, f"/people/{other}/withdraw-pd",
                {"withdrawn_on": "10.09.2026"}).status_code == 404
    assert "Орлова" not in client.get("/people").get_data(as_text=True)
    with app.app_context():
        assert db_session().get(Person, other).pd_withdrawn_on is None
    login_as(client, "ivanova")
    assert client.get("/people").status_code == 403
    login_as(client, "director")
    pid = person_id(app, "Кравец")
    assert client.get(f"/people/{pid}").status_code == 200
    refused = post(client, f"/people/{pid}/withdraw-pd", {"withdrawn_on": "10.09.2026"})
    assert refused.status_code == 403
    assert "Регистрировать отзыв согласия может только" in refused.get_data(as_text=True)


def test_demo_people_seed(demo, app):
    from webforms import demo_people

    with app.app_context():
        session = db_session()
        org = f.organization()
        users = {login: f.user(login) for login in
                 ("director", "curator", "clerk", "ivanova", "shevchuk", "sedykh", "gogol",
                  "kravets", "vodkina")}
        demo_people.seed(session, org, users)
        session.commit()
        rows = {r.person.last_name: r for r in bank.rows(session, org.id)}
        assert set(rows["Иванова"].entries) == {"mentor"}
        assert rows["Седых"].entries["mentee"].category == MENTEE_CATEGORIES[0]
        assert rows["Седых"].consents["participant_consent"] is not None
        assert rows["Иванова"].consents["mentoring_agreement"].state == "signed"
        assert rows["Петрова-Водкина"].consents["pd_consent"] is None
