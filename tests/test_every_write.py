"""Every write route, called by every role that must not use it, changes nothing.

The cases are generated from ``app.url_map``. Each rule with POST/PUT/PATCH/DELETE must be
declared in ``webforms.writers`` (``WRITES``, or ``SESSION`` for the user's own login) and
must have a plausible body in ``BODIES`` below; a new write route without both fails
``test_every_write_route_is_declared_and_has_a_body``. Its URL parameters are filled with
real ids of school 5's objects (``pools``: documents in each state, people, programs, template
versions, every kind and action) and each case is sent with a valid CSRF token as:

- ``inspector``: every declared write; the table refuses it (403, its Russian message);
- ``ivanova`` (a teacher): the staff-only writes (403 from the table) and, where teachers
  may write, the objects that do not concern her (404 from the one loader, or 403/422);
- ``director12``, ``clerk12`` (Лицей № 12): every write that names an object of school 5
  in its URL or body (4xx), except those in ``OWN_ORGANIZATION_ONLY``.

After each route × login the database (every table's rows, hashed) and the file store
are the same as before. Every GET route is then crawled as the inspector and the director
(a GET that writes would have to be declared): nothing changes either.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select, text

from doc_templates import versions
from doc_templates.render import template_path
from storage.db import db_session
from storage.models import (
    Document,
    Person,
    Program,
    SealCertificate,
    StoredFile,
    TemplateVersion,
)
from storage.roles import Role
from tests.helpers.documents import organization, user
from tests.helpers.http import csrf_token, login_as
from webforms.demo import DEMO_PASSWORD, EXTRA_SEEDS
from webforms.writers import SESSION, UNSAFE_METHODS, WRITES
from workflows import sealing
from workflows.approval_routes import OPTIONAL_VISAS
from workflows.kinds import all_kinds
from workflows.lifecycle import TRANSITIONS
from workflows.states import DocState
from workflows.vocabulary import BANK_ROLES

# rows that change with a login itself, not with what the user does (webforms.writers.SESSION)
BOOKKEEPING_TABLES = {"user_sessions", "alembic_version"}
# writes that name no object of another organization: Лицей № 12 doing them writes its own
OWN_ORGANIZATION_ONLY = {
    "settings.route_save": "the route of a kind, saved for the user's own organization",
    "templates_admin.upload": "a new template version of the user's own organization",
    "seal_admin.upload": "the seal certificate of the user's own organization",
    "people_bank.create": "a card of a pedagogue of the user's own organization",
    "people_bank.import_file": "a preview of a staff list for the user's own organization",
}
# writes that name no object and change only the user's own state, done by whoever the
# table lets (the inspector is refused): tests/test_esign_agreement.py tests them
OWN_ACCOUNT_ONLY = {"esign.accept", "esign.withdraw"}
CREATES = {"documents.create", "api.create_document"}
TEACHER = "ivanova"
REFUSERS = ("inspector", TEACHER, "director12", "clerk12")
ROLES = {"inspector": {Role.INSPECTOR}, TEACHER: {Role.TEACHER},
         "director12": {Role.DIRECTOR}, "clerk12": {Role.CLERK}}


# -- what the database and the file store hold ------------------------------------------

def snapshot(app) -> dict[str, str]:
    """A hash of every table's rows (bookkeeping aside) and the file store's listing."""
    out: dict[str, str] = {}
    with app.app_context():
        session = db_session()
        for table in sa_inspect(session.get_bind()).get_table_names():
            if table in BOOKKEEPING_TABLES:
                continue
            rows = session.execute(text(f'SELECT * FROM "{table}"')).all()
            out[table] = hashlib.sha256(
                repr(sorted(repr(tuple(r)) for r in rows)).encode()).hexdigest()
        session.rollback()
        root = Path(app.config["STORAGE_DIR"])
        files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
        out["<file store>"] = "\n".join(files)
    return out


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


# -- school 5's objects -----------------------------------------------------------------

def full_demo(app, client) -> dict[str, Any]:
    """The demo school with documents of every kind, pairs, programs, a template version
    and a batch of the clerk; return the pools of its ids."""
    with app.app_context():
        session = db_session()
        org = organization()
        logins = ("director", "curator", "clerk", "ivanova", "shevchuk", "sedykh", "gogol",
                  "kravets", "vodkina")
        users = {login: user(login) for login in logins}
        import importlib

        for module, function in EXTRA_SEEDS:
            getattr(importlib.import_module(module), function)(session, org, users)
            session.commit()
        kind = "mentor_consent"
        versions.add(session, org.id, kind, template_path(kind).read_bytes(),
                     filename="согласие.docx", uploaded_by=users["clerk"], notes="проверка")
        sealing.make_development(session, org)  # a seal certificate, for its pages
        session.commit()
    login_as(client, "clerk")
    with app.app_context():
        signed = db_session().scalars(select(Document.id).where(
            Document.organization_id == organization().id, Document.state == "signed")).first()
    started = client.post("/jobs/", data={"document_ids": [signed], "format": "docx",
                                          "csrf_token": csrf_token(client)})
    assert started.status_code == 302, started.get_data(as_text=True)
    batch_id = started.headers["Location"].split("/")[2]
    return pools(app, batch_id)


def pools(app, batch_id: str) -> dict[str, Any]:
    with app.app_context():
        session, org_id = db_session(), organization().id
        docs = session.scalars(select(Document).where(Document.organization_id == org_id)
                               .order_by(Document.id)).all()
        by_state = {}
        for doc in docs:
            by_state.setdefault(doc.state, doc)
        assert set(by_state) >= {s.value for s in DocState} - {"superseded"}, set(by_state)
        me = user(TEACHER).person_id
        not_hers_all = [d for d in docs if d.author_id != user(TEACHER).id
                        and me not in _ints(d.data) and d.person_id != me]
        not_hers = {}
        for doc in not_hers_all:
            not_hers.setdefault(doc.state, doc)
        out = {
            "documents": {s: _doc(d) for s, d in by_state.items()},
            "not_hers": {s: _doc(d) for s, d in not_hers.items()},
            "by_kind": {d.kind: _doc(d) for d in reversed(docs)},
            "not_hers_by_kind": {d.kind: _doc(d) for d in reversed(docs)
                                 if d.id in {x.id for x in not_hers_all}},
            "others": [i for i in session.scalars(select(Person.id).where(
                Person.organization_id == org_id)) if i != me],
            "person_id": list(session.scalars(select(Person.id).where(
                Person.organization_id == org_id))),
            "program_id": list(session.scalars(select(Program.id).where(
                Program.organization_id == org_id))),
            "version_id": list(session.scalars(select(TemplateVersion.id).where(
                TemplateVersion.organization_id == org_id))),
            "files": [(f.document_id, f.id) for f in session.scalars(
                select(StoredFile).join(Document).where(Document.organization_id == org_id))],
            "batch_id": [batch_id],
            "certificate_id": list(session.scalars(select(SealCertificate.id).where(
                SealCertificate.organization_id == org_id))),
            "my_person_id": me,
        }
        session.rollback()
    assert out["program_id"] and out["version_id"] and out["files"]
    return out


def _doc(doc: Document) -> dict[str, Any]:
    return {"id": doc.id, "kind": doc.kind, "state": doc.state, "version": doc.version,
            "data": json.loads(json.dumps(doc.data, default=str))}


def _ints(data: Any) -> set[int]:
    if isinstance(data, dict):
        return set().union(*(_ints(v) for v in data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*(_ints(v) for v in data)) if data else set()
    return {data} if isinstance(data, int) and not isinstance(data, bool) else set()


def as_form(data: dict[str, Any]) -> dict[str, Any]:
    """A document's data as the flat fields of its HTML form (rows ``name-i-field``)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key.startswith("_"):
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for i, row in enumerate(value):
                for sub, v in row.items():
                    out[f"{key}-{i}-{sub}"] = [str(x) for x in v] if isinstance(v, list) \
                        else str(v)
        elif isinstance(value, list):
            out[key] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                out[key] = "on"
        elif value is not None:
            out[key] = str(value)
    return out


