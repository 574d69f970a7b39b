"""Authorization rows for the annual_wheel module's pages and endpoints (see tests/authz.py)."""

from tests.authz import API_ANON, Row, everyone


def objects(org, users):
    from datetime import date

    from annual_wheel import services
    from tests.annual_wheel.helpers import categories

    category = categories()["HMS"]
    activity = services.create_activity(
        org.advisor,
        title="Vernerunde Enhet A1",
        unit=org.unit_a1,
        category=category,
        recurrence="yearly",
        start_date=date(date.today().year, 9, 1),
        responsible=org.employee_a1,
    )
    activity_b = services.create_activity(
        org.advisor,
        title="Vernerunde Enhet B1",
        unit=org.unit_b1,
        category=category,
        recurrence="yearly",
        start_date=date(date.today().year, 9, 1),
        responsible=org.employee_b1,
    )
    feed, token = services.create_feed(org.employee_a1, org.unit_a1)
    return {
        **round_objects(org),
        **audit_objects(org, users),
        **review_objects(org, users),
        **committee_objects(org, users),
        "activity": activity,
        "occurrence": activity.occurrences.first(),
        "activity_b": activity_b,
        "occurrence_b": activity_b.occurrences.first(),
        "feed": feed,
        "feed_token": token,
        "category": category,
    }


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def round_objects(org) -> dict:
    """A published checklist and a draft one; a round in Enhet A1 led by leader_a1 with
    employee_a1 (the verneombud) taking part, its first answer failed with a photo; a round in
    Enhet B1."""
    from datetime import date

    from django.core.files.base import ContentFile

    from annual_wheel import services
    from deviations.services import UploadedFile
    from tests.annual_wheel.helpers import make_checklist

    checklist = make_checklist(org.advisor, title="Vernerunde")
    draft_list = make_checklist(org.advisor, title="Brannvernrunde", publish=False)
    draft = draft_list.versions.get()
    round_a1 = services.start_round(
        org.leader_a1,
        checklist=checklist,
        unit=org.unit_a1,
        date=date.today(),
        participants=[org.employee_a1],
    )
    round_b1 = services.start_round(
        org.leader_b1, checklist=checklist, unit=org.unit_b1, date=date.today()
    )
    question = round_a1.version.questions.order_by("order").first()
    photo = UploadedFile(file=ContentFile(PNG), name="bilde.png", content_type="image/png", size=1)
    services.answer_question(
        org.employee_a1, round_a1, question, value="no", comment="Sperret", photo=photo
    )
    return {
        "checklist": checklist,
        "cl_version": checklist.versions.get(),
        "cl_draft": draft,
        "cl_draft_question": draft.questions.first(),
        "round": round_a1,
        "round_b": round_b1,
        "round_question": question,
    }


def _round(c, suffix=""):
    return f"/arshjul/runder/{c['round'].pk}/{suffix}"


def _answer(c, suffix=""):
    return _round(c, f"svar/{c['round_question'].pk}/{suffix}")


def _draft(c, suffix=""):
    return f"/arshjul/sjekklister/{c['cl_draft'].checklist_id}/versjon/{c['cl_draft'].pk}/{suffix}"


# Checklists are kept by advisors and administrators; everyone else reads the published ones.
KEEPERS = {"*": 403, "anonymous": 302}
# A draft version is the keepers' work in progress: it does not exist for anyone else.
DRAFT_ONLY = {"*": 404, "anonymous": 302}
# Who sees Enhet A1's round: its members and participants, the leaders and committee above,
# advisors and administrators; siblings and members of Enhet A2 do not.
ROUND_VIEW = everyone(200, sibling_employee=404, sibling_leader=404)
# Who changes it: the participants (employee, leader) and the leaders of Enhet A1 and above;
# the committee and the advisor see it but may not.
ROUND_CHANGE = {**ROUND_VIEW, "*": 302, "committee": 403, "advisor": 403}
# Who signs it: a participant who leads the unit (leader_a1); administrators.
# The deputy and the sector leader lead the unit but take no part in this round.
ROUND_SIGN = {
    **ROUND_VIEW,
    "*": 403,
    "leader": 302,
    "admin": 302,
    "deputy": 403,
    "sector_leader": 403,
}
ROUNDS = ("round", "round_b")
ROUNDS_LISTED = {
    "*": ("round",),
    "sibling_employee": ("round_b",),
    "sibling_leader": ("round_b",),
    "grantee": ("round_b",),
    "handler": (),
    "foreign_responsible": (),
    "advisor": ROUNDS,
    "admin": ROUNDS,
}
# Leaders (of any unit), advisors and administrators start rounds.
STARTERS = everyone(
    403, leader=200, sibling_leader=200, sector_leader=200, deputy=200, advisor=200, admin=200
)


def _start_form(c):
    from datetime import date

    return {
        "checklist": c["checklist"].pk,
        "unit": c["org"].unit_a1.pk,
        "date": date.today().isoformat(),
    }


def _action_form(c):
    from datetime import date, timedelta

    return {
        "description": "Rydd nødutgangen",
        "responsible": c["org"].leader_a1.pk,
        "deadline": (date.today() + timedelta(days=14)).isoformat(),
    }


