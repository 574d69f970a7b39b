"""Build the reference data set of docs/design.md §11 with bulk inserts.

200 units, 5,000 users (the organisation part lives here; each module adds its rows through a
``build_<module>(ref, scale)`` function below). ``scale`` shrinks everything proportionally for a
quick run (``--scale 0.01``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction

from qms.models import Membership, OrgUnit, User

BATCH = 5000


@dataclass
class Reference:
    units: list[OrgUnit] = field(default_factory=list)
    leaf_units: list[OrgUnit] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    leaders: dict[int, User] = field(default_factory=dict)  # unit id -> leader
    members: dict[int, list[int]] = field(default_factory=dict)  # unit id -> user ids
    sector_leader: User | None = None
    advisor: User | None = None
    employee: User | None = None
    rng: random.Random = field(default_factory=lambda: random.Random(2026))  # noqa: S311


def _path(parent_path: str, position: int) -> str:
    return parent_path + OrgUnit._get_path(None, 1, position)


@transaction.atomic
def build_org(users: int = 5000) -> Reference:
    ref = Reference()
    # 1 municipality + 8 sectors x 12 units + a department under the first 95 units = 200.
    rows: list[OrgUnit] = []
    root = OrgUnit(
        path=_path("", 1),
        depth=1,
        numchild=8,
        name="Referansekommune",
        kind="municipality",
        code="ref",
        headcount=users,
    )
    rows.append(root)
    departments = 95
    for s in range(1, 9):
        sector = OrgUnit(
            path=_path(root.path, s),
            depth=2,
            numchild=12,
            name=f"Sektor {s}",
            kind="sector",
            code=f"ref-s{s}",
        )
        rows.append(sector)
        for u in range(1, 13):
            has_dept = departments > 0
            departments -= int(has_dept)
            unit = OrgUnit(
                path=_path(sector.path, u),
                depth=3,
                numchild=int(has_dept),
                name=f"Enhet {s}.{u}",
                kind="unit",
                code=f"ref-s{s}-u{u}",
            )
            rows.append(unit)
            if has_dept:
                rows.append(
                    OrgUnit(
                        path=_path(unit.path, 1),
                        depth=4,
                        numchild=0,
                        name=f"Avdeling {s}.{u}.1",
                        kind="department",
                        code=f"ref-s{s}-u{u}-d1",
                    )
                )
    OrgUnit.objects.bulk_create(rows, batch_size=BATCH)
    ref.units = list(OrgUnit.objects.filter(code__startswith="ref").order_by("path"))
    ref.leaf_units = [u for u in ref.units if u.numchild == 0]

    password = make_password("bench-passord")
    User.objects.bulk_create(
        [
            User(
                username=f"bench{i:05d}",
                first_name="Bruker",
                last_name=f"{i:05d}",
                email=f"bench{i:05d}@ref.kommune.no",
                password=password,
            )
            for i in range(users)
        ],
        batch_size=BATCH,
    )
    ref.users = list(User.objects.filter(username__startswith="bench").order_by("username"))
    memberships = []
    for unit, leader in zip(ref.units, ref.users, strict=False):
        memberships.append(Membership(user=leader, unit=unit, role="leader"))
        ref.leaders[unit.pk] = leader
    staff = ref.users[len(ref.units) :]
    for i, user in enumerate(staff):
        unit = ref.leaf_units[i % len(ref.leaf_units)]
        memberships.append(Membership(user=user, unit=unit, role="employee"))
        ref.members.setdefault(unit.pk, []).append(user.pk)
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    ref.sector_leader = ref.leaders[ref.units[1].pk]
    ref.advisor = staff[-1]
    ref.advisor.groups.add(Group.objects.get_or_create(name="quality_advisor")[0])
    ref.employee = staff[0]
    return ref


def load_org() -> Reference | None:
    """The reference organisation of an earlier build, read back (``bench --reuse``)."""
    ref = Reference()
    ref.units = list(OrgUnit.objects.filter(code__startswith="ref").order_by("path"))
    if not ref.units:
        return None
    ref.leaf_units = [u for u in ref.units if u.numchild == 0]
    ref.users = list(User.objects.filter(username__startswith="bench").order_by("username"))
    rows = Membership.objects.filter(user__username__startswith="bench").values_list(
        "unit_id", "user_id", "role"
    )
    users = {u.pk: u for u in ref.users}
    for unit_id, user_id, role in rows.order_by("user__username"):
        if role == "leader":
            ref.leaders[unit_id] = users[user_id]
        else:
            ref.members.setdefault(unit_id, []).append(user_id)
    ref.sector_leader = ref.leaders[ref.units[1].pk]
    staff = ref.users[len(ref.units) :]
    ref.advisor = staff[-1]
    ref.employee = staff[0]
    return ref


def analyze() -> None:
    """The reference data as a database in use has it: autovacuum (on by default in
    PostgreSQL, but often off on test servers) would have vacuumed and analysed tables this
    size, setting the visibility maps that index-only scans need. Without it a count over an
    index still reads every heap page it names."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


# Each module has its own ``bench/<module>.py`` that appends to these lists when imported
# (load_modules() imports them in dependency order): (name, builder(ref, scale) -> summary),
# targets(ref) yielding (label, user, path, bare_sql), and extra timed measurements
# (statistics, sweeps, PDF) yielding Result rows.
MODULE_BUILDERS: list = []
MODULE_TARGETS: list = []
EXTRA: list = []

BENCH_MODULES = ["documents", "deviations", "risk", "annual_wheel", "reports", "control_report"]


def load_modules() -> None:
    from importlib import import_module

    for module in BENCH_MODULES:
        try:
            import_module(f"bench.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"bench.{module}":
                raise


def extra_measurements(ref: Reference, only: str = ""):
    from bench import harness

    harness.ONLY = only
    for func in EXTRA:
        for line in func(ref):
            if line is not None:
                yield line
