"""Bad input is a Russian 4xx, never a 500 (issue 7, point 6): ids beyond the integer range,
an error page that cannot fail, lone surrogates and deep nesting in JSON, control characters
and CR/LF, tables of 100 000 rows, absurd dates, empty uploads, and double submits."""

from __future__ import annotations

import io
import json
import re
import threading

import pytest
from marshmallow import fields, validate
from sqlalchemy import func, select, text

from storage.db import db_session
from storage.models import Document, StoredFile, TemplateVersion
from tests.helpers import documents as f
from tests.helpers.docx import builtin_with
from tests.helpers.http import csrf_token, login_as, post
from webforms.filenames import clean_filename, content_disposition
from webforms.forms import FORMS
from webforms.forms import validate as validate_form
from webforms.forms.base import BoundedList
from workflows.errors import NotFound, ValidationError

BIG = "9" * 5000


def russian(text_: str) -> bool:
    return bool(re.search("[а-яё]", text_.lower()))


def api(client, url: str, body=None, raw: bytes | None = None, headers: dict | None = None):
    headers = {"X-CSRFToken": csrf_token(client), "Accept": "application/json",
               **(headers or {})}
    data = raw if raw is not None else json.dumps(body).encode()
    return client.post(url, data=data, headers=headers, content_type="application/json")


def consent(pid: int, **extra) -> dict:
    return {"person_id": pid, "statement_date": "2026-11-20", "duties": "наставничество",
            **extra}


# --- ids beyond the integer range ----------------------------------------------------------


@pytest.mark.parametrize("url", [
    "/people/99999999999999999999", "/people/2147483648", "/people/0", "/people/²",
    f"/people/{BIG}", "/templates/versions/2147483648.docx",
    "/templates/versions/99999999999999999999.docx", "/documents/2147483648",
    "/documents/1/files/2147483648", "/api/documents/2147483648", "/api/documents/٣",
])
def test_ids_beyond_the_integer_range_in_urls_are_404(client, url):
    login_as(client, "director")
    response = client.get(url)
    assert response.status_code == 404, (url, response.status_code)
    body = response.json["error"] if response.is_json else response.get_data(as_text=True)
    assert russian(body)


def test_publishing_a_program_beyond_the_integer_range_is_404(client):
    login_as(client, "director")
    for program_id in ("2147483648", "99999999999999999999"):
        assert post(client, f"/programs/{program_id}/publish").status_code == 404


@pytest.mark.parametrize("value", ["99999999999999999999", "2147483648", "²", BIG, "-1", "1e3"])
def test_bad_ids_in_form_fields_are_a_russian_422(client, app, value):
    login_as(client, "director")
    response = post(client, "/templates/mentor_consent/activate", {"version_id": value})
    assert response.status_code == 422, response.status_code
    assert "Версия шаблона не найдена." in response.get_data(as_text=True)
    response = post(client, "/queue/bulk", {"action": "approve", "doc_id": value})
    assert response.status_code == 422
    assert "Неверный номер документа в очереди" in response.get_data(as_text=True)


def test_a_malformed_version_does_not_switch_off_optimistic_locking(client, app):
    with app.app_context():
        doc = f.draft("mentor_consent", consent(f.person("Гоголь").id))
        doc_id = doc.id
    login_as(client, "clerk")
    for version in (BIG, "²", "abc", "-1"):
        response = post(client, f"/documents/{doc_id}/act/cancel",
                         {"version": version, "comment": "x"})
        assert response.status_code == 422, version
        assert "Неверная версия документа" in response.get_data(as_text=True)
    with app.app_context():
        assert f.state(db_session().get(Document, doc_id)) == "draft"


# --- the error handler never fails ---------------------------------------------------------


def test_the_error_page_rolls_back_a_failed_transaction_first(app, client):
    """On PostgreSQL a failed statement aborts the transaction, and error.html's context
    processor queried it: a bare English 500. The handler now rolls back first."""

    def broken():
        try:
            db_session().execute(text("SELECT no_such_column FROM no_such_table"))
        except Exception:  # noqa: BLE001 - leave the transaction as a failed query leaves it
            pass
        raise NotFound("Тестовая запись не найдена.")

    app.add_url_rule("/test-broken", "test_broken", broken)
    login_as(client, "director")
    response = client.get("/test-broken")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Тестовая запись не найдена." in page and "Выйти" in page  # the full page


