"""Extension points the modules fill in: panels on "Min side" and rows in "Mine oppgaver".

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
TaskProvider = Callable[[object], list[TaskItem]]

_panels: list[PanelProvider] = []
_tasks: list[TaskProvider] = []


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
