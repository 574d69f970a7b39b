from django.urls import path

from qms.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
]
