"""Start-up check: every routed API action has an entry in its viewset's permission map.

The check walks the URL configuration (every route the routers and ``as_view`` mounted), so a
new viewset, a new ``@action`` or a new route to an existing action without an entry stops
``manage.py check`` and the test run — the permission layer has no unchecked door.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.core import checks
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

from qms.api.viewsets import TOP_LEVEL_COLLECTION_ACTIONS, RestrictedViewSetMixin


def api_routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple]:
    """(route, view class, {method: action} or None) for every DRF view in the URLconf."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from api_routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            cls = getattr(entry.callback, "cls", None)
            if isinstance(cls, type) and issubclass(cls, APIView):
                yield prefix + str(entry.pattern), cls, getattr(entry.callback, "actions", None)


def _is_exempt(cls: type) -> bool:
    # Views that are not resources of the layer say why in ``permission_exempt`` (the caller's
    # own profile, the token exchange, statistics through their scope); the router's index and
    # the schema views list nothing.
    if getattr(cls, "permission_exempt", ""):
        return True
    return cls.__module__.startswith(("drf_spectacular.", "rest_framework.routers"))


def route_problems(resolver: URLResolver | None = None) -> list[str]:
    """Why the API's routes are not all under the permission map (empty when they are)."""
    problems: list[str] = []
    for route, cls, actions in api_routes(resolver):
        if not issubclass(cls, RestrictedViewSetMixin):
            if not _is_exempt(cls):
                problems.append(f"{route}: {cls.__name__} does not use RestrictedViewSetMixin")
            continue
        for method, name in (actions or {}).items():
            if method not in cls.http_method_names:
                continue
            need = cls.permission_map.get(name)
            if need is None:
                problems.append(f"{route}: {cls.__name__}.permission_map has no {name!r}")
            elif (
                cls.parent is None
                and not need.object
                and need.action not in TOP_LEVEL_COLLECTION_ACTIONS
            ):
                problems.append(
                    f"{route}: {cls.__name__}.{name} needs {need.action!r} with no object to "
                    "check it on"
                )
        for name in cls.permission_map:
            if not callable(getattr(cls, name, None)):
                problems.append(f"{cls.__name__}.permission_map names {name!r}, which it lacks")
    return sorted(set(problems))


@checks.register(checks.Tags.security, checks.Tags.urls)
def check_permission_maps(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [
        checks.Error(problem, hint="Add the entry to the viewset's permission_map.", id="qms.E100")
        for problem in route_problems()
    ]
