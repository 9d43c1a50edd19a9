"""Grammar of the filled slots (issue 11, point 1) and the requisites of personal documents
(point 2): positions declined by case with the head noun only, words agreeing with the
person's gender and the number of mentees, no «(а)» left for a person of known gender, a
consent or statement that is the person's own (no letterhead, addressed by name, «от» her).
"""

from __future__ import annotations

import copy
import io
import re

import docx
import pytest
from docx.oxml.ns import qn
from sqlalchemy import select

from doc_templates import nouns, render, sandbox_process
from doc_templates.environment import make_environment
from doc_templates.russian import by_gender, by_number, person_gender, position
from storage.models import Document
from tests.helpers.documents import organization
from tests.helpers.docx import docx_text, make_template
from tests.test_demo import built, session  # noqa: F401  (fixtures: the full ``flask demo``)
from webforms.samples import allowed_names as uploads_allowed
from webforms.samples import sample_context
from workflows.kinds import all_kinds, get_kind
from workflows.rendering import document_context

KINDS = [k.name for k in all_kinds()]
PERSONAL = ("pd_consent", "participant_consent", "mentor_consent", "mentor_resignation",
            "mentor_replacement_request", "pd_distribution_consent")
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
WOMAN = dict(id=901, last_name="Кравец", first_name="Любовь", middle_name="Ивановна",
             gender="f", position="Учитель", subject="начальные классы")
MAN = dict(id=902, last_name="Шевчук", first_name="Олег", middle_name="Игоревич",
           gender="m", position="Учитель", subject="физика")
# what a person of known gender never gets: «получил(а)», «его (её)», «именуемый(ая)»
LEFTOVERS = re.compile(r"\((?:а|ая|ый|ее|её|его|на|она)\)|учитель \(")  # the model text
# keeps its own «персонализированных(ой) программ(ы)», which is no person's gender

POSITIONS = [
    # position, subject: nominative, genitive, dative, accusative, instrumental, prepositional
    ("Учитель", "математика", ("учитель математики", "учителя математики",
                               "учителю математики", "учителя математики",
                               "учителем математики", "учителе математики")),
    ("Учитель", "русский язык и литература", (
        "учитель русского языка и литературы", "учителя русского языка и литературы",
        "учителю русского языка и литературы", "учителя русского языка и литературы",
        "учителем русского языка и литературы", "учителе русского языка и литературы")),
    ("Учитель", "начальные классы", ("учитель начальных классов", "учителя начальных классов",
                                     "учителю начальных классов", "учителя начальных классов",
                                     "учителем начальных классов", "учителе начальных классов")),
    ("Учитель", "ОБЖ", ("учитель ОБЖ", "учителя ОБЖ", "учителю ОБЖ", "учителя ОБЖ",
                        "учителем ОБЖ", "учителе ОБЖ")),
    ("Заместитель директора по УВР", None, (
        "заместитель директора по УВР", "заместителя директора по УВР",
        "заместителю директора по УВР", "заместителя директора по УВР",
        "заместителем директора по УВР", "заместителе директора по УВР")),
    ("Заместитель директора по учебно-воспитательной работе", None, (
        "заместитель директора по учебно-воспитательной работе",
        "заместителя директора по учебно-воспитательной работе",
        "заместителю директора по учебно-воспитательной работе",
        "заместителя директора по учебно-воспитательной работе",
        "заместителем директора по учебно-воспитательной работе",
        "заместителе директора по учебно-воспитательной работе")),
    ("Старший воспитатель", None, ("старший воспитатель", "старшего воспитателя",
                                   "старшему воспитателю", "старшего воспитателя",
                                   "старшим воспитателем", "старшем воспитателе")),
    ("Педагог-психолог", None, ("педагог-психолог", "педагога-психолога", "педагогу-психологу",
                                "педагога-психолога", "педагогом-психологом",
                                "педагоге-психологе")),
    ("Педагог дополнительного образования", None, (
        "педагог дополнительного образования", "педагога дополнительного образования",
        "педагогу дополнительного образования", "педагога дополнительного образования",
        "педагогом дополнительного образования", "педагоге дополнительного образования")),
    ("Заведующая библиотекой", None, ("заведующая библиотекой", "заведующей библиотекой",
                                      "заведующей библиотекой", "заведующую библиотекой",
                                      "заведующей библиотекой", "заведующей библиотекой")),
    ("Медицинская сестра", None, ("медицинская сестра", "медицинской сестры",
                                  "медицинской сестре", "медицинскую сестру",
                                  "медицинской сестрой", "медицинской сестре")),
    ("Секретарь", None, ("секретарь", "секретаря", "секретарю", "секретаря", "секретарём",
                         "секретаре")),
    ("Советник директора по воспитанию", None, (
        "советник директора по воспитанию", "советника директора по воспитанию",
        "советнику директора по воспитанию", "советника директора по воспитанию",
        "советником директора по воспитанию", "советнике директора по воспитанию")),
    ("Директор", None, ("директор", "директора", "директору", "директора", "директором",
                        "директоре")),
]


