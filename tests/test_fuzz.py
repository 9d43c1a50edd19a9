"""Property-based fuzz (hypothesis) of every form page, every API route and the fields of
every other POST route: no answer is a server error, and a refused HTML form keeps what
was typed (issue 7, point 6).

Generated from the app itself, so a new kind, field or route is fuzzed without a change
here: the form schemas give each field a strategy by its widget (valid values mixed with
garbage: huge and odd numbers, absurd dates, control characters, markup), the URL map gives
the routes and their path arguments, the pages' templates give the names of form fields.
Deterministic (``derandomize``) and bounded (``max_examples``), so it runs in the README's
test command in about a minute on SQLite. Each test writes its count of cases; a 5xx fails
the test with the shrunk request that caused it.

A 503 that names its cause in Russian (PDF conversion off, the queue unreachable) is an
answer of the service, not a server error, and is allowed.
"""

from __future__ import annotations

import inspect
import io
import json
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from storage.db import db_session
from storage.models import Document, Person, Program, StoredFile, TemplateVersion
from tests.helpers.docx import builtin_with
from tests.helpers.http import csrf_token, login_as
from webforms.demo import DEMO_PASSWORD
from webforms.forms import FORMS
from workflows.approval_routes import OPTIONAL_VISAS
from workflows.kinds import KIND_NAMES
from workflows.lifecycle import TRANSITIONS
from workflows.vocabulary import BANK_ROLES, MENTEE_CATEGORIES

# examples per test, chosen so the whole file takes about a minute on SQLite
EXAMPLES = {"form": 40, "api": 30, "api raw": 80, "api transitions": 60, "post routes": 40}


def fuzz(what: str) -> settings:
    return settings(max_examples=EXAMPLES[what], deadline=None, derandomize=True,
                    database=None, suppress_health_check=list(HealthCheck), print_blob=False)


KEPT_WIDGETS = {"text", "textarea", "number", "money", "date"}  # shown back as typed
CASES: Counter[str] = Counter()

# --- values ------------------------------------------------------------------------------

NASTY = ["", " ", "0", "-1", "2147483648", "99999999999999999999", "9" * 5000, "²", "٣",
         "1e309", "NaN", "-Infinity", "null", "true", "[]", "{}", "31.02.2026", "2026-13-01",
         "0000-01-01", "10000-01-01", "01.01.1900", "2200-01-01", "<script>alert(1)</script>",
         "{{ 7*7 }}", "{% for i in range(10**9) %}", "Ёлка & «ёж» \"'", "a\x00b", "a\x0bb",
         "\x07\x1b[31m", "строка\r\nвторая", "%0d%0aSet-Cookie: x=1", "\ufeff\u202e", "я" * 3001,
         "'; DROP TABLE documents;--", "../../etc/passwd"]
nasty = st.sampled_from(NASTY)
some_text = st.one_of(st.text(max_size=40), nasty)


def dates() -> st.SearchStrategy[str]:
    typed = st.dates(date(1, 1, 1), date(9999, 12, 31)).flatmap(
        lambda d: st.sampled_from([d.isoformat(), f"{d:%d.%m.}{d.year:04d}"]))
    near = st.dates(date(2020, 1, 1), date(2030, 12, 31)).map(date.isoformat)
    return st.one_of(near, typed, nasty)


ODD_IDS = ["0", "-1", "2147483648", "99999999999999999999", "9" * 5000, "²", "٣", "1e3",
           " 7 ", "", "abc"]


def ids(pool: list[int]) -> st.SearchStrategy[str]:
    known = st.sampled_from(pool).map(str) if pool else st.nothing()
    return st.one_of(known, st.sampled_from(ODD_IDS), st.sampled_from(ODD_IDS),
                     st.integers(-5, 2**64).map(str), nasty)


def widget_values(field, people: list[int]) -> st.SearchStrategy:
    """A strategy of form values (strings, or lists of them) for one schema field."""
    meta = field.metadata
    widget = meta.get("widget", "text")
    if widget in ("person", "reference"):
        return ids(people if widget == "person" else [1, 2, 3])
    if widget == "people":
        return st.lists(ids(people), max_size=4)
    if widget == "date":
        return dates()
    if widget == "select":
        return st.one_of(st.sampled_from(list(meta["choices"])), nasty)
    if widget == "checkboxes":
        return st.lists(st.one_of(st.sampled_from(list(meta["choices"])), nasty), max_size=4)
    if widget == "number":
        return st.one_of(st.integers(2000, 2100).map(str), st.integers(-10**30, 10**30).map(str),
                         nasty)
    if widget == "money":
        return st.one_of(st.decimals(allow_nan=True, places=2).map(str),
                         st.sampled_from(["5000", "5 000,50", "-1", "1" * 40]), nasty)
    if widget == "checkbox":
        return st.sampled_from(["", "1", "0", "on", "false"])
    return some_text


