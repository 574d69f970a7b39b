"""Authorization rows for the risk module's pages and endpoints (see tests/authz.py).

The assessment lives in Enhet A1 (draft, one item above the threshold without a measure and
with an unaccepted residual risk). Members of the unit subtree (employee_a1) and of the units
above read it; its leaders (leader_a1, and leader_a/chief above) and named participants edit it;
advisors read everything, the committee reads Sektor A; the sibling unit sees nothing (404).
"""

from datetime import date

from tests.authz import API_ANON, LOGIN, Row, everyone

# Who may see the Enhet A1 assessment, and who may edit it.
VIEW = everyone(200, sibling_employee=404, sibling_leader=404)
EDIT = {
    "*": 403,
    "anonymous": LOGIN,
    "sibling_employee": 404,
    "sibling_leader": 404,
    "leader": 200,
    "admin": 200,
}


def _edit(status: int, anonymous: int = LOGIN) -> dict[str, int]:
    return {**EDIT, "leader": status, "admin": status, "anonymous": anonymous}


def _api_view(status: int = 200) -> dict[str, int]:
    return everyone(status, anonymous=API_ANON, sibling_employee=404, sibling_leader=404)


def _api_edit(status: int) -> dict[str, int]:
    return _edit(status, anonymous=API_ANON)


def objects(org, users):
    from deviations.models import Deviation
    from documents.models import Document
    from risk import services
    from risk.models import RiskDeviationLink, RiskDocumentLink

    assessment = services.create_assessment(
        actor=org.leader_a1,
        unit=org.unit_a1,
        title="Brann i skole",
        activity="Evakuering",
        assessed_on=date(2026, 11, 1),
        participants=[org.employee_a1x],
    )
    item = services.add_item(
        actor=org.leader_a1,
        assessment=assessment,
        hazard="Rømningsvei blokkert",
        probability=4,
        consequence_people=4,
        residual_probability=3,
        residual_consequence=5,
    )
    deviation = Deviation.objects.order_by("pk").first()
    if deviation is not None:
        RiskDeviationLink.objects.create(item=item, deviation=deviation)
    document = Document.objects.order_by("pk").first()
    if document is not None:
        RiskDocumentLink.objects.create(item=item, document=document)
    risk_b = services.create_assessment(
        actor=org.leader_b1,
        unit=org.unit_b1,
        title="Vold og trusler",
        activity="Hjemmebesøk",
        assessed_on=date(2026, 11, 1),
    )
    risk_b_item = services.add_item(
        actor=org.leader_b1,
        assessment=risk_b,
        hazard="Utagering",
        probability=2,
        consequence_people=2,
    )
    return {
        "risk": assessment,
        "risk_item": item,
        "risk_b": risk_b,
        "risk_b_item": risk_b_item,
        "risk_deviation": deviation,
        "risk_document": document,
    }


def _a(c) -> int:
    return c["risk"].pk


def _i(c) -> int:
    return c["risk_item"].pk


ASSESSMENTS = ("risk", "risk_b")
# Which assessments each role finds in the lists: its units' subtrees and those above
# (the A1 one by default), Enhet B1's for its members and leader, everything for advisors.
LISTED = {
    "*": ("risk",),
    "sibling_employee": ("risk_b",),
    "sibling_leader": ("risk_b",),
    "grantee": ("risk_b",),
    "handler": (),
    "foreign_responsible": (),
    "advisor": ASSESSMENTS,
    "admin": ASSESSMENTS,
}

