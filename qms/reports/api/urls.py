from django.urls import path

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