ROUND_ROWS = [
    Row("annual_wheel:checklist_list", lambda c: "/arshjul/sjekklister/", everyone(200)),
    Row(
        "annual_wheel:checklist_create",
        lambda c: "/arshjul/sjekklister/ny/",
        {**KEEPERS, "advisor": 200, "admin": 200},
    ),
    Row(
        "annual_wheel:checklist_create",
        lambda c: "/arshjul/sjekklister/ny/",
        {**KEEPERS, "advisor": 302, "admin": 302},
        method="post",
        data=lambda c: {"title": "Ny sjekkliste", "description": "", "unit": ""},
    ),
    Row(
        "annual_wheel:checklist_detail",
        lambda c: f"/arshjul/sjekklister/{c['checklist'].pk}/",
        everyone(200),
    ),
    Row(
        "annual_wheel:checklist_edit",
        lambda c: f"/arshjul/sjekklister/{c['checklist'].pk}/endre/",
        {**KEEPERS, "advisor": 200, "admin": 200},
    ),
    Row(
        "annual_wheel:checklist_edit",
        lambda c: f"/arshjul/sjekklister/{c['checklist'].pk}/endre/",
        {**KEEPERS, "advisor": 302, "admin": 302},
        method="post",
        data=lambda c: {"title": "Vernerunde 2", "description": "", "unit": ""},
    ),
    Row(
        "annual_wheel:checklist_draft",
        lambda c: f"/arshjul/sjekklister/{c['checklist'].pk}/utkast/",
        {**KEEPERS, "advisor": 302, "admin": 302},
        method="post",
    ),
    Row(
        "annual_wheel:checklist_version",
        lambda c: f"/arshjul/sjekklister/{c['checklist'].pk}/versjon/{c['cl_version'].pk}/",
        everyone(200),
        label="published",
    ),
    Row(
        "annual_wheel:checklist_version",
        _draft,
        {**DRAFT_ONLY, "advisor": 200, "admin": 200},
        label="draft",
    ),
    Row(
        "annual_wheel:version_publish",
        lambda c: _draft(c, "publiser/"),
        {**DRAFT_ONLY, "advisor": 302, "admin": 302},
        method="post",
    ),
    Row(
        "annual_wheel:question_add",
        lambda c: _draft(c, "sporsmal/ny/"),
        {**DRAFT_ONLY, "advisor": 302, "admin": 302},
        method="post",
        data=lambda c: {"text": "Er brannalarmen testet?", "kind": "yes_no", "fail_answer": "no"},
    ),
    Row(
        "annual_wheel:question_edit",
        lambda c: f"/arshjul/sjekklister/sporsmal/{c['cl_draft_question'].pk}/endre/",
        {**DRAFT_ONLY, "advisor": 200, "admin": 200},
    ),
    Row(
        "annual_wheel:question_edit",
        lambda c: f"/arshjul/sjekklister/sporsmal/{c['cl_draft_question'].pk}/endre/",
        {**DRAFT_ONLY, "advisor": 302, "admin": 302},
        method="post",
        data=lambda c: {"text": "Endret?", "kind": "yes_no", "fail_answer": "no"},
    ),
    Row(
        "annual_wheel:question_move",
        lambda c: f"/arshjul/sjekklister/sporsmal/{c['cl_draft_question'].pk}/flytt/",
        {**DRAFT_ONLY, "advisor": 302, "admin": 302},
        method="post",
        data=lambda c: {"direction": "down"},
    ),
    Row(
        "annual_wheel:question_remove",
        lambda c: f"/arshjul/sjekklister/sporsmal/{c['cl_draft_question'].pk}/fjern/",
        {**DRAFT_ONLY, "advisor": 302, "admin": 302},
        method="post",
    ),
    Row(
        "annual_wheel:round_list",
        lambda c: "/arshjul/runder/",
        everyone(200),
        among=ROUNDS,
        shows=ROUNDS_LISTED,
    ),
    Row("annual_wheel:round_start", lambda c: "/arshjul/runder/ny/", STARTERS),
    # Starting one for Enhet A1: a sibling leader gets the form back (the unit is not offered).
    Row(
        "annual_wheel:round_start",
        lambda c: "/arshjul/runder/ny/",
        {
            **STARTERS,
            "leader": 302,
            "sector_leader": 302,
            "deputy": 302,
            "advisor": 302,
            "admin": 302,
        },
        method="post",
        data=_start_form,
        label="for Enhet A1",
    ),
    Row("annual_wheel:round_detail", lambda c: _round(c), ROUND_VIEW),
    Row(
        "annual_wheel:round_answer",
        lambda c: _answer(c),
        ROUND_CHANGE,
        method="post",
        data=lambda c: {"value": "yes", "comment": ""},
    ),
    Row("annual_wheel:round_finding", lambda c: _answer(c, "avvik/"), ROUND_CHANGE, method="post"),
    Row(
        "annual_wheel:round_action",
        lambda c: _answer(c, "tiltak/"),
        {**ROUND_CHANGE, "*": 200},
    ),
    Row(
        "annual_wheel:round_action",
        lambda c: _answer(c, "tiltak/"),
        ROUND_CHANGE,
        method="post",
        data=_action_form,
    ),
    Row("annual_wheel:round_photo", lambda c: _answer(c, "bilde/"), ROUND_VIEW),
    Row("annual_wheel:round_sign", lambda c: _round(c, "signer/"), ROUND_SIGN, method="post"),
    Row("annual_wheel:round_pdf", lambda c: _round(c, "rapport.pdf"), ROUND_VIEW),
    Row(
        "checklist-list",
        lambda c: "/api/v1/checklists/",
        everyone(200, anonymous=API_ANON),
        api=True,
    ),
    Row(
        "checklist-detail",
        lambda c: f"/api/v1/checklists/{c['checklist'].pk}/",
        everyone(200, anonymous=API_ANON),
        api=True,
    ),
    Row(
        "round-list",
        lambda c: "/api/v1/rounds/",
        everyone(200, anonymous=API_ANON),
        api=True,
        among=ROUNDS,
        shows=ROUNDS_LISTED,
    ),
    # Starting one for Enhet A1: the service refuses a sibling leader (403) like everyone else
    # who does not lead Enhet A1 or advise.
    Row(
        "round-list",
        lambda c: "/api/v1/rounds/",
        everyone(
            403,
            anonymous=API_ANON,
            leader=201,
            sector_leader=201,
            deputy=201,
            advisor=201,
            admin=201,
        ),
        method="post",
        data=_start_form,
        api=True,
        label="for Enhet A1",
    ),
    Row(
        "round-detail",
        lambda c: f"/api/v1/rounds/{c['round'].pk}/",
        {**ROUND_VIEW, "anonymous": API_ANON},
        api=True,
    ),
    Row(
        "round-answer",
        lambda c: f"/api/v1/rounds/{c['round'].pk}/answer/",
        {**ROUND_CHANGE, "*": 200, "anonymous": API_ANON},
        method="post",
        data=lambda c: {"question": c["round_question"].pk, "value": "yes"},
        api=True,
    ),
    # Those who may sign get 409: the round still has unanswered questions.
    Row(
        "round-sign",
        lambda c: f"/api/v1/rounds/{c['round'].pk}/sign/",
        {**ROUND_SIGN, "anonymous": API_ANON, "leader": 409, "admin": 409},
        method="post",
        api=True,
    ),
]

