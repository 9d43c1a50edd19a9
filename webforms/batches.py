"""Batches of documents rendered as a background job, and the page that shows progress.

``/jobs/new`` picks documents, ``POST /jobs`` starts the job, ``/jobs/<id>/page`` shows a
progress bar fed by the JSON ``/jobs/<id>`` ({"done", "total", "state", …}), and
``/jobs/<id>/result.zip`` downloads the result. A batch is seen only in its organization.
"""

from __future__ import annotations

import io

from flask import Blueprint, Flask, jsonify, redirect, render_template, request, send_file, url_for

from storage.blobs import blobs
from storage.db import db_session
from webforms.access import STAFF, document_or_404, visible_documents
from webforms.auth import current_org_id, current_roles, user
from workflows import batches, jobs
from workflows.errors import NotFound

bp = Blueprint("batches", __name__, url_prefix="/jobs")


@bp.get("/new")
def new():
    docs = visible_documents()
    return render_template("batches/new.html", docs=docs)


@bp.post("/")
def start():
    ids = request.form.getlist("document_ids", type=int)
    if not current_roles() & STAFF:  # a teacher's ids go through the one loader (404)
        ids = [document_or_404(i).id for i in ids]
    # (the job itself takes only documents of this organization; others are reported)
    batch_id = batches.create(current_org_id(), ids, request.form.get("format", "pdf"),
                              user().id)
    db_session().rollback()  # end the request's transaction: an in-process job opens its own
    jobs.enqueue("render_batch", batch_id)
    return redirect(url_for("batches.page", batch_id=batch_id))


@bp.get("/<batch_id>")
def status(batch_id: str):
    return jsonify(batches.progress(batches.load(current_org_id(), batch_id)))


@bp.get("/<batch_id>/page")
def page(batch_id: str):
    record = batches.load(current_org_id(), batch_id)
    return render_template("batches/page.html", batch_id=batch_id,
                           progress=batches.progress(record))


@bp.get("/<batch_id>/result.zip")
def result(batch_id: str):
    record = batches.load(current_org_id(), batch_id)
    if not record.get("result"):
        raise NotFound("Пакет ещё не готов.")
    return send_file(io.BytesIO(blobs().get(record["result"])), mimetype="application/zip",
                     as_attachment=True, download_name=f"Пакет документов {batch_id[:8]}.zip")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
