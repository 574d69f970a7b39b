"""Authorization rows for the organisation's own pages and endpoints."""

from tests.authz import API_ANON, HANDBOOK_ROLES, Row, everyone


def objects(org, users):
    from datetime import timedelta

    from django.utils import timezone

    from qms import tokens
    from qms.models import Absence, Notification, OrgUnit
    from tests.conftest import add_child

    closed = add_child(org.sector_a, "enhet-a9", "Nedlagt enhet A9")
    OrgUnit.objects.filter(pk=closed.pk).update(is_active=False)
    return {
        # The organisation chart is open to everyone signed in; a closed unit is not listed.
        "org_unit_a1": org.unit_a1,
        "org_unit_b1": org.unit_b1,
        "org_unit_closed": closed,
        "token_b1": tokens.issue_token(org.employee_b1, "Statistikk B1")[0],
        "notification": Notification.objects.create(
            recipient=org.employee_a1, kind="t", subject="Til ansatt A1", email_status="none"
        ),
        "notification_b1": Notification.objects.create(
            recipient=org.employee_b1, kind="t", subject="Til ansatt B1", email_status="none"
        ),
        # leader_a1's coming holiday: the leader, advisors and administrators end it.
        "absence": Absence.objects.create(
            user=org.leader_a1,
            starts=timezone.localdate() + timedelta(days=10),
            ends=timezone.localdate() + timedelta(days=20),
        ),
        # employee_a1's key: nobody else finds it (404); the owner revokes it (204, 302).
        "token": tokens.issue_token(org.employee_a1, "Rapportverktøy")[0],
    }


NOTIFICATIONS = ("notification", "notification_b1")
UNITS = ("org_unit_a1", "org_unit_b1", "org_unit_closed")
OPEN_UNITS = {"*": ("org_unit_a1", "org_unit_b1")}
TOKENS = ("token", "token_b1")
# Each user lists their own keys only, administrators too.
OWN_TOKENS = {
    "*": (),
    "employee": ("token",),
    "sibling_employee": ("token_b1",),
    **dict.fromkeys(HANDBOOK_ROLES, ()),
}


# Absences: a leader registers their own; advisors and administrators anyone's. A deputy is not
# the unit's leader here (their own absence is not routed), nor is anyone with a handbook role.
ABSENCE_PAGE = everyone(
    403, leader=200, sibling_leader=200, sector_leader=200, advisor=200, admin=200, deputy=403
)