@pytest.mark.parametrize("title, subject, forms", POSITIONS, ids=[p[0] for p in POSITIONS])
def test_a_position_is_declined_in_every_case_by_its_head_noun(title, subject, forms):
    person = {"position": title, "subject": subject}
    assert tuple(position(person, case) for case in CASES) == forms
    # our case names are accepted too, and the filter reads the same
    assert position(person, "genitive") == forms[1]


def test_the_subject_already_named_is_not_repeated_and_capitals_are_kept():
    assert position({"position": "Учитель математики", "subject": "математика"}, "datv") == \
        "учителю математики"
    assert nouns.decline_phrase("Директор", "datv") == "Директору"
    assert nouns.lower_first("УВР-координатор") == "УВР-координатор"


def test_a_phrase_without_a_known_head_is_left_as_it_is():
    assert nouns.decline_phrase("по УВР", "gent") == "по УВР"
    assert nouns.decline_phrase("", "gent") == ""
    with pytest.raises(ValueError, match="unknown case"):
        nouns.decline_phrase("учитель", "vocative")


def test_gender_agreement_from_the_given_gender_or_the_patronymic():
    assert by_gender(WOMAN, "получил", "получила") == "получила"
    assert by_gender(MAN, "именуемый", "именуемая") == "именуемый"
    undeclared = {**WOMAN, "gender": None}
    assert person_gender(undeclared) == "f"  # «Ивановна»
    assert by_gender(undeclared, "ознакомлен", "ознакомлена") == "ознакомлена"
    # only a person neither the data nor the name tells of gets both forms
    unknown = {"last_name": "Ким", "first_name": "Саша", "middle_name": "", "gender": None}
    assert by_gender(unknown, "получил", "получила") == "получил(а)"
    assert by_gender(unknown, "его", "её") == "его (её)"


def test_singular_and_plural_by_the_number_of_mentees():
    assert by_number([WOMAN], "наставляемого", "наставляемых") == "наставляемого"
    assert by_number([WOMAN, MAN], "наставляемого", "наставляемых") == "наставляемых"
    assert by_number(1, "паре", "группе") == "паре"


def test_the_filters_in_the_sandbox():
    env = make_environment()
    text = env.from_string(
        "{{ p|position('gent') }}; {{ 'Заместитель директора по УВР'|case('datv') }}; "
        "{{ p|by_gender('именуемый', 'именуемая') }}; "
        "{{ ms|by_number('наставляемого', 'наставляемых') }}; {{ 5|plural('месяц', "
        "'месяца', 'месяцев') }}; {{ 'без точки'|sentence }}").render(p=WOMAN, ms=[WOMAN])
    assert text == ("учителя начальных классов; Заместителю директора по УВР; именуемая; "
                    "наставляемого; месяцев; без точки.")


@pytest.fixture
def demo_session(session):  # noqa: F811  (test_demo's, on this test's copy of the demo)
    """A session on the full demo: its people and a document of most kinds."""
    return session


