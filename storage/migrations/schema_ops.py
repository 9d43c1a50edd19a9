"""What the migrations repeat, written once: the surrogate key, the references to other
tables (the organization's above all), the names the constraints get, adding and dropping
columns in one batch.

A migration is history: once it has run somewhere, what it creates must not change. So this
module only names shapes the migrations already use, and spells out the constraint names
(storage.models' ``NAMING_CONVENTION`` as it was when they were written) rather than take
them from the models at run time. Changing a function here changes every migration that
calls it; tests/test_storage.py compares the migrated schema with the models.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


def key() -> sa.Column:
    """The surrogate key ``id`` (the primary key unless ``create_table`` is told another)."""
    return sa.Column("id", sa.Integer(), nullable=False)


def reference(name: str, table: str, *, nullable: bool = False, index: bool = False,
              ondelete: str | None = None) -> sa.Column:
    """An integer column ``name`` referring to ``table.id``; ``index`` adds ix_<table>_<name>.

    ``create_table`` turns the reference into its named foreign key.
    """
    return sa.Column(name, sa.Integer(), nullable=nullable, index=index,
                     info={"references": table, "ondelete": ondelete})


def organization(*, index: bool = True) -> sa.Column:
    """``organization_id``: the organization a row belongs to, indexed unless told not."""
    return reference("organization_id", "organizations", index=index)


def moment(name: str, *, nullable: bool = False) -> sa.Column:
    """A point in time with its time zone (``created_at``, ``signed_at``…)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def add_columns(table: str, *columns: sa.Column) -> None:
    """Add ``columns`` to ``table`` in one batch (on SQLite a nullable or defaulted column
    is added in place, without copying the table)."""
    with op.batch_alter_table(table) as batch_op:
        for column in columns:
            batch_op.add_column(column)


def drop_columns(table: str, *names: str) -> None:
    """Drop the columns ``names`` of ``table`` in one batch (one table copy on SQLite)."""
    with op.batch_alter_table(table) as batch_op:
        for name in names:
            batch_op.drop_column(name)


def create_table(name: str, *columns: sa.Column, primary_key: Sequence[str] = ("id",),
                 unique: Sequence[Sequence[str]] = ()) -> None:
    """Create table ``name`` with the indexes its columns ask for (``index=True``).

    Constraint names: pk_<table>, fk_<table>_<column>_<referred table>, uq_<table>_<columns>
    (each of ``unique`` is one constraint's columns), ix_<table>_<column>. The foreign keys
    come in the order of their names, as Alembic's autogenerate wrote them. Dropping the
    table (``op.drop_table``) drops its indexes with it.
    """
    references = sorted((c for c in columns if "references" in c.info), key=lambda c: c.name)
    op.create_table(
        name, *columns,
        *(sa.ForeignKeyConstraint(
            [c.name], [f"{c.info['references']}.id"], ondelete=c.info["ondelete"],
            name=f"fk_{name}_{c.name}_{c.info['references']}") for c in references),
        sa.PrimaryKeyConstraint(*primary_key, name=f"pk_{name}"),
        *(sa.UniqueConstraint(*cols, name=f"uq_{name}_{'_'.join(cols)}") for cols in unique),
    )
