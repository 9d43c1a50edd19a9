"""Running the Alembic migrations from the app (``flask db upgrade``) and from tests."""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def init_app(app: Flask) -> None:
    @app.cli.group("db")
    def db_group() -> None:
        """Схема базы данных (миграции Alembic)."""

    @db_group.command("upgrade")
    @click.argument("revision", default="head")
    def upgrade_command(revision: str) -> None:
        """Apply migrations up to REVISION (default: head)."""
        upgrade(current_app.config["DATABASE_URL"], revision)
        click.echo("База данных обновлена.")

    @db_group.command("revision")
    @click.option("-m", "--message", required=True)
    def revision_command(message: str) -> None:
        """Autogenerate a new migration from the models."""
        command.revision(alembic_config(current_app.config["DATABASE_URL"]), message=message,
                         autogenerate=True)
