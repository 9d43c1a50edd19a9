"""A school's own DOCX templates: checked on upload, previewed, versioned, used, scoped to
the organization (issue 4, item 4)."""

from __future__ import annotations

import io
import struct
import threading
import warnings
import zipfile
import zlib

import pytest
from sqlalchemy import func, select

from doc_templates import pdf, versions
from doc_templates.render import template_path
from storage.blobs import blobs
from storage.db import db_session
from storage.models import Document, Organization, Person, StoredFile, TemplateVersion
from tests.helpers import documents as f
from tests.helpers.docx import builtin_with, docx_text, entry, rezip
from tests.helpers.http import login_as, post
from webforms.samples import add_version, check_template
from workflows import documents
from workflows.errors import TemplateLimit, TemplateProblem

KIND = "mentor_consent"
MARKER = "Образец школы № 5: согласие оформлено по шаблону организации"
RELS = "word/_rels/document.xml.rels"


def good() -> bytes:
    return builtin_with(KIND, MARKER + " ({{ data.person_name }})")


def with_relationship(data: bytes, rel: str) -> bytes:
    rels = entry(data, RELS).replace(b"</Relationships>", rel.encode() + b"</Relationships>")
    return rezip(data, replace={RELS: rels})


def with_body_xml(data: bytes, xml: str) -> bytes:
    body = entry(data, "word/document.xml").replace(b"<w:body>", b"<w:body>" + xml.encode())
    return rezip(data, replace={"word/document.xml": body})


def refusal(data: bytes) -> str:
    with pytest.raises(TemplateProblem) as caught:
        check_template(KIND, data)
    assert caught.value.status == 422
    return caught.value.message


def test_the_built_in_templates_pass_their_own_check(app):
    from workflows.kinds import all_kinds

    with app.app_context():
        for kind in all_kinds():
            if template_path(kind.name).exists():
                used = check_template(kind.name, template_path(kind.name).read_bytes())
                assert "doc.heading" in used, kind.name


def test_a_good_template_lists_its_variables(app):
    with app.app_context():
        used = check_template(KIND, good())
    assert {"data.person_name", "data.duties", "org.short_name"} <= set(used)


def test_not_a_docx_is_refused(app):
    with app.app_context():
        assert "не является документом DOCX" in refusal(b"%PDF-1.7 not a zip at all")
        assert "не является документом DOCX" in refusal(
            rezip(good(), drop=("word/document.xml",)))


def test_a_file_over_the_size_limit_is_refused(app):
    with app.app_context():
        assert "больше 5 МБ" in refusal(b"PK" + b"\0" * (5 * 1024 * 1024))


def test_zip_bombs_are_refused(app):
    with app.app_context():
        ratio = rezip(good(), add={"word/media/image1.png": b"\0" * (8 * 1024 * 1024)})
        assert len(ratio) < 5 * 1024 * 1024
        assert "zip-бомбу" in refusal(ratio)
        many = rezip(good(), add={f"word/many/part{i}.xml": b"<a/>" for i in range(1001)})
        assert "слишком много частей" in refusal(many)


def test_macros_and_activex_are_refused(app):
    docm_types = entry(good(), "[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml")
    with app.app_context():
        for bad in (rezip(good(), add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"}),
                    rezip(good(), replace={"[Content_Types].xml": docm_types}),
                    rezip(good(), add={"word/activeX/activeX1.xml": b"<ax:ocx/>"})):
            assert "макросы или элементы ActiveX" in refusal(bad)


def test_external_references_are_refused(app):
    image = ('<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
             '2006/relationships/image" Target="http://169.254.169.254/latest/meta-data" '
             'TargetMode="External"/>')
    attached = ('<Relationship Id="rId98" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/attachedTemplate" '
                'Target="file:///C:/evil.dotm" TargetMode="External"/>')
    link = ('<Relationship Id="rId97" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/hyperlink" Target="https://school5.ru/" TargetMode="External"/>')
    include = ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> INCLUDE'
               '</w:instrText></w:r><w:r><w:instrText>TEXT "http://evil/x.docx" '
               '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    picture = ('<w:p><w:fldSimple w:instr=" INCLUDEPICTURE &quot;http://evil/p.png&quot; "/>'
               '</w:p>')
    dde = ('<w:p><w:fldSimple w:instr="DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe '
           '&quot;/k calc&quot;"/></w:p>')
    with app.app_context():
        assert "внешняя ссылка «image»" in refusal(with_relationship(good(), image))
        assert "attachedTemplate" in refusal(with_relationship(good(), attached))
        assert "поле INCLUDETEXT" in refusal(with_body_xml(good(), include))
        assert "поле INCLUDEPICTURE" in refusal(with_body_xml(good(), picture))
        assert "поле DDEAUTO" in refusal(with_body_xml(good(), dde))
        check_template(KIND, with_relationship(good(), link))  # a plain web link is fine


