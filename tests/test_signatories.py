"""Every party signs its own documents (issue 9, points 1, 2 and 7): the signatories each
kind declares, the rules of a signature and their Russian refusals, the number taken at
the last signature, the visas no one gives himself, the API and the page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from signatures import agreement, simple
from signatures.simple import SignatureStatus
from storage.db import db_session, new_session
from storage.models import AuditEntry, Document, Signature, StoredFile, User
from storage.roles import Role
from tests.helpers import documents as f
from tests.helpers.docx import docx_text
from tests.helpers.http import api, login_as, post
from tests.helpers.kinds import pd_data
from tests.helpers.orders import regulation_data, roadmap_rows
from tests.helpers.pairs import groups_of, pair, program_data, ready, signed_order
from workflows import documents, signatories, signing
from workflows.errors import Conflict, NotAllowed, RuleViolation
from workflows.kinds import all_kinds
from workflows.rendering import document_context

TEACHER = frozenset({Role.TEACHER})


def consent_awaiting(last_name: str = "Седых", kind: str = "pd_consent") -> Document:
    """A consent of ``last_name`` visaed by the director: awaiting her signature."""
    data = pd_data(f.person(last_name).id) if kind == "pd_consent" else {
        "person_id": f.person(last_name).id, "statement_date": "2026-11-20",
        "duties": "наставничество", "notes": ""}
    return f.walk(f.draft(kind, data), "submit", "approve")


def program_awaiting() -> Document:
    """A personalized program of Иванова with Кравец and Гоголь, visaed by the curator:
    awaiting the mentor, both mentees, then the head."""
    ready("Иванова", "Кравец", "Гоголь")
    group = groups_of(signed_order(pair("Иванова", "Кравец", "Гоголь")))[0]
    doc = f.walk(f.draft("mentoring_program", program_data(group)), "submit")
    return f.walk(doc, "approve", actor="curator")


def sign_as(doc: Document, login: str) -> Document:
    """``login`` gives her own simple signature (her real roles), committed."""
    user = f.user(login)
    documents.transition(db_session(), doc, "sign", actor=user,
                         roles=signing.roles_of(db_session(), user, doc.organization_id))
    db_session().commit()
    return doc


def refusal(doc: Document, error: type, call) -> str:
    """``call()`` raises ``error``: its message; the session rolled back, the document
    still approved and without a new signature."""
    before = len(signatories.signatures_of(db_session(), doc))
    with pytest.raises(error) as caught:
        call()
    db_session().rollback()
    assert f.state(doc) == "approved"
    assert len(signatories.signatures_of(db_session(), doc)) == before
    return caught.value.message


def refused_to_clerk(doc: Document, party: str, method: str = "paper",
                     sha256: str = "a" * 64) -> str:
    """The clerk records ``party``'s signature by ``method`` over a file hashed ``sha256``
    and is refused (RuleViolation): its message, as ``refusal`` checks it."""
    return refusal(doc, RuleViolation, lambda: signing.record(
        db_session(), doc, party, method=method, actor=f.user("clerk"), sha256=sha256))


def test_every_kind_declares_its_signatories_by_law():
    by_kind = {k.name: k.signatories for k in all_kinds()}
    assert all(by_kind.values()), [k for k, s in by_kind.items() if not s]
    for name, declared in by_kind.items():
        assert all(set(s.methods) <= set(signatories.METHODS) and s.basis for s in declared)
        heads = [i for i, s in enumerate(declared) if s.is_head]
        assert heads in ([], [len(declared) - 1]), name  # the head signs last
    parts = {name: [s.part for s in declared] for name, declared in by_kind.items()}
    assert parts["pd_consent"] == parts["participant_consent"] == ["subject"]
    assert parts["mentor_consent"] == ["employee"]
    assert parts["mentoring_agreement"] == ["employee", "employer"]
    assert parts["mentor_resignation"] == parts["mentor_replacement_request"] == ["author"]
    assert parts["mentoring_program"] == ["mentor", "mentee", "head"]
    assert parts["final_report"] == ["curator", "head"]
    for order in ("regulation_order", "curator_order", "pairing_order", "roadmap",
                  "program_change", "program_termination"):
        assert parts[order] == ["head"], order
    # labour documents: paper or qualified, never ПЭП (ТК РФ ст. 22.1–22.3)
    for labour in ("mentor_consent", "mentoring_agreement"):
        assert all("simple" not in s.methods and "ТК РФ ст. 22.1" in s.basis
                   for s in by_kind[labour]), labour
    assert by_kind["pd_consent"][0].methods == ("simple", "paper")
    assert "152-ФЗ ст. 9 ч. 4" in by_kind["pd_consent"][0].basis


def test_the_teacher_signs_her_own_consent_and_the_director_cannot(app):
    with app.app_context():
        doc = consent_awaiting()
        [party] = signatories.pending(db_session(), doc)
        assert (party.key, party.name, party.user_id) == (
            "subject", "Седых Ирина Павловна", f.user("sedykh").id)
        director = f.user("director")
        message = refusal(doc, NotAllowed, lambda: documents.transition(
            db_session(), doc, "sign", actor=director, roles={Role.DIRECTOR}))
        assert message == ("Ваша подпись на этом документе не требуется. Его подписывают: "
                           "Субъект персональных данных (Седых Ирина Павловна).")
        # nor in her name by the one door, with ПЭП
        copy = signing.signing_copy(db_session(), doc)
        message = refusal(doc, NotAllowed, lambda: signing.record(
            db_session(), doc, "subject", method="simple", actor=director,
            sha256=copy.sha256))
        assert message == ("Простой электронной подписью за сторону «Субъект персональных "
                           "данных» подписывает только Седых Ирина Павловна сам(а) под своей "
                           "учётной записью.")
        sign_as(doc, "sedykh")
        assert doc.state == "signed" and doc.number.endswith("-с")
        [sig] = signatories.signatures_of(db_session(), doc)
        assert (sig.party, sig.part, sig.method, sig.signer_name, sig.user_id) == (
            "subject", "subject", "simple", "Седых Ирина Павловна", f.user("sedykh").id)
        assert sig.sha256 == copy.sha256 and sig.key_id == simple.key_id()
        assert simple.signature_status(sig) is SignatureStatus.VALID
        assert simple.verify(doc)  # the document's own registration id
        esigns = document_context(db_session(), doc, final=True)["esigns"]
        assert esigns["subject"]["signer"] == "Седых Ирина Павловна"
        assert esigns["subject"]["method_label"] == "простая электронная подпись"
        assert "Подписант: Седых Ирина Павловна, учитель" in docx_text(f.signed_copy(doc))


def test_a_changed_signature_record_no_longer_verifies(app):
    with app.app_context():
        doc = sign_as(consent_awaiting(), "sedykh")
        [sig] = signatories.signatures_of(db_session(), doc)
        sig.sha256 = "0" * 64
        assert simple.signature_status(sig) is SignatureStatus.INVALID


def test_a_method_the_party_does_not_accept_is_refused(app):
    """The mentor's consent is a labour document: not by ПЭП, even by its own teacher."""
    with app.app_context():
        doc = consent_awaiting("Гоголь", kind="mentor_consent")
        message = refusal(doc, RuleViolation, lambda: sign_as(doc, "gogol"))
        assert message.startswith("«Педагог, давший согласие» подписывает этот документ только "
                                  "так: собственноручная подпись на бумаге или усиленная "
                                  "квалифицированная электронная подпись. Основание: Документ "
                                  "по трудовым отношениям")
        message = refused_to_clerk(doc, "employee", method="seal")
        assert "подписывает этот документ только так" in message


