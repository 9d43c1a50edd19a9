"""The draft and the signed copy of a statement or an agreement: what both carry, and the
marks only one of them carries (ПРОЕКТ and no number; the number and the signature)."""

from __future__ import annotations

from collections.abc import Iterable

from storage.models import Document
from tests.helpers.docx import draft_then_signed


def check_draft_and_signed_copy(doc: Document, parts: Iterable[str], *actions: str) -> str:
    """The draft of ``doc`` is marked ПРОЕКТ and has no number; signed by ``actions`` (by
    default its route), the copy on file has its number and the mark of the simple electronic
    signature, and no ПРОЕКТ; both carry every one of ``parts``. Returns the signed copy's
    text."""
    draft, final = draft_then_signed(doc, *actions)
    assert "ПРОЕКТ" in draft and "№ _______" in draft
    for text in (draft, final):
        for part in parts:
            assert part in text, part
    assert "ПРОЕКТ" not in final and f"№ {doc.number}" in final
    assert "ДОКУМЕНТ ПОДПИСАН ПРОСТОЙ ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in final
    return final
