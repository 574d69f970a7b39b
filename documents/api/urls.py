from django.urls import path
from rest_framework.routers import SimpleRouter

from documents.api.views import (
    DocumentTypeViewSet,
    DocumentViewSet,
    RequiredDocumentViewSet,
    VersionViewSet,
)

router = SimpleRouter()
router.register("documents", DocumentViewSet, basename="document")
router.register("document-types", DocumentTypeViewSet, basename="document-type")
router.register("required-documents", RequiredDocumentViewSet, basename="required-document")

versions = VersionViewSet.as_view({"get": "list"})
version = VersionViewSet.as_view({"get": "retrieve"})
version_pdf = VersionViewSet.as_view(
    {"get": "pdf"}, renderer_classes=VersionViewSet.pdf.kwargs["renderer_classes"]
)

urlpatterns = [
    *router.urls,
    path("documents/<int:document_pk>/versions/", versions, name="document-version-list"),
    path(
        "documents/<int:document_pk>/versions/<int:number>/",
        version,
        name="document-version-detail",
    ),
    path(
        "documents/<int:document_pk>/versions/<int:number>/pdf/",
        version_pdf,
        name="document-version-pdf",
    ),
]
