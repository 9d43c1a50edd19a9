"""Every party signs its own documents, in a real browser (issue 9 point 9): the new hire
joins the ПЭП regulation and signs her consent with her password, and the director sees it
signed by her; the mentor and the mentee agree to their program, each in her own session,
before the director approves it by his signature.

What the browser adds nothing to — the drafts, their visas, the pairing order — is made
through the workflow (tests/helpers), so the browser drives only the users' own steps.
"""

from __future__ import annotations

from playwright.sync_api import expect

from doc_templates.texts.pd_consent import TERM
from storage.db import db_session
from storage.models import Document
from tests.browser.pages import PASSWORD, login, logout
from tests.helpers.documents import draft, person, walk
from tests.helpers.pairs import groups_of, pair, program_data, ready, signed_order
from workflows import signatories


def approved(kind: str, data: dict, visa_by: str = "director") -> int:
    """A draft of ``kind`` taken through its visas (submitted, approved by ``visa_by``),
    awaiting signatures: its id."""
    doc = draft(kind, data)
    walk(doc, "submit")
    while doc.state == "in_approval":
        walk(doc, "approve", actor=visa_by)
    assert doc.state == "approved"
    return doc.id


def sign(page, doc_url: str) -> None:
    """Open the document and sign it with ПЭП: the password asked again."""
    page.goto(doc_url)
    page.get_by_label("Пароль для подписи").fill(PASSWORD)
    page.get_by_role("button", name="Подписать").click()


def loaded(doc_id: int) -> Document:
    return db_session().get(Document, doc_id)


def party_rows(page):
    return page.locator("#signatures tbody tr")


def test_a_teacher_joins_the_pep_regulation_and_signs_her_consent(app, page, live_server,
                                                                    tmp_path):
    with app.app_context():
        doc_id = approved("pd_consent", {
            "person_id": person("Петрова-Водкина").id, "statement_date": "2026-11-20",
            "address": "400001, г. Волгоград, ул. Ковровская, д. 4, кв. 2",
            "passport_series": "18 14", "passport_number": "422190",
            "passport_date": "2018-03-15",
            "passport_issuer": "ГУ МВД России по Волгоградской области", "term": TERM})
    doc_url = f"{live_server}/documents/{doc_id}"

    login(page, live_server, "vodkina")  # the new hire: no ПЭП yet
    page.goto(doc_url)
    expect(page.locator("#signatures")).to_contain_text("присоединитесь к Положению")
    expect(page.get_by_label("Пароль для подписи")).to_have_count(0)
    page.get_by_role("link", name="«Простая электронная подпись»").click()
    expect(page.get_by_text("Вы не присоединились к Положению")).to_be_visible()
    page.get_by_label("Пароль вашей учётной записи").fill("не тот пароль")
    page.get_by_role("button", name="Присоединиться к редакции").click()
    expect(page.get_by_role("alert")).to_contain_text("неверный пароль")
    page.get_by_label("Пароль вашей учётной записи").fill(PASSWORD)
    page.get_by_role("button", name="Присоединиться к редакции").click()
    expect(page.get_by_text("Присоединение к Положению о простой электронной подписи "
                            "записано")).to_be_visible()
    page.screenshot(path=str(tmp_path / "1-accepted.png"), full_page=True)

    sign(page, doc_url)
    expect(page.locator(".state").first).to_have_text("Подписан")
    page.screenshot(path=str(tmp_path / "2-signed-by-her.png"), full_page=True)
    logout(page)

    login(page, live_server, "director")
    page.goto(doc_url)
    expect(page.locator(".state").first).to_have_text("Подписан")
    [row] = party_rows(page).all()
    expect(row).to_contain_text("Петрова-Водкина Ольга Сергеевна")
    expect(row).to_contain_text("простая электронная подпись")
    expect(row).to_contain_text("✔ подписано")
    expect(page.get_by_label("Пароль для подписи")).to_have_count(0)
    page.screenshot(path=str(tmp_path / "3-director-sees.png"), full_page=True)
    with app.app_context():
        [sig] = signatories.signatures_of(db_session(), loaded(doc_id))
        assert (sig.method, sig.signer_name) == ("simple", "Петрова-Водкина Ольга Сергеевна")


def test_the_mentor_and_the_mentee_agree_before_the_director_approves(app, browser,
                                                                      live_server, tmp_path):
    with app.app_context():
        ready("Иванова", "Седых")
        group = groups_of(signed_order(pair("Иванова", "Седых")))[0]
        doc_id = approved("mentoring_program", program_data(group), visa_by="curator")
    doc_url = f"{live_server}/documents/{doc_id}"
    sessions = {}

    def open_as(login_name: str):
        context = browser.new_context()  # her own session: cookies of her own
        sessions[login_name] = page = context.new_page()
        page.set_default_timeout(10_000)
        login(page, live_server, login_name)
        return page

    director = open_as("director")
    director.goto(doc_url)
    expect(director.locator("#signatures")).to_contain_text("подписывает последним")
    expect(director.get_by_label("Пароль для подписи")).to_have_count(0)

    for n, login_name in enumerate(("ivanova", "sedykh"), start=1):
        sign(open_as(login_name), doc_url)
        expect(sessions[login_name].locator(".state").first).to_have_text("Согласован")
        sessions[login_name].screenshot(path=str(tmp_path / f"{n}-{login_name}.png"),
                                        full_page=True)

    sign(director, doc_url)  # the head last: he approves it
    expect(director.locator(".state").first).to_have_text("Подписан")
    expect(director.get_by_text("Подписи: наставник, затем наставляемый, затем руководитель "
                                "(утверждает)")).to_be_visible()
    rows = party_rows(director)
    expect(rows).to_have_count(3)
    for row, (label, name) in zip(rows.all(), (
            ("Наставник", "Иванова Мария Петровна"), ("Наставляемый", "Седых Ирина Павловна"),
            ("Руководитель (утверждает)", "Петров Иван Сергеевич")), strict=True):
        expect(row.locator("td").first).to_have_text(label)
        expect(row).to_contain_text(name)
        expect(row).to_contain_text("простая электронная подпись")
    director.screenshot(path=str(tmp_path / "3-approved.png"), full_page=True)
    with app.app_context():
        sigs = signatories.signatures_of(db_session(), loaded(doc_id))
        assert [s.part for s in sigs] == ["mentor", "mentee", "head"]
        assert [s.signed_at for s in sigs] == sorted(s.signed_at for s in sigs)
    for page in sessions.values():
        page.context.close()