# -- the URL parameters and bodies of each write ----------------------------------------

def documents_for(login: str, p: dict[str, Any]) -> list[dict[str, Any]]:
    """The documents a refuser tries: every state; for the teacher only others' ones."""
    return list((p["not_hers"] if login == TEACHER else p["documents"]).values())


def doc_ids(login: str, p: dict[str, Any]) -> list[str]:
    return [str(d["id"]) for d in documents_for(login, p)]


def url_values(rule, login: str, p: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every combination of real values for the rule's arguments."""
    args = set(rule.arguments)
    if {"doc_id", "file_id"} <= args:
        for doc_id, file_id in p["files"]:
            yield {"doc_id": doc_id, "file_id": file_id}
        return
    choices: dict[str, list[Any]] = {}
    for arg in sorted(args):
        if arg == "doc_id":
            choices[arg] = [d["id"] for d in documents_for(login, p)]
        elif arg == "action":
            choices[arg] = sorted(TRANSITIONS)
        elif arg == "kind":
            choices[arg] = [k.name for k in all_kinds()]
        elif arg == "fmt":
            choices[arg] = ["docx", "pdf"]
        elif arg in p:
            choices[arg] = p[arg]
        else:
            raise AssertionError(f"{rule.rule}: give «{arg}» a pool of school 5's values")
    for combo in itertools.product(*choices.values()):
        yield dict(zip(choices, combo, strict=True))


def _find(p: dict[str, Any], doc_id: int) -> dict[str, Any]:
    for group in (p["documents"], p["not_hers"]):
        for d in group.values():
            if d["id"] == doc_id:
                return d
    raise AssertionError(doc_id)


def _kind_data(p: dict[str, Any], kind: str, login: str) -> dict[str, Any]:
    """Data of an existing school-5 document of ``kind`` (for the teacher, one about
    someone else: a teacher writes only her own documents)."""
    if login == TEACHER:
        found = p["not_hers_by_kind"].get(kind)
        if found is None:
            return {**_kind_data(p, kind, "clerk"), "person_id": p["others"][0]}
        return dict(found["data"])
    found = p["by_kind"].get(kind)
    return dict(found["data"]) if found else {"person_id": p["others"][0]}


def names_ids(data: Any) -> bool:
    """True if the data names some object by id (``*_id``, ``*_ids``, also in rows)."""
    if isinstance(data, dict):
        return any((k.endswith("_id") and isinstance(v, int)) or
                   (k.endswith("_ids") and bool(v)) or names_ids(v) for k, v in data.items())
    return isinstance(data, list) and any(names_ids(v) for v in data)


def _template_file(kind: str) -> dict[str, Any]:
    path = template_path(kind)
    data = path.read_bytes() if path.exists() else b"PK\x03\x04 not a template"
    return {"file": (io.BytesIO(data), f"{kind}.docx"), "notes": "проверка", "activate": "1"}


PERSON_CARD = {"last_name": "Проверкин", "first_name": "Пётр", "gender": "m",
               "position": "Учитель", "hire_date": "2020-09-01"}
# endpoint → (url values, login, pools) → (form fields | None, JSON body | None)
Body = Callable[[dict[str, Any], str, dict[str, Any]], tuple[dict | None, dict | None]]
BODIES: dict[str, Body] = {
    "documents.create": lambda v, login, p: (as_form(_kind_data(p, v["kind"], login)), None),
    "documents.edit": lambda v, login, p: (
        {**as_form(_find(p, v["doc_id"])["data"]), "version": _find(p, v["doc_id"])["version"]},
        None),
    "documents.supersede": lambda v, login, p: ({}, None),
    "documents.act": lambda v, login, p: (
        {"comment": "проверка прав", "password": DEMO_PASSWORD,
         "version": _find(p, v["doc_id"])["version"]}, None),
    "documents.retry_pdf": lambda v, login, p: ({}, None),
    "api.create_document": lambda v, login, p: (
        None, {"kind": v["kind"], "data": _kind_data(p, v["kind"], login)}),
    "api.transition": lambda v, login, p: (
        None, {"action": v["action"], "comment": "проверка прав", "password": DEMO_PASSWORD,
               "version": _find(p, v["doc_id"])["version"]}),
    "queue.bulk": lambda v, login, p: (
        {"action": v["action"], "doc_id": doc_ids(login, p),
         "password": DEMO_PASSWORD}, None),
    "batches.start": lambda v, login, p: (
        {"document_ids": doc_ids(login, p), "format": "docx"}, None),
    "people.add_to_bank": lambda v, login, p: (
        {"role": next(iter(BANK_ROLES)), "competences": "проверка прав"}, None),
    "people.withdraw_pd": lambda v, login, p: (
        {"withdrawn_on": date.today().strftime("%d.%m.%Y")}, None),
    "programs.publish": lambda v, login, p: ({}, None),
    "settings.route_save": lambda v, login, p: (
        {**{f"step-{c}": "on" for c in OPTIONAL_VISAS},
         **{f"order-{c}": str(i) for i, c in enumerate(OPTIONAL_VISAS)}}, None),
    "templates_admin.upload": lambda v, login, p: (_template_file(v["kind"]), None),
    "seal_admin.upload": lambda v, login, p: (
        {"file": (io.BytesIO(b"not a PKCS#12"), "печать.p12"), "password": "pw"}, None),
    "templates_admin.activate": lambda v, login, p: ({"version_id": p["version_id"][0]}, None),
    "esign.accept": lambda v, login, p: ({"password": DEMO_PASSWORD}, None),
    "esign.withdraw": lambda v, login, p: ({}, None),
    "acknowledgments.acknowledge": lambda v, login, p: ({}, None),
    "acknowledgments.paper": lambda v, login, p: (
        {"person_id": p["person_id"][:2], "on": date.today().isoformat()}, None),
    "people_bank.create": lambda v, login, p: (PERSON_CARD, None),
    "people_bank.edit": lambda v, login, p: (PERSON_CARD, None),
    "people_bank.archive": lambda v, login, p: ({}, None),
    "people_bank.restore": lambda v, login, p: ({}, None),
    "people_bank.give_login": lambda v, login, p: ({"login": "proverka.prav"}, None),
    "people_bank.new_password": lambda v, login, p: ({}, None),
    "people_bank.import_file": lambda v, login, p: (
        {"file": (io.BytesIO("Фамилия;Имя;Пол;Должность\nПроверкин;Пётр;м;Учитель\n"
                             .encode()), "список.csv")}, None),
    "people_bank.import_confirm": lambda v, login, p: ({"preview": "подделка"}, None),
    "paper_signatures.signing_copy": lambda v, login, p: ({}, None),
    "paper_signatures.upload_scan": lambda v, login, p: (
        {"party": "*", "file": (io.BytesIO(b"%PDF-1.7 not a scan"), "скан.pdf")}, None),
    "paper_signatures.upload_qualified": lambda v, login, p: (
        {"party": "employee", "file": (io.BytesIO(b"not a signature"), "подпись.sig")}, None),
}
# writes whose kind or action is a field of the body rather than part of the URL
BODY_ARGUMENTS = {"queue.bulk": {"action": ("approve", "sign")},
                  "api.create_document": {"kind": tuple(k.name for k in all_kinds())},
                  "api.transition": {"action": tuple(sorted(TRANSITIONS))}}


def write_rules(app):
    return [r for r in app.url_map.iter_rules() if r.methods & UNSAFE_METHODS]


def cases(app, login: str, p: dict[str, Any]):
    """(endpoint, method, url, form, json, expected status or None for any 4xx)."""
    for rule in sorted(write_rules(app), key=lambda r: r.rule):
        if rule.endpoint in SESSION:
            continue
        declared = WRITES[rule.endpoint]
        refused_by_table = not ROLES[login] & declared.roles
        foreign = login in ("director12", "clerk12")
        if foreign and rule.endpoint in OWN_ORGANIZATION_ONLY and not refused_by_table:
            continue
        if rule.endpoint in OWN_ACCOUNT_ONLY and not refused_by_table:
            continue
        method = sorted(rule.methods & UNSAFE_METHODS)[0]
        extra = BODY_ARGUMENTS.get(rule.endpoint, {})
        for values in url_values(rule, login, p):
            for combo in itertools.product(*extra.values()):
                values = {**values, **dict(zip(extra, combo, strict=True))}
                if foreign and rule.endpoint in CREATES and not refused_by_table \
                        and not names_ids(_kind_data(p, values["kind"], login)):
                    continue  # a document naming nothing of school 5: his own school's
                url = rule.build(values, append_unknown=False)[1]
                form, body = BODIES[rule.endpoint](values, login, p)
                yield (rule.endpoint, method, url, form, body,
                       403 if refused_by_table else None)


# -- the tests --------------------------------------------------------------------------

def uncovered_writes(app) -> list[str]:
    """Write rules not declared in webforms/writers.py, or without a body here."""
    return [f"{r.rule} ({r.endpoint})" for r in write_rules(app)
            if r.endpoint not in SESSION and (r.endpoint not in WRITES or
                                               r.endpoint not in BODIES)]


def test_every_write_route_is_declared_and_has_a_body(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert not uncovered_writes(app), "declare their roles in webforms/writers.py and " \
        f"give them a body in BODIES: {uncovered_writes(app)}"
    assert set(WRITES) <= endpoints and SESSION <= endpoints, "a declared route is gone"
    for endpoint, declared in WRITES.items():
        assert Role.INSPECTOR not in declared.roles, endpoint
        assert declared.refusal().endswith(".") and "может только:" in declared.refusal()


@pytest.mark.parametrize("login", REFUSERS)
def test_every_write_as_a_role_that_must_not_use_it_changes_nothing(demo, app, client, login):
    p = full_demo(app, client)
    login_as(client, login)
    token = csrf_token(client)
    tried: dict[str, int] = {}
    statuses: Counter[int] = Counter()
    by_endpoint = itertools.groupby(cases(app, login, p), key=lambda c: c[0])
    for endpoint, group in by_endpoint:
        before = snapshot(app)
        for _, method, url, form, body, expected in group:
            if body is not None:
                response = client.open(url, method=method, json=body,
                                       headers={"X-CSRFToken": token})
            else:
                response = client.open(url, method=method,
                                       data={**(form or {}), "csrf_token": token})
            answer = str(response.json.get("error")) if response.is_json \
                else response.get_data(as_text=True)
            if expected is not None:
                assert response.status_code == expected, (login, method, url, answer[:300])
                assert WRITES[endpoint].refusal() in answer, (login, url)
            else:
                assert 400 <= response.status_code < 500, (login, method, url, body,
                                                           response.status_code, answer[:300])
            tried[endpoint] = tried.get(endpoint, 0) + 1
            statuses[response.status_code] += 1
        assert not changed(before, snapshot(app)), (login, endpoint, changed(before, snapshot(app)))
    expected_endpoints = {r.endpoint for r in write_rules(app)} - SESSION - {
        e for e in OWN_ACCOUNT_ONLY if ROLES[login] & WRITES[e].roles}
    if login in ("director12", "clerk12"):
        expected_endpoints -= {e for e in OWN_ORGANIZATION_ONLY
                               if ROLES[login] & WRITES[e].roles}
    assert set(tried) == expected_endpoints, expected_endpoints - set(tried)
    print(f"\n{login}: {sum(tried.values())} write requests over {len(tried)} routes, "
          f"answers {dict(sorted(statuses.items()))}, nothing written")


@pytest.mark.parametrize("login", ("inspector", "director"))
def test_no_get_route_writes(demo, app, client, login):
    """Every GET of every rule, with school 5's ids: no row, no stored file changes (a
    GET that writes would have to be declared in webforms.writers, and refused)."""
    p = full_demo(app, client)  # the clerk's batch: the director gets 404 for it
    login_as(client, login)
    before = snapshot(app)
    count = 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in ("static", "auth.login"):
            continue
        for values in url_values(rule, login, p):
            url = rule.build(values, append_unknown=False)[1]
            response = client.get(url)
            count += 1
            assert response.status_code != 500, (login, url)
            if rule.endpoint in WRITES and not ROLES.get(login, {Role.DIRECTOR}) \
                    & WRITES[rule.endpoint].roles:
                assert response.status_code == 403, (login, url)
    assert not changed(before, snapshot(app)), changed(before, snapshot(app))
    print(f"\n{login}: {count} GET requests, nothing written")


def test_an_undeclared_write_route_is_refused_to_everyone(app, client):
    app.add_url_rule("/experiment", "experiment", lambda: "written", methods=["POST"])
    assert uncovered_writes(app) == ["/experiment (experiment)"]
    login_as(client, "director")
    response = client.post("/experiment", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 403
    assert "Это действие никому не разрешено: оно не объявлено в таблице прав." in \
        response.get_data(as_text=True)


def _signed_without_pdf(app) -> int:
    with app.app_context():
        return db_session().scalars(select(Document.id).where(
            Document.organization_id == organization().id, Document.state == "signed")).first()


def _pdf_rows(app) -> list[tuple[int, str]]:
    with app.app_context():
        from storage.models import AuditEntry

        return [(r.document_id, r.actor_name) for r in db_session().scalars(
            select(AuditEntry).where(AuditEntry.action == "pdf"))]


def test_the_inspector_cannot_make_a_pdf_copy_and_the_director_is_recorded(demo, app, client,
                                                                            monkeypatch):
    """D14: the PDF retry as the inspector writes nothing; as the director, the audit row
    names the director, not «система»."""
    from doc_templates import pdf

    monkeypatch.setattr(pdf, "convert", lambda docx, pdfa=False: b"%PDF-1.7 copy")
    app.config["PDF_ENABLED"] = True
    doc_id = _signed_without_pdf(app)
    login_as(client, "inspector")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Создать PDF-копию" not in page
    before = snapshot(app)
    refused = client.post(f"/documents/{doc_id}/pdf", data={"csrf_token": csrf_token(client)})
    assert refused.status_code == 403
    assert "Создавать PDF-копию архива может только:" in refused.get_data(as_text=True)
    assert not changed(before, snapshot(app)) and _pdf_rows(app) == []

    login_as(client, "director")
    made = client.post(f"/documents/{doc_id}/pdf", data={"csrf_token": csrf_token(client)})
    assert made.status_code == 302
    with app.app_context():
        director = user("director").full_name
    assert _pdf_rows(app) == [(doc_id, director)]
    assert "<file store>" in changed(before, snapshot(app))
