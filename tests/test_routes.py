"""Approval routes: visas in order, per-organization choice of visas, refusals."""

from __future__ import annotations

from storage.db import db_session
from storage.models import Document
from storage.roles import Role
from tests.helpers import documents as factories
from tests.helpers.http import login_as, post
from tests.helpers.kinds import pd_data
from tests.helpers.orders import curator_data
from workflows import approval_routes as routes
from workflows.errors import NotAllowed, ValidationError


def consent_data(last_name="Седых") -> dict:
    return {"person_id": factories.person(last_name).id, "statement_date": "2026-11-20",
            "duties": "наставничество", "notes": ""}


def test_default_route_is_the_heads_approval(app):
    with app.app_context():
        doc = factories.draft("mentor_consent", consent_data())
        assert [s.code for s in routes.configured_route(db_session(), doc)] == ["head"]


def test_organization_chooses_curator_then_head(app, client):
    """Visas in the chosen order; then the teacher signs her consent herself (issue 9: the
    director signed it before)."""
    with app.app_context():
        routes.choose_route(db_session(), factories.organization().id, "pd_consent",
                            ["curator", "head"])
        db_session().commit()
        doc = factories.draft("pd_consent", pd_data(factories.person("Седых").id))
        doc_id = doc.id
    login_as(client, "clerk")
    post(client, f"/documents/{doc_id}/act/submit")

    login_as(client, "director")  # not the director's turn yet
    early = post(client, f"/documents/{doc_id}/act/approve")
    assert early.status_code == 403
    assert "на визе у другого участника (Куратор)" in early.get_data(as_text=True)

    login_as(client, "curator")
    assert "Седых" in client.get("/queue").get_data(as_text=True)
    post(client, f"/documents/{doc_id}/act/approve")
    with app.app_context():
        doc = db_session().get(Document, doc_id)
        assert doc.state == "in_approval"  # the head's visa is still missing
        assert [v.step for v in routes.visas_of(db_session(), doc)] == ["curator"]

    login_as(client, "director")
    post(client, f"/documents/{doc_id}/act/approve")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Сидорова Елена Викторовна" in page  # the curator's visa is shown
    login_as(client, "sedykh")
    signed = post(client, f"/documents/{doc_id}/act/sign", {"password": "nastavnik2026"})
    assert signed.status_code == 302
    with app.app_context():
        assert db_session().get(Document, doc_id).state == "signed"


def test_return_voids_the_round(app):
    with app.app_context():
        routes.choose_route(db_session(), factories.organization().id, "mentor_consent",
                            ["curator", "head"])
        doc = factories.draft("mentor_consent", consent_data())
        factories.walk(doc, "submit")
        factories.walk(doc, "approve", actor="curator")
        factories.walk(doc, "return", comment="Исправьте дату.")
        assert doc.state == "returned"
        from workflows import documents

        documents.update(db_session(), doc, data=consent_data(), actor=factories.user("clerk"),
                         roles={Role.CLERK})
        factories.walk(doc, "submit")
        assert doc.approval_round == 2
        assert routes.visas_of(db_session(), doc) == []
        assert [p.step.code for p in routes.pending(db_session(), doc)] == ["curator", "head"]


def test_unknown_visa_is_refused(app):
    with app.app_context():
        try:
            routes.choose_route(db_session(), factories.organization().id, "mentor_consent",
                                ["janitor"])
        except ValidationError as exc:
            assert "Нет такого этапа: «janitor»." in exc.fields["steps"]
        else:
            raise AssertionError("an unknown visa was accepted")


def test_required_participants_visa_cannot_be_switched_off(app):
    assert "participants" not in routes.OPTIONAL_VISAS
    with app.app_context():
        try:
            routes.choose_route(db_session(), factories.organization().id, "mentor_consent",
                                ["participants"])
        except ValidationError:
            pass
        else:
            raise AssertionError("the participants' visa was treated as optional")


def test_teacher_cannot_give_the_heads_visa(app):
    with app.app_context():
        doc = factories.draft("mentor_consent", consent_data())
        factories.walk(doc, "submit")
        teacher = factories.user("gogol")
        try:
            routes.give_visa(db_session(), doc, teacher, {teacher_role()})
        except NotAllowed as exc:
            assert "Руководитель" in exc.message
        else:
            raise AssertionError("a teacher gave the head's visa")
        assert db_session().get(Document, doc.id).state == "in_approval"