def form_fields(kind: str, people: list[int]) -> st.SearchStrategy[dict]:
    """The flat fields an HTML form of ``kind`` sends, tables as ``name-<i>-<field>``."""
    schema = FORMS[kind]()
    parts = {}
    for name, field in schema.fields.items():
        if field.metadata.get("widget") == "rows":
            row = st.fixed_dictionaries({}, optional={
                sub: widget_values(f, people) for sub, f in field.inner.schema.fields.items()})
            parts[name] = st.lists(row, max_size=4)
        else:
            parts[name] = widget_values(field, people)
    return st.fixed_dictionaries({}, optional=parts)


def flatten(kind: str, values: dict, odd_index: str | None) -> MultiDict:
    schema = FORMS[kind]()
    out = MultiDict()
    for name, value in values.items():
        if schema.fields[name].metadata.get("widget") == "rows":
            for i, row in enumerate(value):
                index = odd_index if odd_index and i == len(value) - 1 else str(i)
                for sub, v in row.items():
                    _add(out, f"{name}-{index}-{sub}", v)
        else:
            _add(out, name, value)
    return out


def _add(out: MultiDict, key: str, value) -> None:
    for v in value if isinstance(value, list) else [value]:
        out.add(key, v)


def json_values() -> st.SearchStrategy:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70),
                        st.floats(allow_nan=True, allow_infinity=True), some_text)
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
        max_leaves=8)


# --- helpers -----------------------------------------------------------------------------


def check(response, what: str) -> None:
    """No server error; a 4xx or 503 says why in Russian."""
    CASES[what] += 1
    status = response.status_code
    assert status < 500 or status == 503, (what, status, response.get_data(as_text=True)[:2000])
    if status >= 400:
        body = response.get_data(as_text=True)
        if response.is_json:
            body = response.json.get("error", "") if isinstance(response.json, dict) else ""
        assert re.search("[а-яё]", body.lower()), (what, status, body[:500])


def kept_on_the_page(kind: str, values: dict, page: str) -> None:
    """Every non-blank value of a field shown as typed is on the refused form's page."""
    schema = FORMS[kind]()
    for name, value in values.items():
        field = schema.fields[name]
        widget = field.metadata.get("widget")
        if widget == "rows":
            inner = field.inner.schema.fields
            for row in value[: field.metadata.get("max_rows", 200)]:
                for sub, v in row.items():
                    if inner[sub].metadata.get("widget") in KEPT_WIDGETS and v.strip():
                        assert str(escape(v)) in page, (kind, name, sub, v)
        elif widget in KEPT_WIDGETS and isinstance(value, str) and value.strip():
            assert str(escape(value)) in page, (kind, name, value)


def pools(app) -> dict[str, list[int]]:
    with app.app_context():
        session = db_session()
        return {
            "person_id": list(session.scalars(select(Person.id).limit(30))),
            "doc_id": list(session.scalars(select(Document.id).limit(40))),
            "program_id": list(session.scalars(select(Program.id))),
            "file_id": list(session.scalars(select(StoredFile.id).limit(20))),
            "version_id": list(session.scalars(select(TemplateVersion.id))),
        }


@pytest.fixture(autouse=True)
def _report(request):
    """Each test's count of requests, by what was fuzzed, goes with its report (also from
    a pytest-xdist worker); tests/conftest.py adds them up in the run's summary."""
    before = CASES.copy()
    yield
    request.node.user_properties.append(("fuzz cases", dict(CASES - before)))


# --- every form page ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_fuzz_every_form_page(app, client, kind):
    login_as(client, "curator" if kind == "final_report" else "clerk")
    people = pools(app)["person_id"]
    token = csrf_token(client)

    @fuzz("form")
    @given(values=form_fields(kind, people),
           odd_index=st.one_of(st.none(), st.sampled_from(["9" * 5000, "007", "2147483648"])))
    def one(values, odd_index):
        form = flatten(kind, values, odd_index)
        form["csrf_token"] = token
        response = client.post(f"/documents/new/{kind}", data=form)
        check(response, "form")
        if response.status_code in (403, 409, 422) and "<form" in response.get_data(True):
            kept_on_the_page(kind, values, response.get_data(as_text=True))

    one()


