"""Import of the organisation and its people from an HR export (CSV or XLSX), with a dry run.

Two tables, each a CSV or XLSX file with a header row (docs/operations.md lists the columns):
units (enhetskode, navn, overordnet, leder ansattnr, nivå) and people (ansattnr, navn or
fornavn/etternavn, e-post, enhetskode, rolle, stilling). Either may be left out: without the
units table units are only looked up, without the people table nobody joins, moves or leaves.

:func:`plan` reads and checks everything and returns a :class:`Plan` — the dry-run diff, or the
list of bad rows (then nothing may be applied). :func:`apply` carries a plan out in one
transaction through ``qms.provisioning``; running the same files again finds nothing to do.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from qms import provisioning
from qms.models import Handover, Membership, OrgUnit, User

SOURCE = "hr_import"
MAX_ROWS = 50_000

UNIT_COLUMNS = {
    "code": ("enhetskode", "enhet kode", "unit code", "code", "kode"),
    "name": ("navn", "enhetsnavn", "name", "unit name"),
    "parent": ("overordnet", "overordnet enhetskode", "parent", "parent code"),
    "leader": ("leder ansattnr", "leder", "leader employee number", "leader"),
    "kind": ("nivå", "niva", "kind", "level"),
}
PEOPLE_COLUMNS = {
    "number": ("ansattnr", "ansattnummer", "employee number"),
    "email": ("e-post", "epost", "email", "e-mail"),
    "name": ("navn", "name", "full name"),
    "first_name": ("fornavn", "first name", "given name"),
    "last_name": ("etternavn", "last name", "family name"),
    "unit": ("enhetskode", "enhet kode", "unit code", "unit"),
    "role": ("rolle", "role"),
    "title": ("stilling", "job title", "title"),
}
ROLES = {
    "": Membership.Role.EMPLOYEE,
    "ansatt": Membership.Role.EMPLOYEE,
    "employee": Membership.Role.EMPLOYEE,
    "leder": Membership.Role.LEADER,
    "leader": Membership.Role.LEADER,
    "stedfortreder": Membership.Role.DEPUTY,
    "deputy": Membership.Role.DEPUTY,
    "verneombud": Membership.Role.SAFETY_REP,
    "safety representative": Membership.Role.SAFETY_REP,
}
KINDS = {
    "": "",
    "kommune": OrgUnit.Kind.MUNICIPALITY,
    "municipality": OrgUnit.Kind.MUNICIPALITY,
    "sektor": OrgUnit.Kind.SECTOR,
    "sector": OrgUnit.Kind.SECTOR,
    "enhet": OrgUnit.Kind.UNIT,
    "unit": OrgUnit.Kind.UNIT,
    "avdeling": OrgUnit.Kind.DEPARTMENT,
    "department": OrgUnit.Kind.DEPARTMENT,
}


class ImportError_(Exception):  # noqa: N801 - not the builtin ImportError
    """A file that cannot be read at all (wrong format, no header)."""


# --- Reading ---------------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    return [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportError_(_("Filen kunne ikke leses som et Excel-ark (XLSX).")) from exc
    sheet = book.worksheets[0]
    rows = [[_cell(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def read_table(filename: str, data: bytes, columns: dict) -> list[tuple[int, dict]]:
    """The data rows of a CSV or XLSX file as (row number, {column: value}); the header names
    are matched against ``columns`` (Norwegian or English, any case)."""
    is_xlsx = filename.lower().endswith(".xlsx") or data[:2] == b"PK"
    rows = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
    if not rows:
        raise ImportError_(_("Filen %(name)s er tom.") % {"name": filename})
    header = [" ".join(h.lower().replace("_", " ").split()) for h in rows[0]]
    index = {}
    for key, names in columns.items():
        for i, name in enumerate(header):
            if name in names and key not in index:
                index[key] = i
    if len(rows) > MAX_ROWS:
        raise ImportError_(_("Filen har flere enn %(n)s rader.") % {"n": MAX_ROWS})
    result = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        result.append((number, {k: row[i] if i < len(row) else "" for k, i in index.items()}))
    return result


# --- Checking --------------------------------------------------------------------------------


@dataclass
class UnitRow:
    row: int
    code: str
    name: str
    parent: str
    leader: str
    kind: str


@dataclass
class PersonRow:
    row: int
    number: str
    email: str
    first_name: str
    last_name: str
    unit: str
    role: str
    title: str | None  # None: the file has no such column, the title is left as it is

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def _unit_rows(rows, errors: list[str], label: str) -> list[UnitRow]:
    result, seen = [], set()
    for number, row in rows:
        where = _("%(file)s, rad %(row)s") % {"file": label, "row": number}
        code, name = row.get("code", ""), row.get("name", "")
        kind = row.get("kind", "").lower()
        if not code or not name:
            errors.append(_("%(where)s: enhetskode og navn må fylles ut.") % {"where": where})
            continue
        if code in seen:
            errors.append(
                _("%(where)s: enhetskoden %(code)s står to ganger.")
                % {"where": where, "code": code}
            )
            continue
        if kind not in KINDS:
            errors.append(_("%(where)s: ukjent nivå «%(kind)s».") % {"where": where, "kind": kind})
            continue
        seen.add(code)
        result.append(
            UnitRow(number, code, name, row.get("parent", ""), row.get("leader", ""), KINDS[kind])
        )
    return result


def _split_name(row: dict) -> tuple[str, str]:
    if row.get("first_name") or row.get("last_name"):
        return row.get("first_name", ""), row.get("last_name", "")
    first, _sep, last = row.get("name", "").rpartition(" ")
    return (first, last) if first else (last, "")


def _person_row(number: int, row: dict, where: str, has_title: bool, errors: list[str]):
    first, last = _split_name(row)
    email, role = row.get("email", "").lower(), row.get("role", "").lower()
    if not row.get("number") or not row.get("unit") or not (first or last):
        errors.append(_("%(where)s: ansattnr, navn og enhetskode må fylles ut.") % {"where": where})
        return None
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("%(where)s: «%(email)s» er ikke en e-postadresse.")
                % {"where": where, "email": email}
            )
            return None
    if role not in ROLES:
        errors.append(_("%(where)s: ukjent rolle «%(role)s».") % {"where": where, "role": role})
        return None
    title = row.get("title", "") if has_title else None
    return PersonRow(number, row["number"], email, first, last, row["unit"], ROLES[role], title)


def _people_rows(rows, errors: list[str], label: str, has_title: bool) -> list[PersonRow]:
    """Every row; a person with several positions (units or roles) has a row for each, with
    the same name and e-mail."""
    result, first, seen, emails = [], {}, set(), {}
    for number, row in rows:
        where = _("%(file)s, rad %(row)s") % {"file": label, "row": number}
        person = _person_row(number, row, where, has_title, errors)
        if person is None:
            continue
        earlier = first.setdefault(person.number, person)
        if (person.number, person.unit, person.role) in seen:
            errors.append(
                _("%(where)s: ansattnummeret %(n)s står to ganger.")
                % {"where": where, "n": person.number}
            )
            continue
        if (earlier.full_name, earlier.email) != (person.full_name, person.email):
            errors.append(
                _(
                    "%(where)s: ansattnummeret %(n)s står tidligere med et annet navn eller en annen e-postadresse."
                )
                % {"where": where, "n": person.number}
            )
            continue
        if person.email and emails.setdefault(person.email, person.number) != person.number:
            errors.append(
                _("%(where)s: e-postadressen %(e)s står to ganger.")
                % {"where": where, "e": person.email}
            )
            continue
        seen.add((person.number, person.unit, person.role))
        result.append(person)
    return result


# --- The plan (dry-run diff) -----------------------------------------------------------------


@dataclass
class Plan:
    errors: list[str] = field(default_factory=list)
    units: list[UnitRow] | None = None
    people: list[PersonRow] | None = None
    matched: dict[str, OrgUnit] = field(default_factory=dict)  # code in the file -> unit
    users: dict[str, User] = field(default_factory=dict)  # employee number -> user
    wanted: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # number -> (code, role)
    units_created: list[UnitRow] = field(default_factory=list)
    units_linked: list[tuple[OrgUnit, UnitRow]] = field(default_factory=list)
    units_renamed: list[tuple[OrgUnit, UnitRow]] = field(default_factory=list)
    units_moved: list[tuple[OrgUnit, UnitRow]] = field(default_factory=list)
    units_reopened: list[tuple[OrgUnit, UnitRow]] = field(default_factory=list)
    units_closed: list[OrgUnit] = field(default_factory=list)
    people_joining: list[PersonRow] = field(default_factory=list)
    people_moving: list[tuple[User, PersonRow]] = field(default_factory=list)
    people_changed: list[tuple[User, PersonRow]] = field(default_factory=list)
    people_leaving: list[User] = field(default_factory=list)

    def unit_name(self, code: str) -> str:
        """A unit code as people know it: the unit's name in the file, else in the database."""
        for row in self.units or []:
            if row.code == code:
                return row.name
        unit = self.matched.get(code)
        return unit.name if unit else code

    def sections(self) -> list[tuple[str, str, list[str]]]:
        """(key, heading, lines) of every kind of change, in the order they are applied."""
        u = self.units_created, self.units_reopened, self.units_linked, self.units_renamed
        return [
            ("units_created", _("Nye enheter"), [f"{r.code} {r.name}" for r in u[0]]),
            ("units_reopened", _("Gjenåpnede enheter"), [f"{r.code} {r.name}" for _u, r in u[1]]),
            ("units_linked", _("Enheter koblet til enhetskode"), [f"{x.name} → {r.code}" for x, r in u[2]]),
            ("units_renamed", _("Enheter med nytt navn eller nivå"), [f"{x.name} → {r.name}" for x, r in u[3]]),
            ("units_moved", _("Enheter flyttet"), [self._moved_unit(x, r) for x, r in self.units_moved]),
            ("units_closed", _("Enheter lagt ned"), [f"{x.external_id} {x.name}" for x in self.units_closed]),
            ("people_joining", _("Nye personer"), [f"{p.number} {p.full_name} ({self.unit_name(p.unit)})" for p in self.people_joining]),
            ("people_moving", _("Personer som flytter"), [self._moved_person(x, p) for x, p in self.people_moving]),
            ("people_changed", _("Personer med endrede opplysninger eller rolle"), [f"{p.number} {p.full_name}" for _x, p in self.people_changed]),
            ("people_leaving", _("Personer som slutter"), [f"{x.employee_number} {x.get_full_name()}" for x in self.people_leaving]),
        ]  # fmt: skip

    def _moved_unit(self, unit: OrgUnit, row: UnitRow) -> str:
        return _("%(unit)s flyttes under %(parent)s") % {
            "unit": row.name,
            "parent": self.unit_name(row.parent) if row.parent else _("(øverst)"),
        }

    def _moved_person(self, user: User, row: PersonRow) -> str:
        return _("%(number)s %(name)s til %(units)s") % {
            "number": row.number,
            "name": row.full_name,
            "units": ", ".join(
                sorted({self.unit_name(code) for code, _role in self.wanted[row.number]})
            ),
        }

    @property
    def persons(self) -> list[PersonRow]:
        """One row per person (their first): name, e-mail and title."""
        return list({p.number: p for p in reversed(self.people or [])}.values())[::-1]

    def is_empty(self) -> bool:
        return not any(lines for _key, _heading, lines in self.sections())

    def counts(self) -> dict[str, int]:
        return {key: len(lines) for key, _heading, lines in self.sections()}