ROWS = [
    Row("home", lambda c: "/", everyone(200)),
    Row("absences", lambda c: "/konto/fravaer/", ABSENCE_PAGE),
    Row("absences", lambda c: "/konto/fravaer/", ABSENCE_PAGE, method="post", label="empty form"),
    Row(
        "absence_cancel",
        lambda c: f"/konto/fravaer/{c['absence'].pk}/avslutt/",
        everyone(404, leader=302, advisor=302, admin=302, sector_leader=404, deputy=404),
        method="post",
    ),
    Row("unit_list", lambda c: "/enheter/", everyone(200), among=UNITS, shows=OPEN_UNITS),
    Row("unit_detail", lambda c: f"/enheter/{c['org'].unit_a1.pk}/", everyone(200)),
    # The unit's description: its leaders, deputy and the leaders above (FALLBACK: "leader"),
    # quality advisors and administrators; everyone else reads it on the unit page only.
    Row(
        "unit_description",
        lambda c: f"/enheter/{c['org'].unit_a1.pk}/beskrivelse/",
        everyone(403, leader=200, advisor=200, admin=200),
    ),
    Row(
        "unit_description",
        lambda c: f"/enheter/{c['org'].unit_a1.pk}/beskrivelse/",
        everyone(403, leader=302, advisor=302, admin=302),
        method="post",
        data=lambda c: {"main_tasks": "Hjemmetjenester", "goals_year": "2027", "goals": "Mål"},
    ),
    # Each user sees their own notifications only.
    Row(
        "notification_list",
        lambda c: "/varsler/",
        everyone(200),
        among=NOTIFICATIONS,
        shows={
            "*": (),
            "employee": ("notification",),
            "sibling_employee": ("notification_b1",),
            "handler": (),
            "foreign_responsible": (),
            "grantee": (),
            **dict.fromkeys(HANDBOOK_ROLES, ()),
        },
        marker=lambda n: f'action="/varsler/{n.pk}/lest/"',
    ),
    # Marking another user's notification as read changes nothing and redirects to the list.
    Row(
        "notification_read",
        lambda c: f"/varsler/{c['notification'].pk}/lest/",
        everyone(302),
        method="post",
    ),
    Row("healthz", lambda c: "/healthz", everyone(200, anonymous=200)),
    Row("login", lambda c: "/konto/login/", everyone(200, anonymous=200)),
    # Wrong credentials: the form again (Django's FormView treats PUT as POST).
    *[
        Row(
            "login",
            lambda c: "/konto/login/",
            everyone(200, anonymous=200),
            method=method,
            data=lambda c: {"username": "employee_a1", "password": "wrong"},
            label="wrong password",
        )
        for method in ("post", "put")
    ],
    Row("logout", lambda c: "/konto/logout/", everyone(302, anonymous=302), method="post"),
    # Two-factor (allauth.mfa). Setting up or removing the authenticator app asks for the
    # password first (account_reauthenticate): a session that has not typed it is sent there.
    Row("mfa_index", lambda c: "/konto/2fa/", everyone(200)),
    *[
        Row(
            "mfa_activate_totp", lambda c: "/konto/2fa/totp/activate/", everyone(302), method=method
        )
        for method in ("get", "post", "put")
    ],
    # Nobody in the world has an authenticator app: nothing to remove.
    *[
        Row(
            "mfa_deactivate_totp",
            lambda c: "/konto/2fa/totp/deactivate/",
            everyone(404),
            method=method,
        )
        for method in ("get", "post", "put")
    ],
    # The code page belongs to a sign-in in progress; without one it sends back to the login.
    *[
        Row(
            "mfa_authenticate",
            lambda c: "/konto/2fa/authenticate/",
            everyone(302, anonymous=302),
            method=method,
        )
        for method in ("get", "post")
    ],
    *[
        Row(
            "mfa_reauthenticate",
            lambda c: "/konto/2fa/reauthenticate/",
            everyone(302),
            method=method,
        )
        for method in ("get", "post", "put")
    ],
    *[
        Row("account_reauthenticate", lambda c: "/konto/bekreft/", everyone(200), method=method)
        for method in ("get", "post", "put")
    ],
    # Single sign-on: no provider is configured in the matrix's world.
    *[
        Row(name, lambda c, url=url: url, everyone(404, anonymous=404))
        for name, url in [
            ("openid_connect_login", "/konto/sso/oidc/entra/login/"),
            ("openid_connect_callback", "/konto/sso/oidc/entra/login/callback/"),
        ]
    ],
    Row("password_change", lambda c: "/konto/passord/", everyone(200)),
    *[
        Row(
            "password_change",
            lambda c: "/konto/passord/",
            everyone(200),
            method=method,
            label="empty form",
        )
        for method in ("post", "put")
    ],
    Row("api_tokens", lambda c: "/konto/api-nokler/", everyone(200)),
    # A new key is shown once, on the answer itself (200, not a redirect that would lose it).
    Row(
        "api_tokens",
        lambda c: "/konto/api-nokler/",
        everyone(200),
        method="post",
        data=lambda c: {"name": "Rapportverktøy", "days": "30"},
        label="make a key",
    ),
    Row("account_settings", lambda c: "/konto/innstillinger/", everyone(200)),
    Row(
        "account_settings",
        lambda c: "/konto/innstillinger/",
        everyone(302),
        method="post",
        data=lambda c: {"language": "nn"},
        label="choose nynorsk",
    ),
    Row("email_settings", lambda c: "/konto/e-post/", everyone(200)),
    Row(
        "email_settings",
        lambda c: "/konto/e-post/",
        everyone(302),
        method="post",
        data=lambda c: {"email_mode": "digest"},
        label="choose the digest",
    ),
    Row(
        "api_token_revoke",
        lambda c: f"/konto/api-nokler/{c['token'].pk}/slett/",
        everyone(302),  # another user's key is left alone: back to their own list
        method="post",
    ),
    Row("password_change_done", lambda c: "/konto/password_change/done/", everyone(200)),
    Row("password_reset", lambda c: "/konto/password_reset/", everyone(200, anonymous=200)),
    # An unknown address is answered like a known one: nothing tells who has an account.
    Row(
        "password_reset",
        lambda c: "/konto/password_reset/",
        everyone(302, anonymous=302),
        method="post",
        data=lambda c: {"email": "ukjent@example.no"},
        label="unknown address",
    ),
    # PUT carries no form data Django reads: the empty form again.
    Row(
        "password_reset",
        lambda c: "/konto/password_reset/",
        everyone(200, anonymous=200),
        method="put",
        label="empty form",
    ),
    Row(
        "password_reset_done", lambda c: "/konto/password_reset/done/", everyone(200, anonymous=200)
    ),
    Row("password_reset_complete", lambda c: "/konto/reset/done/", everyone(200, anonymous=200)),
    Row("api-me", lambda c: "/api/v1/me/", everyone(200, anonymous=API_ANON), api=True),
    Row(
        "api-token",
        lambda c: "/api/v1/token/",
        everyone(400, anonymous=400),
        method="post",
        api=True,
    ),
    Row(
        "unit-list",
        lambda c: "/api/v1/units/",
        everyone(200, anonymous=API_ANON),
        api=True,
        among=UNITS,
        shows=OPEN_UNITS,
    ),
    Row(
        "apitoken-list",
        lambda c: "/api/v1/tokens/",
        everyone(200, anonymous=API_ANON),
        api=True,
        among=TOKENS,
        shows=OWN_TOKENS,
    ),
    Row(
        "apitoken-list",
        lambda c: "/api/v1/tokens/",
        everyone(201, anonymous=API_ANON),
        method="post",
        data=lambda c: {"name": "Rapportverktøy", "days": 30},
        api=True,
        label="make a key",
    ),
    Row(
        "apitoken-detail",
        lambda c: f"/api/v1/tokens/{c['token'].pk}/",
        everyone(404, anonymous=API_ANON, employee=204),
        method="delete",
        api=True,
    ),
    Row(
        "unit-detail",
        lambda c: f"/api/v1/units/{c['org'].unit_b1.pk}/",
        everyone(200, anonymous=API_ANON),
        api=True,
    ),
    Row("api-schema", lambda c: "/api/schema/", everyone(200, anonymous=API_ANON), api=True),
    Row("api-docs", lambda c: "/api/docs/", everyone(200, anonymous=API_ANON), api=True),
]