# --- every API route ---------------------------------------------------------------------


def api_headers(client) -> dict:
    return {"X-CSRFToken": csrf_token(client), "Accept": "application/json"}


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_fuzz_api_create(app, client, kind):
    login_as(client, "curator" if kind == "final_report" else "clerk")
    people = pools(app)["person_id"]
    headers = api_headers(client)
    schema = FORMS[kind]()
    typed = {name: st.one_of(widget_values(f, people), json_values())
             for name, f in schema.fields.items()}

    @fuzz("api")
    @given(data=st.one_of(st.fixed_dictionaries({}, optional=typed), json_values()),
           key=st.one_of(st.none(), st.sampled_from(["k-1", "k-2", "я", "x" * 65])))
    def one(data, key):
        body = json.dumps({"kind": kind, "data": data})
        extra = {"Idempotency-Key": key} if key else {}
        response = client.post("/api/documents", data=body, content_type="application/json",
                               headers={**headers, **extra})
        check(response, "api")

    one()


def test_fuzz_api_raw(client):
    """Arbitrary bytes as the body of the create call."""
    login_as(client, "clerk")
    headers = api_headers(client)

    @fuzz("api raw")
    @given(raw=st.one_of(st.binary(max_size=80), json_values().map(
        lambda v: json.dumps(v).encode()), st.sampled_from([
            b'{"kind": "mentor_consent", "data": {"duties": "\\ud800"}}', b"[" * 5000,
            b'{"kind": "roadmap", "data": {"rows": ' + b"[" * 40 + b"]" * 40 + b"}}",
            b'{"kind": "mentor_consent", "data": {"\\u0000": 1}}',
            '{"kind": "x"}'.encode("utf-16")])))
    def one(raw):
        response = client.post("/api/documents", data=raw, content_type="application/json",
                               headers=headers)
        check(response, "api raw")

    one()


@pytest.mark.parametrize("login", ["director", "clerk"])
def test_fuzz_api_transitions_and_reads(app, client, login):
    login_as(client, login)
    docs = pools(app)["doc_id"]
    headers = api_headers(client)
    actions = st.one_of(st.sampled_from(sorted(TRANSITIONS)), some_text, json_values())

    @fuzz("api transitions")
    @given(doc=ids(docs), action=actions,
           version=st.one_of(st.none(), st.integers(-2, 2**70), some_text, st.booleans()),
           comment=st.one_of(some_text, json_values()),
           password=st.sampled_from(["", "x", DEMO_PASSWORD]),
           query=st.dictionaries(st.sampled_from(["state", "kind", "x"]), some_text, max_size=2))
    def one(doc, action, version, comment, password, query):
        body = {"action": action, "version": version, "comment": comment, "password": password}
        response = client.post(f"/api/documents/{doc}/transitions", data=json.dumps(body),
                               content_type="application/json", headers=headers)
        check(response, "api")
        check(client.get(f"/api/documents/{doc}", headers=headers), "api")
        check(client.get("/api/documents", query_string=query, headers=headers), "api")

    one()
    check(client.get("/api/kinds", headers=headers), "api")


# --- the fields of every other POST route ------------------------------------------------

COVERED = {"documents.create", "api.create_document", "api.transition", "auth.login",
           "auth.logout"}


def template_field_names() -> set[str]:
    """Names of the form fields the pages send (read from the templates)."""
    names = set()
    for path in Path("webforms/templates").rglob("*.html"):
        names |= set(re.findall(r'name="([a-z_]+)"', path.read_text()))
    names -= {"viewport", "csrf_token"}
    return names | {f"step-{c}" for c in OPTIONAL_VISAS} | {f"order-{c}" for c in OPTIONAL_VISAS}


def read_by(view) -> set[str]:
    """The form fields a view reads: named in its source, or the fields of a schema it
    loads (``SomeForm()``, or any kind's form for the edit page)."""
    source = inspect.getsource(view)
    names = set(re.findall(r'(?:get|getlist|form_id|form_ids)\(\s*"([^"]+)"', source))
    if "form_version()" in source:
        names.add("version")
    module = sys.modules[view.__module__]
    for schema_name in re.findall(r"\b(\w+Form)\(\)", source):
        names |= set(getattr(module, schema_name)().fields)
    if "from_request_form" in source:
        names |= {n for form in FORMS.values() for n in form().fields}
    return names