def rendered_text(kind: str, context: dict) -> str:
    """The built-in template of ``kind`` rendered with ``context``: its paragraphs (those in
    tables too) in the order of the page, one per line, non-breaking spaces as spaces."""
    data = render.render_docx(render.template_path(kind).read_bytes(), context)
    body = docx.Document(io.BytesIO(data)).element.body
    lines = ("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))
    return "\n".join(lines).replace("\xa0", " ")


def demo_contexts(db, *, final: bool) -> list[tuple[str, dict]]:
    """A context per demo document, and a sample one (the demo school's people) for each
    kind the demo has no document of."""
    org = organization()
    docs = db.scalars(select(Document).where(Document.organization_id == org.id)
                      .order_by(Document.id)).all()
    contexts = [(d.kind, document_context(db, d, final=final)) for d in docs]
    assert len({d.kind for d in docs}) >= 10  # the demo's documents, not only samples
    missing = set(KINDS) - {d.kind for d in docs}
    return contexts + [(k, sample_context(k, db, org, final=final)) for k in sorted(missing)]


@pytest.mark.parametrize("final", [False, True], ids=["draft", "final"])
def test_no_gender_leftovers_in_any_kind(demo_session, final):
    seen = set()
    for kind, context in demo_contexts(demo_session, final=final):
        text = rendered_text(kind, context)
        found = LEFTOVERS.search(text)
        assert found is None, (kind, text[max(0, found.start() - 80):found.end() + 20])
        seen.add(kind)
    assert seen == set(KINDS)


def with_person(kind: str, person: dict) -> dict:
    context = copy.deepcopy(sample_context(kind))
    context["data"]["person"] = dict(person)
    return context


@pytest.mark.parametrize("kind, woman, man", [
    ("mentoring_agreement", "именуемая в дальнейшем «Работник»",
     "именуемый в дальнейшем «Работник»"),
    ("mentoring_agreement", "Экземпляр соглашения получила:",
     "Экземпляр соглашения получил:"),
    ("participant_consent", "в качестве наставляемой,", "в качестве наставляемого,"),
])
def test_the_person_s_words_agree_with_her_or_his_gender(kind, woman, man):
    assert woman in rendered_text(kind, with_person(kind, WOMAN))
    assert man in rendered_text(kind, with_person(kind, MAN))


def test_the_agreement_names_the_head_by_position_and_agrees_with_the_head_s_gender():
    context = sample_context("mentoring_agreement")  # the sample head is Смирнова Т.А.
    text = rendered_text("mentoring_agreement", context)
    assert "в лице директора Смирновой Татьяны Александровны, действующей на основании" in text
    context["head"] = {**context["head"], "last_name": "Петров", "first_name": "Иван",
                       "middle_name": "Сергеевич"}
    assert "в лице директора Петрова Ивана Сергеевича, действующего" in \
        rendered_text("mentoring_agreement", context)


def test_the_proposed_mentor_s_consent_agrees_with_the_mentor():
    context = sample_context("mentor_replacement_request")
    context["extra"]["proposed_mentor"] = dict(MAN)
    assert "Шевчука Олега Игоревича, учителя физики, с его согласия." in \
        rendered_text("mentor_replacement_request", context)
    context["extra"]["proposed_mentor"] = dict(WOMAN)
    assert "Кравец Любовь Ивановну, учителя начальных классов, с её согласия." in \
        rendered_text("mentor_replacement_request", context)


@pytest.mark.parametrize("kind, one_woman, one_man, two", [
    ("program_termination", "и наставляемой Кравец Любови Ивановны",
     "и наставляемого Шевчука Олега Игоревича",
     "и наставляемых Кравец Любови Ивановны, Шевчука Олега Игоревича"),
    ("program_change", "и наставляемой Кравец Любови Ивановны",
     "и наставляемого Шевчука Олега Игоревича",
     "и наставляемых Кравец Любови Ивановны, Шевчука Олега Игоревича"),
    ("mentoring_program", "затруднения наставляемой", "затруднения наставляемого",
     "затруднения наставляемых"),
])
def test_mentees_in_the_singular_by_gender_and_in_the_plural(demo_session, kind, one_woman,
                                                             one_man, two):
    doc = demo_session.scalars(select(Document).where(Document.kind == kind)).first()
    context = document_context(demo_session, doc, final=False)
    for mentees, words in (([WOMAN], one_woman), ([MAN], one_man), ([WOMAN, MAN], two)):
        context["extra"]["mentees"] = mentees
        text = " ".join(rendered_text(kind, context).split())
        assert words in text, (kind, words)


def test_termination_agrees_the_approval_with_the_program():
    context = sample_context("program_termination")
    context["extra"] = {"program": {"doc_date": None, "number": None, "start_date": None,
                                    "end_date": None},
                        "mentor": MAN, "mentees": [WOMAN], "early": False, "curator": None,
                        "participants": []}
    context["extra"]["program"] = {**context["extra"]["program"],
                                   **{k: context["data"]["end_date"]
                                      for k in ("doc_date", "start_date", "end_date")},
                                   "number": "2-пн"}
    text = " ".join(rendered_text("program_termination", context).split())
    assert "программы наставничества наставника Шевчука Олега Игоревича и наставляемой " \
           "Кравец Любови Ивановны, утверждённой от " in text
    assert "по данной наставнической паре." in text


@pytest.mark.parametrize("final", [False, True], ids=["draft", "final"])
def test_a_personal_document_is_the_person_s_own(demo_session, final):
    """ГОСТ Р 7.0.97-2025: no letterhead and no school number in its place; addressed to the
    head (the curator) by name; «от» the person with her position in the genitive; the
    school's number only as the incoming mark, once registered."""
    org = organization()
    env = make_environment()
    checked = set()
    for kind, context in demo_contexts(demo_session, final=final):
        if kind not in PERSONAL:
            continue
        text = rendered_text(kind, context)
        lines = [line for line in text.split("\n") if line.strip()]
        if not final:
            assert lines.pop(0) == "ПРОЕКТ"
        head_part = lines[:lines.index(context["doc"]["heading"])]
        assert org.full_name not in "\n".join(head_part), kind
        assert not any(re.search(r"№ (_|\d+-)", line) for line in head_part), kind
        assert "Директору МОУ СШ № 5" in head_part and "И.С. Петрову" in head_part, kind
        if kind == "mentor_replacement_request":
            assert head_part[0].startswith("Куратору реализации программ наставничества")
        person = context["data"]["person"]
        author = env.from_string("от {{ p|genitive }},").render(p=person)
        assert author in head_part, (kind, head_part)
        assert head_part[head_part.index(author) + 1] == position(person, "gent"), kind
        number = context["doc"]["number"]
        assert ("Вх." in text) == bool(final and number), kind
        if final and number:
            assert re.search(r"Вх\. № " + re.escape(number) + r" от \d\d\.\d\d\.\d{4}", text)
        checked.add(kind)
    assert checked == set(PERSONAL)


def test_orders_and_local_acts_keep_the_organization_s_requisites():
    for kind in set(KINDS) - set(PERSONAL):
        context = sample_context(kind, final=True)
        lines = [line for line in rendered_text(kind, context).split("\n") if line.strip()]
        assert context["org"]["full_name"] in lines[:6], kind
        assert any(line == f"№ {context['doc']['number']}"
                   for line in lines[:16]), kind


def test_titles_do_not_repeat_the_kind_s_name_and_appendices_are_referred_in_the_text():
    report = rendered_text("final_report", sample_context("final_report"))
    assert "\nОТЧЁТ\n" in report and "\nоб итогах реализации системы наставничества" in report
    assert "аналитический отчёт" not in report.lower()
    roadmap = rendered_text("roadmap", sample_context("roadmap")).replace("\n\n", "\n")
    assert "ДОРОЖНАЯ КАРТА\n(план мероприятий)" in roadmap
    order = rendered_text("regulation_order", sample_context("regulation_order"))
    assert "Приложения:" not in order and "(приложение № 1)" in order
    assert "Приложение № 1\nк приказу МОУ СШ № 1\nот 01.09.2026 № 15" in order


def test_an_uploaded_template_may_use_the_filters_in_its_limited_process():
    template = make_template(
        "от {{ data.person|genitive }}, {{ data.person|position('gent') }}; "
        "{{ data.person|by_gender('ознакомлен', 'ознакомлена') }}; "
        "{{ head.position|case('datv') }}; {{ [1, 2]|by_number('паре', 'группе') }}")
    context = sample_context("mentor_consent")
    sandbox_process.check(template, uploads_allowed("mentor_consent"), context)
    text = " ".join(docx_text(sandbox_process.render(template, context)).split())
    assert "от Ивановой Марии Петровны, учителя математики; ознакомлена; Директору; группе" \
        in text


@pytest.mark.parametrize("final", [False, True], ids=["draft", "final"])
def test_agreed_only_over_real_visas(demo_session, final):
    """«СОГЛАСОВАНО» stands over the visas given in the last round, never alone, and never
    over the head's own visa on what he signs himself."""
    env = make_environment()
    printed = 0
    for kind, context in demo_contexts(demo_session, final=final):
        if "СОГЛАСОВАНО" not in rendered_text(kind, context):
            continue
        printed += 1
        assert context["visas"], kind
        if any(s.is_head for s in get_kind(kind).signatories):
            head = env.from_string("{{ h|initials }}").render(h=context["head"])
            assert all(v["name"].replace("\xa0", " ") != head.replace("\xa0", " ")
                       for v in context["visas"]), kind
    assert printed  # the demo has documents with visas
