"""The errors of Nastavnik, as the workflows have always imported them.

They live in ``storage.errors`` (the bottom layer, so that every part may raise them); this
module re-exports them for code that says ``workflows.errors``.
"""

from storage.errors import (  # noqa: F401
    Conflict,
    ConversionFailed,
    NastavnikError,
    NotAllowed,
    NotFound,
    QueueUnavailable,
    RuleViolation,
    TemplateLimit,
    TemplateProblem,
    TooManyAttempts,
    ValidationError,
)
