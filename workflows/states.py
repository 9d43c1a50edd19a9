"""The states of a document's life, as the workflows have always imported them.

They live in ``storage.states`` (the bottom layer: the model column needs them); this module
re-exports them.
"""

from storage.states import EDITABLE_STATES, STATE_LABELS, DocState  # noqa: F401
