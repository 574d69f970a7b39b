from django.urls import path

from annual_wheel import views

app_name = "annual_wheel"

urlpatterns = [
    path("", views.index, name="index"),
    path("liste/", views.month_list, name="month_list"),
    path("aktivitet/ny/", views.activity_create, name="activity_create"),
    path("aktivitet/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("aktivitet/<int:pk>/endre/", views.activity_edit, name="activity_edit"),
    path("aktivitet/<int:pk>/fjern/", views.activity_archive, name="activity_archive"),
    path("forekomst/<int:pk>/registrer/", views.occurrence_record, name="occurrence_record"),
    path("sjekklister/", views.checklist_list, name="checklist_list"),
    path("sjekklister/ny/", views.checklist_create, name="checklist_create"),
    path("sjekklister/<int:pk>/", views.checklist_detail, name="checklist_detail"),
    path("sjekklister/<int:pk>/endre/", views.checklist_edit, name="checklist_edit"),
    path("sjekklister/<int:pk>/utkast/", views.checklist_draft, name="checklist_draft"),
    path(
        "sjekklister/<int:pk>/versjon/<int:version_pk>/",
        views.checklist_version,
        name="checklist_version",
    ),
    path(
        "sjekklister/<int:pk>/versjon/<int:version_pk>/publiser/",
        views.version_publish,
        name="version_publish",
    ),
    path(
        "sjekklister/<int:pk>/versjon/<int:version_pk>/sporsmal/ny/",
        views.question_add,
        name="question_add",
    ),
    path("sjekklister/sporsmal/<int:pk>/endre/", views.question_edit, name="question_edit"),
    path("sjekklister/sporsmal/<int:pk>/flytt/", views.question_move, name="question_move"),
    path("sjekklister/sporsmal/<int:pk>/fjern/", views.question_remove, name="question_remove"),
    path("runder/", views.round_list, name="round_list"),
    path("runder/ny/", views.round_start, name="round_start"),
    path("runder/<int:pk>/", views.round_detail, name="round_detail"),
    path("runder/<int:pk>/svar/<int:question_pk>/", views.round_answer, name="round_answer"),
    path(
        "runder/<int:pk>/svar/<int:question_pk>/avvik/", views.round_finding, name="round_finding"
    ),
    path("runder/<int:pk>/svar/<int:question_pk>/tiltak/", views.round_action, name="round_action"),
    path("runder/<int:pk>/svar/<int:question_pk>/bilde/", views.round_photo, name="round_photo"),
    path("runder/<int:pk>/signer/", views.round_sign, name="round_sign"),
    path("runder/<int:pk>/rapport.pdf", views.round_pdf, name="round_pdf"),
    path("revisjoner/", views.audit_list, name="audit_list"),
    path("revisjoner/ny/", views.audit_create, name="audit_create"),
    path("revisjoner/<int:pk>/", views.audit_detail, name="audit_detail"),
    path("revisjoner/<int:pk>/start/", views.audit_start, name="audit_start"),
    path("revisjoner/<int:pk>/funn/ny/", views.audit_finding, name="audit_finding"),
    path("revisjoner/<int:pk>/rapporter/", views.audit_report, name="audit_report"),
    path("revisjoner/<int:pk>/rapport.pdf", views.audit_pdf, name="audit_pdf"),
    path("gjennomganger/", views.review_list, name="review_list"),
    path("gjennomganger/ny/", views.review_start, name="review_start"),
    path("gjennomganger/<int:pk>/", views.review_detail, name="review_detail"),
    path("gjennomganger/<int:pk>/endre/", views.review_update, name="review_update"),
    path(
        "gjennomganger/<int:pk>/vurdering/<slug:section>/",
        views.review_assess,
        name="review_assess",
    ),
    path("gjennomganger/<int:pk>/deltakere/", views.review_participant, name="review_participant"),
    path(
        "gjennomganger/<int:pk>/deltakere/<int:participant_pk>/fjern/",
        views.review_participant_remove,
        name="review_participant_remove",
    ),
    path("gjennomganger/<int:pk>/vedtak/", views.review_decision, name="review_decision"),
    path("gjennomganger/<int:pk>/signer/", views.review_sign, name="review_sign"),
    path("gjennomganger/<int:pk>/rapport.pdf", views.review_pdf, name="review_pdf"),
    path("kalender/", views.feed_list, name="feeds"),
    path("kalender/<int:pk>/trekk-tilbake/", views.feed_revoke, name="feed_revoke"),
    path("ical/<str:token>.ics", views.ical_feed, name="ical_feed"),
]
