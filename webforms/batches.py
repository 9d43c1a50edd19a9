"""Batches of documents rendered as a background job, and the page that shows progress.

``/jobs/new`` picks documents, ``POST /jobs`` starts the job, ``/jobs/<id>/page`` shows a
progress bar fed by the JSON ``/jobs/<id>`` ({"done", "total", "state", …}), and
``/jobs/<id>/result.zip`` downloads the result.

Who may start a batch is declared in ``webforms.writers`` (not the inspector: a batch
files PDF copies and a ZIP). A batch belongs to the user who started it: its page, its
progress and its ZIP open for that user only (404 for anyone else, staff included; see
``workflows.batches``). Every id asked for goes through the one loader
``document_or_404``: the batch holds only documents the user may open, the others are
reported as not found, and a request naming none he may open is a 404.
"""

from __future__ import annotations

import io

from flask import Blueprint, Flask, jsonify, redirect, render_template, request, send_file, url_for

from storage.blobs import blobs
from storage.db import db_session
from webforms.access import batch_or_404, openable_documents, visible_documents
from webforms.auth import current_org_id, user
from workflows import batches, jobs
from workflows.errors import NotFound, QueueUnavailable

bp = Blueprint("batches", __name__, url_prefix="/jobs")


@bp.get("/new")
def new():
    docs = visible_documents()
    return render_template("batches/new.html", docs=docs)


@bp.post("/")
def start():
    allowed, refused = openable_documents(request.form.getlist("document_ids", type=int))
    if refused and not allowed:
        raise NotFound("Документы для пакета не найдены.")
    batch_id = batches.create(current_org_id(), allowed, request.form.get("format", "pdf"),
                              user().id, refused=refused)
    db_session().rollback()  # end the request's transaction: an in-process job opens its own
    if jobs.enqueue("render_batch", batch_id).state == "pending":  # Redis went away
        raise QueueUnavailable(jobs.QUEUE_DOWN)
    return redirect(url_for("batches.page", batch_id=batch_id))


@bp.get("/<batch_id>")
def status(batch_id: str):
    return jsonify(batches.progress(batch_or_404(batch_id)))


@bp.get("/<batch_id>/page")
def page(batch_id: str):
    return render_template("batches/page.html", batch_id=batch_id,
                           progress=batches.progress(batch_or_404(batch_id)))


@bp.get("/<batch_id>/result.zip")
def result(batch_id: str):
    record = batch_or_404(batch_id)
    if not record.get("result"):
        raise NotFound("Пакет ещё не готов.")
    return send_file(io.BytesIO(blobs().get(record["result"])), mimetype="application/zip",
                     as_attachment=True, download_name=f"Пакет документов {batch_id[:8]}.zip")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