def test_xxe_is_refused(app):
    body = entry(good(), "word/document.xml")
    xxe = body.replace(b"?>", b'?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM '
                              b'"file:///etc/passwd">]>', 1).replace(
        b"<w:body>", b"<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>")
    with app.app_context():
        assert "DOCTYPE/ENTITY" in refusal(rezip(good(), replace={"word/document.xml": xxe}))
        utf16 = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY b "c">]>'
                 '<a/>').encode("utf-16")
        assert "DOCTYPE/ENTITY" in refusal(rezip(good(), add={"word/evil16.xml": utf16}))


def test_unknown_variables_are_named_with_the_text_around_them(app):
    with app.app_context():
        message = refusal(builtin_with(KIND, "Паспорт: {{ data.passport_number }} выдан"))
        assert message.startswith("В шаблоне используется переменная, которой нет у этого "
                                  "вида документа: data.passport_number.")
        assert "«Паспорт: {{ data.passport_number }} выдан»" in message
        assert "документа: request." in refusal(builtin_with(KIND, "{{ request }}"))
        assert "документа: config." in refusal(builtin_with(KIND, "{{ config.SECRET_KEY }}"))
        assert "документа: org.password." in refusal(builtin_with(KIND, "{{ org.password }}"))
        assert "документа: data.foo." in refusal(builtin_with(KIND, "{{ data.get('foo') }}"))


def test_syntax_errors_are_reported_with_the_text_around_them(app):
    with app.app_context():
        message = refusal(builtin_with(KIND, "Подпись {% if data.notes %} без конца"))
        assert "Ошибка в записи шаблона в тексте документа" in message
        assert "«Подпись {% if data.notes %} без конца»" in message or "Текст рядом" in message


@pytest.mark.parametrize("expression", ["{{ ''.__class__.__mro__ }}",
                                        "{{ cycler.__init__.__globals__ }}",
                                        "{{ self.__init__.__globals__ }}",
                                        "{{ data|attr('__class__') }}"])
def test_malicious_expressions_are_refused_on_upload(app, expression):
    with app.app_context():
        message = refusal(builtin_with(KIND, expression))
    assert "запрещено" in message or "нет у этого вида документа" in message


# --- over HTTP -----------------------------------------------------------------------------


def upload(client, data: bytes, *, activate: bool = True, name: str = "мой шаблон.docx"):
    form = {"file": (io.BytesIO(data), name), "notes": "с гербом школы"}
    if activate:
        form["activate"] = "1"
    return post(client, f"/templates/{KIND}/upload", form, content_type="multipart/form-data")


def consent_data(last_name: str) -> dict:
    from webforms.forms import validate

    return validate(KIND, {"person_id": f.person(last_name).id, "statement_date": "2026-11-20",
                           "duties": "разработка персонализированной программы наставничества"})


def signed_docx(doc: Document) -> bytes:
    stored = db_session().scalars(select(StoredFile).where(
        StoredFile.document_id == doc.id, StoredFile.role == "signed_docx")).one()
    return blobs().get(stored.sha256)