# Provisioning. The HR import: quality advisors and administrators. SCIM: only a provisioning
# key (tests/qms/test_scim.py); a session — anyone's, an administrator's too — is refused (401).
SCIM = 401
ROWS += [
    Row("hr_import", lambda c: "/enheter/import/", everyone(403, advisor=200, admin=200)),
    Row(
        "hr_import",
        lambda c: "/enheter/import/",
        everyone(403, advisor=200, admin=200),  # no file: the form with its error
        method="post",
    ),
    Row("scim:config", lambda c: "/scim/v2/ServiceProviderConfig", everyone(SCIM, SCIM)),
    Row("scim:resource_types", lambda c: "/scim/v2/ResourceTypes", everyone(SCIM, SCIM)),
    *[
        Row(name, url, everyone(SCIM, SCIM), method=method)
        for name, url, methods in [
            ("scim:users", lambda c: "/scim/v2/Users", ("get", "post")),
            (
                "scim:user",
                lambda c: f"/scim/v2/Users/{c['org'].employee_a1.pk}",
                ("get", "put", "patch", "delete"),
            ),
            ("scim:groups", lambda c: "/scim/v2/Groups", ("get", "post")),
            (
                "scim:group",
                lambda c: f"/scim/v2/Groups/{c['org'].unit_a1.pk}",
                ("get", "put", "patch", "delete"),
            ),
        ]
        for method in methods
    ],
]