def _schema_field(name: str):
    for form in FORMS.values():
        if name in form().fields:
            return form().fields[name]
    return None


def field_values(name: str, pool: dict[str, list[int]]) -> st.SearchStrategy:
    """Values for a form field, by what its name says it holds."""
    vocab = {"format": ["pdf", "docx"],
             "role": sorted(BANK_ROLES), "category": list(MENTEE_CATEGORIES),
             "password": [DEMO_PASSWORD, "", "x"], "activate": ["1", ""]}
    if name == "action":
        return st.one_of(st.sampled_from(["approve", "sign"]),
                         st.sampled_from(sorted(TRANSITIONS)), nasty)
    if name in vocab:  # mostly meaningful, so the view gets past its first check
        return st.one_of(st.sampled_from(vocab[name]), st.sampled_from(vocab[name]), nasty)
    if name == "version":
        return st.one_of(st.integers(1, 5).map(str), nasty)
    if name.endswith("_ids") or name == "doc_id":
        return st.lists(st.one_of(ids(pool["doc_id"]), st.sampled_from(ODD_IDS)), min_size=1,
                        max_size=4)
    if name.endswith("_id"):
        return ids(pool.get(name, pool["doc_id"]))
    if name.endswith(("_on", "_date")):
        return dates()
    if name.startswith(("step-", "order-")):
        return st.one_of(st.sampled_from(["1", "2", ""]), nasty)
    field = _schema_field(name)
    if field is not None and field.metadata.get("widget") != "rows":
        return widget_values(field, pool["person_id"])
    return some_text


def path_values(rule, pool: dict[str, list[int]]) -> st.SearchStrategy[dict]:
    parts = {}
    for arg, converter in rule._converters.items():
        if type(converter).__name__ == "BoundedIntConverter":
            parts[arg] = ids(pool.get(arg, pool["doc_id"]))
        elif arg == "kind":
            parts[arg] = st.one_of(st.sampled_from(list(KIND_NAMES)),
                                   st.sampled_from(list(KIND_NAMES)), nasty)
        elif arg == "action":
            parts[arg] = st.one_of(st.sampled_from(sorted(TRANSITIONS)), nasty)
        else:
            parts[arg] = st.one_of(st.text(alphabet="abcdef0123456789", max_size=32), nasty)
    return st.fixed_dictionaries(parts)


def build_path(rule, values: dict) -> str:
    path = rule.rule
    for arg, value in values.items():
        path = re.sub(rf"<(?:[^:>]+:)?{arg}>", lambda _m, v=value: _quote(v), path)
    return path


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="") or "x"


@pytest.mark.parametrize("login", ["director", "clerk"])
def test_fuzz_every_other_post_route(app, client, login):
    login_as(client, login)
    pool = pools(app)
    token = csrf_token(client)
    every_name = sorted(template_field_names())
    rules = sorted((r for r in app.url_map.iter_rules()
                    if "POST" in r.methods and r.endpoint not in COVERED),
                   key=lambda r: r.rule)
    docx = builtin_with("mentor_consent", "Образец")
    upload = st.tuples(st.sampled_from([b"", b"not a docx", docx, docx[:500]]),
                       st.one_of(st.just("шаблон.docx"), some_text))

    own = {r.endpoint: st.fixed_dictionaries({}, optional={
        name: field_values(name, pool) for name in sorted(read_by(app.view_functions[r.endpoint]))})
        for r in rules}
    anything = st.dictionaries(st.sampled_from(every_name),  # fields the view does not read
                               st.one_of(some_text, st.lists(some_text, max_size=3)), max_size=2)

    for rule in rules:  # each route its own examples
        fuzz_route(client, rule, token, pool, own[rule.endpoint], anything, upload)


def fuzz_route(client, rule, token, pool, own, anything, upload) -> None:
    @fuzz("post routes")
    @given(data=st.data(), extra=anything, file=upload)
    def one(data, extra, file):
        path = build_path(rule, data.draw(path_values(rule, pool)))
        fields = {**extra, **data.draw(own)}
        form = MultiDict()
        for key, value in fields.items():
            _add(form, key, value)
        form["csrf_token"] = token
        if rule.endpoint == "templates_admin.upload":
            form["file"] = (io.BytesIO(file[0]), file[1])
        response = client.post(path, data=form)
        check(response, "post routes")

    one()