def teacher_role():
    from storage.roles import Role

    return Role.TEACHER


def test_bulk_sign_from_the_queue(demo, app, client):
    """The director approves two consents at once, then signs at once what is his to sign:
    two orders. A teacher's consent to be a mentor is hers to sign, on paper: it is refused
    on its own and stays approved (issue 9: the director signed it before)."""
    with app.app_context():
        consents, orders = [], []
        for name in ("Седых", "Гоголь"):
            doc = factories.draft("mentor_consent", consent_data(name))
            factories.walk(doc, "submit")
            consents.append(doc.id)
            order = factories.draft("curator_order", curator_data())
            factories.walk(order, "submit")  # the head signs it: no visa of his own
            orders.append(order.id)
    login_as(client, "director")
    approved = post(client, "/queue/bulk", {"action": "approve", "doc_id": consents})
    assert approved.status_code == 302
    ids = [*orders, consents[0]]
    wrong = post(client, "/queue/bulk", {"action": "sign", "doc_id": ids,
                                         "password": "x"})
    assert wrong.status_code == 403
    signed = post(client, "/queue/bulk", {"action": "sign", "doc_id": ids,
                                          "password": "nastavnik2026"}, follow_redirects=True)
    page = signed.get_data(as_text=True)
    assert "Документов подписано: 2." in page
    assert ("Ваша подпись на этом документе не требуется. Его подписывают: Педагог, "
            "давший согласие (Седых Ирина Павловна).") in page
    with app.app_context():
        assert [db_session().get(Document, i).state for i in ids] == \
            ["signed", "signed", "approved"]


def test_director_sets_a_route_on_the_settings_page(app, client):
    login_as(client, "director")
    page = client.get("/settings/routes").get_data(as_text=True)
    assert "Согласие педагога на назначение наставником" in page
    saved = post(client, "/settings/routes/mentor_consent",
                 {"step-curator": "1", "step-head": "1", "order-curator": "1", "order-head": "2"})
    assert saved.status_code == 302
    with app.app_context():
        steps = routes.configured_route(db_session(), factories.organization().id, "mentor_consent")
        assert [s.code for s in steps] == ["curator", "head"]


def test_only_the_head_or_admin_sets_routes(client):
    login_as(client, "clerk")
    refused = client.get("/settings/routes")
    assert refused.status_code == 403
    assert "настраивает руководитель" in refused.get_data(as_text=True)


def test_a_route_without_visas_goes_straight_to_signing(app):
    with app.app_context():
        routes.choose_route(db_session(), factories.organization().id, "mentor_consent", [])
        doc = factories.draft("mentor_consent", consent_data())
        factories.walk(doc, "submit")
        assert doc.state == "approved"


def test_document_page_names_the_visa_and_formats_money(client, app):
    from tests.helpers import pairs

    with app.app_context():
        pairs.ready("Иванова", "Кравец")
        order = pairs.signed_order(pairs.pair("Иванова", "Кравец"))
        order_id = order.id
    login_as(client, "curator")
    page = client.get(f"/documents/{order_id}").get_data(as_text=True)
    assert "<td>Куратор</td>" in page and "<td>curator</td>" not in page
    assert "руб." in page


def test_participants_find_the_change_waiting_for_their_agreement_in_their_queue(client, app):
    from tests.helpers import pairs
    from workflows.program_change import EXTENSION

    with app.app_context():
        program = pairs.running_program("Иванова", "Седых")
        change = factories.draft("program_change", {
            "program_id": program.id, "change_type": EXTENSION,
            "new_end_date": program.end_date.replace(month=8, day=20).isoformat(),
            "reason": "по обоюдному согласию"})
        factories.walk(change, "submit", actor="clerk")
        change_id = change.id
    login_as(client, "sedykh")
    assert "Очередь на согласование" in client.get("/").get_data(as_text=True)
    queue = client.get("/queue").get_data(as_text=True)
    assert f"/documents/{change_id}" in queue
