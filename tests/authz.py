"""The authorization matrix: one row per URL pattern, the expected status for every role.

Each module adds ``tests/<app>/authz.py`` with ``ROWS`` (a list of :class:`Row`) and optionally
``objects(org) -> dict`` building the objects its rows address. ``test_authorization_matrix``
collects them all and fails when a URL pattern of the project has no row.

Roles (users from ``tests.conftest.org``):
  anonymous; employee (employee_a1, in Enhet A1); sibling_employee (employee_b1, Enhet B1);
  leader (leader_a1, leads Enhet A1); sibling_leader (leader_b1, leads Enhet B1);
  advisor (quality_advisor); committee (quality_committee for Sektor A); admin (superuser).
"""

from __future__ import annotations

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
]

ROLE_USER = {
    "employee": "employee_a1",
    "sibling_employee": "employee_b1",
    "leader": "leader_a1",
    "sibling_leader": "leader_b1",
    "advisor": "advisor",
    "committee": "committee",
    "admin": "admin",
}

LOGIN = 302  # browser pages send anonymous users to the login page
API_ANON = 403  # DRF with session auth first answers 403 to anonymous requests


@dataclass
class Row:
    name: str  # URL pattern name, e.g. "deviations:detail" or "deviation-list"
    url: Callable[[dict], str]  # ctx -> path
    expect: dict[str, int]  # role -> status; "*" is the default for roles not listed
    method: str = "get"
    data: Callable[[dict], dict] | None = None
    api: bool = False
    label: str = ""  # tells rows for the same name apart (object relation)
    extra: dict = field(default_factory=dict)

    def status_for(self, role: str) -> int:
        if role in self.expect:
            return self.expect[role]
        return self.expect["*"]

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{' ' + self.label if self.label else ''}"


def everyone(status: int, anonymous: int = LOGIN, **overrides: int) -> dict[str, int]:
    return {"*": status, "anonymous": anonymous, **overrides}


# Patterns with no row, and why.
EXEMPT_PREFIXES = ("admin:",)  # the Django admin guards itself (is_staff) and is tested there
EXEMPT = {
    "set_language": "public by design: changes only the caller's language cookie",
    "password_reset_confirm": "reachable only with a one-time token; tested in test_accounts",
    "api-root": "DRF's browsable index of the API routes",
}
