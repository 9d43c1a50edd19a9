"""Flask CLI of the workflow: ``flask audit verify``."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from storage.db import db_session
from storage.models import Organization
from workflows import audit


def init_app(app: Flask) -> None:
    @app.cli.group("audit")
    def audit_group() -> None:
        """Журнал аудита."""

    @audit_group.command("verify")
    @click.option("--org", "org_id", type=int, help="Only this organization.")
    def verify_command(org_id: int | None) -> None:
        """Check every organization's hash chain; exit 1 naming the first bad row."""
        session = db_session()
        ids = [org_id] if org_id else session.scalars(select(Organization.id)).all()
        failed = False
        for oid in ids:
            result = audit.verify(session, oid)
            if result.ok:
                click.echo(f"Организация {oid}: журнал цел, записей: {result.rows}.")
            else:
                failed = True
                click.echo(f"Организация {oid}: НАРУШЕНА целостность — {result.problem}.")
        raise SystemExit(1 if failed else 0)
