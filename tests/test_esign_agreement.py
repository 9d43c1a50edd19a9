"""The regulation on simple electronic signatures (63-ФЗ ст. 6 ч. 2, ст. 9): the gate that
refuses ПЭП without an acceptance of the text in force, the pages to read, download, accept
and withdraw it, and the head's list of who accepted which version when."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from sqlalchemy import select

from doc_templates import pdf
from signatures import agreement, esign_regulation
from storage.db import db_session
from storage.models import AuditEntry, EsignAcceptance
from tests.helpers.documents import organization, user
from tests.helpers.http import login_as, post
from webforms.demo import DEMO_PASSWORD
from workflows import audit, esign_acceptance
from workflows.errors import NotAllowed, RuleViolation

# The SHA-256 of each published version's text. Changing the text without giving it a new
# VERSION would silently void every acceptance: this pin makes that a failing test instead.
PUBLISHED = {"1": "3369bb9bb3e8ae35b7b09f9f517a18ccc2bca4266ab1b3afc63df5e080b30a78"}
NOT_JOINED = ("Простая электронная подпись вам недоступна: вы не присоединились к Положению "
              "об использовании простой электронной подписи. Ознакомьтесь с Положением и "
              "подтвердите присоединение на странице «Простая электронная подпись» (/esign) "
              "или подпишите документ на бумаге.")


def _refusal(login: str, short_name: str = "МОУ СШ № 5") -> str:
    with pytest.raises(NotAllowed) as err:
        agreement.require_accepted(db_session(), user(login), organization(short_name).id)
    return err.value.message


def _acceptances(login: str) -> list[EsignAcceptance]:
    return list(db_session().scalars(select(EsignAcceptance).where(
        EsignAcceptance.user_id == user(login).id).order_by(EsignAcceptance.id)))


def _audit(action: str) -> list[AuditEntry]:
    return list(db_session().scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_the_text_of_a_version_does_not_change_without_a_new_version():
    text = esign_regulation.current()
    assert PUBLISHED[text.version] == text.sha256
    assert text.version_label == f"{text.version} от {text.version_date:%d.%m.%Y}"


def test_the_seeded_signers_have_accepted_and_the_clerk_has_not(app):
    with app.app_context():
        school = organization().id
        for login in ("director", "curator", "ivanova", "sedykh"):
            acceptance = agreement.accepted(db_session(), user(login), school)
            assert acceptance is not None, login
            assert (acceptance.text_version, acceptance.text_sha256) == (
                "1", esign_regulation.current().sha256)
            agreement.require_accepted(db_session(), user(login), school)  # no refusal
        assert agreement.accepted(db_session(), user("clerk"), school) is None
        assert _refusal("clerk") == NOT_JOINED


def test_after_withdrawal_she_is_refused_until_she_accepts_again(app):
    with app.app_context():
        session, school = db_session(), organization().id
        esign_acceptance.withdraw(session, user("ivanova"), school)
        day = _acceptances("ivanova")[-1].withdrawn_at
        assert _refusal("ivanova") == (
            f"Простая электронная подпись вам недоступна: {day:%d.%m.%Y} вы отказались от её "
            "использования. Чтобы подписывать электронно, снова присоединитесь к Положению на "
            "странице «Простая электронная подпись» (/esign), или подпишите документ на "
            "бумаге.")
        with pytest.raises(RuleViolation) as err:
            esign_acceptance.withdraw(session, user("ivanova"), school)
        assert err.value.message == ("Отказываться не от чего: вы не присоединены к "
                                     "действующей редакции Положения о простой электронной "
                                     "подписи.")
        esign_acceptance.accept(session, user("ivanova"), school, DEMO_PASSWORD)
        agreement.require_accepted(session, user("ivanova"), school)
        assert len(_acceptances("ivanova")) == 2  # the withdrawn one is kept


def test_a_new_version_of_the_text_voids_earlier_acceptances(app, monkeypatch):
    monkeypatch.setattr(esign_regulation, "VERSION", "2")
    monkeypatch.setattr(esign_regulation, "VERSION_DATE", date(2027, 2, 1))
    with app.app_context():
        school = organization().id
        assert agreement.accepted(db_session(), user("director"), school) is None
        assert _refusal("director") == (
            "Простая электронная подпись вам недоступна: Положение об использовании простой "
            "электронной подписи изменено (действует редакция 2 от 01.02.2027), а вы "
            "присоединялись к редакции 1. Ознакомьтесь с действующей редакцией и "
            "подтвердите присоединение на странице «Простая электронная подпись» (/esign).")
        acceptance = esign_acceptance.accept(db_session(), user("director"), school,
                                             DEMO_PASSWORD)
        assert acceptance.text_version == "2"
        assert acceptance.text_sha256 == esign_regulation.current().sha256 != PUBLISHED["1"]
        agreement.require_accepted(db_session(), user("director"), school)


def test_a_changed_text_under_the_same_version_voids_them_too(app, monkeypatch):
    sections = esign_regulation.SECTIONS[:-1]
    monkeypatch.setattr(esign_regulation, "SECTIONS", sections)
    with app.app_context():
        assert "присоединялись к его прежнему тексту" in _refusal("curator")


def test_accepting_asks_for_her_password_and_once_only(app):
    with app.app_context():
        session, school = db_session(), organization().id
        with pytest.raises(NotAllowed) as err:
            esign_acceptance.accept(session, user("clerk"), school, "не тот пароль")
        assert err.value.message == ("Присоединение не записано: неверный пароль. Введите "
                                     "пароль своей учётной записи.")
        assert _acceptances("clerk") == []
        esign_acceptance.accept(session, user("clerk"), school, DEMO_PASSWORD)
        with pytest.raises(RuleViolation) as err:
            esign_acceptance.accept(session, user("clerk"), school, DEMO_PASSWORD)
        assert err.value.message == "Вы уже присоединились к действующей редакции Положения."


def test_an_acceptance_counts_only_in_its_own_organization(app):
    with app.app_context():
        session = db_session()
        school, lyceum = organization().id, organization("МОУ Лицей № 12").id
        agreement.require_accepted(session, user("director12"), lyceum)
        assert _refusal("director12") == NOT_JOINED  # accepted in the lyceum, not school 5
        with pytest.raises(NotAllowed) as err:
            esign_acceptance.accept(session, user("director12"), school, DEMO_PASSWORD)
        assert err.value.message == ("Вы не работаете в этой организации: присоединиться к "
                                     "её Положению о простой электронной подписи нельзя.")
        assert [a.organization_id for a in _acceptances("director12")] == [lyceum]


def test_the_page_shows_the_text_and_accepts_with_the_right_password_only(app, client):
    login_as(client, "clerk")
    page = client.get("/esign").get_data(as_text=True)
    text = esign_regulation.current()
    assert "Вы не присоединились к Положению" in page
    assert f"Редакция {text.version_label}" in page and text.sha256 in page
    assert "4.1. Участник обязан соблюдать конфиденциальность ключа" in page
    assert 'href="/esign/regulation.docx"' in page

    wrong = post(client, "/esign/accept", {"password": "nastavnik2025"})
    assert wrong.status_code == 403
    assert "Присоединение не записано: неверный пароль." in wrong.get_data(as_text=True)
    with app.app_context():
        assert _acceptances("clerk") == [] and _audit(esign_acceptance.ACCEPT) == []

    right = post(client, "/esign/accept", {"password": DEMO_PASSWORD})
    assert right.status_code == 302 and right.headers["Location"].endswith("/esign")
    page = client.get("/esign").get_data(as_text=True)
    assert "Присоединение к Положению о простой электронной подписи записано" in page
    assert "Вы присоединились к действующей редакции 1 Положения" in page
    with app.app_context():
        [acceptance] = _acceptances("clerk")
        assert acceptance.withdrawn_at is None and acceptance.text_version == "1"
        [entry] = _audit(esign_acceptance.ACCEPT)
        assert entry.actor_id == user("clerk").id and text.sha256 in entry.comment
        assert entry.organization_id == organization().id

    assert post(client, "/esign/withdraw").status_code == 302
    page = client.get("/esign").get_data(as_text=True)
    assert "Отказ от простой электронной подписи записан" in page
    assert "вы отказались от простой электронной подписи" in page
    with app.app_context():
        assert _acceptances("clerk")[0].withdrawn_at is not None
        assert len(_audit(esign_acceptance.WITHDRAW)) == 1
        assert audit.verify(db_session(), organization().id).ok
        assert "вы отказались от её использования" in _refusal("clerk")


def test_wrong_passwords_count_against_the_signing_limit(app, client):
    app.config["SIGN_LIMIT_PER_ACCOUNT"] = "2 per 15 minutes"
    login_as(client, "clerk")
    for _ in range(2):
        assert post(client, "/esign/accept", {"password": "угадываю"}).status_code == 403
    refused = post(client, "/esign/accept", {"password": DEMO_PASSWORD})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Слишком много неудачных попыток ввода пароля для подписи." in \
        refused.get_data(as_text=True)
    with app.app_context():
        assert _acceptances("clerk") == []


def test_withdrawing_twice_is_a_russian_refusal_not_an_error(client):
    login_as(client, "ivanova")
    assert post(client, "/esign/withdraw").status_code == 302
    again = post(client, "/esign/withdraw")
    assert again.status_code == 409
    assert "Отказываться не от чего" in again.get_data(as_text=True)


def test_the_inspector_reads_the_regulation_but_accepts_nothing(app, client):
    login_as(client, "inspector")
    page = client.get("/esign").get_data(as_text=True)
    assert "Ваша роль только читает документы" in page and 'name="password"' not in page
    refused = post(client, "/esign/accept", {"password": DEMO_PASSWORD})
    assert refused.status_code == 403
    assert "Присоединяться к Положению о простой электронной подписи может только:" in \
        refused.get_data(as_text=True)
    with app.app_context():
        assert _acceptances("inspector") == []


def test_the_director_sees_who_accepted_which_version_and_who_did_not(app, client):
    login_as(client, "director")
    assert "/esign/users" in client.get("/esign").get_data(as_text=True)
    page = client.get("/esign/users").get_data(as_text=True)
    assert "Не присоединены к ней: 2 из 9 " in page  # the clerk, the new hire; not the inspector
    assert "Только просмотр: документы не подписывает" in page
    for name in ("Иванова Мария Петровна", "Кузнецова Ольга Николаевна",
                 "Белова Татьяна Андреевна"):
        assert name in page
    assert "Нет присоединения" in page and "Присоединение к действующей редакции" in page
    for other in ("Соколова", "Орлова"):  # the lyceum's staff
        assert other not in page


def test_a_director_never_sees_another_organizations_list(client):
    login_as(client, "director12")
    page = client.get("/esign/users").get_data(as_text=True)
    assert "Соколова Анна Викторовна" in page and "Орлова Наталья Юрьевна" in page
    assert "Не присоединены к ней: 1 из 2 " in page
    for other in ("Петров", "Иванова", "Кузнецова"):
        assert other not in page


def test_only_the_head_and_the_inspector_see_the_list(client):
    for login in ("inspector", "clerk"):  # the demo's clerk is an inspector as well
        login_as(client, login)
        assert "Иванова Мария Петровна" in client.get("/esign/users").get_data(as_text=True)
    for login in ("ivanova", "curator"):
        login_as(client, login)
        assert "/esign/users" not in client.get("/esign").get_data(as_text=True)
        refused = client.get("/esign/users")
        assert refused.status_code == 403
        assert "видят только руководитель и проверяющий." in refused.get_data(as_text=True)


def test_the_list_shows_withdrawals_and_earlier_versions(app, client, monkeypatch):
    with app.app_context():
        esign_acceptance.withdraw(db_session(), user("ivanova"), organization().id)
        db_session().commit()
    monkeypatch.setattr(esign_regulation, "VERSION", "2")
    with app.app_context():
        rows = {r.user.login: r for r in esign_acceptance.rows(db_session(),
                                                                organization().id)}
        assert rows["ivanova"].status == "Отказ от простой электронной подписи"
        assert rows["curator"].status == "Присоединение только к прежней редакции"
        assert rows["clerk"].status == "Нет присоединения"
        assert rows["inspector"].status == "Только просмотр: документы не подписывает"
        assert not any(r.in_force for r in rows.values())
    login_as(client, "director")
    page = client.get("/esign/users").get_data(as_text=True)
    assert "Не присоединены к ней: 9 из 9 " in page


def test_the_docx_holds_the_title_the_version_and_the_organization(client):
    login_as(client, "ivanova")
    response = client.get("/esign/regulation.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    assert "attachment" in response.headers["Content-Disposition"]
    text = esign_regulation.current()
    paragraphs = [p.text for p in docx.Document(io.BytesIO(response.data)).paragraphs]
    assert "ПОЛОЖЕНИЕ ОБ ИСПОЛЬЗОВАНИИ ПРОСТОЙ ЭЛЕКТРОННОЙ ПОДПИСИ" in paragraphs
    assert f"Редакция {text.version_label}" in paragraphs
    assert paragraphs[0].startswith("Муниципальное общеобразовательное учреждение «Средняя")
    assert f"Контрольная сумма текста (SHA-256): {text.sha256}" in paragraphs
    for heading, body in text.sections:
        assert heading in paragraphs and all(p in paragraphs for p in body)


def test_without_pdf_the_page_offers_the_docx(client):
    login_as(client, "ivanova")
    page = client.get("/esign").get_data(as_text=True)
    assert "/esign/regulation.pdf" not in page
    assert "PDF на этом сервере не создаётся" in page
    refused = client.get("/esign/regulation.pdf")
    assert refused.status_code == 503
    assert "Преобразование в PDF отключено на этом сервере: скачайте Положение в формате " \
           "DOCX." in refused.get_data(as_text=True)


@pytest.mark.pdf
@pytest.mark.skipif(not pdf.available(), reason="LibreOffice or python3-uno not installed")
def test_with_pdf_enabled_the_regulation_downloads_as_pdf(app, client):
    app.config["PDF_ENABLED"] = True
    login_as(client, "ivanova")
    assert "/esign/regulation.pdf" in client.get("/esign").get_data(as_text=True)
    response = client.get("/esign/regulation.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
