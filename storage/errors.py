"""The one family of errors Nastavnik raises on purpose, at the bottom of the layers.

Every error a user can cause derives from ``NastavnikError``; it carries an HTTP status
and a message in Russian that a clerk understands. The web layer turns any
``NastavnikError`` into a 4xx page or JSON body (see ``webforms/errors.py``); anything
else is a bug. Every part may raise them (storage, signatures, doc_templates, workflows,
webforms), so they live in the bottom layer; ``workflows.errors`` re-exports them.
"""


class NastavnikError(Exception):
    """Root of every error a user can cause. ``message`` is Russian, shown as is."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(NastavnikError):
    """Input does not satisfy a form or API rule; ``fields`` maps field → messages."""

    status = 422

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.fields = fields or {}


class RuleViolation(NastavnikError):
    """A transition was refused because a rule of the regulation or the law does not hold."""

    status = 409


class NotAllowed(NastavnikError):
    """The user's role does not permit the action."""

    status = 403


class NotFound(NastavnikError):
    status = 404


class Conflict(NastavnikError):
    """Someone else changed the document first (optimistic locking)."""

    status = 409


class TemplateProblem(NastavnikError):
    """A DOCX template is malformed, unsafe, or asks for a variable the kind lacks."""

    status = 422


class TemplateLimit(TemplateProblem):
    """A template exceeded a limit of rendering (time, memory, output size, loop
    iterations, the size of a value it builds); the message names the limit."""


class ConversionFailed(NastavnikError):
    """LibreOffice could not produce a PDF; the DOCX is kept and the job is retried."""

    status = 503


class TooManyAttempts(NastavnikError):
    """Too many failed password attempts; ``retry_after`` says in how many seconds a slot
    frees up (sent as ``Retry-After``)."""

    status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class QueueUnavailable(NastavnikError):
    """The job queue (Redis) cannot be reached; nothing was lost, the user retries later."""

    status = 503
