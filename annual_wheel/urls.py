from django.urls import path

from annual_wheel import views

app_name = "annual_wheel"

urlpatterns = [
    path("", views.index, name="index"),
]
