"""No data crosses organizations (issue 7, point 1), tried from the registry of kinds.

For every kind with a form and every id field its schema declares (top-level and in the
rows of a table), another organization's ids are put in that field and sent through the
JSON API and through the page form, by the staff of Лицей № 12 against school 5 and by a
teacher of school 5 against Лицей № 12. Each must be a 4xx naming the field, and no answer
may print a name of the other organization. Drafts that an older bug could have stored
with foreign ids are seeded straight into the database: their page, edit page, API answer
and DOCX preview must not print the foreign names either.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from doc_templates.samples import field_sample
from storage.db import db_session
from storage.models import (
    Document,
    GroupMember,
    MentoringGroup,
    Organization,
    Person,
    Program,
    User,
)
from tests.helpers.docx import docx_text
from tests.helpers.http import csrf_token, login_as, post
from webforms.forms import FORMS, form_for
from webforms.forms.id_fields import declaration
from workflows import scoping
from workflows.kinds import all_kinds, get_kind
from workflows.scoping import NOT_FOUND, IdField, Table, Target

KINDS = [k.name for k in all_kinds() if k.name in FORMS]


def id_paths(kind: str) -> list[tuple[str, str | None, IdField]]:
    """(field, row field or None, what it holds) for every id field of the kind's form."""
    out = []
    for key, spec in scoping.declaration_of(kind).items():
        if isinstance(spec, Table):
            out.extend((key, sub, inner) for sub, inner in spec.fields.items())
        else:
            out.append((key, None, spec))
    return out


CASES = [(kind, key, sub) for kind in KINDS for key, sub, _ in id_paths(kind)]
TRIED = {"requests": 0}


@dataclass
class School:
    """What one organization holds that another must never see: ids and names."""

    id: int
    people: list[int]
    groups: list[int]
    programs: list[int]
    orders: list[int]  # signed pairing orders
    names: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)  # «№ 3-од» of its signed documents

    def ids(self, target: Target) -> list[int]:
        return {Target.PERSON: self.people, Target.GROUP: self.groups,
                Target.PROGRAM: self.programs, Target.DOCUMENT: self.orders}[target]


def _stem(last_name: str) -> str:
    """The part of a surname its declined forms share (Иванова → Иванову, Ивановой)."""
    return last_name[:max(4, len(last_name) - 2)]


def _school(org: Organization) -> School:
    s = db_session()
    people = s.scalars(select(Person).where(Person.organization_id == org.id)
                       .order_by(Person.id)).all()
    orders = s.scalars(select(Document).where(
        Document.organization_id == org.id, Document.kind == "pairing_order",
        Document.state == "signed").order_by(Document.id)).all()
    numbered = s.scalars(select(Document).where(Document.organization_id == org.id,
                                                Document.number.is_not(None))).all()
    names = {p.full_name for p in people} | {_stem(p.last_name) for p in people}
    names |= {_stem(org.head_last_name)} if org.head_last_name else set()
    return School(
        id=org.id, people=[p.id for p in people],
        groups=list(s.scalars(select(MentoringGroup.id).where(
            MentoringGroup.organization_id == org.id).order_by(MentoringGroup.id))),
        programs=list(s.scalars(select(Program.id).where(
            Program.organization_id == org.id).order_by(Program.id))),
        orders=[d.id for d in orders], names=names,
        numbers={f"№ {d.number} от {d.doc_date:%d.%m.%Y}" for d in numbered})


def _give_a_pair(org: Organization, mentor: str, mentee: str, clerk_login: str,
                 number: int) -> None:
    """The organization gets one signed pairing order, an active pair and its running
    program, so that every form has a valid value of its own for every id field."""
    s = db_session()
    director, clerk = (s.scalars(select(Person).where(
        Person.organization_id == org.id, Person.last_name == n)).one()
        for n in (mentor, mentee))
    author = s.scalars(select(User).where(User.login == clerk_login)).one()
    order = Document(organization_id=org.id, kind="pairing_order", state="signed",
                     title="О закреплении наставнических пар/групп", data={"pairs": []},
                     author_id=author.id, number=f"{number}-од", doc_date=date(2026, 9, 1),
                     journal="main", reg_year=2026, reg_seq=number)
    s.add(order)
    s.flush()
    group = MentoringGroup(organization_id=org.id, mentor_id=director.id,
                           form="традиционная форма наставничества",
                           start_date=date(2026, 9, 1), end_date=date(2027, 5, 31),
                           status="active", order_id=order.id)
    group.members = [GroupMember(mentee_id=clerk.id)]
    s.add(group)
    s.flush()
    s.add(Program(organization_id=org.id, group_id=group.id, start_date=date(2026, 9, 1),
                  end_date=date(2027, 5, 31), status="active"))
    s.commit()


