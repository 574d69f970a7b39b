from django.urls import path

from qms.scim import views

app_name = "scim"

urlpatterns = [
    path("ServiceProviderConfig", views.service_provider_config, name="config"),
    path("ResourceTypes", views.resource_types, name="resource_types"),
    path("Users", views.users, name="users"),
    path("Users/<str:pk>", views.user_detail, name="user"),
    path("Groups", views.groups, name="groups"),
    path("Groups/<str:pk>", views.group_detail, name="group"),
]
