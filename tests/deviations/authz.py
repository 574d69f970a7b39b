"""Authorization rows for the deviations module's pages and endpoints (see tests/authz.py).

Objects and relations: ``dev_case`` is reported by the employee in Enhet A1 (leader: leader_a1),
handled by the handler (a member of Enhet A2), shared with the grantee, with two actions:
``dev_a_action`` (responsible: the employee) and ``dev_c_action`` (responsible: the foreign
responsible, a member of Enhet A2). ``dev_pd`` is an A1 case with personal data (hidden from the
advisor); ``dev_other`` an A1 case whose action ``dev_b_action`` the sibling employee (Enhet B1)
is responsible for; ``dev_dept`` a case in Avdeling A1x (seen by the leaders above it, two levels
up for the sector leader); ``dev_b`` a case reported in Enhet B1 by the sibling employee.
Every expectation here names every role (:func:`roles`): the relations differ per case.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.authz import API_ANON, HANDBOOK_ROLES, LOGIN, ROLES, Row, everyone

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def objects(org, users) -> dict:
    from deviations import services
    from deviations.models import CorrectiveAction, Deviation, ReportLink

    def report(reporter=org.employee_a1, unit=org.unit_a1, **extra):
        return services.report_deviation(
            reporter=reporter,
            unit=unit,
            kind=Deviation.Kind.DEVIATION,
            title="Fall i gangen",
            description="Beboer falt.",
            occurred_at=timezone.now() - timedelta(hours=1),
            **extra,
        )

    def action(deviation, responsible, description):
        return services.create_action(
            actor=org.leader_a1,
            unit=org.unit_a1,
            description=description,
            responsible=responsible,
            deadline=timezone.localdate() + timedelta(days=5),
            deviation=deviation,
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
    a_action = action(case, org.employee_a1, "Sklisikre matter")
    c_action = action(case, users["foreign_responsible"], "Felles rutine for renhold")
    # Only Sektor A's people may be chosen for an A1 case; the rows test a responsible who has
    # since moved to Enhet B1 (and keeps the action), so the row is moved after creation.
    b_action = action(other, org.leader_a2, "Felles opplæring")
    CorrectiveAction.objects.filter(pk=b_action.pk).update(responsible=org.employee_b1)
    b_action.refresh_from_db()
    services.assign_handler(actor=org.leader_a1, deviation=case, handler=users["handler"])
    services.share_deviation(actor=org.leader_a1, deviation=case, user=users["grantee"])
    dept = report(reporter=org.employee_a1x, unit=org.dept_a1x)
    b_case = report(reporter=org.employee_b1, unit=org.unit_b1)
    link = ReportLink.objects.create(unit=org.unit_a1)
    return {
        **inspection_objects(org),
        "dev_case": case,
        "dev_pd": pd,
        "dev_other": other,
        "dev_dept": dept,
        "dev_b": b_case,
        "dev_attachment": case.attachments.get(),
        "dev_a_action": a_action,
        "dev_b_action": b_action,
        "dev_c_action": c_action,
        "dev_link": link,
    }


def inspection_objects(org) -> dict:
    """``insp_a1``: an inspection of Enhet A1 with the authority's report and one finding
    (``insp_finding``, its case ``insp_case`` reported by leader_a1 in Enhet A1); ``insp_b1``:
    one of Enhet B1."""
    from deviations import services
    from deviations.models import Authority, Inspection, InspectionFinding

    authority = Authority.objects.get_or_create(name="Arbeidstilsynet")[0]
    report = services.UploadedFile(
        file=SimpleUploadedFile("rapport.png", PNG, "image/png"),
        name="rapport.png",
        content_type="image/png",
        size=len(PNG),
    )
    a1 = services.record_inspection(
        actor=org.leader_a1,
        authority=authority,
        theme="Arbeidsmiljø",
        unit=org.unit_a1,
        status=Inspection.Status.ONGOING,
        report=report,
    )
    b1 = services.record_inspection(
        actor=org.leader_b1, authority=authority, theme="Brannvern", unit=org.unit_b1
    )
    found = services.add_finding(
        actor=org.leader_a1,
        inspection=a1,
        unit=org.unit_a1,
        kind=InspectionFinding.Kind.NONCONFORMITY,
        title="Mangler risikokartlegging",
        deadline=timezone.localdate() + timedelta(days=30),
    )
    return {
        "insp_authority": authority,
        "insp_a1": a1,
        "insp_b1": b1,
        "insp_finding": found,
        "insp_case": found.deviation,
    }


def roles(default: int, groups: dict[tuple[str, ...], int], anonymous: int = LOGIN) -> dict:
    """An expectation naming every role: ``groups`` maps roles to a status, the rest get
    ``default``."""
    expect = dict.fromkeys(ROLES, default)
    named = set()
    for names, status in groups.items():
        for name in names:
            assert name in expect, name
            expect[name] = status
            named.add(name)
    # The handbook roles are employees of Enhet B1 apart from their role (tests/authz.py): where
    # the row decides by membership of Enhet B1 (the sibling employee and the grantee alike),
    # they get what a B1 member gets; a relation of the sibling employee's (reporter of
    # ``dev_b``, responsible of ``dev_b_action``) is not theirs.
    b1_member = {"sibling_employee", "grantee"} <= named and (
        expect["sibling_employee"] == expect["grantee"]
    )
    for name in HANDBOOK_ROLES:
        if name not in named and b1_member:
            expect[name] = expect["sibling_employee"]
    expect["anonymous"] = anonymous
    return expect


LEADERS = ("leader", "sector_leader", "deputy")  # lead Enhet A1 (and so Avdeling A1x)
# Who sees dev_case, and who handles it (docs/design.md §3; deviations/permissions.py).
CASE_HANDLERS = (*LEADERS, "admin", "handler")
CASE_VIEWERS = (*CASE_HANDLERS, "employee", "advisor", "foreign_responsible", "grantee")
# Who sees the other A1 cases: the reporter, the leaders above, advisors (no personal data).
PD_VIEWERS = (*LEADERS, "admin", "employee")
OTHER_VIEWERS = (*PD_VIEWERS, "advisor", "sibling_employee")
DEPT_VIEWERS = (*LEADERS, "admin", "advisor")
B_VIEWERS = ("sibling_employee", "sibling_leader", "advisor", "admin")

VIEW = roles(404, {CASE_VIEWERS: 200})


def handle(ok: int, allowed=CASE_HANDLERS, anonymous: int = LOGIN) -> dict:
    """A handling step on dev_case: ``allowed`` get ``ok``; those who only view it get 403."""
    return roles(404, {CASE_VIEWERS: 403, allowed: ok}, anonymous)


# Handling dev_pd: its leaders; its reporter only views it.
PD_HANDLE = roles(404, {PD_VIEWERS: 403, (*LEADERS, "admin"): 400})
PD_HANDLE_API = {**PD_HANDLE, "anonymous": API_ANON}

# Sharing is the leaders' act (not the handler's).
SHARE = (*LEADERS, "admin")
# An action is completed by its responsible and the leaders, evaluated by the leaders.
COMPLETE_A = (*LEADERS, "admin", "employee")
COMPLETE_C = (*LEADERS, "admin", "foreign_responsible")


def case_url(suffix=""):
    return lambda c: f"/avvik/{c['dev_case'].pk}/{suffix}"


def post(name, suffix, expect, label="", data=None):
    return Row(
        f"deviations:{name}", case_url(suffix), expect, method="post", label=label, data=data
    )


def detail(key):
    return lambda c: f"/avvik/{c[key].pk}/"


def action_url(key, suffix=""):
    return lambda c: f"/avvik/tiltak/{c[key].pk}/{suffix}"


CASES = ("dev_case", "dev_pd", "dev_other", "dev_dept", "dev_b")
# Which of CASES each role finds in the inbox and the API list (what it may view).
INBOX = {
    **dict.fromkeys(ROLES, ()),
    "employee": ("dev_case", "dev_pd", "dev_other"),
    "sibling_employee": ("dev_other", "dev_b"),
    "leader": ("dev_case", "dev_pd", "dev_other", "dev_dept"),
    "sector_leader": ("dev_case", "dev_pd", "dev_other", "dev_dept"),
    "deputy": ("dev_case", "dev_pd", "dev_other", "dev_dept"),
    "sibling_leader": ("dev_b",),
    "advisor": ("dev_case", "dev_other", "dev_dept", "dev_b"),
    "admin": CASES,
    "handler": ("dev_case",),
    "foreign_responsible": ("dev_case",),
    "grantee": ("dev_case",),
}
# "Mine saker": what I reported.
MINE = {
    **dict.fromkeys(ROLES, ()),
    "employee": ("dev_case", "dev_pd", "dev_other"),
    "sibling_employee": ("dev_b",),
}

ROWS = [
    Row("deviations:index", lambda c: "/avvik/", everyone(200), among=CASES, shows=INBOX),
    Row("deviations:report", lambda c: "/avvik/meld/", everyone(200)),
    # Every signed-in user may report; an empty form comes back with its errors.
    Row(
        "deviations:report",
        lambda c: "/avvik/meld/",
        everyone(200),
        method="post",
        label="empty form",
    ),
    Row("deviations:mine", lambda c: "/avvik/mine/", everyone(200), among=CASES, shows=MINE),
    # The case page lists both actions to whoever sees the case.
    Row(
        "deviations:detail",
        case_url(),
        VIEW,
        among=("dev_a_action", "dev_c_action", "dev_b_action"),
        shows={"*": ("dev_a_action", "dev_c_action")},
    ),
    Row(
        "deviations:detail",
        detail("dev_pd"),
        roles(404, {PD_VIEWERS: 200}),
        label="personal data",
    ),
    Row(
        "deviations:detail",
        detail("dev_other"),
        roles(404, {OTHER_VIEWERS: 200}),
        label="action responsible",
    ),
    Row(
        "deviations:detail",
        detail("dev_dept"),
        roles(404, {DEPT_VIEWERS: 200}),
        label="department (leaders above)",
    ),
    Row("deviations:detail", detail("dev_b"), roles(404, {B_VIEWERS: 200}), label="sibling unit"),
    Row("deviations:detail", lambda c: "/avvik/999999/", everyone(404), label="unknown id"),
    post("start", "behandle/", handle(302)),
    post("assign", "saksbehandler/", handle(400)),
    # Nobody may be made handler of a personal-data case they may not see (the advisor).
    Row(
        "deviations:assign",
        lambda c: f"/avvik/{c['dev_pd'].pk}/saksbehandler/",
        PD_HANDLE,
        method="post",
        data=lambda c: {"handler-handler": c["org"].advisor.pk},
        label="personal data to the advisor",
    ),
    post("classify", "arsak/", handle(400)),
    post("add_action", "tiltak/", handle(400)),
    post("forward", "videresend/", handle(400)),
    post("reject", "avvis/", handle(400)),
    # The case has open actions: closing is refused with a message and a redirect.
    post("close", "lukk/", handle(302)),
    # Whoever sees the case may comment (an empty comment is refused).
    post("comment", "kommentar/", roles(404, {CASE_VIEWERS: 400})),
    post("share", "del/", handle(400, SHARE)),
    Row(
        "deviations:unshare",
        lambda c: f"/avvik/{c['dev_case'].pk}/del/{c['org'].employee_b1.pk}/fjern/",
        handle(302, SHARE),
        method="post",
    ),
    post("attach", "vedlegg/", roles(404, {CASE_VIEWERS: 302})),
    Row(
        "deviations:attachment",
        lambda c: f"/avvik/{c['dev_case'].pk}/vedlegg/{c['dev_attachment'].pk}/",
        VIEW,
    ),
    Row(
        "deviations:attachment",
        lambda c: f"/avvik/{c['dev_pd'].pk}/vedlegg/{c['dev_attachment'].pk}/",
        everyone(404),
        label="attachment of another case",
    ),
    # An action is seen by whoever may see its case (deviations/permissions.py).
    Row("deviations:action", action_url("dev_a_action"), VIEW),
    Row(
        "deviations:action",
        action_url("dev_c_action"),
        VIEW,
        label="responsible in another unit",
    ),
    Row(
        "deviations:action",
        action_url("dev_b_action"),
        roles(404, {OTHER_VIEWERS: 200}),
        label="responsible in sibling unit",
    ),
    Row(
        "deviations:action_complete",
        action_url("dev_a_action", "utfort/"),
        roles(404, {CASE_VIEWERS: 403, COMPLETE_A: 302}),
        method="post",
    ),
    Row(
        "deviations:action_complete",
        action_url("dev_c_action", "utfort/"),
        roles(404, {CASE_VIEWERS: 403, COMPLETE_C: 302}),
        method="post",
        label="responsible in another unit",
    ),
    Row(
        "deviations:action_evaluate",
        action_url("dev_a_action", "effekt/"),
        handle(400, SHARE),
        method="post",
    ),
    Row(
        "deviations:unit_link",
        lambda c: f"/avvik/enhet/{c['org'].unit_a1.pk}/meldelenke/",
        roles(403, {(*LEADERS, "advisor", "admin"): 200}),
    ),
    Row(
        "deviations:unit_link",
        lambda c: f"/avvik/enhet/{c['org'].unit_a1.pk}/meldelenke/",
        roles(403, {(*LEADERS, "advisor", "admin"): 302}),
        method="post",
        data=lambda c: {"renew": "1"},
        label="renew",
    ),
    Row(
        "deviations:public_report",
        lambda c: f"/avvik/apent/{c['dev_link'].token}/",
        everyone(200, anonymous=200),
    ),
    # The open form takes reports without a login; an empty one comes back with its errors.
    Row(
        "deviations:public_report",
        lambda c: f"/avvik/apent/{c['dev_link'].token}/",
        everyone(200, anonymous=200),
        method="post",
        label="empty form",
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
    Row("deviations:link_document", case_url("dokumenter/"), handle(400), method="post"),
    Row(
        "deviations:unlink_document",
        lambda c: f"/avvik/{c['dev_case'].pk}/dokumenter/999999/fjern/",
        handle(404),
        method="post",
        label="document not linked",
    ),
]


def api(path_fn, expect, method="get", label="", name="", **extra):
    return Row(name, path_fn, expect, method=method, api=True, label=label, **extra)


def api_view(viewers=CASE_VIEWERS) -> dict:
    return roles(404, {viewers: 200}, anonymous=API_ANON)


def api_handle(ok: int, allowed=CASE_HANDLERS) -> dict:
    return handle(ok, allowed, anonymous=API_ANON)


def dev_api(suffix=""):
    return lambda c: f"/api/v1/deviations/{c['dev_case'].pk}/{suffix}"


def action_api(key="dev_a_action", suffix=""):
    return lambda c: f"/api/v1/deviations/{c[key].deviation_id}/actions/{c[key].pk}/{suffix}"


def dev_detail_api(key):
    return lambda c: f"/api/v1/deviations/{c[key].pk}/"


ACTIONS = ("dev_a_action", "dev_c_action")

ROWS += [
    api(
        lambda c: "/api/v1/deviations/",
        everyone(200, anonymous=API_ANON),
        name="deviation-list",
        among=CASES,
        shows=INBOX,
    ),
    api(
        lambda c: "/api/v1/deviations/",
        everyone(400, anonymous=API_ANON),
        method="post",
        label="empty report",
        name="deviation-list",
    ),
    api(dev_api(), api_view(), name="deviation-detail"),
    api(
        dev_detail_api("dev_pd"),
        api_view(PD_VIEWERS),
        label="personal data",
        name="deviation-detail",
    ),
    api(
        dev_detail_api("dev_other"),
        api_view(OTHER_VIEWERS),
        label="action responsible",
        name="deviation-detail",
    ),
    api(
        dev_detail_api("dev_dept"),
        api_view(DEPT_VIEWERS),
        label="department (leaders above)",
        name="deviation-detail",
    ),
    api(
        lambda c: "/api/v1/deviations/999999/",
        everyone(404, anonymous=API_ANON),
        label="unknown id",
        name="deviation-detail",
    ),
    # The case has open actions: starting and closing are refused by state (409), the rest by
    # data (400); the object permission is checked first (404 unseen, 403 seen but not allowed).
    api(dev_api("start/"), api_handle(409), method="post", name="deviation-start"),
    api(dev_api("assign/"), api_handle(400), method="post", name="deviation-assign"),
    # The API refuses what the form does not offer: a personal-data case to the advisor.
    api(
        lambda c: f"/api/v1/deviations/{c['dev_pd'].pk}/assign/",
        PD_HANDLE_API,
        method="post",
        name="deviation-assign",
        label="personal data to the advisor",
        data=lambda c: {"handler": c["org"].advisor.pk},
    ),
    api(dev_api("classify/"), api_handle(400), method="post", name="deviation-classify"),
    api(dev_api("forward/"), api_handle(400), method="post", name="deviation-forward"),
    # A forward out of Sektor A is made (dev_pd waits for treatment); its leaders then no longer
    # see the personal-data case and get 204 without it, the admin the case (200).
    api(
        lambda c: f"/api/v1/deviations/{c['dev_pd'].pk}/forward/",
        roles(404, {PD_VIEWERS: 403, LEADERS: 204, ("admin",): 200}, anonymous=API_ANON),
        method="post",
        name="deviation-forward",
        label="personal data, out of sight",
        data=lambda c: {"unit": c["org"].unit_b1.pk, "reason": "Gjelder Enhet B1"},
    ),
    api(dev_api("reject/"), api_handle(400), method="post", name="deviation-reject"),
    api(dev_api("close/"), api_handle(409), method="post", name="deviation-close"),
    api(
        dev_api("comment/"),
        roles(404, {CASE_VIEWERS: 400}, anonymous=API_ANON),
        method="post",
        name="deviation-comment",
    ),
    api(
        dev_api("actions/"),
        api_view(),
        name="deviation-action-list",
        among=(*ACTIONS, "dev_b_action"),
        shows={"*": ACTIONS},
    ),
    api(
        dev_api("actions/"),
        api_handle(400),
        method="post",
        label="empty",
        name="deviation-action-list",
    ),
    api(
        lambda c: f"/api/v1/deviations/{c['dev_pd'].pk}/actions/",
        PD_HANDLE_API,
        method="post",
        label="personal data, the advisor responsible",
        name="deviation-action-list",
        data=lambda c: {
            "description": "Gjennomgå rutinen",
            "responsible": c["org"].advisor.pk,
            "deadline": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
    ),
    api(action_api(), api_view(), name="deviation-action-detail"),
    api(
        action_api("dev_c_action"),
        api_view(),
        label="responsible in another unit",
        name="deviation-action-detail",
    ),
    api(
        action_api("dev_b_action"),
        api_view(OTHER_VIEWERS),
        label="responsible in sibling unit",
        name="deviation-action-detail",
    ),
    api(
        action_api(suffix="complete/"),
        roles(404, {CASE_VIEWERS: 403, COMPLETE_A: 200}, anonymous=API_ANON),
        method="post",
        name="deviation-action-complete",
    ),
    api(
        action_api("dev_c_action", "complete/"),
        roles(404, {CASE_VIEWERS: 403, COMPLETE_C: 200}, anonymous=API_ANON),
        method="post",
        label="responsible in another unit",
        name="deviation-action-complete",
    ),
    api(
        action_api(suffix="evaluate/"),
        api_handle(400, SHARE),
        method="post",
        name="deviation-action-evaluate",
    ),
]


# --- Inspections (tilsyn) ----------------------------------------------------------------------
# Who sees insp_a1 (deviations.permissions.inspection_rule): members of Enhet A1 (the employee,
# the deputy), the leaders above, the committee of Sektor A, advisors. Who follows it up: the
# leaders and advisors. The finding's case keeps deviation_rule: its reporter and handler
# (leader_a1), the leaders above, advisors — not the employee or the committee.
INSP_CHANGERS = (*LEADERS, "advisor", "admin")
INSP_VIEWERS = (*INSP_CHANGERS, "employee", "committee")
INSP_CASE_VIEWERS = INSP_CHANGERS
INSPECTIONS = ("insp_a1", "insp_b1")
INSP_LIST = {
    **dict.fromkeys(ROLES, ()),
    **dict.fromkeys(INSP_VIEWERS, ("insp_a1",)),
    **dict.fromkeys(
        ("sibling_employee", "sibling_leader", "grantee", *HANDBOOK_ROLES), ("insp_b1",)
    ),
    "advisor": INSPECTIONS,
    "admin": INSPECTIONS,
}
# Recording is for leaders (of any unit: the form offers theirs), advisors and administrators.
INSP_RECORDERS = (*INSP_CHANGERS, "sibling_leader")


def insp_url(suffix="", key="insp_a1"):
    return lambda c: f"/avvik/tilsyn/{c[key].pk}/{suffix}"


def insp_follow_up(ok: int, anonymous: int = LOGIN) -> dict:
    return roles(404, {INSP_VIEWERS: 403, INSP_CHANGERS: ok}, anonymous)


def finding_url(suffix):
    return lambda c: f"/avvik/tilsyn/funn/{c['insp_finding'].pk}/{suffix}"


def insp_api(suffix=""):
    return lambda c: f"/api/v1/inspections/{c['insp_a1'].pk}/{suffix}"


def finding_api(suffix=""):
    return lambda c: (
        f"/api/v1/inspections/{c['insp_a1'].pk}/findings/{c['insp_finding'].pk}/{suffix}"
    )


ROWS += [
    Row(
        "deviations:inspections",
        lambda c: "/avvik/tilsyn/",
        everyone(200),
        among=INSPECTIONS,
        shows=INSP_LIST,
    ),
    Row(
        "deviations:inspection_new",
        lambda c: "/avvik/tilsyn/ny/",
        roles(403, {INSP_RECORDERS: 200}),
    ),
    # An empty form comes back with its errors to those who may record.
    Row(
        "deviations:inspection_new",
        lambda c: "/avvik/tilsyn/ny/",
        roles(403, {INSP_RECORDERS: 200}),
        method="post",
        label="empty form",
    ),
    # The page links the finding's case only for those who may open it (deviation_rule).
    Row(
        "deviations:inspection",
        insp_url(),
        roles(404, {INSP_VIEWERS: 200}),
        among=("insp_case",),
        shows={"*": (), **dict.fromkeys(INSP_CASE_VIEWERS, ("insp_case",))},
    ),
    Row(
        "deviations:inspection",
        insp_url(key="insp_b1"),
        roles(404, {("sibling_employee", "sibling_leader", "grantee", "advisor", "admin"): 200}),
        label="sibling unit",
    ),
    Row("deviations:inspection", lambda c: "/avvik/tilsyn/999999/", everyone(404), label="unknown"),
    Row("deviations:inspection_report", insp_url("rapport/"), roles(404, {INSP_VIEWERS: 200})),
    Row(
        "deviations:inspection_upload",
        insp_url("rapport/ny/"),
        insp_follow_up(400),
        method="post",
    ),
    Row("deviations:inspection_status", insp_url("status/"), insp_follow_up(400), method="post"),
    Row("deviations:inspection_finding_new", insp_url("funn/"), insp_follow_up(200)),
    Row(
        "deviations:inspection_finding_new",
        insp_url("funn/"),
        insp_follow_up(200),
        method="post",
        label="empty form",
    ),
    Row(
        "deviations:inspection_finding_reply",
        finding_url("svar/"),
        insp_follow_up(400),
        method="post",
    ),
    # Not replied yet: the confirmation is refused with a message and a redirect.
    Row(
        "deviations:inspection_finding_confirm",
        finding_url("bekreft/"),
        insp_follow_up(302),
        method="post",
    ),
    api(
        lambda c: "/api/v1/inspections/",
        everyone(200, anonymous=API_ANON),
        name="inspection-list",
        among=INSPECTIONS,
        shows=INSP_LIST,
    ),
    api(
        lambda c: "/api/v1/inspections/",
        everyone(400, anonymous=API_ANON),
        method="post",
        label="empty",
        name="inspection-list",
    ),
    api(
        lambda c: "/api/v1/inspections/",
        roles(403, {INSP_CHANGERS: 201}, anonymous=API_ANON),
        method="post",
        label="in Enhet A1",
        name="inspection-list",
        data=lambda c: {
            "authority": c["insp_authority"].pk,
            "theme": "Internkontroll",
            "unit": c["org"].unit_a1.pk,
        },
    ),
    api(insp_api(), api_view(INSP_VIEWERS), name="inspection-detail"),
    api(insp_api("findings/"), api_view(INSP_VIEWERS), name="inspection-finding-list"),
    api(
        insp_api("findings/"),
        insp_follow_up(400, anonymous=API_ANON),
        method="post",
        label="empty",
        name="inspection-finding-list",
    ),
    api(finding_api(), api_view(INSP_VIEWERS), name="inspection-finding-detail"),
    api(
        finding_api("reply/"),
        insp_follow_up(400, anonymous=API_ANON),
        method="post",
        name="inspection-finding-reply",
    ),
    # Not replied yet: refused by state.
    api(
        finding_api("confirm/"),
        insp_follow_up(409, anonymous=API_ANON),
        method="post",
        name="inspection-finding-confirm",
    ),
]
