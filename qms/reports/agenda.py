"""The agenda of a management review (ledelsens gjennomgåelse, docs/design.md §14): a registry
of sections each module fills in from a unit's subtree and a period.

``qms`` must not import the apps above it (docs/style.md, "Registries instead of imports
upward"), so each app registers its headings, the way it registers its statistics section::

    from qms.reports.agenda import agenda

    @agenda.register("documents", order=30, title=gettext_lazy("Dokumenter"))
    def documents_agenda(scope: Scope, period: Period) -> dict:
        return from_section(stats.section(scope, period, charts=False), tables=["documents_by_type"])

The API (kept stable; the yearly report to the council reuses it):

- ``agenda.register(key, *, order, title, template=DEFAULT_TEMPLATE)`` — decorator; ``key`` is
  unique (it names the heading's assessment and its slot in the snapshot), ``order`` unique too.
- ``figures(scope, period) -> dict`` returns JSON-safe data only, in the shape
  ``{"figures": [{"label", "value", "hint", "signal"}], "tables": [Table.as_dict()],
  "items": [{"text", "url", "note"}], "text": [{"label", "value"}], "empty": str}`` (every key
  optional). Its figures must come from the same functions the statistics use
  (:func:`from_section` turns a statistics ``Section`` into this shape) — never a second rule.
- ``template`` renders one heading from that dict (context: ``section``, ``data``).
- :func:`compute` ``(unit, period) -> dict`` is the whole agenda: a management review stores it
  as its snapshot at sign-off and renders from it afterwards; :func:`year_period` gives a
  review's period.

A duplicate key or order raises at registration (when the app loads).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from qms.reports import periods
from qms.reports.periods import Period
from qms.reports.scope import Scope
from qms.reports.tables import plain

SNAPSHOT_VERSION = 1
DEFAULT_TEMPLATE = "reports/agenda/_section.html"

AgendaFunction = Callable[[Scope, Period], dict]


@dataclass(frozen=True)
class AgendaSection:
    """One heading of the agenda."""

    key: str
    order: int
    title: Any  # a lazy translation: the heading in the reader's language while live
    figures: AgendaFunction
    template: str = DEFAULT_TEMPLATE


class AgendaRegistry:
    """Agenda sections by key, iterated in their declared order."""

    def __init__(self) -> None:
        self._entries: dict[str, AgendaSection] = {}

    def register(
        self, key: str, *, order: int, title, template: str = DEFAULT_TEMPLATE
    ) -> Callable[[AgendaFunction], AgendaFunction]:
        def decorator(function: AgendaFunction) -> AgendaFunction:
            self.add(AgendaSection(key, order, title, function, template))
            return function

        return decorator

    def add(self, section: AgendaSection) -> None:
        if section.key in self._entries:
            raise ImproperlyConfigured(f"agenda section {section.key!r} is registered twice")
        for entry in self._entries.values():
            if entry.order == section.order:
                raise ImproperlyConfigured(
                    f"agenda sections {entry.key!r} and {section.key!r} both have order "
                    f"{section.order}"
                )
        self._entries[section.key] = section

    def remove(self, key: str) -> None:
        """Take a section out again (tests registering a throwaway section)."""
        self._entries.pop(key, None)

    def __iter__(self) -> Iterator[AgendaSection]:
        return iter(sorted(self._entries.values(), key=lambda e: (e.order, e.key)))

    def __getitem__(self, key: str) -> AgendaSection:
        return self._entries[key]

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def get(self, key: str) -> AgendaSection | None:
        return self._entries.get(key)

    def keys(self) -> list[str]:
        return [entry.key for entry in self]


agenda = AgendaRegistry()


def year_period(year: int) -> Period:
    """The period a review of ``year`` goes through: the calendar year."""
    return periods.year(year)


def compute(unit, period: Period) -> dict:
    """The whole agenda for ``unit``'s subtree and ``period``, JSON-safe: what a signed review
    keeps as its snapshot (headings' titles in the language of the moment of signing)."""
    scope = Scope(unit)
    return {
        "version": SNAPSHOT_VERSION,
        "computed_at": timezone.now().isoformat(),
        "unit": {"id": unit.pk, "name": unit.name},
        "period": {"start": period.start.isoformat(), "last_day": period.last_day.isoformat()},
        "sections": [
            {
                "key": entry.key,
                "title": str(entry.title),
                "data": entry.figures(scope, period),
            }
            for entry in agenda
        ],
    }


def figure(label, value, hint="", signal: bool = False) -> dict:
    """One figure of a heading, JSON-safe (a hidden count reads "< 5")."""
    return {"label": str(label), "value": plain(value), "hint": str(hint), "signal": bool(signal)}


def from_section(section, *, tables: list[str] | tuple[str, ...] = (), figures=None) -> dict:
    """A statistics ``Section`` as agenda data: its headline figures (or the first ``figures``
    of them) and the tables named by key — the same numbers the statistics page shows."""
    chosen = section.figures if figures is None else section.figures[:figures]
    data: dict[str, Any] = {
        "figures": [figure(f.label, f.value, f.hint, f.signal) for f in chosen],
        "tables": [],
    }
    for key in tables:
        table = section.table(key)
        if table is not None:
            data["tables"].append(table.as_dict())
    return data


def item(text, url: str = "", note="") -> dict:
    return {"text": str(text), "url": url, "note": str(note)}


def iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _description_agenda(scope: Scope, period: Period) -> dict:
    """The unit's description (kommuneloven § 25-1 a): main tasks, goals and laws, as written on
    the unit page (``qms.models.UnitDescription``) when the review is held."""
    from django.utils.translation import gettext as _

    from qms.models import UnitDescription

    description = UnitDescription.objects.filter(unit=scope.unit).first()
    if description is None:
        return {"empty": _("Enheten har ikke skrevet noen beskrivelse ennå.")}
    goals = _("Mål for %(year)s") % {"year": description.goals_year}
    rows = [
        (_("Hovedoppgaver"), description.main_tasks),
        (goals if description.goals_year else _("Mål for året"), description.goals),
        (_("Lover og forskrifter"), description.laws),
    ]
    return {"text": [{"label": str(label), "value": value} for label, value in rows if value]}


def _register_own() -> None:
    from django.utils.translation import gettext_lazy

    agenda.add(
        AgendaSection(
            "description",
            10,
            gettext_lazy("Enhetens oppgaver, mål og lovkrav"),
            _description_agenda,
            "reports/agenda/_description.html",
        )
    )


_register_own()