# Who sees Enhet A1's activity: its members, leaders above, the committee for Sektor A, advisors.
A1_VIEW = everyone(200, sibling_employee=404, sibling_leader=404)
# Who changes it: leaders of Enhet A1 (and above), advisors, administrators; others who see it 403.
A1_CHANGE = {
    "*": 403,
    "anonymous": 302,
    "sibling_employee": 404,
    "sibling_leader": 404,
}


def _activity_form(c):
    from datetime import date

    return {
        "title": "Vernerunde",
        "unit": c["org"].unit_a1.pk,
        "category": c["category"].pk,
        "recurrence": "once",
        "start_date": date(date.today().year, 10, 1).isoformat(),
        "reminder_days": 7,
    }


ACTIVITIES = ("activity", "activity_b")
# Which activities each role finds in the API list: its own units' and their ancestors', the
# subtrees it leads or follows as committee, everything for advisors (docs/design.md §3).
LISTED = {
    "*": ("activity",),
    "sibling_employee": ("activity_b",),
    "sibling_leader": ("activity_b",),
    "grantee": ("activity_b",),
    "handler": (),
    "foreign_responsible": (),
    "advisor": ACTIVITIES,
    "admin": ACTIVITIES,
}
HIDES_A1 = ("sibling_employee", "sibling_leader", "handler", "foreign_responsible", "grantee")

# The wheel and the month list link each occurrence to its activity's page.
OCCURRENCE_LINK = {"marker": lambda a: f'href="{a.get_absolute_url()}#occ-'}
# Without a choice, the wheel is the user's own (deepest) unit's, else the municipality's:
# Enhet A1's people find A1's activity, Enhet B1's people B1's; Sektor A's leader and committee,
# the A2 members and those in no unit (advisor, admin) find neither (a wheel shows its unit's
# and its ancestors' activities, not those of units below).
OWN_WHEEL = {
    "*": (),
    "employee": ("activity",),
    "leader": ("activity",),
    "deputy": ("activity",),
    "sibling_employee": ("activity_b",),
    "sibling_leader": ("activity_b",),
    "grantee": ("activity_b",),
}
# Enhet B1's wheel asked for by anyone: the layer shows B1's activity to B1's people, the
# advisor and the admin only; Enhet A1's activity is never on B1's wheel.
B1_WHEEL = {
    "*": (),
    "sibling_employee": ("activity_b",),
    "sibling_leader": ("activity_b",),
    "grantee": ("activity_b",),
    "advisor": ("activity_b",),
    "admin": ("activity_b",),
}


def _wheel_rows(name: str, path: str) -> list[Row]:
    return [
        Row(
            name,
            lambda c: path,
            everyone(200),
            among=ACTIVITIES,
            shows=OWN_WHEEL,
            **OCCURRENCE_LINK,
        ),
        Row(
            name,
            lambda c: f"{path}?unit={c['org'].unit_b1.pk}",
            everyone(200),
            label="Enhet B1's wheel",
            among=ACTIVITIES,
            shows=B1_WHEEL,
            **OCCURRENCE_LINK,
        ),
    ]


