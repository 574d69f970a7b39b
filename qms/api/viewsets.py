"""The permission layer applied once for every API viewset (NetBox's ``BaseViewSet.initial()``).

Each viewset declares a ``permission_map``: for every action it serves (list, retrieve, create,
update, partial_update, destroy and each ``@action``) the layer action it needs and whether that
is checked on the object of the URL. :meth:`RestrictedViewSetMixin.initial` enforces the entry
before the handler runs, so no handler checks permissions itself:

- the queryset is always restricted with "view": what the user cannot see does not exist (404);
- an object entry fetches the object through that queryset (404) and checks the entry's action
  on it (403 when visible but denied) — a detail POST is refused before the service runs;
- a collection entry of a nested viewset (``parent``) fetches the parent through the layer with
  the entry's action (404 / 403); an object entry fetches the parent with "view";
- a collection entry of a top-level viewset is "view" (list) or "add" (create): creating in a
  unit is the service's rule for the unit in the request.

A routed action without an entry fails the system check ``qms.E100`` at start-up
(:mod:`qms.api.checks`) and, should one slip through, answers 500 rather than run unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from qms import permissions


@dataclass(frozen=True)
class Perm:
    """What one viewset action needs: a layer ``action``, on the URL's object or not."""

    action: str
    object: bool = True


@dataclass(frozen=True)
class Parent:
    """The object a nested viewset hangs under: ``model`` by the URL ``kwarg``, ``field`` on
    the child (``Parent(Deviation, "deviation_pk", "deviation")``); ``related`` is fetched
    along (``select_related``)."""

    model: type[models.Model]
    kwarg: str
    field: str
    related: tuple[str, ...] = ()


# OPTIONS describes the endpoint; it needs no more than seeing it.
METADATA = Perm("view", object=False)

READ: dict[str, Perm] = {"list": Perm("view", object=False), "retrieve": Perm("view")}
"""The read half every resource shares; spread it into a map: ``{**READ, "create": ...}``."""

TOP_LEVEL_COLLECTION_ACTIONS = ("view", "add")


class RestrictedViewSetMixin:
    """Lists and lookups see only what the user may view; each action needs its map entry.

    An object the user cannot see is a 404; one they can see but not act on is a 403.
    """

    permission_map: ClassVar[dict[str, Perm]] = {}
    parent: ClassVar[Parent | None] = None

    def required_permission(self) -> Perm | None:
        """The entry for this request's action (None when the request ends in a 405)."""
        if self.action == "metadata":
            return METADATA
        if self.action is None or self.request.method.lower() not in self.http_method_names:
            return None
        try:
            return self.permission_map[self.action]
        except KeyError:
            raise ImproperlyConfigured(
                f"{type(self).__name__}.permission_map has no entry for {self.action!r}"
            ) from None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        need = self.required_permission()
        if need is None:
            return
        if self.parent is not None:
            self.parent_object = self.fetch_parent("view" if need.object else need.action)
        if need.object:
            self._checked_object = self.fetch_object(need.action)

    def fetch_parent(self, action: str) -> models.Model:
        """The parent through the layer (404 / 403). A viewset whose reads must be logged
        overrides this (and :meth:`fetch_object`) with its app's fetch, keeping the checks."""
        parents = self.parent.model._default_manager.all()
        if self.parent.related:
            parents = parents.select_related(*self.parent.related)
        return permissions.get_object_or_404(
            self.request.user, parents, action, pk=self.kwargs[self.parent.kwarg]
        )

    def fetch_object(self, action: str) -> models.Model:
        """The URL's object from the restricted queryset (404), checked for ``action`` (403)."""
        obj = super().get_object()
        if action != "view" and not permissions.can(self.request.user, obj, action):
            raise PermissionDenied()
        return obj

    def get_object(self):
        """The URL's object, already checked against the map in :meth:`initial`."""
        if hasattr(self, "_checked_object"):
            return self._checked_object
        if self.action == "metadata":  # DRF's OPTIONS asks whether a PUT would be allowed
            return self.fetch_object(self.permission_map.get("update", Perm("change")).action)
        raise ImproperlyConfigured(
            f"{type(self).__name__}.{self.action} is not an object action in its permission_map"
        )

    def read_back(self, pk: int, status: int = 200) -> Response:
        """The object as this viewset shows it, read again through the layer after a service
        wrote it (the answer of a create, an update or an ``@action``)."""
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data, status=status)

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.parent is not None:
            parent = getattr(self, "parent_object", None)
            if parent is None:  # schema generation: no request, no parent
                return queryset.none()
            queryset = queryset.filter(**{self.parent.field: parent})
        return permissions.restrict(self.request.user, queryset, "view")


class RestrictedReadOnlyViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    permission_map = READ


class RestrictedModelViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    pass
