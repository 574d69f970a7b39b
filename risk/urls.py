from django.urls import path

from risk import views

app_name = "risk"

urlpatterns = [
    path("", views.index, name="index"),
    path("ny/", views.create, name="create"),
    path("matrise/", views.matrix_page, name="matrix"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/endre/", views.edit, name="edit"),
    path("<int:pk>/aktiver/", views.activate, name="activate"),
    path("<int:pk>/arkiver/", views.archive, name="archive"),
    path("<int:pk>/ny-revisjon/", views.revise, name="revise"),
    path("<int:pk>/ros.pdf", views.export_pdf, name="export_pdf"),
    path("<int:pk>/ros.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/risiko/ny/", views.item_create, name="item_create"),
    path("<int:pk>/risiko/<int:item_pk>/", views.item_detail, name="item"),
    path("<int:pk>/risiko/<int:item_pk>/slett/", views.item_delete, name="item_delete"),
    path("<int:pk>/risiko/<int:item_pk>/aksepter/", views.item_accept, name="item_accept"),
    path("<int:pk>/risiko/<int:item_pk>/tiltak/", views.measure_create, name="measure_create"),
    path("<int:pk>/risiko/<int:item_pk>/avvik/", views.link_deviation, name="link_deviation"),
    path(
        "<int:pk>/risiko/<int:item_pk>/avvik/<int:deviation_pk>/fjern/",
        views.unlink_deviation,
        name="unlink_deviation",
    ),
    path("<int:pk>/risiko/<int:item_pk>/dokument/", views.link_document, name="link_document"),
    path(
        "<int:pk>/risiko/<int:item_pk>/dokument/<int:document_pk>/fjern/",
        views.unlink_document,
        name="unlink_document",
    ),
]