def test_the_error_page_falls_back_to_a_minimal_russian_page(app, client, monkeypatch):
    from webforms import errors

    def failing(*args, **kwargs):
        raise RuntimeError("template broken")

    monkeypatch.setattr(errors, "render_template", failing)
    login_as(client, "director")
    response = client.get("/people/2147483648")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Ошибка 404" in page and russian(page) and "template broken" not in page


# --- JSON: lone surrogates, NUL, deep nesting ----------------------------------------------


def test_a_lone_surrogate_anywhere_in_json_is_refused_by_the_field(client, app):
    with app.app_context():
        pid = f.person("Гоголь").id
    login_as(client, "clerk")
    raw = ('{"kind": "mentor_consent", "data": {"person_id": ' + str(pid) +
           ', "statement_date": "2026-11-20", "duties": "\\ud800"}}').encode()
    response = api(client, "/api/documents", raw=raw)
    assert response.status_code == 422
    assert "недопустимые символы" in response.json["error"]
    assert list(response.json["fields"]) == ["data.duties"]
    key = b'{"kind": "mentor_consent", "data": {"\\udfff": 1}}'
    encoded = b'{"kind": "mentor_consent", "data": {"duties": "\xed\xa0\x80"}}'
    assert api(client, "/api/documents", raw=encoded).status_code == 422
    utf16 = '{"kind": "mentor_consent", "data": {}}'.encode("utf-16")
    assert api(client, "/api/documents", raw=utf16).status_code == 422
    assert api(client, "/api/documents", raw=key).status_code == 422
    nul = api(client, "/api/documents", {"kind": "mentor_consent",
                                         "data": consent(pid, notes="a\x00b")})
    assert nul.status_code == 422 and "data.notes" in nul.json["fields"]
    with app.app_context():
        assert db_session().scalar(select(func.count()).select_from(Document).where(
            Document.kind == "mentor_consent", Document.state == "draft",
            Document.person_id == pid)) == 0


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_deep_nesting_is_refused(client, depth):
    login_as(client, "clerk")
    raw = b'{"kind": "mentor_consent", "data": {"notes": ' + b"[" * depth + b"]" * depth + b"}}"
    response = api(client, "/api/documents", raw=raw)
    assert response.status_code == 422
    assert "вложенность" in response.json["error"]


def test_nul_in_any_other_form_field_or_query_is_refused_by_name(client, app):
    with app.app_context():
        doc_id = f.draft("mentor_consent", consent(f.person("Гоголь").id)).id
    login_as(client, "clerk")
    response = post(client, f"/documents/{doc_id}/act/cancel", {"comment": "a\x00b"})
    assert response.status_code == 422
    assert "«comment»: недопустимые символы" in response.get_data(as_text=True)
    assert client.get("/?state=%00").status_code == 422
    with app.app_context():
        assert f.state(db_session().get(Document, doc_id)) == "draft"


def test_control_characters_in_a_form_field_are_refused_and_the_input_kept(client, app):
    with app.app_context():
        pid = f.person("Гоголь").id
    login_as(client, "clerk")
    for bad in ("перво\x00начально", "вкладка\x0bвертикальная", "звонок\x07"):
        response = post(client, "/documents/new/mentor_consent", {
            "person_id": pid, "statement_date": "2026-11-20", "duties": bad})
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "недопустимые управляющие символы" in page
        assert bad.split("\\")[0][:5] in page  # what was typed is on the page
    ok = post(client, "/documents/new/mentor_consent", {
        "person_id": pid, "statement_date": "2026-11-20", "duties": "строка\r\n\tвторая"})
    assert ok.status_code == 302


# --- CR/LF and file names ------------------------------------------------------------------


@pytest.mark.parametrize("name,stored", [
    ("../../etc/passwd", "passwd"), ("..\\..\\win.ini", "win.ini"),
    ("a\r\nX-Injected: 1.docx", "aX-Injected: 1.docx"), ("\x00\x1f", "файл"),
    ("шаблон\u2028.docx", "шаблон.docx"), ("x" * 300 + ".docx", "x" * 195 + ".docx"),
])
def test_uploaded_file_names_are_cleaned(name, stored):
    assert clean_filename(name) == stored