def test_a_paper_original_is_filed_by_the_clerk_and_signs_the_party(app):
    with app.app_context():
        doc = consent_awaiting("Гоголь", kind="mentor_consent")
        # a teacher files no one else's paper signature
        message = refusal(doc, NotAllowed, lambda: signing.record(
            db_session(), doc, "employee", method="paper", actor=f.user("sedykh"),
            sha256="a" * 64, roles=TEACHER))
        assert message == ("Подпись стороны «Педагог, давший согласие» (Гоголь Никита "
                           "Андреевич) на бумаге или квалифицированной электронной подписью "
                           "прикладывает сама сторона, делопроизводитель или руководитель.")
        message = refused_to_clerk(doc, "employee", sha256="")
        assert message.startswith("Приложите файл подписи")
        f.sign_all(doc)
        [sig] = signatories.signatures_of(db_session(), doc)
        scan = db_session().get(StoredFile, sig.file_id)
        assert (sig.method, sig.signer_name, sig.user_id) == (
            "paper", "Гоголь Никита Андреевич", f.user("clerk").id)
        assert scan.role == "scan:employee" and scan.sha256 == sig.sha256
        assert sig.signature_id is None and doc.state == "signed"


def test_an_unknown_party_and_a_second_signature_are_refused(app):
    with app.app_context():
        doc = program_awaiting()
        message = refused_to_clerk(doc, "janitor")
        assert message.startswith("У этого документа нет стороны «janitor»: его подписывают: "
                                  "Наставник (Иванова Мария Петровна), Наставляемый")
        sign_as(doc, "ivanova")
        message = refusal(doc, RuleViolation, lambda: sign_as(doc, "ivanova"))
        assert message.startswith("Наставник (Иванова Мария Петровна) уже подписал(а) документ ")
        assert message.endswith("(простая электронная подпись). Повторная подпись той же "
                                "стороны не ставится.")
        message = refused_to_clerk(doc, "mentor")
        assert "уже подписал(а) документ" in message


