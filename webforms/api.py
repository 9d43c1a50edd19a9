"""The JSON API: the same documents and transitions as the pages, for scripts and
integrations. Session login as for pages; CSRF token in the ``X-CSRFToken`` header.
Errors come back as ``{"error": "...", "fields": {...}}`` with a 4xx status."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, jsonify, request, url_for

from storage.db import db_session
from storage.models import Document
from webforms import create_tokens, forms, input_guard
from webforms.access import check_may_author, document_or_404, visible_documents
from webforms.auth import current_org_id, current_roles, user
from workflows import documents, jobs, signatories
from workflows.errors import ValidationError
from workflows.kinds import all_kinds
from workflows.states import DocState

bp = Blueprint("api", __name__, url_prefix="/api")


def document_json(doc: Document) -> dict[str, Any]:
    """A document for scripts: its state and number, its data, every signature made on it
    (``signatures``: signer, part, method — simple, paper, qualified or seal —, time and
    the SHA-256 of the file signed) and who still has to sign (``pending_signatories``:
    name, part, the methods the law allows the party)."""
    session = db_session()
    return {
        "id": doc.id, "kind": doc.kind, "state": str(doc.state),
        "state_label": DocState(doc.state).label, "title": doc.title, "version": doc.version,
        "number": doc.number, "date": doc.doc_date.isoformat() if doc.doc_date else None,
        "content_hash": doc.content_hash, "signature_id": doc.signature_id,
        "signatures": [{"signer": s.signer_name, "party": s.party, "part": s.part,
                        "method": s.method, "at": s.signed_at.isoformat(), "sha256": s.sha256}
                       for s in signatories.signatures_of(session, doc)],
        "pending_signatories": [{"name": p.name, "party": p.key, "part": p.part,
                                 "label": p.label, "methods": list(p.methods)}
                                for p in signatories.pending(session, doc)],
        "data": doc.data, "url": url_for("documents.show", doc_id=doc.id),
    }


def _body() -> dict[str, Any]:
    """The JSON object of the request; ValidationError (422) for anything else, for nesting
    deeper than ``input_guard.MAX_DEPTH`` and for unstorable characters (by the field)."""
    body = input_guard.json_body()
    if not isinstance(body, dict):
        raise ValidationError("Ожидается JSON-объект в теле запроса.")
    return body


@bp.get("/kinds")
def kinds():
    return jsonify([{"name": k.name, "title": k.title, "has_form": k.name in forms.FORMS}
                    for k in all_kinds()])


@bp.get("/documents")
def list_documents():
    state = request.args.get("state")
    states = [DocState(state)] if state in set(DocState) else []
    docs = visible_documents(states=states, kind=request.args.get("kind") or None)
    return jsonify([document_json(d) for d in docs])


@bp.get("/documents/<int:doc_id>")
def get_document(doc_id: int):
    return jsonify(document_json(document_or_404(doc_id)))


@bp.post("/documents")
def create_document():
    body = _body()
    kind = body.get("kind")
    if not isinstance(kind, str):
        raise ValidationError("Укажите вид документа.", {"kind": ["Поле обязательно."]})
    raw = body.get("data")
    if not isinstance(raw, dict):
        raise ValidationError("Укажите данные формы.", {"data": ["Ожидается JSON-объект."]})
    check_may_author()
    data = forms.validate(kind, raw)
    check_may_author(data)
    doc, created = documents.create_once(
        db_session(), token=create_tokens.header_key(), organization_id=current_org_id(),
        kind=kind, data=data, author=user())
    db_session().commit()
    return jsonify(document_json(doc)), 201 if created else 200


@bp.post("/documents/<int:doc_id>/transitions")
def transition(doc_id: int):
    doc, body = document_or_404(doc_id), _body()
    outcome = documents.act(db_session(), doc, _action(body), actor=user(),
                            roles=current_roles(), comment=str(body.get("comment") or ""),
                            password=str(body.get("password") or ""),
                            expected_version=_version(body))
    db_session().commit()
    started = documents.start_jobs(outcome.jobs)
    return jsonify(document_json(doc) | _pdf(started.get("convert_signed_to_pdf")))


def _action(body: dict[str, Any]) -> str:
    action = body.get("action")
    if not isinstance(action, str):
        raise ValidationError("Укажите действие.", {"action": ["Поле обязательно."]})
    return action


def _version(body: dict[str, Any]) -> int | None:
    version = body.get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise ValidationError("Версия документа — целое число.", {"version": ["Целое число."]})
    return version


def _pdf(outcome: jobs.Outcome | None) -> dict[str, Any]:
    """``{"pdf": {"state": done|queued|pending|failed, "message"?}}`` after a signature:
    made now, queued, left for later (queue unreachable: it will be made without asking),
    or failed; nothing for another action."""
    if outcome is None:
        return {}
    return {"pdf": {"state": outcome.state} | (
        {"message": outcome.problem} if outcome.problem else {})}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
