"""A school's own DOCX templates: checked on upload, previewed, versioned, used, scoped to
the organization (issue 4, item 4)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from doc_templates import pdf, versions
from doc_templates.render import template_path
from doc_templates.uploads import check_template
from storage.blobs import blobs
from storage.db import db_session
from storage.models import Document, Organization, Person, StoredFile, TemplateVersion
from tests import factories as f
from tests.conftest import login_as, post
from tests.docx_files import builtin_with, docx_text, entry, rezip
from workflows import documents
from workflows.errors import TemplateProblem

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
        rows = versions.versions_of(db_session(), f.school().id, KIND)
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