def test_content_disposition_is_rfc_6266_with_a_readable_ascii_fallback():
    value = content_disposition("Приказ № 3-од от 03.12.2026.docx")
    assert value == ("attachment; filename=\"Prikaz No 3-od ot 03.12.2026.docx\"; "
                     "filename*=UTF-8''%D0%9F%D1%80%D0%B8%D0%BA%D0%B0%D0%B7%20%E2%84%96%20"
                     "3-%D0%BE%D0%B4%20%D0%BE%D1%82%2003.12.2026.docx")
    assert content_disposition("plan.docx") == 'attachment; filename="plan.docx"'
    assert "\r" not in content_disposition('a"\r\nb.docx')
    assert content_disposition("Согласие «Ёлкиной».pdf", attachment=False).startswith(
        'inline; filename="Soglasie Elkinoi.pdf"')


def test_an_upload_with_cr_lf_in_its_name_is_stored_clean_and_served_safely(client, app):
    """A browser sends CR/LF of a file name as %0D%0A (HTML's multipart encoding); a raw CR/LF
    cannot be inside a part's header line at all."""
    login_as(client, "clerk")
    response = post(client, "/templates/mentor_consent/upload", {
        "file": (io.BytesIO(builtin_with("mentor_consent", "Образец")),
                 "../../a%0D%0AX-Injected: 1.docx")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        version = db_session().scalars(select(TemplateVersion)).one()
        assert version.filename == "a%0D%0AX-Injected: 1.docx"
        version_id = version.id
    download = client.get(f"/templates/versions/{version_id}.docx")
    assert download.status_code == 200
    assert "X-Injected" not in download.headers
    assert download.headers["Content-Disposition"] == (
        "attachment; filename=\"a_0D_0AX-Injected_ 1.docx\"; "
        "filename*=UTF-8''a%250D%250AX-Injected%3A%201.docx")


def test_a_stored_name_with_a_newline_still_downloads(demo, client, app):
    """Rows stored before names were cleaned: the header is still built safely."""
    with app.app_context():
        stored = db_session().scalars(select(StoredFile)).first()
        stored.filename = "Приказ\r\nSet-Cookie: x=1.docx"
        db_session().commit()
        url = f"/documents/{stored.document_id}/files/{stored.id}"
    login_as(client, "director")
    response = client.get(url)
    assert response.status_code == 200
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("x=")]
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="PrikazSet-Cookie_ x=1.docx"; filename*=UTF-8\'\'')