ROWS = [
    *_wheel_rows("annual_wheel:index", "/arshjul/"),
    *_wheel_rows("annual_wheel:month_list", "/arshjul/liste/"),
    Row(
        "annual_wheel:activity_detail",
        lambda c: f"/arshjul/aktivitet/{c['activity'].pk}/",
        A1_VIEW,
    ),
    # The form is offered to those who lead a unit (or advise); the committee leads none.
    Row(
        "annual_wheel:activity_create",
        lambda c: "/arshjul/aktivitet/ny/",
        everyone(403, leader=200, sibling_leader=200, advisor=200, admin=200),
    ),
    # Posting for Enhet A1: redirect when allowed; a sibling leader gets the form back with an error.
    Row(
        "annual_wheel:activity_create",
        lambda c: "/arshjul/aktivitet/ny/",
        everyone(403, leader=302, sibling_leader=200, advisor=302, admin=302),
        method="post",
        data=_activity_form,
        label="for Enhet A1",
    ),
    Row(
        "annual_wheel:activity_edit",
        lambda c: f"/arshjul/aktivitet/{c['activity'].pk}/endre/",
        {**A1_CHANGE, "leader": 200, "advisor": 200, "admin": 200},
    ),
    Row(
        "annual_wheel:activity_edit",
        lambda c: f"/arshjul/aktivitet/{c['activity'].pk}/endre/",
        {**A1_CHANGE, "leader": 302, "advisor": 302, "admin": 302},
        method="post",
        data=_activity_form,
    ),
    Row(
        "annual_wheel:activity_archive",
        lambda c: f"/arshjul/aktivitet/{c['activity'].pk}/fjern/",
        {**A1_CHANGE, "leader": 302, "advisor": 302, "admin": 302},
        method="post",
    ),
    # The responsible (employee_a1) records too; the committee sees but may not record.
    Row(
        "annual_wheel:occurrence_record",
        lambda c: f"/arshjul/forekomst/{c['occurrence'].pk}/registrer/",
        {**A1_CHANGE, "employee": 302, "leader": 302, "advisor": 302, "admin": 302},
        method="post",
        data=lambda c: {
            f"occ{c['occurrence'].pk}-status": "done",
            f"occ{c['occurrence'].pk}-note": "OK",
        },
    ),
    Row("annual_wheel:feeds", lambda c: "/arshjul/kalender/", everyone(200)),
    # A feed for Enhet A1: every signed-in user may subscribe to a unit they see.
    Row(
        "annual_wheel:feeds",
        lambda c: "/arshjul/kalender/",
        everyone(200),
        method="post",
        data=lambda c: {"unit": c["org"].unit_a1.pk},
        label="for Enhet A1",
    ),
    # A feed is its owner's: anyone else gets 404 (the feed does not exist for them).
    Row(
        "annual_wheel:feed_revoke",
        lambda c: f"/arshjul/kalender/{c['feed'].pk}/trekk-tilbake/",
        everyone(404, employee=302),
        method="post",
    ),
    # The token is the credential: calendar apps fetch without a session.
    Row(
        "annual_wheel:ical_feed",
        lambda c: f"/arshjul/ical/{c['feed_token']}.ics",
        everyone(200, anonymous=200),
    ),
    Row(
        "annual_wheel:ical_feed",
        lambda c: "/arshjul/ical/ukjent-token.ics",
        everyone(404, anonymous=404),
        label="wrong token",
    ),
    Row(
        "activity-list",
        lambda c: "/api/v1/activities/",
        everyone(200, anonymous=API_ANON),
        api=True,
        among=ACTIVITIES,
        shows=LISTED,
    ),
    Row(
        "activity-list",
        lambda c: "/api/v1/activities/",
        everyone(403, anonymous=API_ANON, leader=201, advisor=201, admin=201),
        method="post",
        data=lambda c: {**_activity_form(c), "unit": c["org"].unit_a1.pk},
        api=True,
        label="for Enhet A1",
    ),
    Row(
        "activity-detail",
        lambda c: f"/api/v1/activities/{c['activity'].pk}/",
        {**A1_VIEW, "anonymous": API_ANON},
        api=True,
    ),
    Row(
        "activity-detail",
        lambda c: f"/api/v1/activities/{c['activity'].pk}/",
        {**A1_CHANGE, "anonymous": API_ANON, "leader": 200, "advisor": 200, "admin": 200},
        method="patch",
        data=lambda c: {"title": "Vernerunde, endret"},
        api=True,
    ),
    Row(
        "activity-detail",
        lambda c: f"/api/v1/activities/{c['activity'].pk}/",
        {**A1_CHANGE, "anonymous": API_ANON, "leader": 200, "advisor": 200, "admin": 200},
        method="put",
        data=_activity_form,
        api=True,
    ),
    Row(
        "activity-detail",
        lambda c: f"/api/v1/activities/{c['activity'].pk}/",
        {**A1_CHANGE, "anonymous": API_ANON, "leader": 204, "advisor": 204, "admin": 204},
        method="delete",
        api=True,
    ),
    Row(
        "activity-occurrence-list",
        lambda c: f"/api/v1/activities/{c['activity'].pk}/occurrences/",
        {**A1_VIEW, "anonymous": API_ANON},
        api=True,
        label="(invisible activity: 404, the parent is fetched through the layer)",
        among=("occurrence", "occurrence_b"),
        shows={"*": ("occurrence",)},
    ),
    Row(
        "activity-occurrence-detail",
        lambda c: f"/api/v1/activities/{c['activity'].pk}/occurrences/{c['occurrence'].pk}/",
        {**A1_VIEW, "anonymous": API_ANON},
        api=True,
    ),
    Row(
        "activity-occurrence-detail",
        lambda c: f"/api/v1/activities/{c['activity'].pk}/occurrences/{c['occurrence'].pk}/",
        {
            **A1_CHANGE,
            "anonymous": API_ANON,
            "employee": 200,
            "leader": 200,
            "advisor": 200,
            "admin": 200,
        },
        method="patch",
        data=lambda c: {"status": "done", "note": "OK"},
        api=True,
    ),
]
ROWS += ROUND_ROWS


# --- Internal audits -----------------------------------------------------------------------------


def audit_objects(org, users) -> dict:
    """An audit of Enhet A1 in progress, led by the advisor with the grantee (an auditor from
    Enhet B1) as the other auditor, with one observation; a planned audit of Enhet B1."""
    from datetime import date

    from annual_wheel import services
    from tests.annual_wheel.audit_helpers import plan

    audit = plan(org, lead_auditor=org.advisor, auditors=[users["grantee"]])
    services.start_audit(org.advisor, audit, opening_date=date.today())
    services.add_finding(org.advisor, audit, kind="observation", text="Rutinen er gammel")
    audit_b = plan(org, unit=org.unit_b1, title="Renhold B1", lead_auditor=org.advisor, auditors=[])
    return {"audit": audit, "audit_b": audit_b}


def _audit(c, suffix=""):
    return f"/arshjul/revisjoner/{c['audit'].pk}/{suffix}"


# Who sees Enhet A1's audit: its members, the leaders and committee above, its auditors (the
# grantee, from Enhet B1), advisors and administrators; siblings and Enhet A2 do not.
AUDIT_VIEW = everyone(200, sibling_employee=404, sibling_leader=404, grantee=200)
# Who changes it: its auditors and the advisors; the unit's own leaders only read it.
AUDIT_CHANGE = {**AUDIT_VIEW, "*": 403, "grantee": 302, "advisor": 302, "admin": 302}
AUDIT_FORM = {**AUDIT_CHANGE, "grantee": 200, "advisor": 200, "admin": 200}
AUDITS = ("audit", "audit_b")
AUDITS_LISTED = {
    "*": ("audit",),
    "sibling_employee": ("audit_b",),
    "sibling_leader": ("audit_b",),
    "grantee": AUDITS,
    "handler": (),
    "foreign_responsible": (),
    "advisor": AUDITS,
    "admin": AUDITS,
}
# Leaders (for their subtree), advisors and administrators plan audits.
PLANNERS = STARTERS


