"""The escalation policy of overdue corrective actions (docs/design.md §5), in one object.

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

from qms.organisation import Leader, acting_chain

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
        self,
        action: CorrectiveAction,
        step: int,
        chains: dict[int, list[Leader]] | None = None,
        today: date | None = None,
    ) -> User | None:
        """Who is told of ``step``: see :meth:`assignee`."""
        found = self.assignee(action, step, chains, today)
        return found.user if found else None

    def assignee(
        self,
        action: CorrectiveAction,
        step: int,
        chains: dict[int, list[Leader]] | None = None,
        today: date | None = None,
    ) -> Leader | None:
        """Step 0: the responsible. Step 1: the nearest leader of the action's unit (skipping
        the responsible themself). Later steps: the next person further up each. A person who
        leads several levels counts once, and when the chain runs out nobody is told again:
        each person hears of an action's escalation once (no repeats in a leader's list). A
        leader away on ``today`` is replaced by who acts for them (``acting_chain``).

        ``chains`` memoises each unit's leader chain for one sweep (a few hundred units against
        thousands of due actions)."""
        if step == 0:
            responsible = action.responsible
            return Leader(responsible, action.unit) if responsible.is_active else None
        chains = {} if chains is None else chains
        if action.unit_id not in chains:
            chains[action.unit_id] = acting_chain(action.unit, today)
        chain: list[Leader] = []
        for leader in chains[action.unit_id]:
            if leader.user.pk != action.responsible_id and all(
                leader.user != other.user for other in chain
            ):
                chain.append(leader)
        return chain[step - 1] if step <= len(chain) else None


# --- Inspection findings -----------------------------------------------------------------------

# A reminder before the authority's deadline, then one leader level up the day after it. The
# model's partial index ``finding_reminder_due`` is conditioned on it (a change needs a migration).
FINDING_STEP_COUNT = 2


@dataclass(frozen=True)
class FindingDeadlinePolicy:
    """The deadline reminders of an inspection finding (docs/design.md §13), in one object.

    Step 0, ``days_before`` the authority's deadline: the nearest leader of the inspection's
    responsible unit. Step 1, the day after the deadline: the leader one level above them (the
    same leader when nobody is above). Each step once, through the reminder ledger. A finding the
    municipality has replied to, or the authority has confirmed closed, is not reminded: the
    deadline is the municipality's, to answer by. A sweep that comes late sends only the latest
    step due (a "deadline soon" after the deadline has passed says nothing new).
    """

    days_before: int = 14

    @classmethod
    def from_settings(cls) -> FindingDeadlinePolicy:
        return cls(days_before=int(getattr(settings, "INSPECTION_REMINDER_DAYS_BEFORE", 14)))

    def due_on(self, deadline: date, step: int) -> date:
        return deadline - timedelta(days=self.days_before) if step == 0 else deadline + timedelta(1)

    def window_end(self, today: date) -> date:
        """The latest deadline whose first reminder (the window before it) has begun by
        ``today``."""
        return today + timedelta(days=self.days_before)

    def due_step(self, finding, today: date) -> int | None:
        """The latest step due today that has not been sent, or None."""
        if (
            finding.deadline is None
            or finding.replied_at is not None
            or finding.confirmed_closed_at is not None
        ):
            return None
        due = [
            step
            for step in range(finding.reminder_step, FINDING_STEP_COUNT)
            if today >= self.due_on(finding.deadline, step)
        ]
        return due[-1] if due else None

    def due_q(self, today: date) -> Q:
        """Findings with a step due today, as a filter (it matches the partial index)."""
        due = Q(reminder_step=0, deadline__lte=self.window_end(today))
        due |= Q(reminder_step=1, deadline__lte=today - timedelta(days=1))
        return (
            Q(
                confirmed_closed_at__isnull=True,
                replied_at__isnull=True,
                reminder_step__lt=FINDING_STEP_COUNT,
                deadline__isnull=False,
            )
            & due
        )

    def recipient(
        self,
        unit,
        step: int,
        chains: dict[int, list[Leader]] | None = None,
        today: date | None = None,
    ) -> User | None:
        """Who is told of ``step``: see :meth:`assignee`."""
        found = self.assignee(unit, step, chains, today)
        return found.user if found else None

    def assignee(
        self,
        unit,
        step: int,
        chains: dict[int, list[Leader]] | None = None,
        today: date | None = None,
    ) -> Leader | None:
        """Step 0: the nearest leader of ``unit`` (the inspection's responsible unit); step 1:
        the leader one level above them, or the same leader at the top; a leader away on
        ``today`` replaced by who acts for them (``acting_chain``)."""
        chains = {} if chains is None else chains
        if unit.pk not in chains:
            chains[unit.pk] = acting_chain(unit, today)
        chain = chains[unit.pk]
        if not chain:
            return None
        return chain[min(step, len(chain) - 1)]