def _check_tree(rows: list[UnitRow], errors: list[str]) -> None:
    by_code = {r.code: r for r in rows}
    for row in rows:
        if row.parent and row.parent not in by_code:
            errors.append(
                _("Enheter, rad %(row)s: den overordnede enheten %(code)s finnes ikke i filen.")
                % {"row": row.row, "code": row.parent}
            )
            continue
        seen, current = {row.code}, row
        while current.parent and current.parent in by_code:
            current = by_code[current.parent]
            if current.code in seen:
                errors.append(
                    _("Enheter, rad %(row)s: enheten ligger under seg selv.") % {"row": row.row}
                )
                break
            seen.add(current.code)


def _unit_key(unit: OrgUnit, key_of: dict[int, str]) -> str:
    return key_of.get(unit.pk) or unit.external_id or unit.code


def _plan_units(plan: Plan, key_of: dict[int, str]) -> None:
    for row in plan.units:
        unit = provisioning.unit_by_external_id(row.code)
        if unit is None:
            plan.units_created.append(row)
            continue
        plan.matched[row.code] = unit
        key_of[unit.pk] = row.code
    step = OrgUnit.steplen
    paths = {u.path[:-step] for u in plan.matched.values() if u.depth > 1}
    by_path = {u.path: u for u in OrgUnit.objects.filter(path__in=paths)}
    parents = {u.pk: by_path.get(u.path[:-step]) for u in plan.matched.values()}
    for row in plan.units:
        unit = plan.matched.get(row.code)
        if unit is None:
            continue
        if not unit.is_active:
            plan.units_reopened.append((unit, row))
        if unit.external_id != row.code:
            plan.units_linked.append((unit, row))
        if unit.name != row.name or (row.kind and unit.kind != row.kind):
            plan.units_renamed.append((unit, row))
        parent = parents[unit.pk]
        if (parent and _unit_key(parent, key_of)) != (row.parent or None):
            plan.units_moved.append((unit, row))
    in_file = [u.pk for u in plan.matched.values()]
    plan.units_closed = list(
        OrgUnit.objects.filter(is_active=True, external_id__isnull=False)
        .exclude(pk__in=in_file)
        .order_by("-depth", "name")
    )