def _plan_form(c):
    from datetime import date

    org = c["org"]
    return {
        "title": "Revisjon Enhet A1",
        "programme_unit": org.unit_a1.pk,
        "unit": org.unit_a1.pk,
        "planned_date": f"{date.today().year}-11-01",
        "lead_auditor": org.employee_b1.pk,
    }


def _finding_form(c):
    return {"kind": "observation", "text": "Skjemaet er ikke i bruk"}


def _report_form(c):
    from datetime import date

    return {"closing_date": date.today().isoformat(), "conclusion": "Etterleves", "summary": ""}


AUDIT_ROWS = [
    Row(
        "annual_wheel:audit_list",
        lambda c: "/arshjul/revisjoner/",
        everyone(200),
        among=AUDITS,
        shows=AUDITS_LISTED,
    ),
    Row("annual_wheel:audit_create", lambda c: "/arshjul/revisjoner/ny/", PLANNERS),
    # Planning one for Enhet A1: a sibling leader gets the form back (the unit is not offered).
    Row(
        "annual_wheel:audit_create",
        lambda c: "/arshjul/revisjoner/ny/",
        {
            **PLANNERS,
            "leader": 302,
            "sibling_leader": 400,
            "sector_leader": 302,
            "deputy": 302,
            "advisor": 302,
            "admin": 302,
        },
        method="post",
        data=_plan_form,
        label="for Enhet A1",
    ),
    Row("annual_wheel:audit_detail", lambda c: _audit(c), AUDIT_VIEW),
    # It is in progress already: those who may change it are sent back with a message.
    Row(
        "annual_wheel:audit_start",
        lambda c: _audit(c, "start/"),
        AUDIT_CHANGE,
        method="post",
        data=lambda c: {"opening_date": "2026-01-05"},
    ),
    Row("annual_wheel:audit_finding", lambda c: _audit(c, "funn/ny/"), AUDIT_FORM),
    Row(
        "annual_wheel:audit_finding",
        lambda c: _audit(c, "funn/ny/"),
        AUDIT_CHANGE,
        method="post",
        data=_finding_form,
    ),
    Row("annual_wheel:audit_report", lambda c: _audit(c, "rapporter/"), AUDIT_FORM),
    Row(
        "annual_wheel:audit_report",
        lambda c: _audit(c, "rapporter/"),
        AUDIT_CHANGE,
        method="post",
        data=_report_form,
    ),
    Row("annual_wheel:audit_pdf", lambda c: _audit(c, "rapport.pdf"), AUDIT_VIEW),
    Row(
        "audit-list",
        lambda c: "/api/v1/audits/",
        everyone(200, anonymous=API_ANON),
        api=True,
        among=AUDITS,
        shows=AUDITS_LISTED,
    ),
    # Planning one for Enhet A1: the service refuses a sibling leader (403).
    Row(
        "audit-list",
        lambda c: "/api/v1/audits/",
        everyone(
            403,
            anonymous=API_ANON,
            leader=201,
            sector_leader=201,
            deputy=201,
            advisor=201,
            admin=201,
        ),
        method="post",
        data=_plan_form,
        api=True,
        label="for Enhet A1",
    ),
    Row(
        "audit-detail",
        lambda c: f"/api/v1/audits/{c['audit'].pk}/",
        {**AUDIT_VIEW, "anonymous": API_ANON},
        api=True,
    ),
    # In progress already: 409 for those who may change it.
    Row(
        "audit-start",
        lambda c: f"/api/v1/audits/{c['audit'].pk}/start/",
        {**AUDIT_CHANGE, "anonymous": API_ANON, "grantee": 409, "advisor": 409, "admin": 409},
        method="post",
        data=lambda c: {"opening_date": "2026-01-05"},
        api=True,
    ),
    Row(
        "audit-findings",
        lambda c: f"/api/v1/audits/{c['audit'].pk}/findings/",
        {**AUDIT_CHANGE, "anonymous": API_ANON, "grantee": 201, "advisor": 201, "admin": 201},
        method="post",
        data=_finding_form,
        api=True,
    ),
    Row(
        "audit-report",
        lambda c: f"/api/v1/audits/{c['audit'].pk}/report/",
        {**AUDIT_CHANGE, "anonymous": API_ANON, "grantee": 200, "advisor": 200, "admin": 200},
        method="post",
        data=_report_form,
        api=True,
    ),
]

ROWS += AUDIT_ROWS


# --- Management review -----------------------------------------------------------------------------


def review_objects(org, users) -> dict:
    """The review of Enhet A1 for last year, started by leader_a1 with employee_a1 taking part
    as verneombud; the review of Enhet B1."""
    from datetime import date

    from annual_wheel import services

    year = date.today().year - 1
    review = services.start_review(
        org.leader_a1, unit=org.unit_a1, year=year, date=date.today(), role="Leder"
    )
    services.add_participant(org.leader_a1, review, person=org.employee_a1, role="Verneombud")
    review_b = services.start_review(
        org.leader_b1, unit=org.unit_b1, year=year, date=date.today(), role="Leder"
    )
    return {
        "mgmt_review": review,
        "mgmt_review_b": review_b,
        "mgmt_participant": review.participants.get(user=org.employee_a1),
    }


def _review(c, suffix=""):
    return f"/arshjul/gjennomganger/{c['mgmt_review'].pk}/{suffix}"


