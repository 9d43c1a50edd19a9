"""Which fields of a form hold ids, read off the widgets the schema declares.

A ``person`` widget holds a person's id, ``people`` a list of them, a ``reference`` the id
of a record of its ``source`` (``webforms/references.py``); a table (``rows``) is walked
row by row. ``declaration(schema)`` turns that into the ``workflows.scoping`` declaration
the workflow checks at every save, so no kind lists its id fields by hand.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from workflows.scoping import Declaration, IdField, Table, Target

WIDGETS = {"person": (Target.PERSON, False), "people": (Target.PERSON, True)}
# ``reference(source=…)``: what each list of records the forms pick from holds
SOURCES = {"groups": Target.GROUP, "programs": Target.PROGRAM,
           "pairing_orders": Target.DOCUMENT}


def id_field(name: str, field: fields.Field) -> IdField | None:
    """The id this field holds, or None. KeyError for a reference of an unknown source:
    a new list of records must say what its ids are."""
    meta = field.metadata
    label = meta.get("label", name)
    widget = meta.get("widget")
    if widget in WIDGETS:
        target, many = WIDGETS[widget]
        return IdField(target, label, many)
    if widget == "reference":
        return IdField(SOURCES[meta["source"]], label)
    return None


def declaration(schema: Schema) -> Declaration:
    """The id fields of a form schema, tables included (``workflows.scoping.Declaration``)."""
    out: dict[str, IdField | Table] = {}
    for name, field in schema.fields.items():
        if isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
            label = field.metadata.get("label", name)
            inner = {n: f for n, f in ((n, id_field(n, f))
                                       for n, f in field.inner.schema.fields.items()) if f}
            if inner:
                out[name] = Table(label, inner)
        elif (found := id_field(name, field)) is not None:
            out[name] = found
    return out