def _known_units(plan: Plan, key_of: dict[int, str]) -> set[str]:
    """The unit codes people may be placed in: the units table's, else the active units'."""
    if plan.units is not None:
        return {r.code for r in plan.units}
    codes = set()
    for person in plan.people:
        unit = provisioning.unit_by_external_id(person.unit)
        if unit is not None and unit.is_active:
            plan.matched[person.unit] = unit
            key_of[unit.pk] = person.unit
            codes.add(person.unit)
    return codes


def _wanted_memberships(plan: Plan, known: set[str]) -> None:
    numbers = {p.number for p in plan.people}
    for person in plan.people:
        if person.unit not in known:
            plan.errors.append(
                _("Ansatte, rad %(row)s: enhetskoden %(code)s finnes ikke.")
                % {"row": person.row, "code": person.unit}
            )
        plan.wanted.setdefault(person.number, set()).add((person.unit, person.role))
    for row in plan.units or []:
        if not row.leader:
            continue
        if row.leader not in numbers:
            plan.errors.append(
                _("Enheter, rad %(row)s: lederen %(n)s finnes ikke i ansattfilen.")
                % {"row": row.row, "n": row.leader}
            )
            continue
        plan.wanted[row.leader].add((row.code, Membership.Role.LEADER))
    _check_one_leader(plan)


