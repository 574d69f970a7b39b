from django.urls import path

from deviations import views

app_name = "deviations"

urlpatterns = [
    path("", views.index, name="index"),
    path("meld/", views.report, name="report"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/behandle/", views.start, name="start"),
    path("<int:pk>/saksbehandler/", views.assign, name="assign"),
    path("<int:pk>/arsak/", views.classify, name="classify"),
    path("<int:pk>/tiltak/", views.add_action, name="add_action"),
    path("<int:pk>/videresend/", views.forward, name="forward"),
    path("<int:pk>/avvis/", views.reject, name="reject"),
    path("<int:pk>/lukk/", views.close, name="close"),
    path("<int:pk>/kommentar/", views.comment, name="comment"),
    path("<int:pk>/dokumenter/", views.link_document, name="link_document"),
    path(
        "<int:pk>/dokumenter/<int:document_id>/fjern/",
        views.unlink_document,
        name="unlink_document",
    ),
    path("<int:pk>/del/", views.share, name="share"),
    path("<int:pk>/del/<int:user_id>/fjern/", views.unshare, name="unshare"),
    path("<int:pk>/vedlegg/", views.attach, name="attach"),
    path("<int:pk>/vedlegg/<int:attachment_id>/", views.attachment, name="attachment"),
    path("tiltak/<int:pk>/", views.action_detail, name="action"),
    path("tiltak/<int:pk>/utfort/", views.action_complete, name="action_complete"),
    path("tiltak/<int:pk>/effekt/", views.action_evaluate, name="action_evaluate"),
    path("enhet/<int:unit_id>/meldelenke/", views.unit_link, name="unit_link"),
    path("apent/<str:token>/", views.public_report, name="public_report"),
    path("apent/<str:token>/qr.svg", views.qr_code, name="qr_code"),
    path("tilsyn/", views.inspections, name="inspections"),
    path("tilsyn/ny/", views.inspection_new, name="inspection_new"),
    path("tilsyn/<int:pk>/", views.inspection, name="inspection"),
    path("tilsyn/<int:pk>/rapport/", views.inspection_report, name="inspection_report"),
    path("tilsyn/<int:pk>/rapport/ny/", views.inspection_upload, name="inspection_upload"),
    path("tilsyn/<int:pk>/status/", views.inspection_status, name="inspection_status"),
    path("tilsyn/<int:pk>/funn/", views.inspection_finding_new, name="inspection_finding_new"),
    path(
        "tilsyn/funn/<int:pk>/svar/",
        views.inspection_finding_reply,
        name="inspection_finding_reply",
    ),
    path(
        "tilsyn/funn/<int:pk>/bekreft/",
        views.inspection_finding_confirm,
        name="inspection_finding_confirm",
    ),
]
