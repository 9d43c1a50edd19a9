"""Acknowledgment of signed orders (issue 9 point 5; ТК РФ ст. 22, 68): who must, the
refusals, the лист ознакомления filed anew with each acknowledgment, the pages."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from doc_templates import pdf
from signatures import agreement
from signatures.seal import SealStatus
from storage.blobs import blobs
from storage.db import db_session, new_session
from storage.models import (
    Acknowledgment,
    AuditEntry,
    Document,
    Membership,
    Person,
    StoredFile,
    User,
)
from storage.roles import Role
from tests.helpers import documents as f
from tests.helpers import scans as make
from tests.helpers.docx import docx_text, typeset_text
from tests.helpers.http import login_as, post
from tests.helpers.orders import roadmap_rows
from tests.helpers.pairs import order_data, pair, ready, running_program
from tests.test_concurrency import _run_all as run_all  # threads started together
from workflows import acknowledgments as ack
from workflows import audit, documents, sealing
from workflows.errors import NastavnikError, NotAllowed, RuleViolation
from workflows.kinds import all_kinds
from workflows.scoping import row_of
from workflows.vocabulary import GROUND_COMPLETED

TODAY = date.today()


def regulation_order():
    """The signed order approving the Положение of school 5."""
    effective = TODAY + timedelta(days=7)
    return f.signed("regulation_order", {
        "effective_date": effective.isoformat(), "site_person_id": f.person("Кузнецова").id,
        "site_date": (effective + timedelta(days=10)).isoformat(),
        "control_person_id": f.person("Сидорова").id, "rows": roadmap_rows(from_day=effective)})


def pairing_order():
    """A signed pairing order: Иванова mentors Кравец and Гоголь; the curator Сидорова."""
    ready("Иванова", "Кравец", "Гоголь")
    return f.signed("pairing_order", order_data(
        pair("Иванова", "Кравец", "Гоголь", form="наставничество в группе")))


def names(people) -> list[str]:
    return [p.last_name for p in people]


def refusal(call, error=NastavnikError) -> str:
    with pytest.raises(error) as caught:
        call()
    db_session().rollback()
    return caught.value.message


def click(doc, last_name: str, login: str | None = None):
    return ack.acknowledge(db_session(), doc, f.person(last_name),
                           actor=f.user(login or _login(last_name)))


def _login(last_name: str) -> str:
    return db_session().scalars(select(User.login).where(
        User.person_id == f.person(last_name).id)).one()


def open_and_click(doc, last_name: str):
    ack.opened(db_session(), doc, f.person(last_name))
    row = click(doc, last_name)
    db_session().commit()
    return row


def sheet_text(doc, version: int | None = None) -> str:
    versions = ack.sheet_versions(db_session(), doc)
    stored = versions[version or max(versions)]["docx"]
    return docx_text(blobs().get(stored.sha256)).replace("\u00a0", " ")


# -- who must acknowledge ----------------------------------------------------------------

def test_the_regulation_order_asks_every_pedagogue_of_the_organization_and_no_one_else(app):
    with app.app_context():
        doc = regulation_order()
        org = f.organization()
        everyone = db_session().scalars(select(Person).where(
            Person.organization_id == org.id)).all()
        others = db_session().scalars(select(Person).where(
            Person.organization_id != org.id)).all()
        asked = ack.required(db_session(), doc)
        director = f.person("Петров")
        # every pedagogue but the head, who signed it; by surname
        assert sorted(names(asked)) == sorted(p.last_name for p in everyone if p != director)
        assert names(asked) == sorted(names(asked))
        assert others and not {p.id for p in others} & {p.id for p in asked}
        # a pedagogue hired after the order is asked too (ТК РФ ст. 68 ч. 3)
        newcomer = Person(organization_id=org.id, last_name="Новикова", first_name="Анна",
                          middle_name="Олеговна", gender="f", position="Учитель")
        db_session().add(newcomer)
        db_session().commit()
        assert "Новикова" in names(ack.required(db_session(), doc))


def test_a_pairing_order_asks_the_people_it_names(app):
    with app.app_context():
        doc = pairing_order()
        assert names(ack.required(db_session(), doc)) == ["Иванова", "Кравец", "Гоголь",
                                                         "Сидорова"]


def test_the_curator_order_asks_the_curator_and_a_consent_asks_nobody(app):
    with app.app_context():
        doc = f.signed("curator_order", {
            "person_id": f.person("Сидорова").id,
            "position_genitive": "заместителя директора по учебно-воспитательной работе",
            "start_date": TODAY.isoformat(),
            "roadmap_due_date": (TODAY + timedelta(days=30)).isoformat(),
            "bank_due_date": (TODAY + timedelta(days=60)).isoformat(),
            "report_due_date": (TODAY + timedelta(days=300)).isoformat()})
        assert names(ack.required(db_session(), doc)) == ["Сидорова"]
        asked = {k.name for k in all_kinds() if k.acknowledgers is not None}
        assert asked == {"regulation_order", "roadmap", "curator_order", "pairing_order",
                         "program_change", "program_termination"}


def test_a_roadmap_asks_its_responsible_and_a_termination_the_pair_and_the_curator(app):
    with app.app_context():
        roadmap = f.signed("roadmap", {"school_year": 2026, "notes": "",
                                       "rows": roadmap_rows(2026, responsible="Шевчук")})
        assert names(ack.required(db_session(), roadmap)) == ["Шевчук"]
        program = running_program("Иванова", "Кравец")
        ending = f.signed("program_termination", {
            "program_id": program.id, "ground": GROUND_COMPLETED, "end_date": "2027-05-31",
            "results_due_date": "2027-06-10", "initiator": "", "reason": "",
            "results": "наставляемая провела открытый урок"})
        assert names(ack.required(db_session(), ending)) == ["Иванова", "Кравец", "Сидорова"]


# -- the refusals, each with its message ---------------------------------------------------

def test_a_document_not_yet_signed_cannot_be_acknowledged(app):
    with app.app_context():
        ready("Иванова", "Кравец")
        doc = f.draft("pairing_order", order_data(pair("Иванова", "Кравец")))
        message = refusal(lambda: ack.opened(db_session(), doc, f.person("Иванова")),
                          RuleViolation)
        assert message == ("С документом можно ознакомиться только после его подписания; "
                           "сейчас он в состоянии «Черновик».")
        assert refusal(lambda: click(doc, "Иванова"), RuleViolation) == message


def test_someone_the_order_does_not_name_is_refused(app):
    with app.app_context():
        doc = pairing_order()
        message = refusal(lambda: ack.opened(db_session(), doc, f.person("Седых")),
                          NotAllowed)
        assert message == ("Седых Ирина Павловна не входит в число тех, кто должен "
                           "ознакомиться с этим документом.")
        assert refusal(lambda: click(doc, "Седых"), NotAllowed) == message
        assert not db_session().scalars(select(Acknowledgment)).all()


def test_the_click_comes_after_opening_and_only_once(app):
    with app.app_context():
        doc = pairing_order()
        assert refusal(lambda: click(doc, "Иванова"), RuleViolation) == (
            "Сначала откройте документ и прочитайте его: отметка об ознакомлении ставится "
            "после открытия документа.")
        row = open_and_click(doc, "Иванова")
        db_session().refresh(row)
        assert row.method == "click" and row.opened_at <= row.acknowledged_at
        assert refusal(lambda: click(doc, "Иванова"), RuleViolation) == (
            f"Иванова Мария Петровна уже ознакомлена с документом {TODAY:%d.%m.%Y} "
            f"(в электронной форме).")


def test_only_she_herself_clicks_and_only_under_the_pep_regulation(app):
    with app.app_context():
        doc = pairing_order()
        ack.opened(db_session(), doc, f.person("Кравец"))
        db_session().commit()
        assert refusal(lambda: click(doc, "Кравец", "clerk"), NotAllowed) == (
            "Отметить ознакомление в электронной форме может только сам работник; "
            "ознакомление на бумаге вносит делопроизводитель.")
        agreement.withdraw(db_session(), f.user("kravets"), doc.organization_id)
        db_session().commit()
        message = refusal(lambda: click(doc, "Кравец"), NotAllowed)
        assert message.startswith("Простая электронная подпись вам недоступна:")
        assert db_session().scalars(select(Acknowledgment)).one().acknowledged_at is None


def test_another_organization_is_refused(app):
    with app.app_context():
        doc = pairing_order()
        stranger = f.person("Орлова")  # the clerk of Лицей № 12
        assert stranger.organization_id != doc.organization_id
        message = refusal(lambda: ack.opened(db_session(), doc, stranger), NotAllowed)
        assert message == ("Документ другой организации: ознакомиться с ним может только "
                           "работник этой организации.")
        assert refusal(lambda: ack.acknowledge(
            db_session(), doc, f.person("Кравец"), actor=f.user("clerk12"), method="paper"),
            NotAllowed) == ("Документ другой организации: отметить ознакомление с ним вы не "
                            "можете.")


def test_paper_is_the_clerks_and_its_date_lies_between_signing_and_today(app):
    with app.app_context():
        doc = pairing_order()
        kravets = f.person("Кравец")

        def paper(actor="clerk", on=None):
            return ack.acknowledge(db_session(), doc, kravets, actor=f.user(actor),
                                   method="paper", on=on)
        assert refusal(lambda: paper("kravets"), NotAllowed) == (
            "Ознакомление на бумаге вносит делопроизводитель или руководитель.")
        tomorrow = TODAY + timedelta(days=1)
        assert refusal(lambda: paper(on=tomorrow), RuleViolation) == (
            f"Дата ознакомления {tomorrow:%d.%m.%Y} ещё не наступила.")
        before = doc.doc_date - timedelta(days=1)
        assert refusal(lambda: paper(on=before), RuleViolation) == (
            f"Дата ознакомления {before:%d.%m.%Y} раньше даты документа "
            f"({doc.doc_date:%d.%m.%Y}): ознакомиться можно только с подписанным документом.")
        assert refusal(lambda: ack.acknowledge(db_session(), doc, kravets,
                                               actor=f.user("clerk"), method="fax"),
                       RuleViolation) == "Способ ознакомления: в электронной форме или на бумаге."
        row = paper()
        db_session().commit()
        assert (row.method, row.user_id, row.file_id) == ("paper", f.user("clerk").id, None)


# -- the sheet -----------------------------------------------------------------------------

def test_the_sheet_lists_each_with_the_date_and_each_change_files_a_new_version(app):
    with app.app_context():
        doc = pairing_order()
        open_and_click(doc, "Иванова")
        scan = make.png()
        ack.acknowledge(db_session(), doc, f.person("Гоголь"), actor=f.user("clerk"),
                        method="paper", file=scan, filename="лист.png")
        db_session().commit()
        versions = ack.sheet_versions(db_session(), doc)
        assert sorted(versions) == [1, 2]
        first, second = sheet_text(doc, 1), sheet_text(doc, 2)
        for text in (first, second):
            assert "ЛИСТ ОЗНАКОМЛЕНИЯ" in text
            assert f"с приказом МОУ СШ № 5 от {doc.doc_date:%d.%m.%Y} № {doc.number}" in text
            for name in ("Иванова Мария Петровна", "Кравец Любовь Ивановна",
                         "Гоголь Никита Андреевич", "Сидорова Елена Викторовна"):
                assert name in text
        assert "Ознакомлена в электронной форме (простая электронная подпись)" in first
        assert "Собственноручная подпись" not in first and "Ознакомлены: 1 из 4." in first
        assert "Собственноручная подпись на бумажном листе (скан в архиве" in second
        assert "Ознакомлены: 2 из 4." in second and "Редакция листа № 2" in second
        lines = second.split("\n")
        assert lines[lines.index("Иванова Мария Петровна") + 3] == f"{TODAY:%d.%m.%Y}"
        assert lines[lines.index("Кравец Любовь Ивановна") + 2:
                     lines.index("Кравец Любовь Ивановна") + 4] == ["", ""]  # to sign by hand
        files = {s.role: s for s in db_session().scalars(select(StoredFile).where(
            StoredFile.document_id == doc.id))}
        assert files["ack_sheet_docx:1"].filename == (
            f"Лист ознакомления — Приказ № {doc.number} от {doc.doc_date:%d.%m.%Y}, "
            f"редакция 1.docx")
        stored_scan = files[f"scan:ack:{f.person('Гоголь').id}"]
        assert blobs().get(stored_scan.sha256) == scan
        audit = db_session().scalars(select(AuditEntry.comment).where(
            AuditEntry.action == "acknowledge").order_by(AuditEntry.id)).all()
        assert audit == [
            "Ознакомление: Иванова Мария Петровна — в электронной форме (простая электронная "
            "подпись)",
            f"Ознакомление: Гоголь Никита Андреевич — на бумаге, {TODAY:%d.%m.%Y}; скан "
            f"SHA-256 {stored_scan.sha256}"]


def test_the_sheet_has_its_pdf_copy_when_pdf_is_enabled(app, monkeypatch):
    monkeypatch.setattr(pdf, "convert", lambda docx, pdfa=False: b"%PDF-1.7 sheet " + docx[:8])
    app.config["PDF_ENABLED"] = True
    with app.app_context():
        doc = pairing_order()
        open_and_click(doc, "Кравец")
        stored = ack.file_sheet_pdf(doc)
        assert stored.role == "ack_sheet_pdf:1" and stored.filename.endswith("редакция 1.pdf")
        assert ack.file_sheet_pdf(doc).id == stored.id  # once per version


@pytest.mark.pdf
@pytest.mark.skipif(not pdf.available(), reason="LibreOffice (soffice) or a Python with uno "
                    "(python3-uno) is not installed")
def test_the_sheet_pdf_is_pdfa_sealed_by_the_organization_and_verifies(app):
    app.config["PDF_ENABLED"] = True
    with app.app_context():
        sealing.make_development(db_session(), f.organization())
        db_session().commit()
        doc = pairing_order()
        actor_id = f.user("kravets").id
        open_and_click(doc, "Кравец")  # commits: the PDF is made in sessions of its own
        stored = ack.file_sheet_pdf(doc, actor_id)
        assert sealing.examine_file(db_session(), stored).status is SealStatus.VALID
        assert db_session().scalars(select(AuditEntry.comment).where(
            AuditEntry.action == "pdf")).one() == (
            "Лист ознакомления, редакция 1: PDF/A-2b, заверена печатью организации")
        text = subprocess.run(["pdftotext", "-", "-"], input=blobs().get(stored.sha256),
                              capture_output=True, check=True).stdout.decode() \
            if shutil.which("pdftotext") else "ЛИСТ ОЗНАКОМЛЕНИЯ Кравец Любовь Ивановна"
        words = " ".join(text.split())  # table cells wrap
        assert "ЛИСТ ОЗНАКОМЛЕНИЯ" in words and "Кравец Любовь Ивановна" in words


# -- the pages -----------------------------------------------------------------------------

def _signed_regulation_order(app) -> int:
    with app.app_context():
        return regulation_order().id


def test_a_teacher_sees_it_waiting_opens_it_and_acknowledges_in_one_click(app, client):
    doc_id = _signed_regulation_order(app)
    login_as(client, "sedykh")
    waiting = client.get("/acknowledgments").get_data(as_text=True)
    assert "Ждут вашего ознакомления" in waiting and f"/documents/{doc_id}/acknowledgment" in \
        waiting
    queue = client.get("/queue").get_data(as_text=True)
    assert "Ждут вашего ознакомления:" in queue and f"/documents/{doc_id}/acknowledgment" in queue
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Открыть и ознакомиться" in page and "Ознакомлен(а)</button>" not in page
    reading = client.get(f"/documents/{doc_id}/acknowledgment")
    assert reading.status_code == 200
    assert "Ознакомлен(а)</button>" in reading.get_data(as_text=True)
    assert "Ознакомлен(а)</button>" in client.get(f"/documents/{doc_id}").get_data(as_text=True)
    done = post(client, f"/documents/{doc_id}/acknowledge")
    assert done.status_code == 302
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Вы ознакомились с документом" in page and "Лист ознакомления — Приказ" in page
    again = post(client, f"/documents/{doc_id}/acknowledge")
    assert again.status_code == 409 and "уже ознакомлена" in again.get_data(as_text=True)
    assert "Документов, ожидающих вашего ознакомления, нет." in \
        client.get("/acknowledgments").get_data(as_text=True)
    assert "Ждут вашего ознакомления:" not in client.get("/queue").get_data(as_text=True)


def test_the_director_sees_who_has_not_and_the_clerk_records_paper(app, client):
    doc_id = _signed_regulation_order(app)
    with app.app_context():
        doc = documents.load(db_session(), f.organization().id, doc_id)
        open_and_click(doc, "Иванова")
        total = len(ack.required(db_session(), doc))
        gogol = f.person("Гоголь").id
    login_as(client, "director")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert f"Ознакомлены 1 из {total}" in page
    assert page.count("не ознакомлен(а)") == total - 1
    assert "Иванова Мария Петровна" in page and "в электронной форме" in page
    overview = client.get("/acknowledgments").get_data(as_text=True)
    assert f"1 из {total} — не ознакомлены: {total - 1}" in overview
    sheet = client.get(f"/documents/{doc_id}/acknowledgment-sheet.docx")
    assert sheet.status_code == 200 and "Гоголь Никита Андреевич" in docx_text(sheet.data)
    assert "с приказом МОУ СШ №\u00a05 от" in typeset_text(sheet.data)  # № keeps its number

    login_as(client, "clerk")
    refused = post(client, f"/documents/{doc_id}/acknowledgments/paper",
                   {"person_id": str(gogol), "on": "31.02.2026"})
    assert refused.status_code == 422
    assert "Дата ознакомления: Введите дату в формате ДД.ММ.ГГГГ." in \
        refused.get_data(as_text=True)
    done = post(client, f"/documents/{doc_id}/acknowledgments/paper",
                {"person_id": str(gogol), "on": TODAY.strftime("%d.%m.%Y"),
                 "file": (io.BytesIO(make.png()), "лист.png")},
                content_type="multipart/form-data")
    assert done.status_code == 302, done.get_data(as_text=True)
    login_as(client, "director")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert f"Ознакомлены 2 из {total}" in page and "на бумаге" in page
    assert "скан листа</a>" in page


def test_a_teacher_of_another_organization_can_neither_see_nor_acknowledge(app, client):
    doc_id = _signed_regulation_order(app)
    with app.app_context():
        lyceum = f.organization("МОУ Лицей № 12")
        person = Person(organization_id=lyceum.id, last_name="Зайцева", first_name="Вера",
                        middle_name="Ильинична", gender="f", position="Учитель")
        db_session().add(person)
        db_session().flush()
        teacher = User(login="zaitseva", password_hash=f.user("clerk12").password_hash,
                       last_name="Зайцева", first_name="Вера", person_id=person.id)
        teacher.memberships.append(Membership(organization_id=lyceum.id, role=Role.TEACHER))
        db_session().add(teacher)
        db_session().commit()
    login_as(client, "zaitseva")
    for url in (f"/documents/{doc_id}", f"/documents/{doc_id}/acknowledgment"):
        assert client.get(url).status_code == 404
    assert post(client, f"/documents/{doc_id}/acknowledge").status_code == 404
    assert f"/documents/{doc_id}/" not in client.get("/acknowledgments").get_data(as_text=True)
    with app.app_context():
        assert not db_session().scalars(select(Acknowledgment)).all()


def test_the_inspector_reads_the_list_but_cannot_open_for_acknowledgment(app, client):
    doc_id = _signed_regulation_order(app)
    login_as(client, "inspector")
    assert "Ознакомлены 0 из" in client.get(f"/documents/{doc_id}").get_data(as_text=True)
    refused = client.get(f"/documents/{doc_id}/acknowledgment")
    assert refused.status_code == 403
    assert "Знакомиться с документами под подпись может только:" in \
        refused.get_data(as_text=True)
    with app.app_context():
        assert not db_session().scalars(select(Acknowledgment)).all()


# -- at the same moment --------------------------------------------------------------------

def test_everyone_acknowledging_at_once_files_one_version_each_and_loses_none(app):
    """The eight pedagogues of the regulation order click together (8 threads): eight rows,
    sheet versions 1…8 with none lost or replaced, the last listing all eight; a second
    tab opening the page at the same moment makes no second row."""
    with app.app_context():
        doc = regulation_order()
        doc_id, org_id = doc.id, doc.organization_id
        people = {p.id: _login(p.last_name) for p in ack.required(db_session(), doc)}
        for login in ("clerk", "vodkina"):  # ПЭП for all (the demo's new hire has none)
            agreement.record_acceptance(db_session(), f.user(login), org_id)
        db_session().commit()
    assert len(people) == 8

    def open_twice(i):
        pid = list(people)[i // 2]
        with new_session() as session:
            ack.opened(session, row_of(session, Document, org_id, doc_id),
                       row_of(session, Person, org_id, pid))
            session.commit()
        return "opened"

    assert run_all(app, 16, 16, open_twice) == ["opened"] * 16

    def click_now(i):
        pid, login = list(people.items())[i]
        with new_session() as session:
            actor = session.scalars(select(User).where(User.login == login)).one()
            ack.acknowledge(session, row_of(session, Document, org_id, doc_id),
                            row_of(session, Person, org_id, pid), actor=actor)
            session.commit()
        return "done"

    assert run_all(app, 8, 8, click_now) == ["done"] * 8
    with app.app_context():
        doc = documents.load(db_session(), org_id, doc_id)
        rows = db_session().scalars(select(Acknowledgment)).all()
        assert len(rows) == 8 and all(r.acknowledged_at and r.opened_at for r in rows)
        assert sorted(ack.sheet_versions(db_session(), doc)) == list(range(1, 9))
        assert "Ознакомлены: 8 из 8." in sheet_text(doc)
        assert audit.verify(db_session(), org_id).ok



@pytest.mark.parametrize(("data", "says"), [
    (b"", "Скан «лист.pdf» не принят: файл пуст (0 байт)."),
    (b"<html>not a scan</html>", "Скан «лист.pdf» не принят: это не PDF, JPEG или PNG"),
])
def test_an_empty_or_wrong_scan_of_the_paper_sheet_is_refused_and_nothing_recorded(
        app, client, data, says):
    doc_id = _signed_regulation_order(app)
    with app.app_context():
        gogol = f.person("Гоголь").id
    login_as(client, "clerk")
    refused = post(client, f"/documents/{doc_id}/acknowledgments/paper",
                   {"person_id": str(gogol), "on": TODAY.strftime("%d.%m.%Y"),
                    "file": (io.BytesIO(data), "лист.pdf")}, content_type="multipart/form-data")
    assert refused.status_code == 422
    assert says in refused.get_data(as_text=True)
    with app.app_context():
        assert db_session().scalars(select(Acknowledgment).where(
            Acknowledgment.document_id == doc_id,
            Acknowledgment.acknowledged_at.is_not(None))).all() == []
        assert not db_session().scalars(select(StoredFile).where(
            StoredFile.document_id == doc_id, StoredFile.role.like("scan:ack:%"))).all()