def _check_one_leader(plan: Plan) -> None:
    holders: dict[tuple[str, str], set[str]] = {}
    for number, pairs in plan.wanted.items():
        for code, role in pairs:
            if role in Membership.LEADERSHIP:
                holders.setdefault((code, role), set()).add(number)
    for (code, role), numbers in sorted(holders.items()):
        if len(numbers) > 1:
            plan.errors.append(
                _("Enheten %(code)s får flere enn én %(role)s: %(numbers)s.")
                % {
                    "code": code,
                    "role": Membership.Role(role).label.lower(),
                    "numbers": ", ".join(sorted(numbers)),
                }
            )


def _existing_users(people: list[PersonRow]) -> dict[str, User]:
    """Each row's user: by employee number; before their first import, by e-mail."""
    numbers = [p.number for p in people]
    found = {u.employee_number: u for u in User.objects.filter(employee_number__in=numbers)}
    emails = {p.email: p.number for p in people if p.email and p.number not in found}
    for user in User.objects.filter(employee_number__isnull=True, email__in=list(emails)):
        found.setdefault(emails[user.email.lower()], user)
    return found


def _check_usernames(plan: Plan) -> None:
    """A new person's username (their e-mail, else their number) must be free."""
    new = {(p.email or p.number): p for p in plan.persons if p.number not in plan.users}
    for user in User.objects.filter(username__in=list(new)):
        person = new[user.username]
        plan.errors.append(
            _("Ansatte, rad %(row)s: brukernavnet %(u)s tilhører en annen bruker.")
            % {"row": person.row, "u": user.username}
        )


