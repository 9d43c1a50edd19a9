"""Who may write through which route: one table, checked before every request.

Every endpoint that can change anything (a database row, an audit row, a stored file, a
batch) is declared in ``WRITES`` with what it does and the roles that may use it. The hook
``check`` runs before every request, after login and CSRF:

- a declared endpoint is refused (403, with a Russian message naming who may) to a user
  holding none of its roles, whatever the method, so its form page is refused too;
- a POST/PUT/PATCH/DELETE to an endpoint that is not declared is refused to everyone
  (fail closed) and logged: a new write route is unusable until it is declared here, and
  ``tests/test_every_write.py`` fails for it;
- a GET that writes (e.g. a page that would file something lazily) must be declared too;
  the same test calls every GET route and asserts that the database and the file store
  are unchanged.

The inspector is in no set: he reads and causes no write of any kind. Finer rules stay
where they belong and run after this table: which transition a role may take
(``workflows.lifecycle``, per action), which document a teacher may write
(``webforms.access.check_may_author``), and which organization and user an id belongs to
(the one loaders, 404). ``SESSION`` endpoints change only the user's own login session
(log in, log out, choose the organization, set one's own password) and are open to
everyone.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, request
from flask_login import current_user

from storage.roles import Role
from webforms.auth import current_roles
from workflows.errors import NotAllowed
from workflows.lifecycle import AUTHORS, TRANSITIONS, takers

READ_ONLY = frozenset({Role.INSPECTOR})
# who may take some transition; each action's own roles (and the route's visas) decide further
ACTORS = frozenset().union(*(takers(t) for t in TRANSITIONS.values())) - READ_ONLY
KEEPERS = frozenset({Role.CURATOR, Role.CLERK, Role.ADMIN})  # the bank of mentors (П2)
ACCOUNT_ISSUERS = frozenset({Role.CURATOR, Role.CLERK, Role.DIRECTOR, Role.ADMIN})  # logins
PUBLISHERS = frozenset({Role.CURATOR, Role.DIRECTOR, Role.ADMIN})  # results of programs (П1 §8)
ROUTE_MANAGERS = frozenset({Role.DIRECTOR, Role.ADMIN})  # approval routes of the organization
TEMPLATE_MANAGERS = frozenset({Role.DIRECTOR, Role.ADMIN, Role.CLERK})  # uploaded templates
SEAL_MANAGERS = frozenset({Role.DIRECTOR})  # the organization's seal certificate: the head's
# a person acknowledges an order herself; the clerk enters hand-signed paper sheets
ACKNOWLEDGERS = frozenset(Role) - READ_ONLY
PAPER_RECORDERS = frozenset({Role.CLERK, Role.DIRECTOR, Role.ADMIN})
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Write:
    """What an endpoint writes (a Russian verb phrase) and the roles that may use it."""

    what: str
    roles: frozenset[Role]

    def refusal(self) -> str:
        allowed = ", ".join(sorted(r.label.lower() for r in self.roles))
        return f"{self.what} может только: {allowed}."


WRITES: dict[str, Write] = {
    "documents.create": Write("Создавать документы", AUTHORS),
    "documents.edit": Write("Изменять документы", AUTHORS),
    "documents.supersede": Write("Создавать новую редакцию документа", AUTHORS),
    "documents.act": Write("Отправлять, согласовывать, подписывать и отменять документы",
                           ACTORS),
    "documents.retry_pdf": Write("Создавать PDF-копию архива", AUTHORS),
    "api.create_document": Write("Создавать документы", AUTHORS),
    "api.transition": Write("Отправлять, согласовывать, подписывать и отменять документы",
                            ACTORS),
    "queue.bulk": Write("Согласовывать и подписывать документы из очереди", ACTORS),
    "batches.new": Write("Формировать пакеты документов", AUTHORS),
    "batches.start": Write("Формировать пакеты документов", AUTHORS),
    "people.add_to_bank": Write("Вносить педагогов в банк", KEEPERS),
    "people.withdraw_pd": Write("Регистрировать отзыв согласия", KEEPERS),
    "people_bank.create": Write("Вносить педагогов в список", KEEPERS),
    "people_bank.edit": Write("Изменять карточки педагогов", KEEPERS),
    "people_bank.archive": Write("Переводить педагогов в архив", KEEPERS),
    "people_bank.restore": Write("Возвращать педагогов из архива", KEEPERS),
    "people_bank.import_file": Write("Загружать списки сотрудников", KEEPERS),
    "people_bank.import_confirm": Write("Загружать списки сотрудников", KEEPERS),
    "people_bank.give_login": Write("Выдавать учётные записи педагогам", ACCOUNT_ISSUERS),
    "people_bank.new_password": Write("Выдавать педагогам новые пароли", ACCOUNT_ISSUERS),
    "programs.publish": Write("Публиковать результаты программ", PUBLISHERS),
    "settings.route_save": Write("Настраивать маршруты согласования", ROUTE_MANAGERS),
    "templates_admin.upload": Write("Загружать шаблоны документов", TEMPLATE_MANAGERS),
    "templates_admin.activate": Write("Выбирать действующий шаблон", TEMPLATE_MANAGERS),
    "seal_admin.upload": Write("Загружать сертификат печати организации", SEAL_MANAGERS),
    "esign.accept": Write("Присоединяться к Положению о простой электронной подписи",
                          frozenset(Role) - READ_ONLY),
    "esign.withdraw": Write("Отказываться от простой электронной подписи",
                            frozenset(Role) - READ_ONLY),
    "acknowledgments.read": Write("Знакомиться с документами под подпись", ACKNOWLEDGERS),
    "acknowledgments.acknowledge": Write("Отмечать ознакомление с документом", ACKNOWLEDGERS),
    "acknowledgments.paper": Write("Вносить ознакомление на бумаге", PAPER_RECORDERS),
    # the party herself, a clerk or the head (workflows.signing.check decides per party)
    "paper_signatures.signing_copy": Write("Готовить экземпляр для подписания", AUTHORS),
    "paper_signatures.upload_scan": Write("Загружать сканы подписанных документов", AUTHORS),
    "paper_signatures.upload_qualified": Write("Загружать квалифицированные подписи", AUTHORS),
}
SESSION = frozenset({"auth.login", "auth.logout", "auth.switch_org", "account.password"})

def may_use(endpoint: str) -> bool:
    """True if the current user holds a role that ``endpoint`` is declared for."""
    if endpoint in SESSION:
        return True
    declared = WRITES.get(endpoint)
    return declared is not None and bool(current_roles() & declared.roles)


def check() -> None:
    """Before every request: refuse a declared endpoint to a role not in its set, and an
    undeclared write to everyone. Raises NotAllowed (403)."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in SESSION or not current_user.is_authenticated:
        return  # unknown URL (404 follows), the session itself, or the login page
    declared = WRITES.get(endpoint)
    if declared is None:
        if request.method in UNSAFE_METHODS:
            current_app.logger.error("write to %s refused: declare it in webforms/writers.py",
                                     endpoint)
            raise NotAllowed("Это действие никому не разрешено: оно не объявлено в таблице "
                             "прав.")
        return
    if not may_use(endpoint):
        raise NotAllowed(declared.refusal())


def init_app(app: Flask) -> None:
    """Register ``check`` (after login and CSRF) and ``may_use`` for the templates."""
    app.before_request(check)
    app.jinja_env.globals["may_use"] = may_use
