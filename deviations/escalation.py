"""The escalation policy of overdue corrective actions (DESIGN.md §5), in one object.

An action past its deadline is reminded to its responsible the day after the deadline, escalated
to the nearest leader of its unit ``DEVIATION_ESCALATION_DAYS`` later, and to one leader level
further up after as many days again; each step exactly once. The sweep
(``services.escalate_overdue_actions``), the queryset that finds what is due
(``ActionQuerySet.escalation_due``) and the partial index behind it all read the steps and the
days from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q

from qms.organisation import leader_chain

if TYPE_CHECKING:
    from deviations.models import CorrectiveAction
    from qms.models import User

# Reminder to the responsible, the nearest leader, one leader level up. The model's partial
# index ``action_escalation_due`` is conditioned on it (a change needs a migration).
STEP_COUNT = 3


@dataclass(frozen=True)
class EscalationPolicy:
    """``offsets[step]``: the days after the deadline on which ``step`` falls due."""

    offsets: tuple[int, ...]

    @classmethod
    def from_settings(cls) -> EscalationPolicy:
        days = int(settings.DEVIATION_ESCALATION_DAYS)
        return cls(offsets=tuple(1 + step * days for step in range(STEP_COUNT)))

    def __post_init__(self) -> None:
        if len(self.offsets) != STEP_COUNT or list(self.offsets) != sorted(self.offsets):
            raise ValueError(f"An escalation policy has {STEP_COUNT} rising day offsets.")

    def due_on(self, deadline: date, step: int) -> date:
        return deadline + timedelta(days=self.offsets[step])

    def due_step(self, action: CorrectiveAction, today: date) -> int | None:
        """The next step due for this action today, or None (done, all sent, or not yet)."""
        step = action.escalation_step
        if action.done_at is not None or step >= STEP_COUNT:
            return None
        return step if today >= self.due_on(action.deadline, step) else None

    def due_q(self, today: date) -> Q:
        """Open actions with a step due today, as a filter (it matches the partial index)."""
        due = Q(pk__in=[])
        for step, offset in enumerate(self.offsets):
            due |= Q(escalation_step=step, deadline__lte=today - timedelta(days=offset))
        return Q(done_at__isnull=True, escalation_step__lt=STEP_COUNT) & due

    def recipient(
        self, action: CorrectiveAction, step: int, chains: dict[int, list[User]] | None = None
    ) -> User | None:
        """Step 0: the responsible. Step 1: the nearest leader of the action's unit (skipping
        the responsible themself). Later steps: the next person further up each. A person who
        leads several levels counts once, and when the chain runs out nobody is told again:
        each person hears of an action's escalation once (no repeats in a leader's list).

        ``chains`` memoises each unit's leader chain for one sweep (a few hundred units against
        thousands of due actions)."""
        if step == 0:
            return action.responsible if action.responsible.is_active else None
        chains = {} if chains is None else chains
        if action.unit_id not in chains:
            chains[action.unit_id] = [leader.user for leader in leader_chain(action.unit)]
        chain: list[User] = []
        for user in chains[action.unit_id]:
            if user.pk != action.responsible_id and user not in chain:
                chain.append(user)
        return chain[step - 1] if step <= len(chain) else None
