"""Signing outside the service: the copy to print or to sign in one's own software, the scan
of the hand-signed original, the detached qualified signature (issue 9 points 3 and 4).

Each upload is checked by content (``signatures.scans``, ``signatures.qualified``), kept as
a file of the document and recorded through the one door of signatures,
``workflows.signing.record`` (method ``paper`` or ``qualified``), which refuses a party not
pending, a method its kind does not accept by law (the basis named), the head before the
others, and anyone but the party herself, a clerk or the head (``signing.check``). The last
signature registers the document (number, signed copy, jobs). The page's section is
``documents/_paper.html``; ``paper_routes`` gives it what the current user may upload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath

from flask import Blueprint, Flask, flash, redirect, request, url_for

from signatures import qualified, scans
from storage.blobs import blobs
from storage.db import db_session
from storage.models import Document, Signature
from webforms.access import document_or_404
from webforms.auth import current_roles, user
from webforms.filenames import clean_filename, send_download
from workflows import documents, signatories, signing
from workflows.errors import RuleViolation, ValidationError
from workflows.filing import file_name
from workflows.states import DocState

bp = Blueprint("paper_signatures", __name__)
WHOLE_COPY = "*"  # the party field's value for a scan of the copy signed by every party
SIG_SUFFIXES = (".sig", ".p7s", ".sgn", ".p7m")
CERTIFICATE_DETAILS = (  # (label, key of qualified.Detached.record()), shown when recorded
    ("Средство электронной подписи владельца", "sign_tool"),
    ("Средства удостоверяющего центра", "ca_tools"),
    ("Класс средств электронной подписи", "protection"),
    ("Алгоритм подписи", "signature_algorithm"),
    ("Алгоритм хеширования", "digest_algorithm"))


@bp.post("/documents/<int:doc_id>/signing-copy")
def signing_copy(doc_id: int):
    """The exact file the parties sign, filed when first asked for (so a POST; once filed
    it is also a file of the document to download): printed for a hand signature, or
    signed in a party's own software for a detached qualified one."""
    doc = document_or_404(doc_id)
    stored = signing.signing_copy(db_session(), doc)
    data = blobs().get(stored.sha256)
    db_session().commit()
    return send_download(data, stored.filename, stored.media_type)


@bp.post("/documents/<int:doc_id>/scans")
def upload_scan(doc_id: int):
    """A scan of the hand-signed original: one party's signature, or (party ``*``) the copy
    signed by every party still to sign."""
    doc, session, actor, roles = document_or_404(doc_id), db_session(), user(), current_roles()
    key = request.form.get("party", "")
    data, uploaded = _uploaded("скан подписанного документа", scans.SCAN_MAX_BYTES)
    scan = scans.check(data, uploaded)
    if key == WHOLE_COPY:  # refusals come from the door; one refused rolls back them all
        waiting = signatories.pending(session, doc)
        if not waiting:
            raise RuleViolation("Все стороны уже подписали документ: скан не нужен.")
    else:  # refused before the scan is filed
        waiting = [_party(doc, key)]
        signing.check(session, doc, _request(waiting[0], "paper", scan.sha256), actor, roles)
    who = "подписанный экземпляр" if key == WHOLE_COPY else f"подпись, {waiting[0].name}"
    stored = scans.store(session, doc, scan, data,
                         role=f"scan:{'copy' if key == WHOLE_COPY else key}",
                         filename=f"{_stem(doc)} — скан ({who})")
    for party in waiting:
        signing.record(session, doc, party.key, method="paper", actor=actor,
                       sha256=scan.sha256, file=stored, roles=roles)
    _done(doc, f"Скан принят ({scan.describe()}): "
               f"{signatories.names(waiting)} — подпись на бумаге.")
    return redirect(url_for("documents.show", doc_id=doc.id, _anchor="paper"))


@bp.post("/documents/<int:doc_id>/qualified")
def upload_qualified(doc_id: int):
    """A party's detached qualified signature (.sig/.p7s) of the signing copy: GOST only,
    its GOST cryptography not verified here (``signatures.qualified`` says what is)."""
    doc, session, actor, roles = document_or_404(doc_id), db_session(), user(), current_roles()
    party = _party(doc, request.form.get("party", ""))
    data, uploaded = _uploaded("файл открепленной подписи (.sig или .p7s)",
                               qualified.SIG_MAX_BYTES)
    copy = signing.signing_copy(session, doc)
    signing.check(session, doc, _request(party, "qualified", copy.sha256), actor, roles)
    detached = qualified.read(data, signer_name=party.name)
    suffix = PurePath(uploaded).suffix.lower()
    stored = qualified.store(session, doc, detached, data, role=f"sig:{party.key}",
                             filename=f"{_stem(doc)} — подпись ({party.name})"
                                      f"{suffix if suffix in SIG_SUFFIXES else '.sig'}")
    signing.record(session, doc, party.key, method="qualified", actor=actor,
                   sha256=copy.sha256, file=stored, certificate=detached.record(), roles=roles)
    _done(doc, f"Квалифицированная подпись принята: {party.label} ({party.name}), "
               f"сертификат № {detached.certificate.serial}. {qualified.GOST_NOT_CHECKED}")
    return redirect(url_for("documents.show", doc_id=doc.id, _anchor="paper"))


