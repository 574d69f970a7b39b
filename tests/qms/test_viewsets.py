"""The API's one permission map: each viewset action names its permission, checked in initial()."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLResolver, path
from django.urls.resolvers import RegexPattern
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.test import APIRequestFactory, force_authenticate

from annual_wheel import services as annual_wheel_services
from annual_wheel.api.views import ActivityViewSet, OccurrenceViewSet
from annual_wheel.models import Activity
from deviations.api.views import ActionViewSet, DeviationViewSet
from documents.api.views import DocumentViewSet, VersionViewSet
from qms.api import checks
from qms.api.views import OrgUnitViewSet
from qms.api.viewsets import READ, Parent, Perm, RestrictedModelViewSet, RestrictedViewSetMixin
from qms.models import OrgUnit
from risk.api.views import RiskAssessmentViewSet, RiskItemViewSet
from tests.annual_wheel.helpers import categories
from tests.testapp.models import Widget


class WidgetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Widget
        fields = ["id", "title"]


class WidgetViewSet(RestrictedModelViewSet):
    queryset = Widget.objects.order_by("pk")
    serializer_class = WidgetSerializer
    permission_map = {
        **READ,
        "create": Perm("add", object=False),
        "update": Perm("change"),
        "partial_update": Perm("change"),
        "destroy": Perm("change"),
        "rename": Perm("change"),
        "bookmark": Perm("view"),
    }
    ran: list[str] = []

    @action(detail=True, methods=["post"])
    def rename(self, request, pk=None):
        self.ran.append("rename")
        return Response({"id": self.get_object().pk})

    @action(detail=True, methods=["post"])
    def bookmark(self, request, pk=None):
        self.ran.append("bookmark")
        return Response({"id": self.get_object().pk})

    @action(detail=True, methods=["post"])
    def forgotten(self, request, pk=None):
        self.ran.append("forgotten")
        return Response({})


class UnitWidgetViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Widgets of one unit: creating one needs "change" on the unit (administrators only)."""

    queryset = Widget.objects.order_by("pk")
    serializer_class = WidgetSerializer
    parent = Parent(OrgUnit, "unit_pk", "unit")
    permission_map = {"create": Perm("change", object=False)}

    def perform_create(self, serializer):
        serializer.save(unit=self.parent_object, owner=self.request.user)


def _router():
    router = SimpleRouter()
    router.register("widgets", WidgetViewSet, basename="widget")
    return router


def _post(user, name, pk):
    view = next(p for p in _router().urls if p.name == f"widget-{name}").callback
    request = APIRequestFactory().post(f"/widgets/{pk}/{name}/")
    force_authenticate(request, user=user)
    return view(request, pk=pk)


@pytest.fixture
def widget(org):
    WidgetViewSet.ran = []
    return Widget.objects.create(title="W", unit=org.unit_a1, owner=org.employee_a1)


def test_detail_action_checks_its_permission_on_the_object(org, widget):
    assert _post(org.leader_a1, "rename", widget.pk).status_code == 200
    assert WidgetViewSet.ran == ["rename"]


def test_visible_but_denied_is_403_before_the_handler_runs(org, widget):
    assert _post(org.employee_a1, "rename", widget.pk).status_code == 403
    assert WidgetViewSet.ran == []


def test_invisible_is_404_before_the_handler_runs(org, widget):
    assert _post(org.employee_b1, "rename", widget.pk).status_code == 404
    assert _post(org.employee_b1, "bookmark", widget.pk).status_code == 404
    assert WidgetViewSet.ran == []


def test_a_view_level_action_needs_only_seeing_the_object(org, widget):
    assert _post(org.employee_a1, "bookmark", widget.pk).status_code == 200


def test_an_action_without_an_entry_never_runs(org, widget):
    with pytest.raises(ImproperlyConfigured, match="forgotten"):
        _post(org.leader_a1, "forgotten", widget.pk)
    assert WidgetViewSet.ran == []


def test_nested_collection_entry_checks_the_parent(org):
    view = UnitWidgetViewSet.as_view({"post": "create"})

    def create(user, unit_pk):
        request = APIRequestFactory().post("/", {"title": "Ny"}, format="json")
        force_authenticate(request, user=user)
        return view(request, unit_pk=unit_pk)

    assert create(org.leader_a1, 999999).status_code == 404
    assert create(org.leader_a1, org.unit_a1.pk).status_code == 403
    assert create(org.admin, org.unit_a1.pk).status_code == 201
    assert list(Widget.objects.values_list("unit_id", flat=True)) == [org.unit_a1.pk]


# --- The start-up check over every route ---------------------------------------------------------


def test_every_api_route_has_a_permission_entry():
    assert checks.route_problems() == []
    assert checks.check_permission_maps() == []


def test_the_walk_reaches_every_api_viewset():
    routed = {cls for _route, cls, actions in checks.api_routes() if actions is not None}
    assert {
        ActionViewSet,
        ActivityViewSet,
        DeviationViewSet,
        DocumentViewSet,
        OccurrenceViewSet,
        OrgUnitViewSet,
        RiskAssessmentViewSet,
        RiskItemViewSet,
        VersionViewSet,
    } <= routed


def test_a_missing_entry_fails_the_system_check(monkeypatch):
    trimmed = {k: v for k, v in DeviationViewSet.permission_map.items() if k != "comment"}
    monkeypatch.setattr(DeviationViewSet, "permission_map", trimmed)
    errors = checks.check_permission_maps()
    assert [e.id for e in errors] == ["qms.E100"]
    assert "DeviationViewSet.permission_map has no 'comment'" in errors[0].msg


def test_the_check_names_unmapped_actions_plain_viewsets_and_stale_entries():
    class PlainViewSet(viewsets.ViewSet):
        def list(self, request):
            return Response([])

    class StaleViewSet(WidgetViewSet):
        permission_map = {**WidgetViewSet.permission_map, "archive": Perm("change")}

    urls = [
        *_router().urls,
        path("plain/", PlainViewSet.as_view({"get": "list"})),
        path("stale/", StaleViewSet.as_view({"get": "list"})),
    ]
    problems = checks.route_problems(URLResolver(RegexPattern(r"^"), urls))
    assert set(problems) == {
        "StaleViewSet.permission_map names 'archive', which it lacks",
        "plain/: PlainViewSet does not use RestrictedViewSetMixin",
        "^widgets/(?P<pk>[^/.]+)/forgotten/$: WidgetViewSet.permission_map has no 'forgotten'",
    }


def test_options_asks_the_update_entry_whether_a_put_is_allowed(org, api_for):
    # DRF's OPTIONS ("metadata") fetches the object to tell whether a PUT would be allowed.
    activity = annual_wheel_services.create_activity(
        org.advisor,
        unit=org.unit_a1,
        title="Vernerunde",
        category=categories()["Internkontroll"],
        recurrence=Activity.Recurrence.ONCE,
        start_date=date(date.today().year, 6, 15),
    )
    url = f"/api/v1/activities/{activity.pk}/"
    leader = api_for(org.leader_a1).options(url)
    outsider = api_for(org.employee_b1).options(url)
    assert (leader.status_code, outsider.status_code) == (200, 200)
    assert "PUT" in leader.json()["actions"]
    assert "actions" not in outsider.json()