def _review_start_form(c):
    from datetime import date

    return {"unit": c["org"].unit_a1.pk, "year": date.today().year - 3, "date": "2026-02-01"}


def _decision_form(c):
    from datetime import date, timedelta

    return {
        "description": "Fast gjennomgang av avvik på personalmøtet",
        "responsible": c["org"].employee_a1.pk,
        "deadline": (date.today() + timedelta(days=30)).isoformat(),
    }


# Who sees Enhet A1's review: the leaders of Enhet A1 and above, the committee for Sektor A, its
# participants (employee_a1, the verneombud), advisors and administrators — not the members of
# the unit as such, nor anyone in Enhet B1.
REVIEW_VIEW = everyone(200, sibling_employee=404, sibling_leader=404)
# Who prepares it: the leaders of Enhet A1 and above, advisors and administrators; a participant
# and the committee see it but may not.
REVIEW_CHANGE = {**REVIEW_VIEW, "*": 403, "leader": 302, "advisor": 302, "admin": 302}
# Who signs it: the unit's own leader or deputy (the acting leader), administrators; not the
# sector leader above, not an advisor.
REVIEW_SIGN = {**REVIEW_CHANGE, "advisor": 403, "sector_leader": 403}
REVIEWS = ("mgmt_review", "mgmt_review_b")
REVIEWS_LISTED = {
    "*": (),
    "leader": ("mgmt_review",),
    "employee": ("mgmt_review",),
    "committee": ("mgmt_review",),
    "sector_leader": ("mgmt_review",),
    "deputy": ("mgmt_review",),
    "sibling_leader": ("mgmt_review_b",),
    "advisor": REVIEWS,
    "admin": REVIEWS,
}
# Leaders (of any unit), advisors and administrators start reviews.
REVIEW_STARTERS = STARTERS
# Starting one for Enhet A1: a sibling leader gets the form back with the error (400).
REVIEW_START_A1 = {
    **STARTERS,
    "leader": 302,
    "sector_leader": 302,
    "deputy": 302,
    "advisor": 302,
    "admin": 302,
    "sibling_leader": 400,
}
API_REVIEW_VIEW = {**REVIEW_VIEW, "anonymous": API_ANON}
API_REVIEW_CHANGE = {**REVIEW_CHANGE, "*": 403, "anonymous": API_ANON}


def _api_review(c, suffix=""):
    return f"/api/v1/reviews/{c['mgmt_review'].pk}/{suffix}"


REVIEW_ROWS = [
    Row(
        "annual_wheel:review_list",
        lambda c: "/arshjul/gjennomganger/",
        everyone(200),
        among=REVIEWS,
        shows=REVIEWS_LISTED,
    ),
    Row("annual_wheel:review_start", lambda c: "/arshjul/gjennomganger/ny/", REVIEW_STARTERS),
    Row(
        "annual_wheel:review_start",
        lambda c: "/arshjul/gjennomganger/ny/",
        REVIEW_START_A1,
        method="post",
        data=_review_start_form,
        label="for Enhet A1",
    ),
    Row("annual_wheel:review_detail", lambda c: _review(c), REVIEW_VIEW),
    Row(
        "annual_wheel:review_update",
        lambda c: _review(c, "endre/"),
        REVIEW_CHANGE,
        method="post",
        data=lambda c: {"date": "2026-02-01", "summary": "God nok"},
    ),
    Row(
        "annual_wheel:review_assess",
        lambda c: _review(c, "vurdering/deviations/"),
        REVIEW_CHANGE,
        method="post",
        data=lambda c: {"a-deviations-text": "Godt nok"},
    ),
    Row(
        "annual_wheel:review_participant",
        lambda c: _review(c, "deltakere/"),
        REVIEW_CHANGE,
        method="post",
        data=lambda c: {"person": c["org"].leader_a.pk, "role": "Kommunalsjef"},
    ),
    Row(
        "annual_wheel:review_participant_remove",
        lambda c: _review(c, f"deltakere/{c['mgmt_participant'].pk}/fjern/"),
        REVIEW_CHANGE,
        method="post",
    ),
    Row(
        "annual_wheel:review_decision",
        lambda c: _review(c, "vedtak/"),
        REVIEW_CHANGE,
        method="post",
        data=_decision_form,
    ),
    # Those who may sign are sent back to the page: the headings are not assessed yet.
    Row("annual_wheel:review_sign", lambda c: _review(c, "signer/"), REVIEW_SIGN, method="post"),
    Row("annual_wheel:review_pdf", lambda c: _review(c, "rapport.pdf"), REVIEW_VIEW),
    Row(
        "review-list",
        lambda c: "/api/v1/reviews/",
        everyone(200, anonymous=API_ANON),
        api=True,
        among=REVIEWS,
        shows=REVIEWS_LISTED,
    ),
    Row(
        "review-list",
        lambda c: "/api/v1/reviews/",
        everyone(
            403,
            anonymous=API_ANON,
            leader=201,
            sector_leader=201,
            deputy=201,
            advisor=201,
            admin=201,
        ),
        method="post",
        data=lambda c: {**_review_start_form(c), "role": "Leder"},
        api=True,
        label="for Enhet A1",
    ),
    Row("review-detail", lambda c: _api_review(c), API_REVIEW_VIEW, api=True),
    Row(
        "review-detail",
        lambda c: _api_review(c),
        {**API_REVIEW_CHANGE, "leader": 200, "advisor": 200, "admin": 200},
        method="patch",
        data=lambda c: {"summary": "God nok"},
        api=True,
    ),
    Row("review-agenda", lambda c: _api_review(c, "agenda/"), API_REVIEW_VIEW, api=True),
    Row(
        "review-assess",
        lambda c: _api_review(c, "assess/"),
        {**API_REVIEW_CHANGE, "leader": 200, "advisor": 200, "admin": 200},
        method="post",
        data=lambda c: {"section": "deviations", "text": "Godt nok"},
        api=True,
    ),
    Row(
        "review-participants",
        lambda c: _api_review(c, "participants/"),
        {**API_REVIEW_CHANGE, "leader": 200, "advisor": 200, "admin": 200},
        method="post",
        data=lambda c: {"user": c["org"].leader_a.pk, "role": "Kommunalsjef"},
        api=True,
    ),
    Row(
        "review-decisions",
        lambda c: _api_review(c, "decisions/"),
        {**API_REVIEW_CHANGE, "leader": 201, "advisor": 201, "admin": 201},
        method="post",
        data=lambda c: {
            "text": "Fast gjennomgang av avvik",
            "responsible": c["org"].employee_a1.pk,
            "deadline": _decision_form(c)["deadline"],
        },
        api=True,
    ),
    # Those who may sign get 409: the headings are not assessed yet.
    Row(
        "review-sign",
        lambda c: _api_review(c, "sign/"),
        {**REVIEW_SIGN, "anonymous": API_ANON, "leader": 409, "admin": 409},
        method="post",
        api=True,
    ),
]

