"""Authorization rows for the deviations module's pages and endpoints (see tests/authz.py).

Object relations: ``case`` is reported by the employee in Enhet A1 (leader: leader_a1); ``pd``
is the same with personal data (hidden from the advisor); ``b_action`` is an action on an A1 case
whose responsible is the employee of the sibling unit B1 (who sees that case only).
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.authz import LOGIN, Row, everyone

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def objects(org) -> dict:
    from deviations import services
    from deviations.models import CorrectiveAction, Deviation, ReportLink

    def report(**extra):
        return services.report_deviation(
            reporter=org.employee_a1,
            unit=org.unit_a1,
            kind=Deviation.Kind.DEVIATION,
            title="Fall i gangen",
            description="Beboer falt.",
            occurred_at=timezone.now() - timedelta(hours=1),
            **extra,
        )

    upload = services.UploadedFile(
        file=SimpleUploadedFile("bilde.png", PNG, "image/png"),
        name="bilde.png",
        content_type="image/png",
        size=len(PNG),
    )
    case = report(files=[upload])
    pd = report(contains_personal_data=True)
    other = report()
    a_action = services.create_action(
        actor=org.leader_a1,
        unit=org.unit_a1,
        description="Sklisikre matter",
        responsible=org.employee_a1,
        deadline=timezone.localdate() + timedelta(days=5),
        deviation=case,
    )
    # Only Sektor A's people may be chosen for an A1 case; the rows test a responsible who has
    # since moved to Enhet B1 (and keeps the action), so the row is moved after creation.
    b_action = services.create_action(
        actor=org.leader_a1,
        unit=org.unit_a1,
        description="Felles opplæring",
        responsible=org.leader_a2,
        deadline=timezone.localdate() + timedelta(days=5),
        deviation=other,
    )
    CorrectiveAction.objects.filter(pk=b_action.pk).update(responsible=org.employee_b1)
    b_action.refresh_from_db()
    link = ReportLink.objects.create(unit=org.unit_a1)
    return {
        "dev_case": case,
        "dev_pd": pd,
        "dev_other": other,
        "dev_attachment": case.attachments.get(),
        "dev_a_action": a_action,
        "dev_b_action": b_action,
        "dev_link": link,
    }


def case_url(suffix=""):
    return lambda c: f"/avvik/{c['dev_case'].pk}/{suffix}"


# Who sees the A1 case reported by the employee: reporter, leaders above, advisor, admin.
VIEW = {
    "*": 404,
    "anonymous": LOGIN,
    "employee": 200,
    "leader": 200,
    "advisor": 200,
    "admin": 200,
}


def handle(ok: int, viewer_refused: int = 403) -> dict:
    """A handling step: leaders (and admin) get ``ok``; those who only view get 403."""
    return {
        "*": 404,
        "anonymous": LOGIN,
        "employee": viewer_refused,
        "advisor": viewer_refused,
        "leader": ok,
        "admin": ok,
    }


def post(name, suffix, expect, label="", data=None):
    return Row(
        f"deviations:{name}",
        case_url(suffix),
        expect,
        method="post",
        label=label,
        data=data,
    )


ROWS = [
    Row("deviations:index", lambda c: "/avvik/", everyone(200)),
    Row("deviations:report", lambda c: "/avvik/meld/", everyone(200)),
    Row("deviations:mine", lambda c: "/avvik/mine/", everyone(200)),
    Row("deviations:detail", case_url(), VIEW),
    Row(
        "deviations:detail",
        lambda c: f"/avvik/{c['dev_pd'].pk}/",
        {**VIEW, "advisor": 404},
        label="personal data",
    ),
    Row(
        "deviations:detail",
        lambda c: f"/avvik/{c['dev_other'].pk}/",
        {**VIEW, "sibling_employee": 200},
        label="action responsible",
    ),
    Row("deviations:detail", lambda c: "/avvik/999999/", everyone(404), label="unknown id"),
    post("start", "behandle/", handle(302)),
    post("assign", "saksbehandler/", handle(400)),
    post("classify", "arsak/", handle(400)),
    post("add_action", "tiltak/", handle(400)),
    post("forward", "videresend/", handle(400)),
    post("reject", "avvis/", handle(400)),
    # The case has an open action: closing is refused with a message and a redirect.
    post("close", "lukk/", handle(302)),
    post(
        "comment",
        "kommentar/",
        {**VIEW, "employee": 400, "leader": 400, "advisor": 400, "admin": 400},
    ),
    post("share", "del/", handle(400)),
    Row(
        "deviations:unshare",
        lambda c: f"/avvik/{c['dev_case'].pk}/del/{c['org'].employee_b1.pk}/fjern/",
        handle(302),
        method="post",
    ),
    post(
        "attach", "vedlegg/", {**VIEW, "employee": 302, "leader": 302, "advisor": 302, "admin": 302}
    ),
    Row(
        "deviations:attachment",
        lambda c: f"/avvik/{c['dev_case'].pk}/vedlegg/{c['dev_attachment'].pk}/",
        VIEW,
    ),
    Row(
        "deviations:attachment",
        lambda c: f"/avvik/{c['dev_pd'].pk}/vedlegg/{c['dev_attachment'].pk}/",
        {**VIEW, "advisor": 404, "employee": 404, "leader": 404, "admin": 404},
        label="attachment of another case",
    ),
    Row("deviations:action", lambda c: f"/avvik/tiltak/{c['dev_a_action'].pk}/", VIEW),
    Row(
        "deviations:action",
        lambda c: f"/avvik/tiltak/{c['dev_b_action'].pk}/",
        {**VIEW, "sibling_employee": 200},
        label="responsible in sibling unit",
    ),
    Row(
        "deviations:action_complete",
        lambda c: f"/avvik/tiltak/{c['dev_a_action'].pk}/utfort/",
        {**VIEW, "employee": 302, "leader": 302, "admin": 302, "advisor": 403},
        method="post",
    ),
    Row(
        "deviations:action_evaluate",
        lambda c: f"/avvik/tiltak/{c['dev_a_action'].pk}/effekt/",
        handle(400),
        method="post",
    ),
    Row(
        "deviations:unit_link",
        lambda c: f"/avvik/enhet/{c['org'].unit_a1.pk}/meldelenke/",
        everyone(403, leader=200, advisor=200, admin=200),
    ),
    Row(
        "deviations:public_report",
        lambda c: f"/avvik/apent/{c['dev_link'].token}/",
        everyone(200, anonymous=200),
    ),
    Row(
        "deviations:public_report",
        lambda c: "/avvik/apent/ukjent-token/",
        everyone(404, anonymous=404),
        label="unknown token",
    ),
    Row(
        "deviations:qr_code",
        lambda c: f"/avvik/apent/{c['dev_link'].token}/qr.svg",
        everyone(200, anonymous=200),
    ),
]


def api(path_fn, expect, method="get", label="", name=""):
    return Row(name, path_fn, expect, method=method, api=True, label=label)


API_VIEW = {**VIEW, "anonymous": 403}


def api_handle(ok: int) -> dict:
    return {**handle(ok), "anonymous": 403}


def dev_api(suffix=""):
    return lambda c: f"/api/v1/deviations/{c['dev_case'].pk}/{suffix}"


def action_api(key="dev_a_action", suffix=""):
    return lambda c: f"/api/v1/deviations/{c[key].deviation_id}/actions/{c[key].pk}/{suffix}"


ROWS += [
    Row(
        "deviations:link_document",
        case_url("dokumenter/"),
        handle(400),
        method="post",
    ),
    Row(
        "deviations:unlink_document",
        lambda c: f"/avvik/{c['dev_case'].pk}/dokumenter/999999/fjern/",
        handle(404),
        method="post",
        label="document not linked",
    ),
    api(lambda c: "/api/v1/deviations/", everyone(200, anonymous=403), name="deviation-list"),
    api(
        lambda c: "/api/v1/deviations/",
        everyone(400, anonymous=403),
        method="post",
        label="empty report",
        name="deviation-list",
    ),
    api(dev_api(), API_VIEW, name="deviation-detail"),
    api(
        lambda c: f"/api/v1/deviations/{c['dev_pd'].pk}/",
        {**API_VIEW, "advisor": 404},
        label="personal data",
        name="deviation-detail",
    ),
    api(
        lambda c: f"/api/v1/deviations/{c['dev_other'].pk}/",
        {**API_VIEW, "sibling_employee": 200},
        label="action responsible",
        name="deviation-detail",
    ),
    api(
        lambda c: "/api/v1/deviations/999999/",
        everyone(404, anonymous=403),
        label="unknown id",
        name="deviation-detail",
    ),
    # The case has an open action: starting is refused by state (409), the rest by data (400).
    api(dev_api("start/"), api_handle(409), method="post", name="deviation-start"),
    api(dev_api("assign/"), api_handle(400), method="post", name="deviation-assign"),
    api(dev_api("classify/"), api_handle(400), method="post", name="deviation-classify"),
    api(dev_api("forward/"), api_handle(400), method="post", name="deviation-forward"),
    api(dev_api("reject/"), api_handle(400), method="post", name="deviation-reject"),
    api(dev_api("close/"), api_handle(409), method="post", name="deviation-close"),
    api(
        dev_api("comment/"),
        {**API_VIEW, "employee": 400, "leader": 400, "advisor": 400, "admin": 400},
        method="post",
        name="deviation-comment",
    ),
    api(dev_api("actions/"), API_VIEW, name="deviation-action-list"),
    api(
        dev_api("actions/"),
        api_handle(400),
        method="post",
        label="empty",
        name="deviation-action-list",
    ),
    api(action_api(), API_VIEW, name="deviation-action-detail"),
    api(
        action_api("dev_b_action"),
        {**API_VIEW, "sibling_employee": 200},
        label="responsible in sibling unit",
        name="deviation-action-detail",
    ),
    api(
        action_api(suffix="complete/"),
        {**API_VIEW, "employee": 200, "leader": 200, "admin": 200, "advisor": 403},
        method="post",
        name="deviation-action-complete",
    ),
    api(
        action_api(suffix="evaluate/"),
        api_handle(400),
        method="post",
        name="deviation-action-evaluate",
    ),
]