@pytest.mark.parametrize("name,data", [("пустой.docx", b""), ("", b"")])
def test_an_empty_upload_is_refused_and_named_as_empty(client, app, name, data):
    login_as(client, "clerk")
    response = post(client, "/templates/mentor_consent/upload",
                    {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert ("Файл «пустой.docx» пуст (0 байт)" in page) if name else \
        ("Выберите файл шаблона DOCX." in page)
    with app.app_context():
        assert db_session().scalars(select(TemplateVersion)).all() == []


def test_every_upload_route_refuses_an_empty_file(app):
    """Each view that reads ``request.files`` is one this file tests for an empty upload."""
    import inspect

    from webforms import templates_admin

    readers = [name for name, fn in vars(templates_admin).items()
               if inspect.isfunction(fn) and "request.files" in inspect.getsource(fn)]
    assert readers == ["upload"]
    others = []
    import pathlib

    for path in pathlib.Path("webforms").rglob("*.py"):
        if "request.files" in path.read_text() and path.name not in (
                "templates_admin.py",
                "people_bank.py",  # tests/test_people_import.py: an empty staff list, 400
                "paper_signatures.py",  # tests/test_paper_signatures.py: empty scan, .sig
                "acknowledgments.py",  # tests/test_acknowledgments.py: an empty sheet scan
                "seal_admin.py"):  # tests/test_seal.py: an empty or no PKCS#12, 400
            others.append(str(path))
    assert others == []


# --- tables and lists ----------------------------------------------------------------------


def roadmap_rows(count: int, pid: int) -> list[dict]:
    return [{"stage": "x", "content": "мероприятие", "start_date": "2026-09-01",
             "end_date": "2026-09-30", "responsible_id": pid}] * count


@pytest.mark.parametrize("count", [201, 100_000])
def test_a_table_over_its_row_limit_is_refused_before_its_rows_are_checked(client, app, count):
    with app.app_context():
        pid = f.person("Гоголь").id
    login_as(client, "ivanova")
    response = api(client, "/api/documents", {"kind": "roadmap", "data": {
        "school_year": 2026, "rows": roadmap_rows(count, pid)}})
    assert response.status_code == 422
    assert response.json["fields"]["rows"] == [
        f"«Мероприятия дорожной карты»: В таблице не больше 200 строк, а заполнено {count}. "
        f"Удалите лишние строки или разделите документ на несколько."]


def test_the_row_limit_is_declared_per_table(app):
    pairs = FORMS["pairing_order"]().fields["pairs"]
    assert pairs.max_count == 500 and pairs.metadata["max_rows"] == 500
    with pytest.raises(ValidationError) as caught:
        validate_form("pairing_order", {"pairs": [{}] * 501})
    assert "не больше 500 строк" in caught.value.fields["pairs"][0]
    with pytest.raises(ValidationError) as caught:
        validate_form("pairing_order", {"pairs": [{}] * 300})
    assert "не больше" not in " ".join(caught.value.fields["pairs"])


def test_every_list_and_table_of_every_form_is_bounded(app):
    from webforms.people import BankEntryForm, WithdrawalForm

    schemas = [form() for form in FORMS.values()] + [BankEntryForm(), WithdrawalForm()]
    seen = 0
    for schema in schemas:
        for name, field in _all_fields(schema):
            if isinstance(field, fields.List):
                assert isinstance(field, BoundedList), name
                seen += 1
            if isinstance(field, fields.String):  # text has a max length, a choice its options
                assert any(isinstance(v, validate.Length) and v.max or
                           isinstance(v, validate.OneOf) for v in field.validators), name
    assert seen >= 10


def _all_fields(schema):
    for name, field in schema.fields.items():
        yield name, field
        if isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
            yield from _all_fields(field.inner.schema)


def test_too_many_people_are_refused(app):
    with pytest.raises(ValidationError) as caught:
        validate_form("mentoring_agreement", {"mentee_ids": list(range(1, 300))})
    assert caught.value.fields["mentee_ids"] == [
        "«Наставляемые»: Выберите не больше 200 педагогов (выбрано 299)."]


@pytest.mark.parametrize("key", [f"rows-{BIG}-content", "rows-٣-content", "rows-00001-content",
                                 "rows-99999999999999999999-stage"])
def test_odd_row_indices_in_an_html_form_are_a_4xx(client, key):
    login_as(client, "clerk")
    response = post(client, "/documents/new/roadmap", {"school_year": "2026", key: "x"})
    assert response.status_code == 422
    assert "Документ не сохранён" in response.get_data(as_text=True)


def test_rows_come_in_the_order_of_their_indices():
    from werkzeug.datastructures import MultiDict

    from webforms.forms.parsing import _rows

    form = MultiDict([("t-10-a", "десять"), ("t-9-a", "девять"), (f"t-{BIG}-a", "много"),
                      ("t-007-a", "семь")])
    assert [r["a"] for r in _rows("t", form)] == ["семь", "девять", "десять", "много"]


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value,message", [
    ("10000-01-01", "Введите дату в формате ДД.ММ.ГГГГ."),
    ("0000-01-01", "Введите дату в формате ДД.ММ.ГГГГ."),
    ("01.01.0026", "Введите дату не раньше 01.01.2000."),
    ("1900-01-01", "Введите дату не раньше 01.01.2000."),
    ("2200-01-01", "Введите дату не позже 31.12.2100."),
    ("+275760-09-13", "Введите дату в формате ДД.ММ.ГГГГ."),
    ("2026-02-30", "Введите дату в формате ДД.ММ.ГГГГ."),
])
def test_absurd_dates_are_refused_by_the_field(app, value, message):
    with pytest.raises(ValidationError) as caught:
        validate_form("mentor_consent", {"person_id": 1, "statement_date": value,
                                         "duties": "x"})
    assert caught.value.fields["statement_date"] == [f"«Дата согласия»: {message}"]