def _before(users: list[User], key_of: dict[int, str]) -> dict[int, set[tuple[str, str]]]:
    """Each user's managed memberships as (unit code, role), in one query."""
    memberships = Membership.objects.filter(user__in=users, role__in=provisioning.MANAGED_ROLES)
    result: dict[int, set[tuple[str, str]]] = {u.pk: set() for u in users}
    for m in memberships.select_related("unit"):
        result[m.user_id].add((_unit_key(m.unit, key_of), m.role))
    return result


def _details_differ(user: User, person: PersonRow) -> bool:
    return (
        (user.first_name, user.last_name) != (person.first_name, person.last_name)
        or (person.email and user.email.lower() != person.email)
        or (person.title is not None and user.job_title != person.title)
        or user.employee_number != person.number
    )


def _plan_people(plan: Plan, key_of: dict[int, str]) -> None:
    plan.users = _existing_users(plan.persons)
    _check_usernames(plan)
    memberships = _before(list(plan.users.values()), key_of)
    for person in plan.persons:
        user = plan.users.get(person.number)
        if user is None or not user.is_active:
            plan.people_joining.append(person)
            continue
        before = memberships[user.pk]
        wanted = plan.wanted[person.number]
        if {code for code, _r in before} != {code for code, _r in wanted}:
            plan.people_moving.append((user, person))
        elif before != wanted or _details_differ(user, person):
            plan.people_changed.append((user, person))
    plan.people_leaving = list(
        User.objects.filter(is_active=True, employee_number__isnull=False)
        .exclude(employee_number__in=list(plan.wanted))
        .order_by("employee_number")
    )


def plan(units_file=None, people_file=None) -> Plan:
    """Read and check the files ((filename, bytes) each, or None) and work out the changes.

    Nothing is written. A plan with ``errors`` must not be applied."""
    result = Plan()
    if units_file is None and people_file is None:
        result.errors.append(_("Velg minst én fil: enheter eller ansatte."))
        return result
    try:
        if units_file is not None:
            rows = read_table(*units_file, UNIT_COLUMNS)
            result.units = _unit_rows(rows, result.errors, _("Enheter"))
            _check_tree(result.units, result.errors)
        if people_file is not None:
            rows = read_table(*people_file, PEOPLE_COLUMNS)
            has_title = bool(rows) and "title" in rows[0][1]
            result.people = _people_rows(rows, result.errors, _("Ansatte"), has_title)
    except ImportError_ as exc:
        result.errors.append(str(exc))
        return result
    _missing_columns(result, units_file, people_file)
    if result.errors:
        return result
    key_of: dict[int, str] = {}
    if result.units is not None:
        _plan_units(result, key_of)
    if result.people is not None:
        _wanted_memberships(result, _known_units(result, key_of))
        if not result.errors:
            _plan_people(result, key_of)
    return result


def _missing_columns(result: Plan, units_file, people_file) -> None:
    if units_file is not None and result.units == [] and not result.errors:
        result.errors.append(
            _("Enhetsfilen har ingen enheter, eller mangler kolonnene enhetskode og navn.")
        )
    if people_file is not None and result.people == [] and not result.errors:
        result.errors.append(
            _(
                "Ansattfilen har ingen personer, eller mangler kolonnene ansattnr, navn og enhetskode."
            )
        )


# --- Applying --------------------------------------------------------------------------------


@dataclass
class Outcome:
    counts: dict[str, int]
    handovers: list[Handover]


def _depth_order(rows: list[UnitRow]) -> list[UnitRow]:
    by_code = {r.code: r for r in rows}

    def depth(row: UnitRow) -> int:
        n = 0
        while row.parent in by_code:
            row, n = by_code[row.parent], n + 1
        return n

    return sorted(rows, key=depth)


def _apply_units(plan: Plan) -> dict[str, OrgUnit]:
    units: dict[str, OrgUnit] = {}
    moved = {r.code for _u, r in plan.units_moved}
    for row in _depth_order(plan.units):
        parent = units.get(row.parent)
        unit = plan.matched.get(row.code)
        if unit is None:
            units[row.code] = provisioning.create_unit(row.code, row.name, parent, row.kind)
            continue
        unit.refresh_from_db()
        if (
            not unit.is_active
            or (unit.external_id, unit.name) != (row.code, row.name)
            or (row.kind and row.kind != unit.kind)
        ):
            provisioning.update_unit(unit, external_id=row.code, name=row.name, kind=row.kind)
        if row.code in moved:
            provisioning.move_unit(unit, parent)
        units[row.code] = unit
    return units


