"""Every user's queue: documents waiting for her visa or her signature — the director's
orders, a teacher's own consent or statement, the program she agrees as mentor or mentee —
opened one by one or approved and signed many at once."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for

from storage.db import db_session
from webforms.access import document_or_404, visible_documents
from webforms.auth import current_roles, user
from webforms.converters import form_ids
from workflows import documents, signatories
from workflows.errors import NastavnikError, ValidationError
from workflows.lifecycle import TRANSITIONS
from workflows.states import DocState

bp = Blueprint("queue", __name__)
QUEUE_ACTIONS = ("approve", "sign")


def my_queue():
    """``(document, arrows, party)`` for each document awaiting this user: the queue's
    arrows she may take, and the party she signs as (None if she only visas it)."""
    roles, session = current_roles(), db_session()
    waiting = visible_documents(states=(DocState.IN_APPROVAL, DocState.APPROVED))
    items = []
    for doc in waiting:
        acts = [a for a in documents.available(session, doc, user(), roles)
                if a.action in QUEUE_ACTIONS]
        if acts:
            items.append((doc, acts, signatories.next_for(session, doc, user(), roles)))
    return items


@bp.get("/queue")
def index():
    return render_template("queue.html", items=my_queue())


@bp.post("/queue/bulk")
def bulk():
    """Approve or sign several documents at once; each one succeeds or fails on its own.

    Every id is loaded through the one loader before anything is done: one the user may
    not open makes the whole request a 404 and changes nothing. Who may use the queue is
    declared in ``webforms.writers``; which document each role may approve or sign, in
    the transition's roles and the route's visas."""
    action = request.form.get("action", "")
    if action not in QUEUE_ACTIONS:
        raise ValidationError("Выберите действие: согласовать или подписать.")
    ids = form_ids("doc_id", message="Неверный номер документа в очереди. Обновите страницу.")
    if not ids:
        raise ValidationError("Отметьте документы в очереди.")
    if TRANSITIONS[action].needs_password:  # once for all the documents
        documents.reauthenticate(db_session(), user(), request.form.get("password", ""))
    docs = [document_or_404(doc_id) for doc_id in dict.fromkeys(ids)]
    done, failed, follow_ups = 0, [], []
    for doc in docs:
        try:
            outcome = documents.act(db_session(), doc, action, actor=user(),
                                    roles=current_roles(), reauthenticated=True)
            db_session().commit()
            done += 1
            follow_ups += outcome.jobs
        except NastavnikError as exc:
            db_session().rollback()
            failed.append(f"«{doc.title}»: {exc.message}")
    db_session().rollback()  # end the last read: an in-process job opens its own session
    documents.start_jobs(follow_ups)
    verb = "подписано" if action == "sign" else "согласовано"
    if done:
        flash(f"Документов {verb}: {done}.", "success")
    for message in failed:
        flash(message, "error")
    return redirect(url_for("queue.index"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
