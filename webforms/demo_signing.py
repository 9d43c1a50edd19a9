"""The demo's signatures: every party of a demo document signs as the law lets it — with
ПЭП under its own account where the kind allows it and she has accepted the regulation
(``webforms.demo``: all the demo's signers but the new hire), else on paper: the clerk (or
whoever records it) files the scan of the hand-signed signing copy (``webforms.demo_scans``:
the copy's pages with her pen stroke on her signature line). When every party still to
sign takes the paper route — the supplementary agreement's employee and employer — one scan
of the copy signed by all of them stands for each, as a clerk would file it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from signatures import agreement, scans
from storage.blobs import blobs
from storage.models import Document, Person, User
from webforms import demo_scans
from workflows import documents, signatories, signing
from workflows.scoping import row_of
from workflows.states import DocState

PDF = "application/pdf"


def sign_all(session: Session, doc: Document, recorder: User) -> None:
    """Every party still to sign ``doc`` signs, in signing order (``sign_next``)."""
    while doc.state == DocState.APPROVED:
        sign_next(session, doc, recorder)


def by_pep(session: Session, doc: Document, party: signatories.Party) -> User | None:
    """The account ``party`` signs ``doc`` with by ПЭП, if the kind allows it for her and she
    has accepted the organization's regulation; else None (she signs on paper)."""
    if "simple" not in party.methods or party.user_id is None:
        return None
    account = session.get(User, party.user_id)
    return account if agreement.accepted(session, account, doc.organization_id) else None


def sign_next(session: Session, doc: Document, recorder: User) -> signatories.Party:
    """The next party signs: with ПЭП under her account (``by_pep``), else on paper (the
    scan filed by ``recorder``, a clerk or the head; one scan of the copy when every party
    left signs on paper)."""
    waiting = signatories.pending(session, doc)
    party = waiting[0]
    account = by_pep(session, doc, party)
    if account is not None:
        documents.transition(session, doc, "sign", actor=account,
                             roles=signing.roles_of(session, account, doc.organization_id))
        return party
    on_paper = waiting if all("paper" in p.methods and by_pep(session, doc, p) is None
                              for p in waiting) else [party]
    data = paper_scan(session, doc, on_paper)
    whole = len(on_paper) > 1
    who = "подписанный экземпляр" if whole else f"подпись, {party.name}"
    stored = scans.store(session, doc, scans.check(data, "скан.pdf"), data,
                         role=f"scan:{'copy' if whole else party.key}",
                         filename=f"{doc.title} — скан ({who})")
    for each in on_paper:
        signing.record(session, doc, each.key, method="paper", actor=recorder,
                       sha256=stored.sha256, file=stored)
    return party


def paper_scan(session: Session, doc: Document, parties: list[signatories.Party]) -> bytes:
    """The scan of the signing copy signed by hand by ``parties``: its pages with their
    strokes when the copy is a PDF, else a drawn page (``demo_scans.scan``)."""
    copy = signing.signing_copy(session, doc)
    pdf = blobs().get(copy.sha256) if copy.media_type == PDF else None
    return demo_scans.scan(pdf, surnames(session, doc, parties),
                           seed=f"{doc.id}:{copy.sha256}")


def surnames(session: Session, doc: Document, parties: list[signatories.Party]) -> list[str]:
    """The surnames the parties sign over (the head's too: his person, or his name)."""
    out = []
    for party in parties:
        person = row_of(session, Person, doc.organization_id, party.person_id) \
            if party.person_id else None
        out.append(person.last_name if person else (party.name or "").split(" ")[0])
    return out
