"""The API mixin's mapping from HTTP methods and custom actions to permission actions."""

import pytest
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.test import APIRequestFactory, force_authenticate

from qms.api.viewsets import RestrictedModelViewSet
from tests.testapp.models import Widget


class WidgetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Widget
        fields = ["id", "title"]


class WidgetViewSet(RestrictedModelViewSet):
    queryset = Widget.objects.order_by("pk")
    serializer_class = WidgetSerializer

    @action(detail=True, methods=["post"], required_action="change")
    def rename(self, request, pk=None):
        widget = self.get_object()
        return Response({"id": widget.pk, "action": self.permission_action()})

    @action(detail=True, methods=["post"], required_action="view")
    def bookmark(self, request, pk=None):
        widget = self.get_object()
        return Response({"id": widget.pk, "action": self.permission_action()})


def _call(user, name, pk):
    router = SimpleRouter()
    router.register("widgets", WidgetViewSet, basename="widget")
    view = next(p for p in router.urls if p.name == f"widget-{name}").callback
    request = APIRequestFactory().post(f"/widgets/{pk}/{name}/")
    force_authenticate(request, user=user)
    return view(request, pk=pk)


@pytest.fixture
def widget(org):
    return Widget.objects.create(title="W", unit=org.unit_a1, owner=org.employee_a1)


def test_custom_action_uses_its_required_action(org, widget):
    response = _call(org.leader_a1, "rename", widget.pk)
    assert response.status_code == 200
    assert response.data["action"] == "change"


def test_custom_action_refuses_who_may_only_view(org, widget):
    # The owner may view the widget but not change it: 403, not a 500 from a shadowed method.
    assert _call(org.employee_a1, "rename", widget.pk).status_code == 403


def test_view_level_custom_action_overrides_the_post_default(org, widget):
    # POST would otherwise mean "add"; the action names "view", so the owner may bookmark.
    response = _call(org.employee_a1, "bookmark", widget.pk)
    assert response.status_code == 200
    assert response.data["action"] == "view"


def test_custom_action_hides_what_the_user_cannot_see(org, widget):
    assert _call(org.employee_b1, "rename", widget.pk).status_code == 404
