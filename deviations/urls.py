from django.urls import path

from deviations import views

app_name = "deviations"

urlpatterns = [
    path("", views.index, name="index"),
]