def test_each_malicious_upload_is_refused_over_http_with_its_message(client, app):
    login_as(client, "clerk")
    bad = with_body_xml(good(), '<w:p><w:fldSimple w:instr="INCLUDETEXT x"/></w:p>')
    response = upload(client, bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "не принят" in page and "поле INCLUDETEXT" in page
    response = upload(client, builtin_with(KIND, "{{ ''.__class__.__mro__ }}"))
    assert response.status_code == 422 and "запрещено" in response.get_data(as_text=True)
    with app.app_context():
        assert db_session().scalars(select(TemplateVersion)).all() == []


def test_teachers_cannot_manage_templates(client):
    login_as(client, "ivanova")
    assert client.get("/templates/").status_code == 403
    assert upload(client, good()).status_code == 403


def test_a_good_upload_is_previewed_activated_and_used_for_the_next_signed_document(client,
                                                                                   app):
    with app.app_context():
        before = f.signed(KIND, consent_data("Седых"))
        assert before.template_version_id is None
        assert MARKER not in docx_text(signed_docx(before))

    login_as(client, "clerk")
    assert client.get(f"/templates/{KIND}/builtin.docx").data == \
        template_path(KIND).read_bytes()
    response = upload(client, good(), activate=False)
    assert response.status_code == 302
    with app.app_context():
        version = db_session().scalars(select(TemplateVersion)).one()
        assert (version.version, version.is_active, version.filename) == \
            (1, False, "мой шаблон.docx")
        version_id = version.id
    page = client.get("/templates/").get_data(as_text=True)
    assert "мой шаблон.docx" in page and "с гербом школы" in page

    preview = client.get(f"/templates/{KIND}/preview.docx?version={version_id}")
    assert preview.status_code == 200
    assert MARKER in docx_text(preview.data)

    assert post(client, f"/templates/{KIND}/activate",
                {"version_id": version_id}).status_code == 302
    with app.app_context():
        doc = f.signed(KIND, consent_data("Гоголь"))
        text = docx_text(signed_docx(doc))
        assert f"{MARKER} (Гоголь Никита Андреевич)" in text
        assert doc.template_version_id == version_id
        # the document signed before keeps its own record
        assert db_session().get(Document, before.id).template_version_id is None

    # back to the built-in template
    assert post(client, f"/templates/{KIND}/activate").status_code == 302
    with app.app_context():
        doc = f.signed(KIND, consent_data("Кравец"))
        assert MARKER not in docx_text(signed_docx(doc))
        assert doc.template_version_id is None


def test_versions_are_numbered_and_only_one_is_active(client, app):
    login_as(client, "clerk")
    upload(client, good())
    upload(client, builtin_with(KIND, "Вторая версия"))
    with app.app_context():
        rows = versions.versions_of(db_session(), f.organization().id, KIND)
        assert [(v.version, v.is_active) for v in rows] == [(2, True), (1, False)]


def test_another_organization_never_sees_or_uses_the_template(client, app):
    login_as(client, "clerk")
    upload(client, good())
    with app.app_context():
        version_id = db_session().scalars(select(TemplateVersion.id)).one()

    login_as(client, "clerk12")
    page = client.get("/templates/").get_data(as_text=True)
    assert "мой шаблон.docx" not in page
    assert client.get(f"/templates/versions/{version_id}.docx").status_code == 404
    assert client.get(f"/templates/{KIND}/preview.docx?version={version_id}").status_code == 404
    assert post(client, f"/templates/{KIND}/activate",
                {"version_id": version_id}).status_code == 404

    with app.app_context():
        lyceum = db_session().scalars(select(Organization).where(
            Organization.short_name == "МОУ Лицей № 12")).one()
        person = db_session().scalars(select(Person).where(
            Person.organization_id == lyceum.id)).first()
        doc = documents.create(db_session(), organization_id=lyceum.id, kind=KIND,
                               data={"person_id": person.id, "statement_date": "2026-11-20",
                                     "duties": "наставничество", "notes": ""},
                               author=f.user("clerk12"))
        db_session().commit()
        f.walk(doc, "submit", actor="director12")
        f.walk(doc, "approve", actor="director12")
        f.walk(doc, "sign", actor="director12")
        assert doc.state == "signed"
        assert doc.template_version_id is None
        assert MARKER not in docx_text(signed_docx(doc))
        assert versions.active_version(db_session(), lyceum.id, KIND) is None


def test_preview_names_its_problem_when_pdf_is_off(client):
    login_as(client, "director")
    response = client.get(f"/templates/{KIND}/preview.pdf")
    assert response.status_code == 503
    assert "DOCX" in response.get_data(as_text=True)
    preview = client.get(f"/templates/{KIND}/preview.docx")
    assert preview.status_code == 200
    assert "Петров" in docx_text(preview.data)  # the school's own head signs the sample


def test_an_upload_without_the_csrf_token_is_refused(client):
    login_as(client, "clerk")
    response = client.post(f"/templates/{KIND}/upload", data={
        "file": (io.BytesIO(good()), "x.docx")}, content_type="multipart/form-data")
    assert response.status_code == 400


@pytest.mark.pdf
@pytest.mark.skipif(not pdf.available(), reason="LibreOffice is not installed")
def test_an_uploaded_version_is_previewed_as_pdf_with_sample_data(client, app):
    from pypdf import PdfReader

    app.config["PDF_ENABLED"] = True
    login_as(client, "clerk")
    upload(client, good(), activate=False)
    with app.app_context():
        version_id = db_session().scalars(select(TemplateVersion.id)).one()
    response = client.get(f"/templates/{KIND}/preview.pdf?version={version_id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Образец школы" in text and "СОГЛАСИЕ" in text


# --- archives that lie, break or nest (issue 7, point 2) -----------------------------------


def _patch_headers(data: bytes, name: str, **fields: int) -> bytes:
    """``data`` with fields (``crc``, ``size``: the uncompressed size) of entry ``name``
    rewritten in both its local header and its central-directory record."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(name).header_offset
    central = -1
    while (central := data.find(b"PK\x01\x02", central + 1)) >= 0:
        length = struct.unpack("<H", data[central + 28:central + 30])[0]
        if data[central + 46:central + 46 + length] == name.encode():
            break
    for field, value in fields.items():
        local_at, central_at = {"crc": (14, 16), "size": (22, 24)}[field]
        struct.pack_into("<L", out, local + local_at, value)
        struct.pack_into("<L", out, central + central_at, value)
    return bytes(out)


def _flip_compressed_byte(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    start = info.header_offset + 30 + len(name.encode()) + \
        struct.unpack("<H", data[info.header_offset + 28:info.header_offset + 30])[0]
    out = bytearray(data)
    for i in range(start + 2, start + info.compress_size - 2, 7):
        out[i] ^= 0x5A
    return bytes(out)


def _with_duplicate(data: bytes, name: str) -> bytes:
    out = io.BytesIO(data)
    with warnings.catch_warnings(), zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")
        archive.writestr(name, entry(data, name))
    return out.getvalue()


def _nested_zip() -> bytes:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.bin", b"\0" * 1024)
    return inner.getvalue()


IMAGE = "word/media/image1.png"
HUGE = 40 * 1024 * 1024


def _zip_attacks() -> dict[str, tuple[bytes, str]]:
    base = good()
    inflating = rezip(base, add={IMAGE: b"\0" * HUGE})  # 40 MB packed into ~40 KB
    truncated_crc = zlib.crc32(b"\0" * 1000)
    small = rezip(base, add={IMAGE: b"\x89PNG" + bytes(range(256)) * 8})
    return {
        # the directory says 1000 bytes (with a CRC matching them); the data inflates to 40 MB
        "forged size, data inflates huge": (
            _patch_headers(inflating, IMAGE, size=1000, crc=truncated_crc), "zip-бомбу"),
        "forged size, small": (_patch_headers(small, IMAGE, size=10), "Архив шаблона подделан"),
        "bad CRC": (_patch_headers(small, IMAGE, crc=0xDEADBEEF),
                    "не совпадает контрольная сумма"),
        "corrupt compressed data": (_flip_compressed_byte(base, "word/document.xml"),
                                    "не распаковывается"),
        "truncated file": (base[: len(base) // 2], "обрезан или повреждён"),
        "truncated directory": (base[:-30], "обрезан или повреждён"),
        "duplicate names": (_with_duplicate(base, "word/document.xml"),
                            "дважды встречается часть «word/document.xml»"),
        "case-duplicate names": (rezip(base, add={"WORD/document.xml": b"<a/>"}),
                                 "дважды встречается часть"),
        "absurd member count": (rezip(base, add={f"word/m/{i}.xml": b"<a/>" for i in
                                                 range(5000)}), "слишком много частей (50"),
        "nested zip under an image's name": (rezip(base, add={IMAGE: _nested_zip()}),
                                             "вложенный архив"),
        "nested docx": (rezip(base, add={"word/media/inner.docx": base}), "вложенный архив"),
        "embedded object": (rezip(base, add={"word/embeddings/oleObject1.bin": b"\xd0\xcf"}),
                            "встроенный объект"),
        "unsafe entry name": (rezip(base, add={"word/../../evil.xml": b"<a/>"}),
                              "Недопустимое имя части"),
        "bzip2 entry": (_bzip2_entry(base), "неизвестный способ сжатия"),
    }


def _bzip2_entry(data: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr(zipfile.ZipInfo("word/media/x.bin"), b"x" * 100,
                         compress_type=zipfile.ZIP_BZIP2)
    return out.getvalue()


@pytest.mark.parametrize("attack", list(_zip_attacks()))
def test_a_forged_broken_or_nested_archive_is_refused_on_the_upload_page(client, app, attack):
    data, message = _zip_attacks()[attack]
    assert len(data) < 5 * 1024 * 1024
    login_as(client, "director")
    response = upload(client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:300]
    assert "не принят" in page and message in page, attack
    with app.app_context():
        assert db_session().scalars(select(TemplateVersion)).all() == []


# --- templates too costly to fill ----------------------------------------------------------


@pytest.mark.parametrize("expression,limit", [
    ("{% for i in range(3000) %}{% for j in range(3000) %}{% endfor %}{% endfor %}",
     "предел числа шагов"),
    ("{{ 'x' * 10**9 }}", "слишком большое значение"),
    ("{{ [1] * 10**9 }}", "слишком большое значение"),
    ("{{ 9**(9**9) }}", "слишком большое число"),
    ("{% for i in range(100000) %}{{ 'a' * 1000 ~ 'b' * 1000 }}{% endfor %}",
     "предел размера документа"),
    ("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
     "{{ f(60) }}", "предел числа шагов"),
    ("{% set x = 'ab' %}" + "{% set x = x ~ x %}" * 40, "слишком большое значение"),
])
def test_a_template_too_costly_to_fill_is_refused_on_upload(client, app, expression, limit):
    login_as(client, "director")
    response = upload(client, builtin_with(KIND, expression))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "не принят" in page and limit in page
    with app.app_context():
        assert db_session().scalars(select(TemplateVersion)).all() == []


def test_an_upload_whose_check_outlasts_the_time_limit_is_refused(client, app):
    app.config["TEMPLATE_RENDER_TIMEOUT"] = 1
    hog = ("{% set s = 'ab' * 500000 %}{% for i in range(90000) %}{% if s.count('ba') %}"
           "{% endif %}{% endfor %}")
    login_as(client, "director")
    response = upload(client, builtin_with(KIND, hog))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "дольше 1 с" in page and "предел" in page


def test_an_activated_template_that_fails_on_real_data_refuses_signing_not_500(app):
    """Passing the check with the sample is not enough: real data goes through the same
    limits, and a refusal leaves the document as it was."""
    template = builtin_with(KIND, "{% if data.duties == 'без конца' %}{% for i in range(3000) "
                                  "%}{% for j in range(3000) %}{% endfor %}{% endfor %}"
                                  "{% endif %}")
    with app.app_context():
        version = add_version(db_session(), f.organization().id, KIND, template, filename="x.docx",
                              uploaded_by=None)
        versions.activate(db_session(), f.organization().id, KIND, version)
        db_session().commit()
        data = {**consent_data("Седых"), "duties": "без конца"}
        with pytest.raises(TemplateLimit, match="предел числа шагов"):
            f.signed(KIND, data)
        db_session().rollback()
        newest = db_session().scalars(select(Document).where(Document.kind == KIND)
                                      .order_by(Document.id.desc())).first()
        assert newest.data["duties"] == "без конца" and newest.state != "signed"
        assert newest.signature_id is None and newest.template_version_id is None


# --- no database lock while a template is checked or rendered ------------------------------


@pytest.mark.parametrize("step", ["preview", "upload"])
def test_other_users_write_while_an_uploaded_template_is_checked_or_rendered(client, app,
                                                                             monkeypatch, step):
    """The render (or check) is held until another user's draft is saved: if the template's
    request held the database's write lock meanwhile, the draft would wait for it and the
    order below would be render → draft instead of draft → render."""
    from doc_templates import sandbox_process

    login_as(client, "director")
    upload(client, good(), activate=False)
    with app.app_context():
        version_id = db_session().scalars(select(TemplateVersion.id)).one()
        person_id = f.person("Гоголь").id
    other = app.test_client()
    login_as(other, "clerk")

    events: list[str] = []
    started, saved = threading.Event(), threading.Event()
    name = "render" if step == "preview" else "check"
    real = getattr(sandbox_process, name)

    def slow(*args, **kwargs):
        events.append(f"{name} started")
        started.set()
        saved.wait(30)  # only a safety net: the draft sets it at once unless it is blocked
        result = real(*args, **kwargs)
        events.append(f"{name} finished")
        return result

    monkeypatch.setattr(sandbox_process, name, slow)
    answers = {}

    def template_request():
        if step == "preview":
            answers["template"] = client.get(f"/templates/{KIND}/preview.docx"
                                             f"?version={version_id}")
        else:
            answers["template"] = upload(client, builtin_with(KIND, "Вторая версия"),
                                         activate=False)

    worker = threading.Thread(target=template_request)
    worker.start()
    assert started.wait(30)
    draft = post(other, f"/documents/new/{KIND}", {
        "person_id": person_id, "statement_date": "2026-11-20", "duties": "наставничество"})
    events.append("draft saved")
    saved.set()
    worker.join(60)

    assert draft.status_code == 302
    assert events == [f"{name} started", "draft saved", f"{name} finished"]
    assert answers["template"].status_code == (200 if step == "preview" else 302)
    with app.app_context():
        assert db_session().scalars(select(func.count(TemplateVersion.id))).one() == \
            (1 if step == "preview" else 2)
