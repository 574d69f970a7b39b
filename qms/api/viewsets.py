"""The permission layer applied once for every API viewset (NetBox's BaseViewSet.initial)."""

from __future__ import annotations

from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied

from qms import permissions

ACTION_FOR_METHOD = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class RestrictedViewSetMixin:
    """Lists and lookups see only what the user may view; changes need the matching action.

    An object the user cannot see is a 404; one they can see but not change is a 403.
    A custom ``@action`` names its permission action with ``required_action="..."``; a viewset
    with more varied needs overrides :meth:`permission_action`.
    """

    # DRF copies an @action's keywords onto the view instance (``as_view(**initkwargs)``), so the
    # keyword must be a plain attribute: a keyword named like a method would shadow it.
    required_action: str | None = None

    def permission_action(self) -> str:
        return self.required_action or ACTION_FOR_METHOD.get(self.request.method, "view")

    def get_queryset(self):
        return permissions.restrict(self.request.user, super().get_queryset(), "view")

    def get_object(self):
        obj = super().get_object()
        action = self.permission_action()
        if action not in ("view", "add") and not permissions.can(self.request.user, obj, action):
            raise PermissionDenied()
        return obj


class RestrictedReadOnlyViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class RestrictedModelViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    pass
