from django.urls import path

from qms.reports import views
from qms.reports.control import views as control

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("eksport/<slug:key>.<str:fmt>", views.export, name="export"),
    path("rapporter/", views.report_list, name="report_list"),
    path("rapporter/<uuid:uid>/", views.report_detail, name="report_detail"),
    path("rapporter/<uuid:uid>/pdf/", views.report_download, name="report_download"),
    path("internkontroll/", control.report_list, name="control_reports"),
    path("internkontroll/<uuid:uid>/", control.report_detail, name="control_report"),
    path(
        "internkontroll/<uuid:uid>/hent-tall/",
        control.report_assemble,
        name="control_report_assemble",
    ),
    path(
        "internkontroll/<uuid:uid>/godkjenn/", control.report_approve, name="control_report_approve"
    ),
    path(
        "internkontroll/<uuid:uid>/kapittel/<int:pk>/",
        control.chapter_edit,
        name="control_chapter",
    ),
    path(
        "internkontroll/<uuid:uid>/rapport.<str:fmt>",
        control.report_download,
        name="control_report_download",
    ),
]