def _uploaded(what: str, limit: int) -> tuple[bytes, str]:
    """The uploaded file's bytes (at most ``limit`` + 1, so an oversize one is told) and
    its cleaned name; ValidationError if none was chosen."""
    file = request.files.get("file")
    if file is None or not file.filename:
        raise ValidationError(f"Выберите файл: {what}.", {"file": [f"Выберите {what}."]})
    return file.read(limit + 1), clean_filename(file.filename, default="файл")


def _party(doc: Document, key: str) -> signatories.Party:
    """The party ``key`` of ``doc`` still to sign; RuleViolation (naming who signs) else."""
    session = db_session()
    waiting = {p.key: p for p in signatories.pending(session, doc)}
    if key in waiting:
        return waiting[key]
    everyone = {p.key: p for p in signatories.parties(session, doc)}
    if key in everyone:  # signed already: the door says by whom and how
        signing.check(session, doc, _request(everyone[key], "paper", ""), user(),
                      current_roles())
    raise RuleViolation("Выберите сторону, которая ещё не подписала документ: "
                        f"{signatories.names(waiting.values()) or 'все уже подписали'}.")


def _request(party: signatories.Party, method: str, sha256: str) -> signing.Request:
    return signing.Request(party.key, method, sha256)


def _stem(doc: Document) -> str:
    return PurePath(file_name(doc, "x")).stem


def _done(doc: Document, message: str) -> None:
    """Commit, start the jobs of a completed signature (the signed copy's PDF/A), say so."""
    follow_ups = documents.completed_jobs(doc, documents.arrow("sign"), user())
    db_session().commit()
    flash(message, "success")
    if doc.state == DocState.SIGNED:
        flash(f"Все стороны подписали документ: он зарегистрирован под № {doc.number}.",
              "success")
    for outcome in documents.start_jobs(follow_ups).values():
        if outcome.state in ("pending", "failed") and outcome.message:
            flash(outcome.message, "info" if outcome.state == "pending" else "error")


@dataclass
class Upload:
    """What the current user may upload for one pending party."""

    party: signatories.Party
    paper: bool
    qualified: bool
    waits_for_others: bool  # the head signs last


@dataclass
class Made:
    """A paper or qualified signature made, as the section shows it: for a qualified one
    the certificate's details (label, value), what the service checked and what not."""

    signature: Signature
    party_label: str  # the part in the document, «Работник (наставник)»
    method_label: str
    details: list[tuple[str, str]] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)


@dataclass
class PaperSection:
    """What the «Подпись на бумаге и квалифицированной электронной подписью» section
    shows."""

    open: bool  # the document awaits signatures
    uploads: list[Upload] = field(default_factory=list)
    whole_copy: bool = False  # one scan may stand for every pending party
    made: list[Made] = field(default_factory=list)
    scan_max_mb: int = scans.SCAN_MAX_MB


def paper_routes(doc: Document, section: documents.Signatures) -> PaperSection:
    """For the template: the uploads the current user may make on ``doc`` now (the party
    herself, or a clerk or the head for anyone) and the paper and qualified signatures
    made (``section``: the page's «Подписи»)."""
    roles, me = current_roles(), user()
    waiting = section.waiting if doc.state == DocState.APPROVED else []
    recorder = bool(roles & signatories.RECORDERS)
    others = any(not p.is_head for p in waiting)
    labels = {p.key: p.label for p in section.parties}
    return PaperSection(
        open=bool(waiting),
        uploads=[Upload(p, "paper" in p.methods, "qualified" in p.methods,
                        waits_for_others=p.is_head and others)
                 for p in waiting if recorder or p.is_user(me, roles)],
        whole_copy=recorder and len(waiting) > 1 and all("paper" in p.methods
                                                         for p in waiting),
        made=[_made(s, labels.get(s.party, "")) for s in section.made.values()
              if s.method in ("paper", "qualified")])


def _made(sig: Signature, party_label: str) -> Made:
    label = signatories.METHOD_LABELS[sig.method]
    cert = sig.certificate
    if not cert:
        return Made(sig, party_label, label)
    details = [("Владелец сертификата", cert["subject"]),
               ("Серийный номер", cert["serial"]),
               ("Действует", f"с {_date(cert['not_before'])} по {_date(cert['not_after'])}"),
               ("Издатель", cert["issuer"])]
    details += [(label, cert[key]) for label, key in CERTIFICATE_DETAILS if cert.get(key)]
    if cert.get("signed_at"):
        details.append(("Время подписания (из подписи)", _date(cert["signed_at"], time=True)))
    return Made(sig, party_label, label, details, list(cert.get("checks", ())),
                list(cert.get("not_checked", ())))


def _date(iso: str, *, time: bool = False) -> str:
    moment = datetime.fromisoformat(iso).astimezone(UTC)
    return moment.strftime("%d.%m.%Y %H:%M UTC" if time else "%d.%m.%Y")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["paper_routes"] = paper_routes
