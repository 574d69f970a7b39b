from django.urls import path

from qms.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("eksport/<slug:key>.<str:fmt>", views.export, name="export"),
    path("rapporter/", views.report_list, name="report_list"),
    path("rapporter/<uuid:uid>/", views.report_detail, name="report_detail"),
    path("rapporter/<uuid:uid>/pdf/", views.report_download, name="report_download"),
]