def test_signing_before_the_visas_is_refused(app):
    with app.app_context():
        doc = f.walk(f.draft("pd_consent", pd_data(f.person("Седых").id)), "submit")
        with pytest.raises(RuleViolation) as caught:
            sign_as(doc, "sedykh")
        db_session().rollback()
        assert caught.value.message == ("Подписать документ можно, когда он согласован (все "
                                        "визы получены); сейчас он в состоянии «На "
                                        "согласовании».")
        assert f.state(doc) == "in_approval"
        assert not signatories.signatures_of(db_session(), doc)


def test_the_head_signs_last_and_the_number_is_taken_at_the_last_signature(app):
    with app.app_context():
        doc = program_awaiting()
        message = refusal(doc, RuleViolation, lambda: sign_as(doc, "director"))
        assert message == ("«Руководитель (утверждает)» подписывает документ последним: ещё "
                           "не подписали — Наставник (Иванова Мария Петровна), Наставляемый "
                           "(Кравец Любовь Ивановна), Наставляемый (Гоголь Никита Андреевич).")
        outcome = documents.act(db_session(), doc, "sign", actor=f.user("ivanova"),
                                roles=TEACHER, reauthenticated=True)
        db_session().commit()
        assert outcome.jobs == ()  # no PDF yet: it is not signed
        assert (doc.state, doc.number, doc.doc_date) == ("approved", None, None)
        assert db_session().scalars(select(StoredFile.role).where(
            StoredFile.document_id == doc.id)).all() == ["signing_copy"]
        row = db_session().scalars(select(AuditEntry).where(
            AuditEntry.document_id == doc.id).order_by(AuditEntry.id.desc())).first()
        assert (row.action, row.from_state, row.to_state) == ("sign", "approved", "approved")
        assert row.comment == "Подпись: наставник — Иванова Мария Петровна (простая " \
                              "электронная подпись)"
        for login in ("kravets", "gogol"):
            sign_as(doc, login)
            assert doc.number is None
        assert [p.key for p in signatories.pending(db_session(), doc)] == ["head"]
        outcome = documents.act(db_session(), doc, "sign", actor=f.user("director"),
                                roles={Role.DIRECTOR}, reauthenticated=True)
        db_session().commit()
        assert doc.state == "signed" and doc.number.endswith("-пн")
        assert outcome.jobs == (("convert_signed_to_pdf", doc.id, f.user("director").id),)
        made = signatories.signatures_of(db_session(), doc)
        copy = signing.signing_copy(db_session(), doc)
        assert [s.part for s in made] == ["mentor", "mentee", "mentee", "head"]
        assert {s.sha256 for s in made} == {copy.sha256}
        assert set(document_context(db_session(), doc, final=True)["esigns"]) == \
            {s.party for s in made}


