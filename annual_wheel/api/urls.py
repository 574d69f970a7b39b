from rest_framework.routers import SimpleRouter

from annual_wheel.api.views import (
    ActivityViewSet,
    AuditViewSet,
    ChecklistViewSet,
    CommitteeViewSet,
    MeetingViewSet,
    OccurrenceViewSet,
    ReviewViewSet,
    RoundViewSet,
)

router = SimpleRouter()
router.register("activities", ActivityViewSet, basename="activity")
router.register(
    r"activities/(?P<activity_pk>\d+)/occurrences",
    OccurrenceViewSet,
    basename="activity-occurrence",
)
router.register("checklists", ChecklistViewSet, basename="checklist")
router.register("rounds", RoundViewSet, basename="round")
router.register("audits", AuditViewSet, basename="audit")
router.register("reviews", ReviewViewSet, basename="review")

router.register("committees", CommitteeViewSet, basename="committee")
router.register("meetings", MeetingViewSet, basename="meeting")

urlpatterns = router.urls
