"""The authorization matrix: rows keyed by (route, method), the expected status for every role.

Each module adds ``tests/<app>/authz.py`` with ``ROWS`` (a list of :class:`Row`) and optionally
``objects(org, users) -> dict`` building the objects its rows address. ``test_authorization_matrix``
collects them all and fails when a method a route accepts has no row.

Roles (``tests.conftest`` users, plus the relation users :func:`role_users` adds):
  anonymous; employee (employee_a1, in Enhet A1: reports the cases, author of the documents);
  sibling_employee (employee_b1, Enhet B1); leader (leader_a1, leads Enhet A1); sibling_leader
  (leader_b1, leads Enhet B1); advisor (quality_advisor); committee (quality_committee for
  Sektor A); admin (superuser);
  handler (member of Enhet A2, named handler of the A1 case ``dev_case``);
  foreign_responsible (member of Enhet A2, responsible of an action on ``dev_case``);
  grantee (member of Enhet B1, ``dev_case`` shared with them through django-guardian);
  sector_leader (leader_a, leads Sektor A: two levels above Avdeling A1x);
  deputy (deputy of Enhet A1: Membership role "deputy").
The roles the handbooks name (docs/design.md §1), each an employee of Enhet B1 (so, apart from
  the role, what the sibling employee is) with the role: safety_rep (verneombud of Enhet A1: its
  HMS cases without personal data, its HMS statistics); main_safety_rep (hovedverneombud of the
  municipality); union_rep (tillitsvalgt) and amu (AMU member) of the municipality: HMS
  statistics only; control_committee (kontrollutvalg) and elected (folkevalgt) of the
  municipality: read-only published documents, statistics and reports. The quality coordinator
  is pinned in tests/deviations/test_roles.py.

A relation holds for one object only; everywhere else the relation users are what they are by
membership (:data:`FALLBACK`, used for the status of a role a row does not name): to Enhet A1's
objects the handler, the foreign responsible and the grantee are outsiders like the sibling
employee; the deputy and the sector leader lead Enhet A1 like its leader. List rows name every
role whose list differs from "*" (objects of Enhet B1 tell an A2 member from a B1 member).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = [
    "anonymous",
    "employee",
    "sibling_employee",
    "leader",
    "sibling_leader",
    "advisor",
    "committee",
    "admin",
    "handler",
    "foreign_responsible",
    "grantee",
    "sector_leader",
    "deputy",
    "safety_rep",
    "main_safety_rep",
    "union_rep",
    "amu",
    "control_committee",
    "elected",
]
# The handbook roles: employees of Enhet B1 with a role that gives rights only.
HANDBOOK_ROLES = (
    "safety_rep",
    "main_safety_rep",
    "union_rep",
    "amu",
    "control_committee",
    "elected",
)
HMS_STATISTICS_ROLES = ("safety_rep", "main_safety_rep", "union_rep", "amu")
READER_ROLES = ("control_committee", "elected")

ROLE_USER = {
    "employee": "employee_a1",
    "sibling_employee": "employee_b1",
    "leader": "leader_a1",
    "sibling_leader": "leader_b1",
    "advisor": "advisor",
    "committee": "committee",
    "admin": "admin",
    "sector_leader": "leader_a",
}

# What a relation role is outside its relation (used when a row does not list the role).
FALLBACK = {
    "handler": "sibling_employee",
    "foreign_responsible": "sibling_employee",
    "grantee": "sibling_employee",
    "sector_leader": "leader",
    "deputy": "leader",
    **dict.fromkeys(HANDBOOK_ROLES, "sibling_employee"),
}

LOGIN = 302  # browser pages send anonymous users to the login page
API_ANON = 403  # DRF with session auth first answers 403 to anonymous requests


def role_users(org) -> dict:
    """Every role's user; the relation users are created here (their relations in the modules)."""
    from tests.conftest import make_user

    users = {role: getattr(org, attr) for role, attr in ROLE_USER.items()}
    users["handler"] = make_user("handler_a2", org.unit_a2)
    users["foreign_responsible"] = make_user("responsible_a2", org.unit_a2)
    users["grantee"] = make_user("grantee_b1", org.unit_b1)
    users["deputy"] = make_user("deputy_a1", org.unit_a1, "deputy")
    from qms.models import Membership

    for role, username, unit in [
        ("safety_rep", "verneombud_a1", org.unit_a1),
        ("main_safety_rep", "hovedverneombud", org.root),
        ("union_rep", "tillitsvalgt", org.root),
        ("amu", "amu_medlem", org.root),
        ("control_committee", "kontrollutvalg", org.root),
        ("elected", "folkevalgt", org.root),
    ]:
        users[role] = make_user(username, org.unit_b1)
        Membership.objects.create(user=users[role], unit=unit, role=role)
    return users


@dataclass
class Row:
    name: str  # URL pattern name, e.g. "deviations:detail" or "deviation-list"
    url: Callable[[dict], str]  # ctx -> path
    expect: dict[str, int]  # role -> status; "*" is the default for roles not listed
    method: str = "get"
    data: Callable[[dict], dict] | None = None
    api: bool = False
    multipart: bool = False  # an API upload: the body is multipart, not JSON
    label: str = ""  # tells rows for the same name apart (object relation)
    # A list row: ``among`` names the objects (context keys) the list is checked for, ``shows``
    # which of them each role must see ("*" the default); the others must be absent.
    among: tuple[str, ...] = ()
    shows: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # How an HTML list names an object: by default a link to its page.
    marker: Callable[[object], str] = lambda obj: f'href="{obj.get_absolute_url()}"'

    def __post_init__(self):
        assert bool(self.among) == bool(self.shows), f"{self.id}: among and shows go together"
        for keys in self.shows.values():
            assert set(keys) <= set(self.among), f"{self.id}: shows names objects not in among"

    def _lookup(self, table: dict, role: str):
        if role in table:
            return table[role]
        if FALLBACK.get(role) in table:
            return table[FALLBACK[role]]
        return table["*"]

    def status_for(self, role: str) -> int:
        return self._lookup(self.expect, role)

    def visible_for(self, role: str) -> set[str]:
        if role not in self.shows and role in HANDBOOK_ROLES:
            # An employee of Enhet B1 apart from the role: the sibling employee's list.
            role = FALLBACK[role]
        return set(self.shows[role] if role in self.shows else self.shows["*"])

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{' ' + self.label if self.label else ''}"


def listed(response, obj, row: Row) -> bool:
    """True when a list response names ``obj``: its id in the API's results, the row's marker
    (a link to its page) in HTML."""
    if row.api:
        data = json.loads(response.content)
        items = data["results"] if isinstance(data, dict) else data
        return obj.pk in {item["id"] for item in items}
    return row.marker(obj) in response.content.decode()


def everyone(status: int, anonymous: int = LOGIN, **overrides: int) -> dict[str, int]:
    return {"*": status, "anonymous": anonymous, **overrides}


# Patterns with no row, and why.
EXEMPT_PREFIXES = ("admin:",)  # the Django admin guards itself (is_staff) and is tested there
EXEMPT = {
    "set_language": "public by design: changes only the caller's own language (cookie, profile)",
    "password_reset_confirm": "reachable only with a one-time token; tested in test_accounts",
    "api-root": "DRF's browsable index of the API routes",
    "account_login": "the name allauth redirects to; the same URL and view as login",
    "account_logout": "the name allauth's forms post to; the same URL and view as logout",
}
# Methods no route needs a row for: HEAD is answered as GET (Django and DRF run the GET handler),
# OPTIONS describes the route and runs no handler.
IMPLIED_METHODS = {"head", "options", "trace"}
