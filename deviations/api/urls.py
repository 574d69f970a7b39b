from django.urls import path
from rest_framework.routers import SimpleRouter

from deviations.api.views import ActionViewSet, DeviationViewSet

router = SimpleRouter()
router.register("deviations", DeviationViewSet, basename="deviation")

actions = ActionViewSet.as_view({"get": "list", "post": "create"})
action_detail = ActionViewSet.as_view({"get": "retrieve"})
complete = ActionViewSet.as_view({"post": "complete"})
evaluate = ActionViewSet.as_view({"post": "evaluate"})

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
    *router.urls,
]