ROWS += REVIEW_ROWS


# --- Committees and meetings ---------------------------------------------------------------------


def committee_objects(org, users) -> dict:
    """Sektor A's quality committee, chaired by the sector leader with the grantee (Enhet B1,
    tillitsvalgt) as member; a planned meeting with a referred case of Enhet A1 and a free item;
    a published meeting; a second case of Enhet A1 not referred anywhere."""
    from annual_wheel import services
    from annual_wheel.models import Committee, CommitteeMember
    from tests.annual_wheel.committee_helpers import held_with_decision, meeting_of, refer
    from tests.deviations.conftest import report

    committee = services.create_committee(
        org.advisor,
        name="Kvalitetsutvalget Sektor A",
        kind=Committee.Kind.QUALITY,
        unit=org.sector_a,
    )
    services.set_member(org.advisor, committee, org.leader_a, role=CommitteeMember.Role.CHAIR)
    services.set_member(
        org.advisor, committee, users["grantee"], role="member", representing="Tillitsvalgt"
    )
    meeting = meeting_of(committee, org.leader_a)
    referred = report(org, title="Meldt til utvalget")
    refer(meeting, referred, org.leader_a1)
    free_item = services.add_free_item(org.leader_a, meeting, title="Opplæring")
    published = meeting_of(committee, org.leader_a, days=1)
    services.add_free_item(org.leader_a, published, title="Årsrapport")
    services.approve_minutes(org.leader_a, held_with_decision(published, org.leader_a))
    services.publish_minutes(org.leader_a, published)
    return {
        "committee_obj": committee,
        "meeting": meeting,
        "meeting_pub": published,
        "free_item": free_item,
        "unreferred_case": report(org, title="Ikke meldt"),
    }


def _meeting(c, suffix="", key="meeting"):
    return f"/arshjul/moter/{c[key].pk}/{suffix}"


# Who has a seat or keeps the committee: the chair (the sector leader, who also leads its unit),
# the member (the grantee), advisors and administrators. Everyone else sees a planned meeting
# not at all.
ATTEND = {
    "*": 404,
    "anonymous": 302,
    "sector_leader": 200,
    "grantee": 200,
    "advisor": 200,
    "admin": 200,
}
# The published minutes are read in the committee's subtree (Sektor A: Enhet A1 and A2, the
# quality committee of Sektor A) and by those with a seat; not in Sektor B.
READERS = everyone(
    200, sibling_employee=404, sibling_leader=404, handler=200, foreign_responsible=200, grantee=200
)
# Writing the agenda and minutes: the keepers; the member sees the meeting but may not.
KEEP = {**ATTEND, "sector_leader": 302, "advisor": 302, "admin": 302, "grantee": 403}
KEEP_FORM = {**KEEP, "sector_leader": 200, "advisor": 200, "admin": 200}
MEETINGS = ("meeting", "meeting_pub")
MEETINGS_LISTED = {
    "*": ("meeting_pub",),
    "sibling_employee": (),
    "sibling_leader": (),
    "handler": ("meeting_pub",),
    "foreign_responsible": ("meeting_pub",),
    "grantee": MEETINGS,
    "sector_leader": MEETINGS,
    "advisor": MEETINGS,
    "admin": MEETINGS,
}


def _refer_url(c):
    return f"/arshjul/utvalg/meld/deviation/{c['unreferred_case'].pk}/"


# Referring the unreferred case of Enhet A1: whoever handles it (its leaders) and advisors; its
# reporter sees it but may not; everyone else does not see it.
REFER = everyone(
    404, employee=403, leader=200, sector_leader=200, deputy=200, advisor=200, admin=200
)


def _item_action_form(c):
    from datetime import timedelta

    from django.utils import timezone

    return {
        "description": "Opplæring for alle ledere",
        "responsible": c["org"].leader_a1.pk,
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }


COMMITTEE_ROWS = [
    Row(
        "annual_wheel:committee_list",
        lambda c: "/arshjul/utvalg/",
        everyone(200),
        among=MEETINGS,
        shows=MEETINGS_LISTED,
    ),
    Row(
        "annual_wheel:committee_detail",
        lambda c: f"/arshjul/utvalg/{c['committee_obj'].pk}/",
        everyone(200),
    ),
    # Planning a meeting: the committee's keepers.
    Row(
        "annual_wheel:committee_detail",
        lambda c: f"/arshjul/utvalg/{c['committee_obj'].pk}/",
        everyone(403, sector_leader=302, advisor=302, admin=302),
        method="post",
        data=lambda c: {"date": "2099-01-01", "place": "Rådhuset"},
    ),
    Row("annual_wheel:refer", _refer_url, REFER),
    Row(
        "annual_wheel:refer",
        _refer_url,
        {**REFER, "leader": 302, "sector_leader": 302, "deputy": 302, "advisor": 302, "admin": 302},
        method="post",
        data=lambda c: {"meeting": c["meeting"].pk, "title": "Sak", "summary": "Sammendrag"},
    ),
    Row("annual_wheel:meeting_detail", lambda c: _meeting(c), ATTEND),
    # Readers of the published minutes who have no seat are sent to the minutes.
    Row(
        "annual_wheel:meeting_detail",
        lambda c: _meeting(c, key="meeting_pub"),
        {
            **READERS,
            "*": 302,
            "handler": 302,
            "foreign_responsible": 302,
            "sector_leader": 200,
            "grantee": 200,
            "advisor": 200,
            "admin": 200,
        },
        label="published",
    ),
    Row(
        "annual_wheel:item_add",
        lambda c: _meeting(c, "sak/ny/"),
        KEEP,
        method="post",
        data=lambda c: {"title": "Eventuelt"},
    ),
    Row(
        "annual_wheel:meeting_publish_agenda",
        lambda c: _meeting(c, "sakliste/"),
        KEEP,
        method="post",
    ),
    Row("annual_wheel:meeting_hold", lambda c: _meeting(c, "avhold/"), KEEP, method="post"),
    # Approving: the chair only (not yet held: sent back with a message).
    Row(
        "annual_wheel:meeting_approve",
        lambda c: _meeting(c, "godkjenn/"),
        {**KEEP, "advisor": 403},
        method="post",
    ),
    Row("annual_wheel:meeting_publish", lambda c: _meeting(c, "publiser/"), KEEP, method="post"),
    Row(
        "annual_wheel:meeting_minutes", lambda c: _meeting(c, "protokoll/", "meeting_pub"), READERS
    ),
    # Before publishing, the minutes are a preview for those with a seat.
    Row(
        "annual_wheel:meeting_minutes",
        lambda c: _meeting(c, "protokoll/"),
        ATTEND,
        label="preview",
    ),
    Row(
        "annual_wheel:meeting_minutes_pdf",
        lambda c: _meeting(c, "protokoll.pdf", "meeting_pub"),
        READERS,
    ),
    Row(
        "annual_wheel:item_minutes",
        lambda c: f"/arshjul/moter/sak/{c['free_item'].pk}/vedtak/",
        KEEP_FORM,
    ),
    # Not held yet: the keepers get the form back with the state's message.
    Row(
        "annual_wheel:item_minutes",
        lambda c: f"/arshjul/moter/sak/{c['free_item'].pk}/vedtak/",
        {**KEEP, "sector_leader": 400, "advisor": 400, "admin": 400},
        method="post",
        data=lambda c: {"discussion": "", "decision": "Tatt til orientering"},
    ),
    Row(
        "annual_wheel:item_action",
        lambda c: f"/arshjul/moter/sak/{c['free_item'].pk}/tiltak/",
        KEEP_FORM,
    ),
    Row(
        "annual_wheel:item_action",
        lambda c: f"/arshjul/moter/sak/{c['free_item'].pk}/tiltak/",
        {**KEEP, "sector_leader": 400, "advisor": 400, "admin": 400},
        method="post",
        data=_item_action_form,
    ),
    Row(
        "committee-list",
        lambda c: "/api/v1/committees/",
        everyone(200, anonymous=API_ANON),
        api=True,
        among=("committee_obj",),
        shows={"*": ("committee_obj",)},
    ),
    Row(
        "committee-detail",
        lambda c: f"/api/v1/committees/{c['committee_obj'].pk}/",
        everyone(200, anonymous=API_ANON),
        api=True,
    ),
    Row(
        "meeting-list",
        lambda c: "/api/v1/meetings/",
        everyone(200, anonymous=API_ANON),
        api=True,
        among=MEETINGS,
        shows=MEETINGS_LISTED,
    ),
    Row(
        "meeting-list",
        lambda c: "/api/v1/meetings/",
        everyone(403, anonymous=API_ANON, sector_leader=201, advisor=201, admin=201),
        method="post",
        data=lambda c: {"committee": c["committee_obj"].pk, "date": "2099-01-01"},
        api=True,
    ),
    Row(
        "meeting-detail",
        lambda c: f"/api/v1/meetings/{c['meeting_pub'].pk}/",
        {**READERS, "anonymous": API_ANON},
        api=True,
    ),
    Row(
        "meeting-items",
        lambda c: f"/api/v1/meetings/{c['meeting'].pk}/items/",
        {**KEEP, "anonymous": API_ANON, "sector_leader": 201, "advisor": 201, "admin": 201},
        method="post",
        data=lambda c: {"title": "Eventuelt"},
        api=True,
    ),
    Row(
        "meeting-publish-agenda",
        lambda c: f"/api/v1/meetings/{c['meeting'].pk}/publish-agenda/",
        {**KEEP, "anonymous": API_ANON, "sector_leader": 200, "advisor": 200, "admin": 200},
        method="post",
        api=True,
    ),
    Row(
        "meeting-hold",
        lambda c: f"/api/v1/meetings/{c['meeting'].pk}/hold/",
        {**KEEP, "anonymous": API_ANON, "sector_leader": 200, "advisor": 200, "admin": 200},
        method="post",
        api=True,
    ),
    # The chair only; not held yet: 409.
    Row(
        "meeting-approve",
        lambda c: f"/api/v1/meetings/{c['meeting'].pk}/approve/",
        {**KEEP, "anonymous": API_ANON, "sector_leader": 409, "advisor": 403, "admin": 409},
        method="post",
        api=True,
    ),
    Row(
        "meeting-publish",
        lambda c: f"/api/v1/meetings/{c['meeting'].pk}/publish/",
        {**KEEP, "anonymous": API_ANON, "sector_leader": 409, "advisor": 409, "admin": 409},
        method="post",
        api=True,
    ),
]

ROWS += COMMITTEE_ROWS
