from allauth.account import views as account_views
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from qms import sso, views
from qms.forms import PasswordResetForm

# Uploaded files are never served from MEDIA_ROOT directly: each module serves its attachments
# through a view that asks the permission layer first.
urlpatterns = [
    path("", views.home, name="home"),
    path("enheter/", views.unit_list, name="unit_list"),
    path("enheter/import/", views.hr_import_view, name="hr_import"),
    path("enheter/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("enheter/<int:pk>/beskrivelse/", views.unit_description_edit, name="unit_description"),
    path("varsler/", views.notification_list, name="notification_list"),
    path("varsler/<int:pk>/lest/", views.notification_read, name="notification_read"),
    path("healthz", views.healthz, name="healthz"),
    path("konto/passord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("konto/innstillinger/", views.account_settings, name="account_settings"),
    path("konto/e-post/", views.email_settings, name="email_settings"),
    path("konto/api-nokler/", views.api_tokens, name="api_tokens"),
    path("konto/fravaer/", views.absences, name="absences"),
    path("konto/fravaer/<int:pk>/avslutt/", views.absence_cancel, name="absence_cancel"),
    path("konto/api-nokler/<int:pk>/slett/", views.api_token_revoke, name="api_token_revoke"),
    path(
        "konto/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    # Sign-in: our login page; allauth's two-factor pages and single sign-on callbacks.
    path("konto/login/", sso.LoginView.as_view(), name="login"),
    path("konto/login/", sso.LoginView.as_view(), name="account_login"),
    path("konto/2fa/", include("allauth.mfa.urls")),
    path("konto/bekreft/", account_views.reauthenticate, name="account_reauthenticate"),
    path("konto/sso/oidc/<str:provider_id>/login/", sso.oidc_login, name="openid_connect_login"),
    path(
        "konto/sso/oidc/<str:provider_id>/login/callback/",
        sso.oidc_callback,
        name="openid_connect_callback",
    ),
    path("konto/sso/", include("allauth.socialaccount.providers.saml.urls")),
    path("konto/", include("django.contrib.auth.urls")),
    # The name allauth's forms post to: resolves as "logout" above.
    path("konto/logout/", auth_views.LogoutView.as_view(), name="account_logout"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # The admin's own login form would skip two-factor: it sends people to ours.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("dokumenter/", include("documents.urls")),
    path("avvik/", include("deviations.urls")),
    path("ros/", include("risk.urls")),
    path("arshjul/", include("annual_wheel.urls")),
    path("statistikk/", include("qms.reports.urls")),
    path("api/", include("qms.api.urls")),
    path("scim/v2/", include("qms.scim.urls")),
]

handler400 = "qms.views.bad_request"
handler403 = "qms.views.permission_denied"
handler404 = "qms.views.page_not_found"
handler500 = "qms.views.server_error"
