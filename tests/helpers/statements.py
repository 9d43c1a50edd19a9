"""The draft and the signed copy of a statement or an agreement: what both carry, and the
marks only one of them carries (ПРОЕКТ and no number; the number and, when a party signed
with ПЭП, the mark of the simple electronic signature)."""

from __future__ import annotations

from collections.abc import Iterable

from storage.db import db_session
from storage.models import Document
from tests.helpers.docx import draft_then_signed
from workflows.signatories import signatures_of

# the consents and statements: the person's own documents (doc_templates/builder/personal.py)
PERSONAL = frozenset({"pd_consent", "participant_consent", "mentor_consent",
                      "mentor_resignation", "mentor_replacement_request"})


def check_draft_and_signed_copy(doc: Document, parts: Iterable[str], *actions: str) -> str:
    """The draft of ``doc`` is marked ПРОЕКТ and has no number; signed by ``actions`` (by
    default its route), the copy on file has its number, the mark of the simple electronic
    signature if a party signed with it (none on paper), and no ПРОЕКТ; both carry every
    one of ``parts``. Returns the signed copy's text."""
    draft, final = draft_then_signed(doc, *actions)
    # a letterhead's blank number; a personal document (ГОСТ Р 7.0.97-2025: the person's,
    # with no letterhead) has none, and the school's incoming number only once registered
    assert "ПРОЕКТ" in draft and ("№ _______" in draft or doc.kind in PERSONAL)
    assert "Вх. №" not in draft
    for text in (draft, final):
        for part in parts:
            assert part in text, part
    assert "ПРОЕКТ" not in final and f"№ {doc.number}" in final
    simple = any(s.method == "simple" for s in signatures_of(db_session(), doc))
    assert ("ДОКУМЕНТ ПОДПИСАН ПРОСТОЙ ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in final) == simple
    return final