def test_a_document_someone_signed_is_not_returned(app):
    with app.app_context():
        doc = sign_as(program_awaiting(), "ivanova")
        with pytest.raises(RuleViolation) as caught:
            f.walk(doc, "return", comment="Исправьте план.")
        db_session().rollback()
        assert caught.value.message == (
            "Действие «Вернуть на доработку» невозможно: документ уже подписали — Иванова "
            "Мария Петровна. Подписи относятся к этому тексту; если документ нужно изменить, "
            "отмените его и создайте новый.")
        assert f.state(doc) == "approved"


def test_the_signing_copy_of_an_unsigned_round_is_dropped_on_return(app):
    with app.app_context():
        doc = consent_awaiting()
        first = signing.signing_copy(db_session(), doc).id
        f.walk(doc, "return", comment="Уточните срок.")
        assert not db_session().scalars(select(StoredFile).where(
            StoredFile.id == first)).all()
        with pytest.raises(RuleViolation, match="когда документ согласован"):
            signing.signing_copy(db_session(), doc)


def test_simple_signature_needs_the_accepted_regulation(app):
    with app.app_context():
        doc = consent_awaiting()
        agreement.withdraw(db_session(), f.user("sedykh"), doc.organization_id)
        db_session().commit()
        message = refusal(doc, NotAllowed, lambda: sign_as(doc, "sedykh"))
        assert message.startswith("Простая электронная подпись вам недоступна:")


def test_no_one_visas_his_own_document(app):
    with app.app_context():
        order = f.walk(f.draft("regulation_order", regulation_data()), "submit")
        assert order.state == "approved"  # the head signs it: his own visa is skipped
        assert routes_skipped(order) == {
            "head": "руководитель подписывает документ сам(а), своя виза не ставится"}
        roadmap = f.draft("roadmap", {"school_year": 2026, "rows": roadmap_rows(2026),
                                      "notes": ""}, author="curator")
        assert routes_skipped(roadmap) == {
            "curator": "автор документа — куратор, своя виза не ставится",
            "head": "руководитель подписывает документ сам(а), своя виза не ставится"}
        by_clerk = f.draft("roadmap", {"school_year": 2026, "rows": roadmap_rows(2026),
                                       "notes": ""})
        f.walk(by_clerk, "submit")
        assert by_clerk.state == "in_approval"  # the curator visas what the clerk wrote
        consent = f.walk(f.draft("pd_consent", pd_data(f.person("Седых").id)), "submit")
        assert consent.state == "in_approval" and routes_skipped(consent) == {}


def routes_skipped(doc: Document) -> dict[str, str]:
    from workflows.approval_routes import skipped

    return skipped(db_session(), doc)


def test_the_page_lists_the_parties_and_offers_the_form_to_the_party(app, client):
    with app.app_context():
        doc_id = program_awaiting().id
    login_as(client, "kravets")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "<h2>Подписи</h2>" in page
    for text in ("Наставник", "Иванова Мария Петровна", "Кравец Любовь Ивановна",
                 "подписывает последним", "П1 §5.1", 'id="p-sign"',
                 "Вы подписываете документ как «Наставляемый»"):
        assert text in page, text
    queue = client.get("/queue").get_data(as_text=True)
    assert f'href="/documents/{doc_id}"' in queue
    assert "Подписать (наставляемый)" in queue
    wrong = post(client, f"/documents/{doc_id}/act/sign", {"password": "не тот"})
    assert wrong.status_code == 403 and "неверный пароль" in wrong.get_data(as_text=True)
    assert post(client, f"/documents/{doc_id}/act/sign",
                {"password": "nastavnik2026"}).status_code == 302
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "✔ подписано" in page and 'id="p-sign"' not in page
    login_as(client, "director")  # the head's turn has not come
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert 'id="p-sign"' not in page
    assert f'href="/documents/{doc_id}"' not in client.get("/queue").get_data(as_text=True)


