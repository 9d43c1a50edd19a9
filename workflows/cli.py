"""Flask CLI of integrity checks: ``flask audit verify`` and ``flask archive verify`` (every
stored file against its SHA-256, then the organization's seal on every archived PDF).

Both exit 1 when they find a problem (for cron and monitoring) and say in Russian what.
"""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from signatures.seal import SealStatus
from storage import archive, checkpoints, keys
from storage.db import db_session
from storage.models import Organization
from workflows import audit, filing, seal_cli, sealing


def _size(n: int) -> str:
    return f"{n:,} байт".replace(",", " ") + (f" ({n / 2**20:.1f} МБ)".replace(".", ",")
                                              if n >= 2**20 else "")


def init_app(app: Flask) -> None:
    @app.cli.group("audit")
    def audit_group() -> None:
        """Журнал аудита."""

    @audit_group.command("verify")
    @click.option("--org", "org_id", type=int, help="Only this organization.")
    def verify_command(org_id: int | None) -> None:
        """Check every organization's keyed hash chain, its head and the checkpoint kept
        outside the database; exit 1 naming the first problem."""
        session = db_session()
        key = keys.current()
        newest = checkpoints.latest(checkpoints.path(), key)
        ids = [org_id] if org_id else session.scalars(select(Organization.id)).all()
        failed = False
        for oid in ids:
            result = audit.verify(session, oid, newest=newest)
            if result.ok:
                line = f"Организация {oid}: журнал цел, записей: {result.rows}."
                if result.unkeyed:
                    line += (f" Из них без ключа целостности (записаны до его включения): "
                             f"{result.unkeyed}.")
                if result.rows and not result.checkpointed:
                    line += (" Контрольной точки вне базы нет: откат журнала к старому "
                             "заголовку не обнаружить (flask audit seal её запишет).")
                click.echo(line)
            else:
                failed = True
                click.echo(f"Организация {oid}: НАРУШЕНА целостность — {result.problem}.")
                if result.against_checkpoint:
                    click.echo("  Если базу данных намеренно восстановили из резервной копии "
                               "или создали заново, контрольные точки остались от прежней: "
                               "переименуйте файл контрольных точек и выполните "
                               "«flask audit seal».")
        click.echo(f"Ключ целостности: {key.key_id}; контрольные точки: {checkpoints.path()}.")
        raise SystemExit(1 if failed else 0)

    @audit_group.command("seal")
    @click.option("--org", "org_id", type=int, help="Only this organization.")
    def seal_command(org_id: int | None) -> None:
        """Key the head of every intact chain and write its checkpoint (once, after
        upgrading a database from before the integrity key); exit 1 if a chain is broken."""
        session = db_session()
        ids = [org_id] if org_id else session.scalars(select(Organization.id)).all()
        failed = False
        for oid in ids:
            result = audit.seal(session, oid)
            if result.ok:
                click.echo(f"Организация {oid}: заголовок журнала заверен ключом "
                           f"{result.key_id}, записей: {result.rows}.")
            else:
                failed = True
                click.echo(f"Организация {oid}: НЕ заверен — {result.problem}.")
        session.commit()
        raise SystemExit(1 if failed else 0)

    @app.cli.group("archive")
    def archive_group() -> None:
        """Архив файлов."""

    @archive_group.command("verify")
    @click.option("--org", "org_id", type=int, help="Only this organization.")
    def archive_verify_command(org_id: int | None) -> None:
        """Reread every stored file and compare it with its SHA-256; exit 1 naming each
        damaged or missing file and its document."""
        report = archive.verify(db_session(), org_id, titles=filing.kind_titles())
        for line in report.damaged:
            click.echo(f"ПОВРЕЖДЁН {line}: содержимое не совпадает с SHA-256.")
        for line in report.missing:
            click.echo(f"ОТСУТСТВУЕТ {line}: файла нет в хранилище или он не читается.")
        click.echo(f"Проверено файлов: {report.files} (различных прочитано: {report.blobs}), "
                   f"прочитано {_size(report.bytes)}; повреждено: {len(report.damaged)}, "
                   f"отсутствует: {len(report.missing)}.")
        click.echo("Архив цел." if report.ok else "Архив НАРУШЕН: восстановите эти файлы из "
                   "резервной копии.")
        seals_ok = _report_seals(org_id)
        raise SystemExit(0 if report.ok and seals_ok else 1)

    seal_cli.init_app(app)  # flask seal dev-certificate


SEAL_LINES = {SealStatus.VALID: "ЗАВЕРЕН", SealStatus.ALTERED: "ИЗМЕНЁН ПОСЛЕ ЗАВЕРЕНИЯ",
              SealStatus.UNKNOWN_SIGNER: "НЕИЗВЕСТНАЯ ПЕЧАТЬ", SealStatus.UNSEALED: "НЕ ЗАВЕРЕН"}


def _report_seals(org_id: int | None) -> bool:
    """One line per archived PDF with its seal's status (``workflows.sealing.verify``) and
    the counts; False if a PDF was altered after sealing or sealed by an unknown signer."""
    session, titles = db_session(), filing.kind_titles()
    counts = dict.fromkeys(SealStatus, 0)
    for found in sealing.verify(session, org_id):
        check = found.check
        counts[check.status] += 1
        line = archive.describe_document_file(found.stored, found.document,
                                              found.organization, titles)
        said = check.status.label
        if check.detail:
            said += f" — {check.detail}"
        if check.signer:
            said += f" (печать: {check.signer}, сертификат {check.serial}"
            said += f", заверен {check.sealed_at:%d.%m.%Y %H:%M} UTC)" if check.sealed_at \
                else ")"
        click.echo(f"{SEAL_LINES[check.status]} {line}: {said}.")
    click.echo(f"Печать на архивных PDF: проверено {sum(counts.values())}; действительна: "
               f"{counts[SealStatus.VALID]}, изменены после заверения: "
               f"{counts[SealStatus.ALTERED]}, неизвестная печать: "
               f"{counts[SealStatus.UNKNOWN_SIGNER]}, не заверены: "
               f"{counts[SealStatus.UNSEALED]}.")
    if counts[SealStatus.UNSEALED]:
        click.echo(f"Не заверенные PDF подготовлены, когда у организации не было сертификата "
                   f"печати. {sealing.HOW_TO_SEAL}")
    return not (counts[SealStatus.ALTERED] or counts[SealStatus.UNKNOWN_SIGNER])
