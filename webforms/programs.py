"""The page of pairs/groups and programs of the organization, and publishing results (П1 §8).

Lists the active and past pairs/groups (with the numbers program forms ask for) and the
personalized programs with their state — to staff all of the organization's, to a teacher
only her own pairs/groups and their programs (``webforms.access``); the curator or the
director marks an ended program's results as published on the school's site (П1 §8.2:
only after it ended).
"""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, url_for

from storage.db import db_session
from storage.models import Document, Person
from storage.roles import Role
from webforms.access import program_or_404, visible_groups, visible_programs
from webforms.auth import current_org_id, current_roles, user
from workflows import programs
from workflows.errors import NastavnikError, NotAllowed
from workflows.scoping import rows_of

bp = Blueprint("programs", __name__)
PUBLISHERS = frozenset({Role.CURATOR, Role.DIRECTOR, Role.ADMIN})


@bp.get("/programs")
def index():
    session, org_id = db_session(), current_org_id()
    groups = sorted(visible_groups(), key=lambda g: g.id, reverse=True)
    progs = sorted(visible_programs(), key=lambda p: p.id, reverse=True)
    ids = {g.mentor_id for g in groups} | {m.mentee_id for g in groups for m in g.members}
    names = {i: p.full_name for i, p in rows_of(session, Person, org_id, ids).items()}
    docs = rows_of(session, Document, org_id,
                   {g.order_id for g in groups} | {p.document_id for p in progs})
    return render_template("programs.html", groups=groups, programs=progs, names=names,
                           docs=docs, labels=programs.STATUS_LABELS,
                           may_publish=bool(current_roles() & PUBLISHERS))


@bp.post("/programs/<int:program_id>/publish")
def publish(program_id: int):
    if not current_roles() & PUBLISHERS:
        raise NotAllowed("Публиковать результаты программ может куратор или руководитель.")
    program = program_or_404(program_id)
    try:
        programs.publish_results(db_session(), program, user())
        db_session().commit()
    except NastavnikError:
        db_session().rollback()
        raise
    flash("Результаты программы отмечены как опубликованные на сайте.", "success")
    return redirect(url_for("programs.index"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
