"""The demo's signatures: every party of a demo document signs as the law lets it — with
ПЭП under its own account where the kind allows it (the demo's signers have accepted the
regulation, ``webforms.demo``), else by a scan of the paper original filed by whoever
records it (the labour documents: the mentor's consent, the supplementary agreement).

The demo has no hand-signed papers, so its scan is a blank A4 page: it stands in the
archive where the real scan would.
"""

from __future__ import annotations

import io

from pypdf import PdfWriter
from sqlalchemy.orm import Session

from signatures import scans
from storage.models import Document, User
from workflows import documents, signatories, signing
from workflows.states import DocState


def sign_all(session: Session, doc: Document, recorder: User) -> None:
    """Every party still to sign ``doc`` signs, in signing order (``sign_next``)."""
    while doc.state == DocState.APPROVED:
        sign_next(session, doc, recorder)


def sign_next(session: Session, doc: Document, recorder: User) -> signatories.Party:
    """The next party signs: with ПЭП under its account if the kind allows it and it has
    one, else on paper (the scan filed by ``recorder``, a clerk or the head)."""
    party = signatories.pending(session, doc)[0]
    if "simple" in party.methods and party.user_id is not None:
        account = session.get(User, party.user_id)
        documents.transition(session, doc, "sign", actor=account,
                             roles=signing.roles_of(session, account, doc.organization_id))
        return party
    data = blank_page(f"{doc.title}: {party.label}, {party.name}")
    stored = scans.store(session, doc, scans.check(data, "скан.pdf"), data,
                         role=f"scan:{party.key}", filename=f"Скан подписи ({party.label})")
    signing.record(session, doc, party.key, method="paper", actor=recorder,
                   sha256=stored.sha256, file=stored)
    return party


def blank_page(title: str) -> bytes:
    """One blank A4 page as a PDF titled ``title``: the demo's stand-in for a scan."""
    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": title})
    writer.write(out)
    return out.getvalue()
