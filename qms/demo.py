"""The demo organisation "Eksempel kommune" (used by ``manage.py seed_demo``).

Idempotent: units are found by code and users by username, so running it twice changes nothing.
Each module adds its own demo data in ``<app>/demo.py`` with a ``seed(org)`` function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone

from qms.models import Membership, OrgUnit, User
from qms.provisioning import MANAGED_ROLES

DEMO_PASSWORD = "demo-kvalitet-2026"

# (code, name, kind, headcount, children)
TREE = (
    "eksempel",
    "Eksempel kommune",
    "municipality",
    1450,
    [
        (
            "oppvekst",
            "Oppvekst og læring",
            "sector",
            520,
            [
                (
                    "solbakken-skole",
                    "Solbakken skole",
                    "unit",
                    85,
                    [
                        ("solbakken-1-4", "Solbakken skole, 1.–4. trinn", "department", 40, []),
                        ("solbakken-5-7", "Solbakken skole, 5.–7. trinn", "department", 38, []),
                    ],
                ),
                ("eikelund-bhg", "Eikelund barnehage", "unit", 32, []),
                ("ppt", "PP-tjenesten", "unit", 14, []),
            ],
        ),
        (
            "helse",
            "Helse og mestring",
            "sector",
            610,
            [
                (
                    "solheim-sykehjem",
                    "Solheim sykehjem",
                    "unit",
                    140,
                    [
                        ("solheim-skjermet", "Skjermet avdeling", "department", 35, []),
                        ("solheim-korttid", "Korttidsavdelingen", "department", 42, []),
                    ],
                ),
                (
                    "hjemmetjenesten",
                    "Hjemmetjenesten",
                    "unit",
                    120,
                    [
                        ("hjemme-nord", "Hjemmetjenesten sone nord", "department", 55, []),
                        ("hjemme-sor", "Hjemmetjenesten sone sør", "department", 58, []),
                    ],
                ),
                ("legevakt", "Legevakten", "unit", 28, []),
            ],
        ),
        (
            "teknisk",
            "Teknisk drift",
            "sector",
            180,
            [
                ("vei-park", "Vei og park", "unit", 45, []),
                ("vann-avlop", "Vann og avløp", "unit", 38, []),
                ("eiendom", "Eiendom", "unit", 60, []),
            ],
        ),
        (
            "stab",
            "Stab og støtte",
            "sector",
            95,
            [
                ("hr", "HR og organisasjon", "unit", 18, []),
                ("okonomi", "Økonomi", "unit", 22, []),
                ("it", "IT", "unit", 16, []),
            ],
        ),
    ],
)

# Units without a leader of their own: deviations there go to the nearest leader above.
WITHOUT_LEADER = {"solheim-korttid", "hjemme-sor", "solbakken-5-7"}

FIRST = [
    "Kari",
    "Ola",
    "Ingrid",
    "Per",
    "Anne",
    "Lars",
    "Marit",
    "Knut",
    "Solveig",
    "Jon",
    "Liv",
    "Bjørn",
    "Hilde",
    "Arne",
    "Randi",
    "Erik",
    "Turid",
    "Geir",
    "Sigrid",
    "Tor",
    "Nina",
    "Odd",
    "Hanne",
    "Svein",
    "Berit",
    "Trond",
    "Mona",
    "Even",
    "Astrid",
    "Rune",
    "Silje",
    "Magnus",
    "Ragnhild",
    "Henrik",
    "Eli",
    "Øystein",
    "Camilla",
    "Stian",
    "Gunn",
    "Espen",
    "Line",
    "Vidar",
]
LAST = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Henriksen",
    "Lund",
    "Sørensen",
    "Jakobsen",
    "Moen",
    "Gundersen",
    "Iversen",
    "Strand",
    "Solberg",
    "Svendsen",
    "Eide",
    "Knutsen",
    "Martinsen",
    "Paulsen",
    "Bakken",
    "Kristoffersen",
    "Mathisen",
    "Lie",
    "Amundsen",
    "Nguyen",
]


@dataclass
class DemoOrg:
    """What module seeders get: the units by code and the key demo users by role."""

    units: dict[str, OrgUnit] = field(default_factory=dict)
    leaders: dict[str, User] = field(default_factory=dict)  # unit code -> leader
    employees: dict[str, list[User]] = field(default_factory=dict)  # unit code -> employees
    advisors: list[User] = field(default_factory=list)
    committee: list[User] = field(default_factory=list)
    admin: User | None = None
    logins: list[tuple[str, str]] = field(default_factory=list)  # (username, description)

    @property
    def root(self) -> OrgUnit:
        return self.units["eksempel"]

    def all_users(self) -> list[User]:
        seen: dict[int, User] = {}
        for user in [*self.leaders.values(), *self.advisors, *self.committee]:
            seen[user.pk] = user
        for users in self.employees.values():
            for user in users:
                seen[user.pk] = user
        return list(seen.values())


_password_hash: list[str] = []


def _demo_password_hash() -> str:
    # Argon2 is slow on purpose; the demo users share one hash so seeding stays quick.
    if not _password_hash:
        _password_hash.append(make_password(DEMO_PASSWORD))
    return _password_hash[0]


def _user(username: str, first: str, last: str, title: str, created: list) -> User:
    user, made = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@eksempel.kommune.no",
            "job_title": title,
        },
    )
    if made:
        user.password = _demo_password_hash()
        # The employee number HR provisioning would set; single sign-on matches on it.
        user.external_id = str(700000 + user.pk)
        user.save(update_fields=["password", "external_id"])
        created.append(user)
    return user


def _units(node, parent: OrgUnit | None, org: DemoOrg) -> None:
    code, name, kind, headcount, children = node
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        fields = {"code": code, "name": name, "kind": kind, "headcount": headcount}
        unit = (
            OrgUnit.objects.add_child(parent, fields)
            if parent
            else OrgUnit.objects.add_root(fields)
        )
        if parent is not None:
            parent.refresh_from_db()
    org.units[code] = unit
    for child in children:
        _units(child, unit, org)


@transaction.atomic
def seed_organisation() -> DemoOrg:
    org = DemoOrg()
    _units(TREE, None, org)
    # treebeard keeps siblings sorted by name, so adding a unit can shift the paths of units
    # created before it: re-read them all so every DemoOrg unit carries its current path.
    org.units = {u.code: u for u in OrgUnit.objects.filter(code__in=list(org.units))}
    created: list[User] = []
    names = iter(
        (f, ln)
        for i in range(400)
        for f, ln in [(FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)])]
    )

    def next_name() -> tuple[str, str]:
        return next(names)

    # Leaders: the chief executive, every sector and unit, departments unless listed above.
    titles = {
        "municipality": "Kommunedirektør",
        "sector": "Kommunalsjef",
        "unit": "Enhetsleder",
        "department": "Avdelingsleder",
    }
    for code, unit in org.units.items():
        if code in WITHOUT_LEADER:
            continue
        first, last = next_name()
        username = "leder" if code == "solheim-sykehjem" else f"leder.{code}"
        user = _user(username, first, last, titles[unit.kind], created)
        Membership.objects.get_or_create(user=user, unit=unit, role=Membership.Role.LEADER)
        org.leaders[code] = user

    # Employees: two or three in every unit that is not a sector or the municipality.
    for code, unit in org.units.items():
        if unit.kind in (OrgUnit.Kind.MUNICIPALITY, OrgUnit.Kind.SECTOR):
            continue
        count = 3 if unit.kind == OrgUnit.Kind.DEPARTMENT or not unit.numchild else 1
        staff = []
        for i in range(1, count + 1):
            first, last = next_name()
            username = "ansatt" if code == "solheim-skjermet" and i == 1 else f"ansatt.{code}.{i}"
            user = _user(username, first, last, "Medarbeider", created)
            Membership.objects.get_or_create(user=user, unit=unit, role=Membership.Role.EMPLOYEE)
            staff.append(user)
        org.employees[code] = staff

    # A safety representative and a deputy at the nursing home.
    safety = org.employees["solheim-skjermet"][1]
    Membership.objects.get_or_create(
        user=safety, unit=org.units["solheim-sykehjem"], role=Membership.Role.SAFETY_REP
    )
    deputy = org.employees["solheim-korttid"][0]
    Membership.objects.get_or_create(
        user=deputy, unit=org.units["solheim-sykehjem"], role=Membership.Role.DEPUTY
    )

    advisor_group = Group.objects.get_or_create(name="quality_advisor")[0]
    committee_group = Group.objects.get_or_create(name="quality_committee")[0]
    admin_group = Group.objects.get_or_create(name="admin")[0]
    for username in ["radgiver", "radgiver.hms"]:
        first, last = next_name()
        user = _user(username, first, last, "Kvalitetsrådgiver", created)
        user.groups.add(advisor_group)
        Membership.objects.get_or_create(
            user=user, unit=org.units["stab"], role=Membership.Role.EMPLOYEE
        )
        org.advisors.append(user)
    for username, scope in [
        ("utvalg", "eksempel"),
        ("utvalg.helse", "helse"),
        ("utvalg.oppvekst", "oppvekst"),
    ]:
        first, last = next_name()
        user = _user(username, first, last, "Medlem av kvalitetsutvalget", created)
        user.groups.add(committee_group)
        Membership.objects.get_or_create(
            user=user, unit=org.units[scope], role=Membership.Role.COMMITTEE
        )
        org.committee.append(user)
    admin_user = _user("admin", "Sara", "Systemansvarlig", "Systemansvarlig", created)
    admin_user.is_staff = True
    admin_user.is_superuser = True
    admin_user.save(update_fields=["is_staff", "is_superuser"])
    admin_user.groups.add(admin_group)
    Membership.objects.get_or_create(
        user=admin_user, unit=org.units["it"], role=Membership.Role.EMPLOYEE
    )
    org.admin = admin_user

    _as_if_from_hr(org)
    org.logins = [
        ("ansatt", "ansatt på Skjermet avdeling, Solheim sykehjem"),
        ("leder", "enhetsleder for Solheim sykehjem"),
        ("leder.helse", "kommunalsjef for Helse og mestring"),
        ("leder.eksempel", "kommunedirektør (godkjenner rapporten om internkontroll)"),
        ("radgiver", "kvalitetsrådgiver (ser alt)"),
        ("utvalg", "medlem av kvalitetsutvalget (hele kommunen)"),
        ("admin", "systemansvarlig (Django-admin på /admin/)"),
        (safety.username, "verneombud for Solheim sykehjem (HMS-saker og HMS-statistikk)"),
    ]
    _seed_handbook_roles(org, next_name, created)
    _seed_absence(org)
    return org


def _seed_handbook_roles(org: DemoOrg, next_name, created: list) -> None:
    """The roles the handbooks name (docs/design.md §1), each with a demo login."""
    people = [
        (
            "hovedverneombud",
            "Hovedverneombud",
            org.root,
            Membership.Role.MAIN_SAFETY_REP,
            "hovedverneombud (HMS-saker og HMS-statistikk for hele kommunen)",
        ),
        (
            "tillitsvalgt",
            "Hovedtillitsvalgt",
            org.root,
            Membership.Role.UNION_REP,
            "hovedtillitsvalgt (HMS-statistikk)",
        ),
        (
            "amu",
            "Medlem av AMU",
            org.root,
            Membership.Role.WORK_ENVIRONMENT,
            "medlem av arbeidsmiljøutvalget (HMS-statistikk)",
        ),
        (
            "kontrollutvalg",
            "Leder av kontrollutvalget",
            org.root,
            Membership.Role.CONTROL_COMMITTEE,
            "kontrollutvalget (publiserte dokumenter, statistikk og rapporter)",
        ),
        (
            "folkevalgt",
            "Kommunestyremedlem",
            org.root,
            Membership.Role.ELECTED,
            "kommunestyremedlem (publiserte dokumenter, statistikk og rapporter)",
        ),
        (
            "koordinator.helse",
            "Kvalitetskoordinator",
            org.units["helse"],
            Membership.Role.COORDINATOR,
            "kvalitetskoordinator for Helse og mestring (rådgiverens rettigheter der)",
        ),
    ]
    for username, title, unit, role, description in people:
        first, last = next_name()
        user = _user(username, first, last, title, created)
        Membership.objects.get_or_create(user=user, unit=unit, role=role)
        org.logins.append((username, description))


def _seed_absence(org: DemoOrg) -> None:
    """The home care leader is on holiday: new cases go to the unit's standing deputy."""
    from qms.models import Absence

    code = "hjemmetjenesten"
    leader = org.leaders.get(code)
    if leader is None:
        return
    deputy = org.employees["hjemme-nord"][0]
    Membership.objects.get_or_create(user=deputy, unit=org.units[code], role=Membership.Role.DEPUTY)
    today = timezone.localdate()
    Absence.objects.get_or_create(
        user=leader,
        defaults={
            "starts": today - timedelta(days=3),
            "ends": today + timedelta(days=11),
            "note": "Sommerferie",
        },
    )
    org.logins.append(
        (leader.username, f"enhetsleder for Hjemmetjenesten, på ferie (stedfortreder: {deputy})")
    )


def _as_if_from_hr(org: DemoOrg) -> None:
    """The demo organisation as if it came from the HR system: each unit's HR code is its code,
    and everyone with a place in a unit has an employee number (10001, 10002, … by username).
    docs/examples/hr-*.csv is the HR system's export after a reorganisation: import it on
    /enheter/import/ to see units created, renamed, moved and closed and people join, move and
    leave."""
    OrgUnit.objects.filter(code__in=list(org.units), external_id__isnull=True).update(
        external_id=models.F("code")
    )
    staff = User.objects.filter(memberships__role__in=MANAGED_ROLES).distinct().order_by("username")
    for number, user in enumerate(staff, start=10001):
        if user.employee_number is None:
            User.objects.filter(pk=user.pk).update(employee_number=str(number))
