"""Extension points the modules fill in: panels on "Min side", rows in "Mine oppgaver", and
panels on another module's detail page (e.g. the risks linked to a deviation or a document).

An app registers in its ``AppConfig.ready()``; the start page asks every registered provider.
Providers must run a constant number of queries and go through the permission layer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Panel:
    """A section of "Min side": a template and its context."""

    order: int
    template: str
    context: dict


@dataclass(frozen=True)
class TaskItem:
    """One row of "Mine oppgaver": something assigned to the user, from any module."""

    module: str
    title: str
    url: str
    deadline: date | None = None
    status: str = ""
    overdue: bool = False


PanelProvider = Callable[[object], Panel | None]
DetailPanelProvider = Callable[[object, object], Panel | None]  # (request, obj)
TaskProvider = Callable[[object], list[TaskItem]]

_panels: list[PanelProvider] = []
_tasks: list[TaskProvider] = []
_detail: dict[str, list[DetailPanelProvider]] = {}


def register_panel(provider: PanelProvider) -> PanelProvider:
    if provider not in _panels:
        _panels.append(provider)
    return provider


def register_tasks(provider: TaskProvider) -> TaskProvider:
    if provider not in _tasks:
        _tasks.append(provider)
    return provider


def panels_for(request) -> list[Panel]:
    found = [p for p in (provider(request) for provider in _panels) if p is not None]
    return sorted(found, key=lambda p: p.order)


def tasks_for(user) -> list[TaskItem]:
    items = [item for provider in _tasks for item in provider(user)]
    return sorted(items, key=lambda t: (t.deadline is None, t.deadline or date.max, t.title))


def register_detail_panel(model_label: str, provider: DetailPanelProvider) -> DetailPanelProvider:
    """Add a panel to the detail page of ``model_label`` (e.g. "deviations.Deviation")."""
    providers = _detail.setdefault(model_label.lower(), [])
    if provider not in providers:
        providers.append(provider)
    return provider


def detail_panels_for(request, obj) -> list[Panel]:
    """Panels other modules add to ``obj``'s page; the page template includes each one."""
    providers = _detail.get(obj._meta.label_lower, [])
    found = [p for p in (provider(request, obj) for provider in providers) if p is not None]
    return sorted(found, key=lambda p: p.order)
