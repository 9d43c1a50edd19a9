"""Authentication, CSRF and the wall between organizations."""

from __future__ import annotations

from sqlalchemy import select

from storage.db import db_session
from storage.models import Document, StoredFile
from tests.helpers.http import csrf_token, login_as, post


def signed_doc(app) -> tuple[int, int]:
    with app.app_context():
        f = db_session().scalars(select(StoredFile)).first()
        return f.document_id, f.id


def test_every_page_but_login_requires_login(client):
    for url in ("/", "/queue", "/documents/new", "/documents/1"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")
    assert client.get("/login").status_code == 200


def test_wrong_password_is_refused_in_russian(client):
    response = client.post("/login", data={"login": "director", "password": "x",
                                           "csrf_token": csrf_token(client)})
    assert response.status_code == 401
    assert "Неверный логин или пароль." in response.get_data(as_text=True)


def test_post_without_csrf_token_is_refused(demo, client, app):
    login_as(client, "clerk")
    doc_id, _ = signed_doc(app)
    response = client.post(f"/documents/{doc_id}/act/cancel", data={"comment": "x"})
    assert response.status_code == 400
    assert "Обновите страницу" in response.get_data(as_text=True)


def test_other_organization_gets_404_on_documents_and_files(demo, client, app):
    doc_id, file_id = signed_doc(app)
    login_as(client, "clerk12")
    for url in (f"/documents/{doc_id}", f"/documents/{doc_id}/preview.docx",
                f"/documents/{doc_id}/files/{file_id}", f"/documents/{doc_id}/edit"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "не найден" in response.get_data(as_text=True)
    assert post(client, f"/documents/{doc_id}/act/cancel", {"comment": "чужой"}
                ).status_code == 404
    listing = client.get("/").get_data(as_text=True)
    assert "Иванова" not in listing
    with app.app_context():
        assert db_session().get(Document, doc_id).state == "signed"


def test_file_of_another_document_is_not_served(demo, client, app):
    _, file_id = signed_doc(app)
    login_as(client, "clerk")
    with app.app_context():
        other = db_session().scalars(select(Document.id).where(
            Document.state == "draft")).first()
    assert client.get(f"/documents/{other}/files/{file_id}").status_code == 404


def test_passwords_are_hashed(app):
    from storage.models import User

    with app.app_context():
        user = db_session().scalars(select(User).where(User.login == "director")).one()
        assert "nastavnik2026" not in user.password_hash
        assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_unknown_page_and_action_are_russian_404(demo, client, app):
    login_as(client, "clerk")
    assert "не найден" in client.get("/nope").get_data(as_text=True)
    doc_id, _ = signed_doc(app)
    assert post(client, f"/documents/{doc_id}/act/explode").status_code == 404
    assert client.get("/documents/new/no_such_kind").status_code == 404


def test_huge_ids_are_404_not_500(client):
    login_as(client, "clerk")
    huge = 10**20
    for url in (f"/documents/{huge}", f"/documents/1/files/{huge}", f"/api/documents/{huge}"):
        assert client.get(url).status_code == 404, url


def test_a_teacher_sees_only_documents_that_concern_him(demo, client, app):
    from tests.helpers import documents as factories

    with app.app_context():
        theirs = db_session().scalars(select(Document).where(
            Document.person_id == factories.person("Иванова").id)).first().id
        mine = factories.draft("mentor_consent", {
            "person_id": factories.person("Гоголь").id, "statement_date": "2026-11-20",
            "duties": "наставничество", "notes": ""}).id
    login_as(client, "gogol")
    listing = client.get("/").get_data(as_text=True)
    assert "Гоголь Никита Андреевич" in listing and "Иванова Мария Петровна" not in listing
    assert client.get(f"/documents/{mine}").status_code == 200
    assert client.get(f"/documents/{theirs}").status_code == 404
    assert client.get(f"/documents/{theirs}/preview.docx").status_code == 404
    assert client.get(f"/api/documents/{theirs}").status_code == 404
    assert {d["id"] for d in client.get("/api/documents").json} >= {mine}
    assert theirs not in {d["id"] for d in client.get("/api/documents").json}
    assert post(client, "/jobs/", {"document_ids": [theirs]}).status_code == 404

    login_as(client, "clerk")  # staff see the whole organization
    assert client.get(f"/documents/{theirs}").status_code == 200


def test_pages_carry_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_the_inspector_reads_and_checks_the_archive_but_changes_nothing(demo, client, app):
    doc_id, file_id = signed_doc(app)
    login_as(client, "inspector")
    listing = client.get("/?state=signed").get_data(as_text=True)
    assert "Создать документ" not in listing and f"/documents/{doc_id}" in listing
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "✔ Электронная подпись соответствует содержанию" in page
    assert "✔ Файлы архива целы" in page
    assert "Для вас действий с этим документом нет." in page
    assert "Создать новую редакцию" not in page
    assert client.get(f"/documents/{doc_id}/files/{file_id}").status_code == 200
    refused = post(client, f"/documents/{doc_id}/supersede")
    assert refused.status_code == 403
    assert client.get("/documents/new").status_code == 403


def _teacher_view(client, login: str, doc_ids: list[int]) -> tuple[set[int], set[int]]:
    """(ids the API lists for ``login``, ids whose page opens for her)."""
    login_as(client, login)
    listed = {d["id"] for d in client.get("/api/documents").json}
    opened = {i for i in doc_ids if client.get(f"/documents/{i}").status_code == 200}
    for i in doc_ids:  # the page, the API and the preview agree, one loader behind them
        api = client.get(f"/api/documents/{i}").status_code
        assert api == (200 if i in opened else 404), (login, i, api)
    return listed, opened


def test_a_teacher_sees_a_program_as_its_party_not_by_a_number_equal_to_her_id(client, app):
    """D8: a program draft whose group_id equals ivanova's person id is not hers; the mentor
    and mentees of a program (and of its change) open it, the others do not."""
    from tests.helpers import documents as factories
    from tests.helpers.pairs import running_program

    with app.app_context():
        ours = running_program("Иванова", "Седых", "Гоголь")
        theirs = running_program("Шевчук", "Кравец")
        ivanova = factories.person("Иванова").id
        clash = Document(organization_id=factories.organization().id, kind="mentoring_program",
                         state="draft", title="Программа", author_id=factories.user("curator").id,
                         data={"group_id": ivanova, "start_date": "2026-09-01",
                               "end_date": "2027-05-31", "plan": []})
        db_session().add(clash)
        db_session().commit()
        change = factories.draft("program_change", {
            "program_id": ours.id, "change_type": "продление срока реализации программы",
            "new_end_date": "2027-08-31", "new_forms": [], "new_plan": [],
            "reason": "болезнь наставляемого"}, author="curator")
        program_doc, their_doc, clash_id = ours.document_id, theirs.document_id, clash.id
        change_id = change.id
        every = list(db_session().scalars(select(Document.id).where(
            Document.organization_id == factories.organization().id)))
    for login in ("ivanova", "sedykh", "gogol"):
        listed, opened = _teacher_view(client, login, every)
        assert {program_doc, change_id} <= opened, login
        assert their_doc not in opened and clash_id not in opened, login
        assert listed == opened, login  # visible_documents matches the one loader
    for login in ("shevchuk", "kravets"):
        listed, opened = _teacher_view(client, login, every)
        assert their_doc in opened and program_doc not in opened and change_id not in opened
        assert clash_id not in opened and listed == opened, login
    login_as(client, "curator")  # staff see them all
    assert all(client.get(f"/documents/{i}").status_code == 200
               for i in (program_doc, their_doc, clash_id, change_id))


def test_programs_page_and_form_lists_show_a_teacher_only_her_own_pairs(client, app):
    from tests.helpers.pairs import running_program

    with app.app_context():
        running_program("Иванова", "Седых", "Гоголь")
        theirs = running_program("Шевчук", "Кравец")
        their_group = theirs.group_id
    login_as(client, "gogol")
    page = client.get("/programs").get_data(as_text=True)
    assert "Иванова Мария Петровна" in page and "Седых" in page
    assert "Кравец" not in page and "Шевчук" not in page
    form = client.get("/documents/new/program_change").get_data(as_text=True)
    assert "Иванова Мария Петровна" in form and "Кравец Любовь" not in form
    form = client.get("/documents/new/mentoring_program").get_data(as_text=True)
    assert f"Пара/группа № {their_group}:" not in form and "Пара/группа № " in form
    login_as(client, "vodkina")  # in no pair: sees no pair at all
    page = client.get("/programs").get_data(as_text=True)
    assert "Иванова Мария Петровна" not in page and "Кравец" not in page
    login_as(client, "curator")
    page = client.get("/programs").get_data(as_text=True)
    assert "Иванова Мария Петровна" in page and "Кравец Любовь Ивановна" in page
