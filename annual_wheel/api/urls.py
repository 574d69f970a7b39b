from rest_framework.routers import SimpleRouter

from annual_wheel.api.views import ActivityViewSet, OccurrenceViewSet

router = SimpleRouter()
router.register("activities", ActivityViewSet, basename="activity")
router.register(
    r"activities/(?P<activity_pk>\d+)/occurrences",
    OccurrenceViewSet,
    basename="activity-occurrence",
)

urlpatterns = router.urls
