"""Extract the model Положение (Приложение 1) and roadmap (Приложение 2) from the regulation.

    python doc_templates/texts/extract.py ../shared/seeds/000_716dcd2e5a4184da.txt

writes ``model_regulation.json`` beside this file. The text is the seed's, word for word;
only the layout is mended: lines broken by the PDF's page breaks are joined, straight
quotes become «ёлочки», and the blank of clause 1.1 becomes the ``{school}`` placeholder
that the order approving the Положение fills with the school's name.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).with_name("model_regulation.json")
SECTION = re.compile(r"^(\d+)\.\s+(\S.*)$")
STAGE = re.compile(r"^(\d+)\.\t([^\t]+)\t(.+)$")


def _quotes(text: str) -> str:
    return re.sub(r'"([^"]*)"', r"«\1»", text)


def _paragraphs(lines: list[str]) -> list[str]:
    """Non-empty lines as paragraphs; a line cut by a page break is joined to the next."""
    out: list[str] = []
    for line in (x.strip() for x in lines):
        if not line:
            continue
        if out and not re.search(r"[.;:!?»]$", out[-1]) and line[0].islower():
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def extract(seed: str) -> dict:
    lines = seed.splitlines()
    start = next(i for i, x in enumerate(lines) if x.strip() == "Примерное положение")
    end = next(i for i, x in enumerate(lines) if i > start and x.strip() == "Приложение 2")
    body = _paragraphs(lines[start + 3:end])
    sections: list[dict] = []
    for par in body:
        m = SECTION.match(par)
        if m and not re.match(r"^\d+\.\d", par):
            sections.append({"number": m.group(1), "title": m.group(2), "paragraphs": []})
        else:
            sections[-1]["paragraphs"].append(_quotes(par))
    first = sections[0]["paragraphs"]
    first[0] = first[0].replace("образовательной организации _____",
                                "образовательной организации {school}")
    assert "{school}" in first[0], "clause 1.1 changed in the seed"

    stages: list[dict] = []
    header = next(i for i, x in enumerate(lines) if i > end and x.startswith("1\t2\t3"))
    for line in lines[header + 1:]:
        m = STAGE.match(line.strip("\n"))
        if m:
            stages.append({"n": int(m.group(1)), "stage": m.group(2).strip(),
                           "content": _quotes(m.group(3).strip())})
        elif line.strip() and stages:
            stages[-1]["content"] += " " + _quotes(line.strip())
    assert [s["n"] for s in stages] == list(range(1, 8)), "П2 has seven stages"
    return {
        "source": "Приказ комитета образования, науки и молодежной политики Волгоградской "
                  "области от 21.03.2022 № 25: Приложение 1 (примерное положение) и "
                  "Приложение 2 (примерная дорожная карта)",
        "regulation": {
            "title": "о системе наставничества педагогических работников в {school}",
            "sections": sections,
        },
        "roadmap": {
            "title": "по реализации Положения о системе наставничества педагогических "
                     "работников в {school}",
            "stages": stages,
        },
    }


if __name__ == "__main__":
    data = extract(Path(sys.argv[1]).read_text(encoding="utf-8"))
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(OUT, sum(len(s["paragraphs"]) for s in data["regulation"]["sections"]), "paragraphs")
