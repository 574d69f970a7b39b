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
    path("kalender/", views.feed_list, name="feeds"),
    path("kalender/<int:pk>/trekk-tilbake/", views.feed_revoke, name="feed_revoke"),
    path("ical/<str:token>.ics", views.ical_feed, name="ical_feed"),
]
