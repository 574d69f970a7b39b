from django.urls import path
from rest_framework.routers import SimpleRouter

from risk.api.views import RiskAssessmentViewSet, RiskItemViewSet

router = SimpleRouter()
router.register("risk-assessments", RiskAssessmentViewSet, basename="riskassessment")

items = RiskItemViewSet.as_view({"get": "list", "post": "create"})
item = RiskItemViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"})

urlpatterns = [
    *router.urls,
    path("risk-assessments/<int:assessment_pk>/items/", items, name="riskitem-list"),
    path("risk-assessments/<int:assessment_pk>/items/<int:pk>/", item, name="riskitem-detail"),
]