@pytest.fixture
def schools(app) -> dict[str, School]:
    """``five`` (МОУ СШ № 5, the demo school) and ``lyceum`` (МОУ Лицей № 12)."""
    with app.app_context():
        orgs = {o.short_name: o for o in db_session().scalars(select(Organization))}
        _give_a_pair(orgs["МОУ СШ № 5"], "Иванова", "Седых", "clerk", number=41)
        _give_a_pair(orgs["МОУ Лицей № 12"], "Соколова", "Орлова", "clerk12", number=12)
        return {"five": _school(orgs["МОУ СШ № 5"]), "lyceum": _school(orgs["МОУ Лицей № 12"])}


def base_data(app, kind: str, own: School, *, author_person: int | None = None
              ) -> dict[str, Any]:
    """Valid form data of ``kind`` naming only ``own``'s rows (the form's sample values)."""
    with app.app_context():
        people = [db_session().get(Person, pid).as_context() for pid in own.people[:3]]
    schema = form_for(kind)
    data = _fit(schema, {name: field_sample(name, f, people)
                         for name, f in schema.fields.items()})
    for key, sub, spec in id_paths(kind):  # samples hold people; references get own rows
        if spec.target == Target.PERSON:
            continue
        own_id = own.ids(spec.target)[0]
        for row in [data] if sub is None else data[key]:
            row[sub or key] = [own_id] if spec.many else own_id
    if author_person is not None and "person_id" in data:
        data["person_id"] = author_person
    return data


def _fit(schema, data: dict[str, Any]) -> dict[str, Any]:
    """Sample texts cut to their fields' lengths (a passport series has 10 characters)."""
    from marshmallow import fields, validate

    for name, f in schema.fields.items():
        value = data.get(name)
        if isinstance(f, fields.List) and isinstance(f.inner, fields.Nested) and value:
            data[name] = [_fit(f.inner.schema, row) for row in value]
        elif isinstance(value, str):
            longest = min((v.max for v in f.validators
                           if isinstance(v, validate.Length) and v.max), default=None)
            data[name] = value[:longest] if longest else value
    return data


def with_foreign(data: dict[str, Any], key: str, sub: str | None, spec: IdField,
                 foreign_id: int) -> dict[str, Any]:
    """``data`` with ``foreign_id`` in the field (in the first row of a table)."""
    value: Any = [foreign_id] if spec.many else foreign_id
    data = json.loads(json.dumps(data))
    if sub is None:
        data[key] = value
    else:
        data[key][0][sub] = value
    return data


