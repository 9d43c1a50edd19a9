"""``flask seal dev-certificate``: a development CA and seal certificate per organization.

For development and demonstrations only: the CA is made here and trusted by nothing outside
this installation. A school's real seal is a PKCS#12 its head uploads on the page «Печать
организации».
"""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from storage.db import db_session
from storage.models import Organization
from workflows import sealing


def init_app(app: Flask) -> None:
    @app.cli.group("seal")
    def seal_group() -> None:
        """Печать организации (PAdES) на архивных PDF."""

    @seal_group.command("dev-certificate")
    @click.option("--org", "org_id", type=int, help="Only this organization.")
    @click.option("--replace", is_flag=True,
                  help="Make a new one even where a certificate is active.")
    def dev_certificate_command(org_id: int | None, replace: bool) -> None:
        """Make a development CA and the organization's seal certificate (ECDSA P-256, subject
        the organization's names) for every organization without an active one."""
        session = db_session()
        query = select(Organization).order_by(Organization.id)
        if org_id is not None:
            query = query.where(Organization.id == org_id)
        orgs = session.scalars(query).all()
        if not orgs:
            click.echo(f"Организация {org_id} не найдена.")
            raise SystemExit(1)
        for org in orgs:
            current = sealing.active(session, org.id)
            if current is not None and not replace:
                click.echo(f"Организация {org.id} «{org.short_name}»: сертификат печати уже "
                           f"есть ({current.serial}, {sealing.SOURCES[current.source]}); "
                           f"новый: --replace.")
                continue
            row = sealing.make_development(session, org)
            click.echo(f"Организация {org.id} «{org.short_name}»: создан сертификат печати "
                       f"для разработки, серийный номер {row.serial}, действует по "
                       f"{row.not_after:%d.%m.%Y}.")
        session.commit()
