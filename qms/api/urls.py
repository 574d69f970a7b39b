"""The REST API: /api/v1/ for resources, /api/schema/ for OpenAPI, /api/docs/ for its page.

Each module mounts its own routes from ``<app>/api/urls.py`` (a ``urlpatterns`` list).
"""

from importlib.util import find_spec

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from qms.api.views import ApiTokenViewSet, MeView, OrgUnitViewSet, obtain_auth_token

router = DefaultRouter()
router.register("units", OrgUnitViewSet, basename="unit")
router.register("tokens", ApiTokenViewSet, basename="apitoken")

MODULES = ["documents", "deviations", "risk", "annual_wheel", "qms.reports"]


def _has_api(module: str) -> bool:
    try:
        return find_spec(f"{module}.api.urls") is not None
    except ModuleNotFoundError:
        return False


v1 = [
    path("me/", MeView.as_view(), name="api-me"),
    path("token/", obtain_auth_token, name="api-token"),
    *[path("", include(f"{m}.api.urls")) for m in MODULES if _has_api(m)],
    path("", include(router.urls)),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
