from django.urls import path
from rest_framework.routers import SimpleRouter

from qms.reports.api.control import InternalControlReportViewSet
from qms.reports.api.views import view_for
from qms.reports.stats import builders

# One endpoint per statistics section whose module is installed: statistics/deviations/, ...
urlpatterns = [
    path(
        f"statistics/{key.replace('_', '-')}/",
        view_for(key, build.__doc__ or ""),
        name=f"statistics-{key.replace('_', '-')}",
    )
    for key, build in builders()
]

router = SimpleRouter()
router.register(
    "internal-control-reports", InternalControlReportViewSet, basename="internal-control-report"
)
urlpatterns += router.urls
