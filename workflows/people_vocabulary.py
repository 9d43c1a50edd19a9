"""What a card of the bank of mentors and mentees is filled from: positions, gender,
mentors' achievements.

Positions tell the pedagogues (the nomenclature of pedagogical positions, постановление
Правительства РФ от 21.02.2022 № 225, раздел II) from the management and from other
staff: the system of mentoring is for pedagogical workers, and a staff list holds
everyone. Mentors' achievements are the ones §5.2.1 of the regional Положение names; the
categories of mentees (§5.2.3) are ``workflows.vocabulary.MENTEE_CATEGORIES``.
"""

from __future__ import annotations

TEACHING = "teaching"
MANAGEMENT = "management"
OTHER = "other"
POSITION_KINDS = {TEACHING: "Педагогические должности", MANAGEMENT: "Руководители",
                  OTHER: "Другие должности"}
KIND_OF_ONE = {TEACHING: "педагогическая должность", MANAGEMENT: "должность руководителя",
               OTHER: "не педагогическая должность"}

TEACHING_POSITIONS = (
    "Учитель",
    "Учитель-логопед",
    "Учитель-дефектолог",
    "Педагог дополнительного образования",
    "Старший педагог дополнительного образования",
    "Педагог-психолог",
    "Социальный педагог",
    "Педагог-организатор",
    "Педагог-библиотекарь",
    "Воспитатель",
    "Старший воспитатель",
    "Методист",
    "Старший методист",
    "Старший вожатый",
    "Тьютор",
    "Преподаватель",
    "Преподаватель-организатор основ безопасности и защиты Родины",
    "Преподаватель-организатор основ безопасности жизнедеятельности",
    "Советник директора по воспитанию и взаимодействию с детскими общественными "
    "объединениями",
    "Музыкальный руководитель",
    "Концертмейстер",
    "Инструктор по физической культуре",
    "Инструктор по труду",
    "Инструктор-методист",
    "Тренер-преподаватель",
    "Мастер производственного обучения",
    "Руководитель физического воспитания",
)
MANAGEMENT_POSITIONS = (
    "Директор",
    "Заведующий",
    "Заместитель директора",
    "Заместитель директора по учебно-воспитательной работе",
    "Заместитель директора по учебной работе",
    "Заместитель директора по воспитательной работе",
    "Заместитель директора по научно-методической работе",
    "Заместитель директора по административно-хозяйственной работе",
    "Заместитель заведующего",
    "Руководитель структурного подразделения",
)
OTHER_POSITIONS = (
    "Секретарь",
    "Секретарь руководителя",
    "Делопроизводитель",
    "Специалист по кадрам",
    "Главный бухгалтер",
    "Бухгалтер",
    "Библиотекарь",
    "Лаборант",
    "Документовед",
    "Системный администратор",
)
POSITIONS: dict[str, str] = {
    **dict.fromkeys(TEACHING_POSITIONS, TEACHING),
    **dict.fromkeys(MANAGEMENT_POSITIONS, MANAGEMENT),
    **dict.fromkeys(OTHER_POSITIONS, OTHER),
}

# stored as the existing ``people.gender`` (what pytrovich declines by); shown as м/ж
GENDERS = {"m": "м", "f": "ж"}
GENDER_WORDS = {"м": "m", "муж": "m", "мужской": "m", "m": "m", "male": "m",
                "ж": "f", "жен": "f", "женский": "f", "f": "f", "female": "f"}

# the achievements and qualities a mentor is chosen for: §5.2.1, in its words
MENTOR_ACHIEVEMENTS = (
    "победитель профессиональных конкурсов",
    "автор учебных пособий и материалов",
    "ведущий вебинаров и семинаров",
    "руководитель педагогического сообщества, в том числе в дистанционном режиме",
    "стабильно высокое качество образования обучающихся по своему предмету",
    "участник педагогических сообществ, в том числе на дистанционной основе",
    "опыт успешной неформальной наставнической деятельности",
    "методически ориентированный педагог (методист): диагностические и мониторинговые "
    "процедуры, трансляция профессионального опыта",
)


def position_kind(position: str) -> str | None:
    """TEACHING, MANAGEMENT or OTHER for a position of the list; None for another text
    (a card entered before the list existed)."""
    return POSITIONS.get(position)