def test_the_api_lists_signatures_and_who_still_has_to_sign(app, client):
    with app.app_context():
        doc = sign_as(program_awaiting(), "ivanova")
        doc_id = doc.id
    login_as(client, "clerk")
    body = api(client, "GET", f"/api/documents/{doc_id}").json
    [made] = body["signatures"]
    assert {k: made[k] for k in ("signer", "part", "method")} == {
        "signer": "Иванова Мария Петровна", "part": "mentor", "method": "simple"}
    assert len(made["sha256"]) == 64 and made["at"]
    assert [(p["part"], p["name"], p["methods"]) for p in body["pending_signatories"]] == [
        ("mentee", "Кравец Любовь Ивановна", ["simple", "paper"]),
        ("mentee", "Гоголь Никита Андреевич", ["simple", "paper"]),
        ("head", "Петров Иван Сергеевич", ["simple", "paper", "qualified"])]


def test_another_organization_can_neither_see_nor_sign(app, client):
    with app.app_context():
        doc_id = consent_awaiting().id
    login_as(client, "director12")
    answer = api(client, "POST", f"/api/documents/{doc_id}/transitions",
                 {"action": "sign", "password": "nastavnik2026"})
    assert answer.status_code == 404 and answer.json["error"] == "Документ не найден."
    with app.app_context():
        doc = db_session().get(Document, doc_id)
        other = f.user("director12")
        message = refusal(doc, NotAllowed, lambda: signing.record(
            db_session(), doc, "subject", method="paper", actor=other,
            sha256="a" * 64))  # no roles in this school: not a recorder here
        assert "прикладывает сама сторона, делопроизводитель или руководитель" in message


def test_a_signature_carried_over_by_migration_0009_still_verifies(app):
    """Before issue 9 the head's signature was on the document; 0009 copied it into a row
    keyed ``head`` over the content hash, with the earlier formula."""
    with app.app_context():
        doc = sign_as(consent_awaiting(), "sedykh")
        sig = db_session().scalars(select(Signature).where(
            Signature.document_id == doc.id)).one()
        sig.party, sig.sha256 = "head", doc.content_hash
        sig.signature_id, sig.key_id = doc.signature_id, doc.signature_key_id
        sig.user_id, sig.signed_at = doc.signed_by_id, doc.signed_at
        assert simple.signature_status(sig) is SignatureStatus.VALID


def test_two_parties_signing_at_once_do_not_both_see_the_other_pending(app):
    """Each signature makes a new version of the document: of two signatures racing, the
    one made on a stale copy is a Conflict (409), so the last one always completes it."""
    with app.app_context():
        doc = sign_as(program_awaiting(), "ivanova")
        doc_id = doc.id
        with new_session() as late, new_session() as first:
            stale = late.get(Document, doc_id)  # read before the other signature
            gogol = late.scalars(select(User).where(User.login == "gogol")).one()
            late.commit()  # kept as read (SQLite lets one writer at a time)
            kravets = first.scalars(select(User).where(User.login == "kravets")).one()
            documents.transition(first, first.get(Document, doc_id), "sign", actor=kravets,
                                 roles=TEACHER)
            first.commit()
            with pytest.raises(Conflict, match="Документ уже изменил другой пользователь"):
                documents.transition(late, stale, "sign", actor=gogol, roles=TEACHER)
        db_session().expire_all()
        assert [p.key for p in signatories.pending(db_session(), doc)] == [
            f"mentee:{f.person('Гоголь').id}", "head"]
        sign_as(doc, "gogol")  # signed again, on the document as it is now
        assert [p.key for p in signatories.pending(db_session(), doc)] == ["head"]


def test_the_same_party_recorded_twice_at_once_is_a_conflict(app):
    with app.app_context():
        doc = consent_awaiting()
        session, sedykh = db_session(), f.user("sedykh")
        request = signing.own_request(session, doc, sedykh, TEACHER)
        party = signing.check(session, doc, request, sedykh, TEACHER)
        signing.write(session, doc, request, party, sedykh)
        session.commit()
        with pytest.raises(Conflict) as caught:  # as a request that checked before it
            signing.write(session, doc, request, party, sedykh)
        assert caught.value.message == ("Субъект персональных данных (Седых Ирина Павловна) "
                                        "уже подписал(а) документ в другом окне или запросе. "
                                        "Обновите страницу.")
        assert len(signatories.signatures_of(db_session(), doc)) == 1