def test_fields_of_older_facts_declare_their_own_earliest_date(app):
    with pytest.raises(ValidationError) as caught:
        validate_form("pd_consent", {"passport_date": "1997-09-30"})
    assert caught.value.fields["passport_date"] == [
        "«Дата выдачи паспорта»: Введите дату не раньше 01.10.1997."]
    with pytest.raises(ValidationError) as caught:
        validate_form("pd_consent", {"passport_date": "1998-05-12"})
    assert "passport_date" not in caught.value.fields
    with pytest.raises(ValidationError) as caught:
        validate_form("mentoring_agreement", {"labor_contract_date": "1994-08-30"})
    assert "labor_contract_date" not in caught.value.fields


def test_a_long_comment_is_refused(client, app):
    with app.app_context():
        doc_id = f.draft("mentor_consent", consent(f.person("Гоголь").id)).id
    login_as(client, "clerk")
    response = post(client, f"/documents/{doc_id}/act/cancel", {"comment": "я" * 2001})
    assert response.status_code == 422
    assert "Комментарий: не больше 2000 знаков." in response.get_data(as_text=True)


# --- the same create form twice makes one document -----------------------------------------


def drafts_of(app, pid: int) -> list[int]:
    with app.app_context():
        return list(db_session().scalars(select(Document.id).where(
            Document.kind == "mentor_consent", Document.person_id == pid,
            Document.state == "draft")))


def form_token(client, kind: str = "mentor_consent") -> str:
    page = client.get(f"/documents/new/{kind}").get_data(as_text=True)
    return re.search(r'name="create_token" value="([^"]+)"', page).group(1)


def test_submitting_the_same_create_form_twice_makes_one_document(client, app):
    with app.app_context():
        pid = f.person("Гоголь").id
    login_as(client, "clerk")
    token = form_token(client)
    form = {"person_id": pid, "statement_date": "2026-11-20", "duties": "x",
            "create_token": token}
    first = post(client, "/documents/new/mentor_consent", form)
    second = post(client, "/documents/new/mentor_consent", form)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert "уже создан" in client.get(second.headers["Location"]).get_data(as_text=True)
    assert len(drafts_of(app, pid)) == 1
    other = post(client, "/documents/new/mentor_consent", {**form, "create_token": form_token(
        client)})
    assert other.status_code == 302 and len(drafts_of(app, pid)) == 2  # a new form: a new one


def test_a_token_survives_a_refused_submit(client, app):
    with app.app_context():
        pid = f.person("Гоголь").id
    login_as(client, "clerk")
    token = form_token(client)
    refused = post(client, "/documents/new/mentor_consent",
                   {"person_id": pid, "duties": "x", "create_token": token})
    assert refused.status_code == 422
    assert f'name="create_token" value="{token}"' in refused.get_data(as_text=True)


def test_concurrent_submits_of_one_form_make_one_document(app):
    with app.app_context():
        pid = f.person("Гоголь").id
    clients = [app.test_client() for _ in range(4)]
    for c in clients:
        login_as(c, "clerk")
    token = form_token(clients[0])
    forms_ = [{"person_id": pid, "statement_date": "2026-11-20", "duties": "x",
               "create_token": token, "csrf_token": csrf_token(c)} for c in clients]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def submit(c, form):
        barrier.wait()
        statuses.append(c.post("/documents/new/mentor_consent", data=form).status_code)

    threads = [threading.Thread(target=submit, args=pair) for pair in zip(clients, forms_,
                                                                          strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302] * 4
    assert len(drafts_of(app, pid)) == 1


def test_the_api_honours_an_idempotency_key(client, app):
    with app.app_context():
        pid = f.person("Гоголь").id
    login_as(client, "clerk")
    body = {"kind": "mentor_consent", "data": consent(pid)}
    key = {"Idempotency-Key": "3f1c2a9e-6d1b-4c55-9a0e-1b2c3d4e5f60"}
    first = api(client, "/api/documents", body, headers=key)
    second = api(client, "/api/documents", body, headers=key)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json["id"] == second.json["id"]
    assert len(drafts_of(app, pid)) == 1
    other_kind = api(client, "/api/documents", {"kind": "participant_consent", "data": {}},
                     headers=key)
    assert other_kind.status_code in (409, 422)
    bad = api(client, "/api/documents", body, headers={"Idempotency-Key": "я"})
    assert bad.status_code == 422 and "Idempotency-Key" in bad.json["error"]
    login_as(client, "director")  # another user's key of the same text makes his own
    third = api(client, "/api/documents", body, headers=key)
    assert third.status_code == 201 and third.json["id"] != first.json["id"]
