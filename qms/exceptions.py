"""Errors the domain shares across apps."""

from __future__ import annotations


class StateError(Exception):
    """A change the object's current state does not allow; the message is shown as is.

    Each app's state error subclasses it (``deviations.services.TransitionError``,
    ``documents.services.WorkflowError``, ``risk.services.RiskStateError``), so the pages show
    the message and the whole API answers 409 through one handler (``qms.api.exceptions``).
    """

    @property
    def messages(self) -> list[str]:
        return [str(arg) for arg in self.args] or [""]
