"""the plan carried out (activities planned, done or missed, confirmed by the mentor),
participants' proposals of plan rows, notifications (issue 10)

Programs already running get their activities from the plan of their approved document,
all planned: nothing is guessed about what was done before.
"""
import json
from datetime import date

import sqlalchemy as sa
from alembic import op

from storage.migrations.schema_ops import create_table, key, moment, organization, reference

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    create_table(
        "plan_activities", key(), organization(),
        reference("program_id", "programs", index=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("activity", sa.Text(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("responsible", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        reference("evidence_file_id", "stored_files", nullable=True),
        reference("marked_by_id", "users", nullable=True),
        moment("marked_at", nullable=True),
        reference("confirmed_by_id", "users", nullable=True),
        moment("confirmed_at", nullable=True),
        unique=[["program_id", "position"]],
    )
    create_table(
        "plan_proposals", key(), organization(),
        reference("document_id", "documents", index=True),
        reference("proposed_by_id", "users"),
        sa.Column("row", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        reference("decided_by_id", "users", nullable=True),
        moment("decided_at", nullable=True),
        moment("created_at"),
    )
    create_table(
        "notifications", key(), organization(),
        reference("user_id", "users", index=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        moment("created_at"),
        moment("read_at", nullable=True),
        moment("emailed_at", nullable=True),
        unique=[["user_id", "key"]],
    )
    _activities_of_running_programs()


def _activities_of_running_programs() -> None:
    bind = op.get_bind()
    table = sa.table("plan_activities", *(sa.column(c) for c in (
        "organization_id", "program_id", "position", "activity", "start_date", "end_date",
        "responsible", "result", "status", "note")))
    rows = []
    for org_id, program_id, plan in bind.execute(sa.text(
            "SELECT organization_id, id, plan FROM programs WHERE status = 'active'")):
        items = (json.loads(plan) if isinstance(plan, str) else plan or {}).get("items", [])
        for n, item in enumerate(items, 1):
            if not item.get("start_date"):
                continue
            rows.append({
                "organization_id": org_id, "program_id": program_id, "position": n,
                "activity": item.get("activity", ""),
                "start_date": _day(item["start_date"]),
                "end_date": _day(item.get("end_date")),
                "responsible": item.get("responsible") or "", "result": item.get("result") or "",
                "status": "planned", "note": ""})
    if rows:
        op.bulk_insert(table, rows)


def _day(value: object) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def downgrade() -> None:
    op.drop_table("notifications")
    op.drop_table("plan_proposals")
    op.drop_table("plan_activities")
