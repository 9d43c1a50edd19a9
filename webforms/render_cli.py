"""``flask render``: one document from a JSON context, for template authors and scripts.

It composes every layer (kinds, forms, samples, templates, PDF), so it lives at the top.

    flask render KIND --data FILE.json --out FILE.docx|FILE.pdf [--org ID] [--template T.docx]
    flask render --list

The JSON is either the form data of the kind, or an object with ``data`` (and optionally
``extra`` and ``doc``) overriding the sample context. Requisites come from organization
``--org`` or from the built-in sample organization; ``--template`` renders with another
DOCX (checked as an upload would be) instead of the kind's template.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from doc_templates import pdf
from doc_templates.render import render_docx, template_path
from storage.db import db_session
from storage.errors import NastavnikError, NotFound
from storage.models import Organization
from webforms.forms import FORMS
from webforms.samples import check_template, sample_context
from workflows.kinds import all_kinds, get_kind


def init_app(app: Flask) -> None:
    app.cli.add_command(render_command)


@click.command("render")
@click.argument("kind", required=False)
@click.option("--data", "data_file", type=click.Path(exists=True, dir_okay=False),
              help="JSON: the form data, or {\"data\": …, \"extra\": …, \"doc\": …}.")
@click.option("--out", type=click.Path(dir_okay=False), help="FILE.docx or FILE.pdf")
@click.option("--org", "org_id", type=int, help="Requisites and people of this organization.")
@click.option("--template", "template_file", type=click.Path(exists=True, dir_okay=False),
              help="Render with this DOCX instead of the kind's template.")
@click.option("--draft", is_flag=True, help="A draft: marked ПРОЕКТ, no number or date.")
@click.option("--list", "list_kinds", is_flag=True, help="List kinds and their variables.")
@with_appcontext
def render_command(kind, data_file, out, org_id, template_file, draft, list_kinds):
    """Render one document of KIND to DOCX or PDF (or list the kinds with --list)."""
    if list_kinds:
        _list()
        return
    if not kind or not out:
        raise click.UsageError("Укажите вид документа и --out FILE.docx|FILE.pdf "
                               "(или --list).")
    suffix = Path(out).suffix.lower()
    if suffix not in (".docx", ".pdf"):
        raise click.UsageError("--out должен оканчиваться на .docx или .pdf.")
    try:
        data = _render(kind, data_file, org_id, template_file, draft)
        if suffix == ".pdf":
            data = pdf.convert(data, pdfa=not draft)
    except NastavnikError as exc:
        raise click.ClickException(exc.message) from None
    Path(out).write_bytes(data)
    click.echo(f"{out}: {len(data)} байт.")


def _render(kind: str, data_file: str | None, org_id: int | None, template_file: str | None,
            draft: bool) -> bytes:
    k = get_kind(kind)
    given = json.loads(Path(data_file).read_text(encoding="utf-8")) if data_file else None
    if given is not None and not isinstance(given, dict):
        raise click.UsageError("JSON должен быть объектом.")
    parts = given if given and isinstance(given.get("data"), dict) else {"data": given}
    org = None
    if org_id is not None:
        org = db_session().get(Organization, org_id)
        if org is None:
            raise NotFound(f"Организация {org_id} не найдена.")
    context = sample_context(k.name, db_session() if org else None, org,
                             parts.get("data"), final=not draft)
    for name in ("extra", "doc"):
        if isinstance(parts.get(name), dict):
            context[name] = {**(context[name] or {}), **parts[name]}
    if template_file:
        template = Path(template_file).read_bytes()
        check_template(k.name, template)
    else:
        template = template_path(k.name)
    return render_docx(template, context)


def _list() -> None:
    for kind in all_kinds():
        click.echo(f"{kind.name} — {kind.title}")
        sample = sample_context(kind.name)
        for name in ("org", "head", "doc", "esign"):
            click.echo(f"  {name}: {', '.join(sample[name])}")
        click.echo("  visas: [position, name, date, step]")
        schema = FORMS[kind.name]() if kind.name in FORMS else None
        fields = [f"data.{n} ({f.metadata.get('label', n)})"
                  for n, f in (schema.fields.items() if schema else ())]
        click.echo("  data: " + "; ".join(fields + ["data.person", "data.person_name"]))
        if sample["extra"]:
            click.echo(f"  extra: {', '.join(sample['extra'])}")