def _person_fields(person: PersonRow) -> dict:
    fields = {
        "employee_number": person.number,
        "first_name": person.first_name[:150],
        "last_name": person.last_name[:150],
        "is_active": True,
    }
    if person.email:
        fields["email"] = person.email
    if person.title is not None:
        fields["job_title"] = person.title[:150]
    return fields


def _save_person(user: User, person: PersonRow) -> User:
    """Update a known person; an unchanged person is not written (nor its history)."""
    fields = _person_fields(person)
    if all(getattr(user, k) == v for k, v in fields.items()):
        return user
    _fill_person(user, person)
    user.save()
    return user


def _fill_person(user: User, person: PersonRow) -> None:
    for name, value in _person_fields(person).items():
        setattr(user, name, value)


def _create_people(persons: list[PersonRow], wanted: dict) -> dict[str, User]:
    """New people and their memberships in a few statements (a whole municipality's first
    import is thousands of rows); leadership goes through ``add_memberships``, which makes room
    for the new leader. History rows are written as for a save."""

    users = []
    for person in persons:
        user = User(username=person.email or person.number)
        user.set_unusable_password()
        _fill_person(user, person)
        users.append(user)
    bulk_create_with_history(users, User, batch_size=500)
    created = {
        u.employee_number: u
        for u in User.objects.filter(employee_number__in=[p.number for p in persons])
    }
    plain = []
    for number, user in created.items():
        pairs = wanted[number]
        provisioning.add_memberships(user, {p for p in pairs if p[1] in Membership.LEADERSHIP})
        plain += [
            Membership(user=user, unit_id=unit_id, role=role)
            for unit_id, role in pairs
            if role not in Membership.LEADERSHIP
        ]
    bulk_create_with_history(plain, Membership, batch_size=500)
    return created


def _apply_people(plan: Plan, units: dict[str, OrgUnit]) -> list[Handover]:
    """Everyone's memberships change in three steps, so a new leader is in place before the
    work of the people who moved away is handed over, and two leaders never hold one unit."""
    ids = {code: unit.pk for code, unit in units.items()}
    held = provisioning.managed_memberships_of(list(plan.users.values()))
    before = {n: held[u.pk] for n, u in plan.users.items()}
    leaving = {
        u.pk: (u, [m.unit for m in u.memberships.filter(role__in=provisioning.MANAGED_ROLES)
                   .select_related("unit").order_by("-unit__depth")])
        for u in plan.people_leaving
    }  # fmt: skip
    wanted = {n: {(ids[c], r) for c, r in pairs} for n, pairs in plan.wanted.items()}
    for number, user in plan.users.items():
        provisioning.remove_memberships(user, before[number] - wanted[number])
    for user, _units in leaving.values():
        provisioning.remove_memberships(user, provisioning.managed_memberships(user))
    new = _create_people([p for p in plan.persons if p.number not in plan.users], wanted)
    for person in plan.persons:
        if person.number in new:
            continue
        user = _save_person(plan.users[person.number], person)
        provisioning.add_memberships(user, wanted[person.number] - before[person.number])
    records = []
    for number, user in plan.users.items():
        records += provisioning.hand_over_left_units(
            user, before[number], wanted[number], source=SOURCE
        )
    for user, left_units in leaving.values():
        records += provisioning.deactivate(user, units=left_units, source=SOURCE)
    return records


@transaction.atomic
def apply(plan: Plan) -> Outcome:
    """Carry out a checked plan, all of it or (on any error) nothing."""
    if plan.errors:
        raise ValueError("a plan with errors cannot be applied")
    records: list[Handover] = []
    units = dict(plan.matched)
    if plan.units is not None:
        units = _apply_units(plan)
    if plan.people is not None:
        records += _apply_people(plan, units)
    for unit in plan.units_closed:
        records += provisioning.close_unit(unit, source=SOURCE)
    return Outcome(counts=plan.counts(), handovers=records)
