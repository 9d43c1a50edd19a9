"""A participant's consent to take part in a mentoring program (§4.4.3, П1 §3.3, §6.2).

Pairs and groups are formed with the written consent of their participants; the mentee
consents to taking part in a personalized program and to the extra duties it brings.
The personal-data consent comes first: without it the service may not hold the request.
"""

from __future__ import annotations

from typing import Any

from workflows.guards import papers_on_file, person_in_organization
from workflows.kinds import DocumentKind, KindNames
from workflows.signatories import BASIS_CONSENT, PEN, Signatory, from_data

NAME = "participant_consent"


def _title(data: dict[str, Any]) -> str:
    return f"Согласие на участие в программе наставничества: {data.get('person_name', '')}"\
        .strip()


KIND = DocumentKind(
    name=NAME,
    title="Согласие на участие в программе наставничества",
    names=KindNames("согласие на участие в программе наставничества",
                    "согласия на участие в программе наставничества"),
    heading="СОГЛАСИЕ",
    journal="consents",
    make_title=_title,
    signatories=(Signatory("subject", "Педагог, давший согласие", PEN, BASIS_CONSENT,
                           from_data("person_id")),),
    subject="person_id",
    rules=(person_in_organization("person_id", who="Педагог, дающий согласие",
                                  clause="§4.4.3", name="person_belongs_to_organization"),
           # personal data are processed only with a signed, not withdrawn consent
           papers_on_file("person_id", ("pd_consent",), case="genitive",
                          refusal="Нельзя оформить согласие на участие от {name}",
                          name="pd_consent_on_file")),
)
