"""Sample values for previews, the ``flask render`` CLI and checking uploaded templates.

The parts that know no kind: a sample organization and its three people, a realistic value
for each form field (``field_sample``, ``form_sample``), a scratch database holding them,
and ``sample_requisites``, which wraps given form data into a whole rendering context of
the shape ``doc_templates.context`` describes. ``webforms.samples`` puts them together for
one kind (its heading, title, form schema and context hook).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from marshmallow import fields as mf
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from doc_templates.context import organization_context, revive_dates
from storage.models import Base, Organization, Person

SAMPLE_ORGANIZATION = dict(
    full_name="Муниципальное общеобразовательное учреждение «Средняя школа № 1 "
              "Центрального района Волгограда»",
    short_name="МОУ СШ № 1", place="г. Волгоград",
    address="400066, г. Волгоград, ул. Мира, д. 1", inn="3444000001", ogrn="1023403000001",
    head_position="Директор", head_position_dative="Директору", head_last_name="Смирнова",
    head_first_name="Татьяна", head_middle_name="Александровна",
)
SAMPLE_PEOPLE = [
    dict(id=1, last_name="Иванова", first_name="Мария", middle_name="Петровна", gender="f",
         position="Учитель", subject="математика"),
    dict(id=2, last_name="Гоголь", first_name="Никита", middle_name="Андреевич", gender="m",
         position="Учитель", subject="история"),
    dict(id=3, last_name="Седых", first_name="Ирина", middle_name="Павловна", gender="f",
         position="Учитель", subject="русский язык"),
]
SAMPLE_TEXT = ("Оказание методической помощи молодому специалисту в освоении рабочей "
               "программы и в подготовке к урокам")
START = date(2026, 9, 1)
SIGNED_AT = datetime(2026, 9, 1, 10, 0, tzinfo=UTC)


def sample_organization() -> Organization:
    return Organization(**SAMPLE_ORGANIZATION)


def field_sample(name: str, field: mf.Field, people: list[dict[str, Any]], index: int = 0
                 ) -> Any:
    """A realistic value of one form field, as the schema stores it (JSON-ready)."""
    meta = field.metadata
    widget = meta.get("widget", "text")
    if meta.get("default_text"):
        default = meta["default_text"]
        default = default() if callable(default) else default  # counted from today
        if widget == "rows" and isinstance(default, list):  # fill what the defaults leave out
            inner = field.inner.schema
            return [{**{n: field_sample(n, f, people, i) for n, f in inner.fields.items()},
                     **row} for i, row in enumerate(default)]
        return default
    if widget == "person":
        return people[index % len(people)]["id"]
    if widget == "people":
        return [p["id"] for p in people[1:3] or people[:1]]
    if widget == "date" or isinstance(field, mf.Date):
        return (date(2027, 5, 31) if "end" in name else START).isoformat()
    if widget == "select":
        return (meta.get("choices") or ("",))[0]
    if widget == "checkboxes":
        return list((meta.get("choices") or ())[:2])
    if widget == "checkbox" or isinstance(field, mf.Boolean):
        return True
    if widget == "money" or isinstance(field, mf.Decimal):
        return "5000.00"
    if widget == "number" or isinstance(field, mf.Integer):
        low = next((v.min for v in field.validators if getattr(v, "min", None) is not None), 1)
        return max(low, 1)
    if widget == "rows" and isinstance(field, mf.List) and isinstance(field.inner, mf.Nested):
        inner = field.inner.schema
        return [{n: field_sample(n, f, people, i) for n, f in inner.fields.items()}
                for i in range(2)]
    if isinstance(field, mf.List):
        return []
    if widget == "textarea":
        return SAMPLE_TEXT
    return f"Образец: {meta.get('label', name).lower()}"


def form_sample(fields: Mapping[str, mf.Field], people: list[dict[str, Any]] | None = None
                ) -> dict[str, Any]:
    """Form data of a schema's ``fields`` filled with sample values, plus what the engine
    adds (``person``, ``person_name``)."""
    people = people or SAMPLE_PEOPLE
    data = {n: field_sample(n, f, people) for n, f in fields.items()}
    by_id = {p["id"]: p for p in people}
    if data.get("person_id") in by_id:
        person = by_id[data["person_id"]]
        data["person"] = dict(person)
        data["person_name"] = " ".join(person[k] for k in ("last_name", "first_name",
                                                           "middle_name") if person[k])
    return data


@contextmanager
def scratch_organization() -> Iterator[tuple[Session, Organization]]:
    """A throwaway SQLite database holding the sample organization and people."""
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            org = sample_organization()
            session.add(org)
            session.flush()
            for person in SAMPLE_PEOPLE:  # the same ids as form_sample() uses
                session.add(Person(organization_id=org.id, **person))
            session.flush()
            yield session, org
    finally:
        engine.dispose()


def sample_requisites(org: Organization, *, heading: str, title: str, data: dict[str, Any],
                      extra: dict[str, Any], final: bool) -> dict[str, Any]:
    """A whole rendering context around ``data``: the organization's requisites, a sample
    number, date, electronic-signature marks and visa (none of them for a draft)."""
    head = org.head
    esign = sample_mark(head) if final else None
    return {
        "org": organization_context(org),
        "head": head,
        "doc": {"heading": heading, "title": title, "number": "15" if final else None,
                "date": START if final else None, "is_draft": not final},
        "esign": esign,
        "esigns": sample_marks(esign, data, extra) if final else {},
        "visas": [{"position": "Заместитель директора по УВР", "name": "Е.В. Сидорова",
                   "date": START, "step": "Куратор"}],
        "data": revive_dates(data),
        "extra": revive_dates(extra),
    }


def sample_mark(person: Mapping[str, Any]) -> dict[str, Any]:
    """A simple-signature mark of ``person`` (a person mapping), as ``esigns`` holds one."""
    return {"signer": " ".join(filter(None, (person.get("last_name"), person.get("first_name"),
                                             person.get("middle_name")))),
            "position": person.get("position", ""), "method": "simple",
            "method_label": "простая электронная подпись", "signed_at": SIGNED_AT,
            "signature_id": "0f3a9c5e7b2d4e61", "sha256": "9b74c9897bac770ffc029102a200c5de"}


def sample_marks(head_mark: dict[str, Any], data: Mapping[str, Any],
                 extra: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``esigns`` of a sample: every party key a template may look up, each signed by the
    person the sample names for it (the head; the person of the form; the pair's mentor,
    mentees and the curator the kind's context gives)."""
    marks = {"head": head_mark, "employer": head_mark}
    if isinstance(data.get("person"), Mapping):
        marks |= dict.fromkeys(("subject", "author", "employee"), sample_mark(data["person"]))
    for part in ("mentor", "curator"):
        if isinstance(extra.get(part), Mapping):
            marks[part] = sample_mark(extra[part])
    for mentee in extra.get("mentees") or ():
        if isinstance(mentee, Mapping) and mentee.get("id") is not None:
            marks[f"mentee:{mentee['id']}"] = sample_mark(mentee)
    return marks
