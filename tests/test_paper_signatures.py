"""Signing outside the service (issue 9 points 3 and 4): each kind accepts the routes the
law gives it, the page names the basis; scans of hand-signed originals per party or for the
whole copy, detached qualified signatures with their certificate; refusals in Russian."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from signatures import qualified, scans
from storage.blobs import blobs
from storage.db import db_session
from storage.models import Document, Signature, StoredFile
from tests.helpers import cms, gost
from tests.helpers import documents as f
from tests.helpers import scans as make
from tests.helpers.http import api, login_as, post
from tests.helpers.kinds import agreement_data, pd_data
from tests.helpers.pages import answers
from webforms.demo import DEMO_PASSWORD
from workflows.signatories import BASIS_CONSENT, BASIS_LABOUR

ONLY = "подписывает этот документ только так: "


def approved(kind: str, data: dict) -> int:
    """A draft of ``kind`` taken along its route to «approved» (awaiting signatures)."""
    doc = f.draft(kind, data)
    f.walk(doc, "submit")
    while doc.state == "in_approval":
        f.walk(doc, "approve")
    assert doc.state == "approved"
    return doc.id


def upload(client, doc_id: int, what: str, party: str, data: bytes, name: str):
    return post(client, f"/documents/{doc_id}/{what}",
                {"party": party, "file": (io.BytesIO(data), name)},
                content_type="multipart/form-data")


def signing_copy(client, doc_id: int) -> bytes:
    response = post(client, f"/documents/{doc_id}/signing-copy")
    assert response.status_code == 200, response.get_data(as_text=True)[-800:]
    return response.data


def signatures(client, doc_id: int) -> dict:
    response = api(client, "GET", f"/api/documents/{doc_id}")
    assert response.status_code == 200
    return response.get_json()


def kravets_consent(app) -> int:
    """The demo's mentor's consent of Кравец, approved and awaiting her signature."""
    with app.app_context():
        return db_session().scalars(select(Document.id).where(
            Document.kind == "mentor_consent", Document.state == "approved",
            Document.person_id == f.person("Кравец").id)).one()


def test_a_labour_document_refuses_simple_naming_the_basis_and_takes_a_scan(demo, app,
                                                                             client):
    doc_id = kravets_consent(app)
    login_as(client, "kravets")
    page = answers(client.get(f"/documents/{doc_id}"), 200,
                   "Подпись на бумаге и квалифицированной электронной подписью",
                   "Принимается: собственноручная подпись на бумаге; усиленная "
                   "квалифицированная электронная подпись.", BASIS_LABOUR,
                   "Подготовить и скачать экземпляр для подписания", "Загрузить скан",
                   "Загрузить подпись", "Принимается только квалифицированная подпись по ГОСТ "
                   "Р 34.10-2012", "Криптографическую проверку подписи по ГОСТ сервис не "
                   "выполняет")
    assert 'name="party" value="employee"' in page
    refused = post(client, f"/documents/{doc_id}/act/sign", {"password": DEMO_PASSWORD})
    answers(refused, 409, ONLY + "собственноручная подпись на бумаге",
            "Основание: " + BASIS_LABOUR, "простая электронная подпись не применяется")
    ok = upload(client, doc_id, "scans", "employee", make.jpeg(), "согласие.pdf")
    assert ok.status_code == 302, ok.get_data(as_text=True)[-800:]
    with app.app_context():
        doc = db_session().get(Document, doc_id)
        assert doc.state == "signed" and doc.number  # the only party: the number is taken
        sig = db_session().scalars(select(Signature).where(
            Signature.document_id == doc_id)).one()
        assert (sig.method, sig.party, sig.signer_name) == ("paper", "employee",
                                                            "Кравец Любовь Ивановна")
        assert sig.file.media_type == "image/jpeg" and sig.file.filename.endswith(".jpg")
        assert sig.sha256 == sig.file.sha256 == scans.check(make.jpeg()).sha256
        number = doc.number
    made = signatures(client, doc_id)
    assert [(s["method"], s["part"]) for s in made["signatures"]] == [("paper", "employee")]
    assert made["pending_signatories"] == [] and made["number"] == number
    page = answers(client.get(f"/documents/{doc_id}"), 200, "Оригиналы и файлы подписей",
                   "Педагог, давший согласие: Кравец Любовь Ивановна",
                   "скан собственноручно подписанного оригинала")
    assert "Загрузить скан" not in page


def test_the_supplementary_agreement_takes_qualified_signatures_employee_then_employer(
        demo, app, client):
    with app.app_context():
        doc_id = approved("mentoring_agreement", agreement_data())
    login_as(client, "ivanova")  # the employee: ПЭП is no route for a labour document
    answers(post(client, f"/documents/{doc_id}/act/sign", {"password": DEMO_PASSWORD}), 409,
            "«Работник (наставник)» " + ONLY, "Основание: " + BASIS_LABOUR)
    login_as(client, "clerk")
    copy = signing_copy(client, doc_id)
    assert copy.startswith(b"PK")  # PDF is off in tests: the parties sign the DOCX
    employer = gost.certificate("Петров", "Иван Сергеевич", organization="МОУ СШ № 5")
    early = upload(client, doc_id, "qualified", "employer", gost.sign(copy, employer), "p.sig")
    answers(early, 409, "подписывает документ последним: ещё не подписали — Работник")
    simple = post(client, f"/documents/{doc_id}/act/sign", {"password": DEMO_PASSWORD})
    assert simple.status_code in (403, 409, 422)  # the clerk is no party; ПЭП is not a route
    ecdsa = upload(client, doc_id, "qualified", "employee", cms.sign(copy), "иванова.p7s")
    answers(ecdsa, 422, "Подпись не принята: это не квалифицированная электронная подпись "
                        "(алгоритм подписи — ECDSA с SHA-256, хеширования — SHA-256).",
            "(63-ФЗ ст. 5 ч. 4)", qualified.USE_PAPER)
    mine = upload(client, doc_id, "qualified", "employee", gost.sign(copy), "иванова.p7s")
    assert mine.status_code == 302, mine.get_data(as_text=True)[-800:]
    answers(client.get(f"/documents/{doc_id}"), 200,
            "Квалифицированная подпись принята: Работник (наставник) (Иванова Мария "
            "Петровна), сертификат № 1A2B3C4D5E. " + qualified.GOST_NOT_CHECKED)
    with app.app_context():
        assert f.state(db_session().get(Document, doc_id)) == "approved"  # the head still
    login_as(client, "director")  # the employer: no ПЭП either
    answers(post(client, f"/documents/{doc_id}/act/sign", {"password": DEMO_PASSWORD}), 409,
            "«Работодатель (руководитель)» " + ONLY, "Основание: " + BASIS_LABOUR)
    login_as(client, "clerk")
    gost_sig = gost.sign(copy, employer, encoding="base64")
    done = upload(client, doc_id, "qualified", "employer", gost_sig, "петров.sig")
    assert done.status_code == 302, done.get_data(as_text=True)[-800:]
    with app.app_context():
        doc = db_session().get(Document, doc_id)
        assert doc.state == "signed" and doc.number.endswith("-дс")
        rows = {s.party: s for s in db_session().scalars(select(Signature).where(
            Signature.document_id == doc_id))}
        copy_sha = db_session().scalars(select(StoredFile.sha256).where(
            StoredFile.document_id == doc_id, StoredFile.role == "signing_copy")).one()
        assert {p: s.method for p, s in rows.items()} == {"employee": "qualified",
                                                          "employer": "qualified"}
        assert rows["employee"].sha256 == rows["employer"].sha256 == copy_sha
        assert rows["employee"].certificate["serial"] == "1A2B3C4D5E"
        assert rows["employer"].certificate["not_checked"][0] == qualified.GOST_NOT_CHECKED
        assert "ИНН ЮЛ: 5001007322" in rows["employer"].certificate["subject"]
        assert rows["employee"].file.filename.endswith(".p7s")
        assert blobs().get(rows["employer"].file.sha256) == gost_sig  # kept as uploaded
    assert [(s["part"], s["method"], s["sha256"]) for s in signatures(client, doc_id)[
        "signatures"]] == [("employee", "qualified", copy_sha), ("employer", "qualified",
                                                                 copy_sha)]
    answers(client.get(f"/documents/{doc_id}"), 200, "Владелец сертификата",
            "Владелец: Иванова Мария Петровна; Фамилия: Иванова", "СНИЛС: 12345678901",
            "ИНН: 500100732259", "Серийный номер", "1A2B3C4D5E", "Действует", "Издатель",
            "Владелец: Тестовый УЦ", "Средство электронной подписи владельца",
            "«КриптоПро CSP» (версия 5.0)", "Класс средств электронной подписи", "КС1",
            "Алгоритм подписи", "ГОСТ Р 34.10-2012, 256 бит",
            "ГОСТ Р 34.11-2012 «Стрибог» 256 бит", "Проверено сервисом:",
            "Сертификат выдан подписанту: Петров Иван Сергеевич.", "Не проверено сервисом:",
            qualified.GOST_NOT_CHECKED, qualified.NOT_CHECKED)


def test_one_scan_of_the_whole_signed_copy_signs_for_every_party(demo, app, client):
    with app.app_context():
        doc_id = approved("mentoring_agreement", agreement_data())
    login_as(client, "clerk")
    page = answers(client.get(f"/documents/{doc_id}"), 200,
                   "Скан экземпляра, подписанного всеми сторонами")
    assert 'name="party" value="*"' in page
    ok = upload(client, doc_id, "scans", "*", make.pdf(pages=2), "соглашение.pdf")
    assert ok.status_code == 302, ok.get_data(as_text=True)[-800:]
    made = signatures(client, doc_id)
    assert made["state"] == "signed" and made["number"].endswith("-дс")
    assert [(s["part"], s["method"]) for s in made["signatures"]] == [
        ("employee", "paper"), ("employer", "paper")]
    with app.app_context():
        files = {s.file_id for s in db_session().scalars(select(Signature).where(
            Signature.document_id == doc_id))}
        assert len(files) == 1  # one scan, filed once
        stored = db_session().get(StoredFile, files.pop())
        assert stored.role == "scan:copy" and "подписанный экземпляр" in stored.filename
    answers(client.get(f"/documents/{doc_id}"), 200, stored.filename)
    again = upload(client, doc_id, "scans", "employee", make.pdf(), "ещё.pdf")
    assert again.status_code in (409, 422)
    assert "уже подписал(а) документ" in again.get_data(as_text=True)


def test_a_consent_takes_simple_and_paper_but_not_qualified(app, client):
    with app.app_context():
        doc_id = approved("pd_consent", pd_data(f.person("Иванова").id))
    login_as(client, "ivanova")
    answers(client.get(f"/documents/{doc_id}"), 200,
            "Принимается: простая электронная подпись; собственноручная подпись на бумаге.",
            BASIS_CONSENT, "Загрузить скан")
    copy = signing_copy(client, doc_id)
    refused = upload(client, doc_id, "qualified", "subject", gost.sign(copy), "подпись.sig")
    answers(refused, 409, "Субъект персональных данных» " + ONLY + "простая электронная "
                          "подпись", "Основание: " + BASIS_CONSENT)
    with app.app_context():
        second = approved("pd_consent", pd_data(f.person("Шевчук").id))
    signed = post(client, f"/documents/{doc_id}/act/sign", {"password": DEMO_PASSWORD})
    assert signed.status_code == 302, signed.get_data(as_text=True)[-800:]
    assert [s["method"] for s in signatures(client, doc_id)["signatures"]] == ["simple"]
    login_as(client, "clerk")
    ok = upload(client, second, "scans", "subject", make.png(), "согласие шевчука.png")
    assert ok.status_code == 302, ok.get_data(as_text=True)[-800:]
    made = signatures(client, second)
    assert made["state"] == "signed"
    assert [s["method"] for s in made["signatures"]] == ["paper"]


def test_wrong_files_are_refused_in_russian_and_nothing_is_recorded(demo, app, client):
    doc_id = kravets_consent(app)
    login_as(client, "clerk")
    html = b"<!DOCTYPE html><html><body>not a scan</body></html>"
    answers(upload(client, doc_id, "scans", "employee", html, "скан.pdf"), 422,
            "Скан «скан.pdf» не принят: это не PDF, JPEG или PNG: это веб-страница или XML.")
    big = make.pdf() + b"%" + b"0" * scans.SCAN_MAX_BYTES
    answers(upload(client, doc_id, "scans", "employee", big, "большой.pdf"), 422,
            f"файл больше {scans.SCAN_MAX_MB} МБ")
    answers(upload(client, doc_id, "scans", "employee", b"", "пустой.pdf"), 422,
            "файл пуст (0 байт)")
    answers(upload(client, doc_id, "scans", "employee", make.png()[:-30], "обрез.png"), 422,
            "файл PNG обрезан или повреждён")
    answers(upload(client, doc_id, "qualified", "employee", b"", "пустая.sig"), 422,
            "Подпись не принята: файл подписи пуст (0 байт).")
    answers(post(client, f"/documents/{doc_id}/qualified", {"party": "employee"},
                 content_type="multipart/form-data"), 422, "Выберите файл: файл открепленной")
    answers(upload(client, doc_id, "qualified", "employee", b"garbage", "x.sig"), 422,
            "Подпись не принята: это не файл электронной подписи CMS")
    kravets = cms.certificate("Кравец", "Любовь Ивановна", key=cms.rsa_key())
    answers(upload(client, doc_id, "qualified", "employee", cms.sign(b"x", *kravets),
                   "x.sig"), 422, "Подпись не принята: это не квалифицированная электронная "
            "подпись (алгоритм подписи — RSA, хеширования — SHA-256).", qualified.USE_PAPER)
    answers(upload(client, doc_id, "qualified", "employee",
                   gost.sign(b"x", gost.certificate("Кравец", "Любовь Ивановна", tools=False)),
                   "x.sig"), 422, "сертификат подписанта не квалифицированный")
    answers(upload(client, doc_id, "qualified", "employee", gost.sign(b"x"), "x.sig"), 422,
            "сертификат выдан «Иванова / Мария Петровна / Иванова Мария Петровна», а "
            "подписать должен(а) Кравец Любовь Ивановна")
    answers(post(client, f"/documents/{doc_id}/scans", {"party": "employee"},
                 content_type="multipart/form-data"), 422, "Выберите файл")
    with app.app_context():
        assert not db_session().scalars(select(Signature).where(
            Signature.document_id == doc_id)).all()
        assert not db_session().scalars(select(StoredFile).where(
            StoredFile.document_id == doc_id, StoredFile.role.like("s%:%"))).all()
        assert f.state(db_session().get(Document, doc_id)) == "approved"


@pytest.mark.parametrize(("party", "says"), [
    ("head", "Выберите сторону, которая ещё не подписала документ: Педагог, давший согласие "
             "(Кравец Любовь Ивановна)."),
    ("", "Выберите сторону, которая ещё не подписала документ"),
    ("x" * 200, "Выберите сторону, которая ещё не подписала документ"),
])
def test_a_party_the_document_does_not_have_is_refused(demo, app, client, party, says):
    doc_id = kravets_consent(app)
    login_as(client, "clerk")
    answers(upload(client, doc_id, "scans", party, make.pdf(), "скан.pdf"), 409, says)


def test_who_may_upload_the_party_herself_a_clerk_or_the_head(demo, app, client):
    with app.app_context():
        doc_id = approved("mentoring_agreement", agreement_data())
    login_as(client, "gogol")  # a mentee the agreement names: he sees it, but is no party
    answers(client.get(f"/documents/{doc_id}"), 200, "Подпись на бумаге")
    answers(upload(client, doc_id, "scans", "employee", make.pdf(), "скан.pdf"), 403,
            "прикладывает сама сторона, делопроизводитель или руководитель")
    login_as(client, "inspector")
    answers(upload(client, doc_id, "scans", "employee", make.pdf(), "скан.pdf"), 403,
            "Загружать сканы подписанных документов может только")
    login_as(client, "clerk12")  # another organization's clerk: not found
    answers(upload(client, doc_id, "scans", "employee", make.pdf(), "скан.pdf"), 404)
    answers(upload(client, doc_id, "qualified", "employee", gost.sign(b"x"), "x.sig"), 404)
    answers(post(client, f"/documents/{doc_id}/signing-copy"), 404)
    login_as(client, "ivanova")  # the employee herself
    ok = upload(client, doc_id, "scans", "employee", make.pdf(), "моя подпись.pdf")
    assert ok.status_code == 302, ok.get_data(as_text=True)[-800:]
    login_as(client, "director")  # the head signs last: here on paper too
    ok = upload(client, doc_id, "scans", "employer", make.pdf(pages=2), "директор.pdf")
    assert ok.status_code == 302, ok.get_data(as_text=True)[-800:]
    made = signatures(client, doc_id)
    assert made["state"] == "signed"
    assert [(s["signer"], s["method"]) for s in made["signatures"]] == [
        ("Иванова Мария Петровна", "paper"), ("Петров Иван Сергеевич", "paper")]


def test_a_document_not_awaiting_signatures_takes_no_scan(app, client):
    with app.app_context():
        doc = f.draft("pd_consent", pd_data(f.person("Иванова").id))
        doc_id = doc.id
    login_as(client, "clerk")
    page = answers(client.get(f"/documents/{doc_id}"), 200)
    assert "Загрузить скан" not in page
    refused = upload(client, doc_id, "scans", "subject", make.pdf(), "скан.pdf")
    assert refused.status_code in (409, 422)
    answers(post(client, f"/documents/{doc_id}/signing-copy"), 409,
            "Экземпляр для подписания готовят, когда документ согласован")