ROWS = [
    Row("risk:index", lambda c: "/ros/", everyone(200), among=ASSESSMENTS, shows=LISTED),
    Row("risk:matrix", lambda c: "/ros/matrise/", everyone(200)),
    # Leaders create assessments for units they lead; others have no unit to choose.
    Row(
        "risk:create",
        lambda c: "/ros/ny/",
        everyone(200, employee=403, sibling_employee=403, advisor=403, committee=403),
    ),
    Row(
        "risk:create",
        lambda c: "/ros/ny/",
        everyone(200, employee=403, sibling_employee=403, advisor=403, committee=403),
        method="post",
        label="empty form",
    ),
    Row("risk:detail", lambda c: f"/ros/{_a(c)}/", VIEW),
    Row("risk:edit", lambda c: f"/ros/{_a(c)}/endre/", EDIT),
    Row("risk:edit", lambda c: f"/ros/{_a(c)}/endre/", EDIT, method="post", label="empty form"),
    # Activation of a draft with an untreated high risk is refused with a message (redirect).
    Row("risk:activate", lambda c: f"/ros/{_a(c)}/aktiver/", _edit(302), method="post"),
    Row("risk:archive", lambda c: f"/ros/{_a(c)}/arkiver/", _edit(302), method="post"),
    Row("risk:revise", lambda c: f"/ros/{_a(c)}/ny-revisjon/", _edit(302), method="post"),
    Row("risk:export_pdf", lambda c: f"/ros/{_a(c)}/ros.pdf", VIEW),
    Row("risk:export_xlsx", lambda c: f"/ros/{_a(c)}/ros.xlsx", VIEW),
    Row("risk:item_create", lambda c: f"/ros/{_a(c)}/risiko/ny/", EDIT),
    Row(
        "risk:item_create",
        lambda c: f"/ros/{_a(c)}/risiko/ny/",
        EDIT,
        method="post",
        label="empty form",
    ),
    Row("risk:item", lambda c: f"/ros/{_a(c)}/risiko/{_i(c)}/", VIEW),
    # Those who see the item but may not edit it are refused before the form is read.
    Row(
        "risk:item",
        lambda c: f"/ros/{_a(c)}/risiko/{_i(c)}/",
        EDIT,
        method="post",
        label="empty form",
    ),
    Row(
        "risk:item_delete",
        lambda c: f"/ros/{_a(c)}/risiko/{_i(c)}/slett/",
        _edit(302),
        method="post",
    ),
    # Formal acceptance is the leader's act: a participant may edit but not accept.
    Row(
        "risk:item_accept",
        lambda c: f"/ros/{_a(c)}/risiko/{_i(c)}/aksepter/",
        _edit(302),
        method="post",
        data=lambda c: {"reason": "Akseptert etter vurdering"},
    ),
    # An empty measure form is shown again with its errors.
    Row(
        "risk:measure_create",
        lambda c: f"/ros/{_a(c)}/risiko/{_i(c)}/tiltak/",
        _edit(400),
        method="post",
    ),
    Row(
        "risk:link_deviation",
        lambda c: f"/ros/{_a(c)}/risiko/{_i(c)}/avvik/",
        _edit(302),
        method="post",
        data=lambda c: {"deviation": "AV-0000-00000"},
    ),
    Row(
        "risk:unlink_deviation",
        lambda c: (
            f"/ros/{_a(c)}/risiko/{_i(c)}/avvik/{c['risk_deviation'].pk if c['risk_deviation'] else 999999}/fjern/"
        ),
        _edit(302),
        method="post",
    ),
    Row(
        "risk:link_document",
        lambda c: f"/ros/{_a(c)}/risiko/{_i(c)}/dokument/",
        _edit(302),
        method="post",
        data=lambda c: {"document": "RUT-9999"},
    ),
    Row(
        "risk:unlink_document",
        lambda c: (
            f"/ros/{_a(c)}/risiko/{_i(c)}/dokument/{c['risk_document'].pk if c['risk_document'] else 999999}/fjern/"
        ),
        _edit(302),
        method="post",
    ),
    # API
    Row(
        "riskassessment-list",
        lambda c: "/api/v1/risk-assessments/",
        everyone(200, anonymous=API_ANON),
        api=True,
        among=ASSESSMENTS,
        shows=LISTED,
    ),
    Row(
        "riskassessment-list",
        lambda c: "/api/v1/risk-assessments/",
        _api_edit(201) | {"sibling_employee": 403, "sibling_leader": 403},
        method="post",
        api=True,
        label="create in Enhet A1",
        data=lambda c: {
            "title": "Ny analyse",
            "unit": c["org"].unit_a1.pk,
            "activity": "Turer",
            "assessed_on": "2026-11-20",
        },
    ),
    Row(
        "riskassessment-detail",
        lambda c: f"/api/v1/risk-assessments/{_a(c)}/",
        _api_view(),
        api=True,
    ),
    Row(
        "riskassessment-detail",
        lambda c: f"/api/v1/risk-assessments/{_a(c)}/",
        _api_edit(200),
        method="patch",
        api=True,
        data=lambda c: {"title": "Nytt navn"},
    ),
    # Refused while the high risk has no measure: the state refuses it, 409 with the reason.
    Row(
        "riskassessment-activate",
        lambda c: f"/api/v1/risk-assessments/{_a(c)}/activate/",
        _api_edit(409),
        method="post",
        api=True,
    ),
    Row(
        "riskitem-list",
        lambda c: f"/api/v1/risk-assessments/{_a(c)}/items/",
        _api_view(),
        api=True,
        among=("risk_item", "risk_b_item"),
        shows={"*": ("risk_item",)},
    ),
    Row(
        "riskitem-list",
        lambda c: f"/api/v1/risk-assessments/{_a(c)}/items/",
        _api_edit(201),
        method="post",
        api=True,
        data=lambda c: {"hazard": "Fall", "probability": 2, "consequence_people": 3},
    ),
    Row(
        "riskitem-detail",
        lambda c: f"/api/v1/risk-assessments/{_a(c)}/items/{_i(c)}/",
        _api_view(),
        api=True,
    ),
    Row(
        "riskitem-detail",
        lambda c: f"/api/v1/risk-assessments/{_a(c)}/items/{_i(c)}/",
        _api_edit(200),
        method="patch",
        api=True,
        data=lambda c: {"probability": 2},
    ),
    Row(
        "riskitem-detail",
        lambda c: f"/api/v1/risk-assessments/{_a(c)}/items/{_i(c)}/",
        _api_edit(204),
        method="delete",
        api=True,
    ),
]