def as_form(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The fields a browser would send for ``data`` (``webforms.forms.parsing`` reads them)."""
    out: dict[str, Any] = {}
    for name in form_for(kind).fields:
        value = data.get(name)
        if value is None:
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for i, row in enumerate(value):
                for sub, v in row.items():
                    out[f"{name}-{i}-{sub}"] = [str(x) for x in v] if isinstance(v, list) \
                        else ("" if v is None else str(v))
        elif isinstance(value, list):
            out[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                out[name] = "1"
        else:
            out[name] = str(value)
    return out


def leaks(text: str, foreign: School) -> list[str]:
    """Names (or numbers of documents) of ``foreign`` that ``text`` prints."""
    return sorted(n for n in foreign.names | foreign.numbers if n in text)


def _get(client, url: str):
    TRIED["requests"] += 1
    return client.get(url)


def _send(client, url: str, **kwargs):
    TRIED["requests"] += 1
    return client.post(url, **kwargs)


def api_create(client, kind: str, data: dict[str, Any]):
    return _send(client, "/api/documents", json={"kind": kind, "data": data},
                 headers={"X-CSRFToken": csrf_token(client)})


def page_create(client, kind: str, data: dict[str, Any]):
    TRIED["requests"] += 1
    return post(client, f"/documents/new/{kind}", as_form(kind, data))


def _documents(app) -> int:
    with app.app_context():
        return db_session().scalar(select(func.count(Document.id)))


def _answer_text(response) -> str:
    """The answer as a reader sees it (JSON with its \\u escapes decoded)."""
    if response.is_json:
        return json.dumps(response.json, ensure_ascii=False)
    return response.get_data(as_text=True)


def check_refused(app, client, response, kind: str, foreign: School, *, statuses=(422,),
                  expect: str | None = None) -> None:
    """A 4xx that prints nothing of ``foreign``; if a draft was made anyway, its preview
    does not print them either (and the test fails on the status)."""
    text = _answer_text(response)
    assert not leaks(text, foreign), (kind, leaks(text, foreign))
    if response.status_code in (201, 302):
        doc_id = response.json["id"] if response.status_code == 201 else \
            int(response.headers["Location"].rsplit("/", 1)[1])
        preview = docx_text(_get(client, f"/documents/{doc_id}/preview.docx").data)
        assert not leaks(preview, foreign), (kind, leaks(preview, foreign))
    assert response.status_code in statuses, (kind, response.status_code, text[:500])
    if expect is not None:
        assert expect in text, (kind, text[:500])


# --- the declaration is complete -------------------------------------------------------

def test_every_integer_field_of_every_form_is_a_declared_id_or_a_plain_number():
    """No id field can escape the check: each Integer field is a ``person``, ``people``
    element or ``reference`` (declared), or a ``number`` (a year, a count)."""
    from marshmallow import fields

    def walk(schema, where):
        for name, f in schema.fields.items():
            inner = f.inner if isinstance(f, fields.List) else None
            if isinstance(inner, fields.Nested):
                yield from walk(inner.schema, f"{where}.{name}")
            elif isinstance(f, fields.Integer) or isinstance(inner, fields.Integer):
                yield f"{where}.{name}", f.metadata.get("widget")

    seen = 0
    for kind in KINDS:
        for where, widget in walk(form_for(kind), kind):
            seen += 1
            assert widget in ("person", "people", "reference", "number"), (where, widget)
    assert seen and len(CASES) >= 20
    assert scoping.declaration_of("pairing_order") == declaration(form_for("pairing_order"))
    assert {t for k in KINDS for _, _, s in id_paths(k) for t in [s.target]} == set(Target)


# ids from the job queue, put there by the app after the one loader; the demo's own seeds
TRUSTED_IDS = {"workflows/jobs.py", "webforms/demo.py", "webforms/demo_people.py",
               "webforms/demo_orders.py", "webforms/demo_programs.py"}


def test_no_row_of_an_organization_is_looked_up_by_id_outside_the_scoped_loader():
    """The bug class of D1: ``session.get(Person, some_id)`` in a guard, a context hook or
    a page. Only ``workflows.scoping.row_of`` may call ``get`` on these models."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    raw = re.compile(r"\.get\(\s*(Person|Document|MentoringGroup|Program)\s*,")
    found = []
    for folder in ("workflows", "doc_templates", "webforms", "signatures", "storage"):
        for path in sorted((root / folder).rglob("*.py")):
            name = path.relative_to(root).as_posix()
            if name in TRUSTED_IDS or name == "workflows/scoping.py":
                continue
            found += [f"{name}:{n}" for n, line in enumerate(path.read_text().splitlines(), 1)
                      if raw.search(line)]
    assert found == []


def test_an_undeclared_kind_is_not_saved_unchecked():
    with pytest.raises(RuntimeError):
        scoping.declaration_of("no_such_kind")


# --- at save: every id field of every kind, API and page ---------------------------------

@pytest.mark.parametrize(("kind", "key", "sub"), CASES)
def test_foreign_ids_in_every_id_field_are_refused_at_save(app, client, schools, kind, key,
                                                           sub):
    five, lyceum = schools["five"], schools["lyceum"]
    spec = next(s for k, sb, s in id_paths(kind) if (k, sb) == (key, sub))
    label = spec.label
    before = _documents(app)
    for login in ("director12", "clerk12"):
        login_as(client, login)
        base = base_data(app, kind, lyceum)
        for foreign_id in five.ids(spec.target):
            bad = with_foreign(base, key, sub, spec, foreign_id)
            response = api_create(client, kind, bad)
            check_refused(app, client, response, kind, five, expect=NOT_FOUND[spec.target])
            assert key in response.json["fields"], response.json
            assert label in " ".join(response.json["fields"][key])
            if sub is not None:
                assert "строка 1" in " ".join(response.json["fields"][key])
        page = page_create(client, kind, with_foreign(base, key, sub, spec,
                                                       five.ids(spec.target)[-1]))
        check_refused(app, client, page, kind, five, expect=NOT_FOUND[spec.target])
    assert _documents(app) == before  # nothing was saved

    # the same draft with its own ids is accepted (the refusal is the foreign id's)
    login_as(client, "clerk12")
    ok = api_create(client, kind, base_data(app, kind, lyceum))
    assert ok.status_code == 201, ok.json
    assert not leaks(json.dumps(ok.json, ensure_ascii=False), five)


TEACHER_CASES = [(k, key, sub) for k, key, sub in CASES
                 if "person_id" in form_for(k).fields]


@pytest.mark.parametrize(("kind", "key", "sub"), TEACHER_CASES)
def test_a_teacher_cannot_name_another_schools_rows(app, client, schools, kind, key, sub):
    """ivanova (school 5) writes her own documents; ids of Лицей № 12 in any of their id
    fields are refused (her own ``person_id`` swapped for a foreign one: 403)."""
    five, lyceum = schools["five"], schools["lyceum"]
    with app.app_context():
        me = db_session().scalars(select(User).where(User.login == "ivanova")).one().person_id
    spec = next(s for k, sb, s in id_paths(kind) if (k, sb) == (key, sub))
    login_as(client, "ivanova")
    base = base_data(app, kind, five, author_person=me)
    statuses = (403, 422) if (key, sub) == ("person_id", None) else (422,)
    before = _documents(app)
    for foreign_id in lyceum.ids(spec.target):
        bad = with_foreign(base, key, sub, spec, foreign_id)
        check_refused(app, client, api_create(client, kind, bad), kind, lyceum,
                      statuses=statuses)
        check_refused(app, client, page_create(client, kind, bad), kind, lyceum,
                      statuses=statuses)
    assert _documents(app) == before


def test_editing_a_draft_refuses_foreign_ids_too(app, client, schools):
    five, lyceum = schools["five"], schools["lyceum"]
    login_as(client, "clerk12")
    made = api_create(client, "mentoring_agreement", base_data(app, "mentoring_agreement",
                                                               lyceum))
    assert made.status_code == 201
    doc_id = made.json["id"]
    bad = {**base_data(app, "mentoring_agreement", lyceum), "mentee_ids": five.people[:3]}
    TRIED["requests"] += 1
    page = post(client, f"/documents/{doc_id}/edit",
                {**as_form("mentoring_agreement", bad), "version": made.json["version"]})
    check_refused(app, client, page, "mentoring_agreement", five,
                  expect="«Наставляемые», значение 1: Педагог не найден в вашей организации.")
    with app.app_context():
        assert db_session().get(Document, doc_id).data["mentee_ids"] == \
            made.json["data"]["mentee_ids"]


def test_the_review_reproduction_is_refused(app, client, schools):
    """D1 of the security review: director12 lists school 5's staff in an agreement."""
    five = schools["five"]
    login_as(client, "director12")
    lyceum_person = schools["lyceum"].people[0]
    response = api_create(client, "mentoring_agreement", {
        "person_id": lyceum_person, "agreement_date": "2026-12-01",
        "labor_contract_number": "1", "labor_contract_date": "2026-12-01",
        "mentee_ids": five.people, "form": "традиционная форма наставничества",
        "start_date": "2026-12-01", "end_date": "2027-05-01", "pay": "5000", "content": "x"})
    assert response.status_code == 422
    assert response.json["fields"]["mentee_ids"][0] == \
        "«Наставляемые», значение 1: Педагог не найден в вашей организации."
    assert len(response.json["fields"]["mentee_ids"]) == len(five.people)
    assert not leaks(_answer_text(response), five)


# --- drafts stored with foreign ids (as an older bug would have) never print them ------

def _seed_foreign_draft(app, kind: str, own: School, foreign: School, author: str) -> int:
    """A draft of ``own`` whose every id field names ``foreign``'s rows, stored directly
    (as a save without the check, or a changed database, would have left it)."""
    data = base_data(app, kind, own)
    for key, sub, spec in id_paths(kind):
        ids = foreign.ids(spec.target)
        value: Any = ids if spec.many else ids[0]
        if sub is None:
            data[key] = value
        else:
            for n, row in enumerate(data[key]):
                row[sub] = ids if spec.many else ids[n % len(ids)]
    k = get_kind(kind)
    with app.app_context():
        s = db_session()
        if "person_id" in data:  # the name the save stored before the id was changed
            own_person = s.get(Person, own.people[0])
            data["person"], data["person_name"] = own_person.as_context(), own_person.full_name
        doc = Document(organization_id=own.id, kind=kind, state="draft", title=k.make_title(data),
                       data=data, person_id=k.subject_person(data),
                       author_id=s.scalars(select(User.id).where(User.login == author)).one())
        s.add(doc)
        s.commit()
        return doc.id


def _pages_of(client, doc_id: int) -> dict[str, str]:
    out = {}
    for url in (f"/documents/{doc_id}", f"/documents/{doc_id}/edit",
                f"/api/documents/{doc_id}", "/api/documents", "/", "/programs", "/queue"):
        response = _get(client, url)
        assert response.status_code < 500, (url, response.status_code)
        out[url] = _answer_text(response)
    preview = _get(client, f"/documents/{doc_id}/preview.docx")
    # a template that needs the person an id no longer finds refuses to fill (422)
    assert preview.status_code in (200, 422), preview.get_data(as_text=True)[:500]
    out["preview.docx"] = docx_text(preview.data) if preview.status_code == 200 \
        else _answer_text(preview)
    return out


@pytest.mark.parametrize("kind", [k for k in KINDS if id_paths(k)])
def test_a_stored_draft_naming_foreign_rows_never_prints_them(app, client, schools, kind):
    five, lyceum = schools["five"], schools["lyceum"]
    doc_id = _seed_foreign_draft(app, kind, lyceum, five, author="clerk12")
    for login in ("clerk12", "director12"):
        login_as(client, login)
        for where, text in _pages_of(client, doc_id).items():
            assert not leaks(text, five), (kind, login, where, leaks(text, five))
        # sending it on runs every guard: refused, and the refusal names nobody foreign
        TRIED["requests"] += 1
        submit = client.post(f"/api/documents/{doc_id}/transitions", json={"action": "submit"},
                             headers={"X-CSRFToken": csrf_token(client)})
        assert 400 <= submit.status_code < 500, (kind, submit.status_code, submit.json)
        assert not leaks(_answer_text(submit), five), (kind, leaks(_answer_text(submit), five))


@pytest.mark.parametrize("kind", [k for k in KINDS if id_paths(k)])
def test_a_teachers_stored_draft_naming_another_school_never_prints_it(app, client, schools,
                                                                       kind):
    five, lyceum = schools["five"], schools["lyceum"]
    doc_id = _seed_foreign_draft(app, kind, five, lyceum, author="ivanova")
    login_as(client, "ivanova")  # the author sees her draft; nothing of Лицей № 12 in it
    for where, text in _pages_of(client, doc_id).items():
        assert not leaks(text, lyceum), (kind, where, leaks(text, lyceum))


def test_the_registry_yields_every_id_field_tried():
    """The cases come from the forms, rows included; ``-s`` prints how many were tried."""
    for case in (("pairing_order", "pairs", "mentor_id"), ("pairing_order", "pairs",
                 "mentee_ids"), ("pairing_order", "replaces_order_id", None),
                 ("roadmap", "rows", "responsible_id"), ("mentoring_program", "group_id", None),
                 ("program_change", "program_id", None),
                 ("mentor_replacement_request", "proposed_mentor_id", None),
                 ("regulation_order", "control_person_id", None)):
        assert case in CASES, case
    assert not [c for c in CASES if c[0] == "final_report"]  # its figures are not typed
    print(f"\ncross-org: {len(KINDS)} kinds, {len(CASES)} id fields "
          f"({len(TEACHER_CASES)} also by a teacher); requests so far: {TRIED['requests']}")
