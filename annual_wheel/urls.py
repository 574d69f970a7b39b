from django.urls import path

from annual_wheel import views

app_name = "annual_wheel"

urlpatterns = [
    path("", views.index, name="index"),
    path("aktivitet/<int:pk>/", views.activity_detail, name="activity_detail"),
]
