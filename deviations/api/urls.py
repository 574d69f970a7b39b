from django.urls import path
from rest_framework.routers import SimpleRouter

from deviations.api.views import (
    ActionViewSet,
    DeviationViewSet,
    FindingViewSet,
    InspectionViewSet,
)

router = SimpleRouter()
router.register("deviations", DeviationViewSet, basename="deviation")
router.register("inspections", InspectionViewSet, basename="inspection")

actions = ActionViewSet.as_view({"get": "list", "post": "create"})
action_detail = ActionViewSet.as_view({"get": "retrieve"})
complete = ActionViewSet.as_view({"post": "complete"})
evaluate = ActionViewSet.as_view({"post": "evaluate"})
findings = FindingViewSet.as_view({"get": "list", "post": "create"})
finding_detail = FindingViewSet.as_view({"get": "retrieve"})
finding_reply = FindingViewSet.as_view({"post": "reply"})
finding_confirm = FindingViewSet.as_view({"post": "confirm"})

urlpatterns = [
    path("deviations/<int:deviation_pk>/actions/", actions, name="deviation-action-list"),
    path(
        "deviations/<int:deviation_pk>/actions/<int:pk>/",
        action_detail,
        name="deviation-action-detail",
    ),
    path(
        "deviations/<int:deviation_pk>/actions/<int:pk>/complete/",
        complete,
        name="deviation-action-complete",
    ),
    path(
        "deviations/<int:deviation_pk>/actions/<int:pk>/evaluate/",
        evaluate,
        name="deviation-action-evaluate",
    ),
    path("inspections/<int:inspection_pk>/findings/", findings, name="inspection-finding-list"),
    path(
        "inspections/<int:inspection_pk>/findings/<int:pk>/",
        finding_detail,
        name="inspection-finding-detail",
    ),
    path(
        "inspections/<int:inspection_pk>/findings/<int:pk>/reply/",
        finding_reply,
        name="inspection-finding-reply",
    ),
    path(
        "inspections/<int:inspection_pk>/findings/<int:pk>/confirm/",
        finding_confirm,
        name="inspection-finding-confirm",
    ),
    *router.urls,
]
