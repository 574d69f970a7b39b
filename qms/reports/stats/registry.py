"""The registry of statistics sections: each module contributes its own section.

``qms`` is the ground floor and must not import the apps above it (docs: docs/style.md, "Registries
instead of imports upward"). So the statistics page, the API, the exports, the PDF and the
snapshot sweep never name a module: each app registers its section builder in its ``stats.py``,
imported from its ``AppConfig.ready()``, and ``qms.reports`` iterates this registry — the way
Open Forms' ``BaseRegistry`` (``src/openforms/plugins/registry.py``) and our own
``qms/permissions.py`` ``register`` work::

    from qms.reports.stats import register

    @register("deviations", order=20)
    def section(scope, period, *, charts=True, report=False) -> Section: ...

Each entry has a unique key (the section's key, its API path ``statistics/<key>/`` and its
snapshot slot) and a unique ``order`` (its place in the page and the report). A duplicate key or
order raises at registration, that is when the app is loaded; an app that has a ``stats`` module
but did not register from it fails the ``reports.E001`` system check and the first iteration of
the registry (which happens when the URLconf is loaded).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

SectionBuilder = Callable[..., object]


@dataclass(frozen=True)
class Entry:
    key: str
    order: int
    build: SectionBuilder
    module: str  # the module that registered it (the app's ``stats``)
    hms: bool = False  # shown in an HMS-only scope (its builder then counts HMS cases only)


class SectionRegistry:
    """Section builders by key, iterated in their declared order."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self._validated = False

    def __call__(
        self, key: str, *, order: int, hms: bool = False
    ) -> Callable[[SectionBuilder], SectionBuilder]:
        """Decorator: register ``build`` as the section ``key`` at place ``order``; ``hms``:
        also shown, HMS cases only, to those who see only the HMS statistics."""

        def decorator(build: SectionBuilder) -> SectionBuilder:
            self.add(key, build, order=order, hms=hms)
            return build

        return decorator

    def add(self, key: str, build: SectionBuilder, *, order: int, hms: bool = False) -> None:
        if key in self._entries:
            raise ImproperlyConfigured(
                f"statistics section {key!r} is registered twice "
                f"({self._entries[key].module} and {build.__module__})"
            )
        for entry in self._entries.values():
            if entry.order == order:
                raise ImproperlyConfigured(
                    f"statistics sections {entry.key!r} and {key!r} both have order {order}"
                )
        self._entries[key] = Entry(key, order, build, build.__module__, hms)

    def remove(self, key: str) -> None:
        """Take a section out again (tests registering a throwaway section)."""
        self._entries.pop(key, None)

    def __iter__(self) -> Iterator[Entry]:
        if not self._validated:
            problems = self.problems()
            if problems:
                raise ImproperlyConfigured("; ".join(problems))
            self._validated = True
        return iter(sorted(self._entries.values(), key=lambda e: (e.order, e.key)))

    def __getitem__(self, key: str) -> Entry:
        try:
            return self._entries[key]
        except KeyError:
            raise LookupError(
                f"no statistics section {key!r}; register one in its app's stats.py"
            ) from None

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def problems(self) -> list[str]:
        """Installed apps with a ``stats`` module that registered no section from it (the
        import in ``ready()`` forgotten)."""
        from django.apps import apps
        from django.utils.module_loading import module_has_submodule

        registered = {e.module for e in self._entries.values()}
        out = []
        for config in apps.get_app_configs():
            name = f"{config.name}.stats"
            if name == __package__:
                continue  # qms.reports.stats itself: the registry and the shared helpers
            if module_has_submodule(config.module, "stats") and name not in registered:
                out.append(
                    f"{name} registers no statistics section: import it in "
                    f"{type(config).__name__}.ready()"
                )
        return out
