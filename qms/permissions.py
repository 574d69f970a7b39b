"""The one permission layer (docs/design.md §3).

For a user, a model and an action, :func:`restrict` returns the queryset of objects the user may
act on. Views, API viewsets, exports and statistics all call it (directly or through
``Model.objects.restrict(user, action)``); nothing loads objects and filters them in Python, and
nothing checks permissions only in templates.

Each app registers its model's rule in its ``permissions.py``: a function of (actor, action)
returning a ``Q`` over that model, usually built from the unit-subtree helpers below. Explicit
per-object exceptions live in django-guardian's direct-foreign-key tables and are OR-ed into the
same query as an ``id IN (subquery)`` (the paperless-ngx way), never as a generic-key join.

Creating is asked of a unit rather than of a row: each app also registers, with
:func:`register_create`, where its objects may be created; :func:`creatable_units` and
:func:`can_create` answer for forms, views, services and the API alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404

from qms.querysets import subtree_q

ALL = Q(pk__isnull=False)
NOTHING = Q(pk__in=[])

ADVISOR_GROUP = "quality_advisor"
COMMITTEE_GROUP = "quality_committee"
ADMIN_GROUP = "admin"


@dataclass(frozen=True)
class Actor:
    """What the permission layer knows about a user; built with two queries, cached per user."""

    user: object
    authenticated: bool = False
    is_admin: bool = False
    is_advisor: bool = False
    is_committee: bool = False
    member_unit_ids: frozenset[int] = field(default_factory=frozenset)
    member_paths: tuple[str, ...] = ()
    led_unit_ids: frozenset[int] = field(default_factory=frozenset)
    led_paths: tuple[str, ...] = ()
    committee_paths: tuple[str, ...] = ()
    # The roles the handbooks name (docs/design.md §1), each the root of a subtree:
    hms_paths: tuple[str, ...] = ()  # verneombud, hovedverneombud: HMS cases and statistics
    hms_statistics_paths: tuple[str, ...] = ()  # + tillitsvalgt, AMU: HMS statistics
    reader_paths: tuple[str, ...] = ()  # kontrollutvalg, folkevalgt: statistics and reports
    coordinator_paths: tuple[str, ...] = ()  # quality coordinator: the advisor's rights here
    group_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)

    @property
    def is_leader(self) -> bool:
        return bool(self.led_paths)

    def in_subtree_q(self, paths: tuple[str, ...], field: str = "unit") -> Q:
        """Objects whose ``field`` unit lies in one of the subtrees rooted at ``paths``."""
        if not paths:
            return NOTHING
        from qms.models import OrgUnit

        return Q(**{f"{field}__in": OrgUnit.objects.filter(subtree_q(paths)).values("pk")})

    def led_subtree_q(self, field: str = "unit") -> Q:
        return self.in_subtree_q(self.led_paths, field)

    def committee_subtree_q(self, field: str = "unit") -> Q:
        return self.in_subtree_q(self.committee_paths, field)

    def hms_subtree_q(self, field: str = "unit") -> Q:
        return self.in_subtree_q(self.hms_paths, field)

    def advised_q(self, field: str = "unit") -> Q:
        """Objects the actor keeps as a quality advisor: everything for a quality advisor, the
        subtree of the sector they coordinate for a quality coordinator, else nothing."""
        if self.is_advisor:
            return ALL
        return self.in_subtree_q(self.coordinator_paths, field)

    def member_units_q(self, field: str = "unit") -> Q:
        """Objects in one of the actor's own units (not their subtrees)."""
        if not self.member_unit_ids:
            return NOTHING
        return Q(**{f"{field}__in": sorted(self.member_unit_ids)})

    def member_and_ancestors_q(self, field: str = "unit") -> Q:
        """Objects in one of the actor's units or any ancestor of them (inherited content)."""
        from qms.models import OrgUnit

        paths: set[str] = set()
        step = OrgUnit.steplen
        for p in self.member_paths:
            paths.update(p[:i] for i in range(step, len(p) + 1, step))
        if not paths:
            return NOTHING
        return Q(**{f"{field}__path__in": sorted(paths)})


ANONYMOUS = Actor(user=AnonymousUser())


def actor_for(user) -> Actor:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_qms_actor", None)
    if cached is not None:
        return cached
    from qms.models import Membership

    group_rows = list(user.groups.values_list("pk", "name"))
    groups = {name for _pk, name in group_rows}
    rows = list(
        Membership.objects.filter(user=user, unit__is_active=True).values_list(
            "unit_id", "unit__path", "role"
        )
    )
    leadership = {Membership.Role.LEADER, Membership.Role.DEPUTY}
    is_committee = COMMITTEE_GROUP in groups

    def paths(roles) -> tuple[str, ...]:
        return tuple(sorted({r[1] for r in rows if r[2] in roles}))

    actor = Actor(
        user=user,
        authenticated=True,
        is_admin=user.is_superuser or ADMIN_GROUP in groups,
        is_advisor=ADVISOR_GROUP in groups,
        is_committee=is_committee,
        member_unit_ids=frozenset(r[0] for r in rows if r[2] not in Membership.RIGHTS_ONLY),
        member_paths=paths(set(Membership.Role) - set(Membership.RIGHTS_ONLY)),
        led_unit_ids=frozenset(r[0] for r in rows if r[2] in leadership),
        led_paths=paths(leadership),
        committee_paths=paths({Membership.Role.COMMITTEE}) if is_committee else (),
        hms_paths=paths(Membership.HMS_CASES),
        hms_statistics_paths=paths(Membership.HMS_STATISTICS),
        reader_paths=paths(Membership.READERS),
        coordinator_paths=paths({Membership.Role.COORDINATOR}),
        group_ids=frozenset(pk for pk, _name in group_rows),
    )
    user._qms_actor = actor
    return actor


Rule = Callable[[Actor, str], Q]


@dataclass
class _Registration:
    rule: Rule
    user_grants: type[models.Model] | None = None
    group_grants: type[models.Model] | None = None


_REGISTRY: dict[type[models.Model], _Registration] = {}


def register(
    model: type[models.Model],
    rule: Rule,
    *,
    user_grants: type[models.Model] | None = None,
    group_grants: type[models.Model] | None = None,
) -> None:
    """Register ``model``'s rule and, optionally, its guardian direct-FK grant tables."""
    _REGISTRY[model] = _Registration(rule, user_grants, group_grants)


def registered_models() -> list[type[models.Model]]:
    return list(_REGISTRY)


def _registration(model: type[models.Model]) -> _Registration:
    try:
        return _REGISTRY[model]
    except KeyError:
        raise LookupError(
            f"{model._meta.label} has no rule in the permission layer; register one in its "
            "app's permissions.py"
        ) from None


def grants_q(actor: Actor, model: type[models.Model], action: str) -> Q:
    """Objects opened to the actor by an explicit guardian grant for ``action``."""
    reg = _registration(model)
    if not actor.authenticated or (reg.user_grants is None and reg.group_grants is None):
        return NOTHING
    codename = f"{action}_{model._meta.model_name}"
    q = NOTHING
    if reg.user_grants is not None:
        q |= Q(
            pk__in=reg.user_grants.objects.filter(
                user_id=actor.user_id, permission__codename=codename
            ).values("content_object_id")
        )
    if reg.group_grants is not None:
        q |= Q(
            pk__in=reg.group_grants.objects.filter(
                group__user=actor.user_id, permission__codename=codename
            ).values("content_object_id")
        )
    return q


def restrict(user, queryset, action: str = "view") -> models.QuerySet:
    """The objects of ``queryset`` (a model or a queryset) that ``user`` may ``action``."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    model = queryset.model
    reg = _registration(model)
    actor = actor_for(user)
    if not actor.authenticated:
        return queryset.none()
    return queryset.filter(reg.rule(actor, action) | grants_q(actor, model, action))


def can(user, obj: models.Model, action: str = "view") -> bool:
    """True when ``user`` may ``action`` this object (one query through the same rule)."""
    return restrict(user, type(obj)._default_manager.filter(pk=obj.pk), action).exists()


def check(user, obj: models.Model, action: str) -> None:
    """Raise 404 when the object is invisible to the user, 403 when visible but not allowed."""
    if can(user, obj, action):
        return
    if action == "view" or not can(user, obj, "view"):
        raise Http404
    raise PermissionDenied


def get_object_or_404(user, queryset, action: str = "view", **lookup) -> models.Model:
    """Fetch one object through the layer: 404 when invisible, 403 when visible but denied."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    try:
        obj = restrict(user, queryset, "view").get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
        # A malformed id ("null,null") names no object either: 404, as DRF's own lookup does.
        raise Http404 from None
    if action != "view" and not can(user, obj, action):
        raise PermissionDenied
    return obj


# --- Creating in a unit ------------------------------------------------------------------------
#
# "May this user add a document / an assessment / an activity here?" is asked of a unit, not of an
# object, so it cannot be a rule over the model's rows. Each app registers, beside its row rules,
# a rule giving the units (a ``Q`` over ``OrgUnit``) where an actor may create the model's
# objects; forms offer :func:`creatable_units`, services refuse with :func:`can_create`.

CreateRule = Callable[[Actor, models.Model | None], Q]


@dataclass
class _CreateRegistration:
    units: CreateRule
    without_unit: Callable[[Actor], bool] | None = None


_CREATE_REGISTRY: dict[type[models.Model], _CreateRegistration] = {}


def register_create(
    model: type[models.Model],
    units: CreateRule,
    *,
    without_unit: Callable[[Actor], bool] | None = None,
) -> None:
    """Register where ``model``'s objects may be created.

    ``units(actor, source)`` returns a ``Q`` over ``OrgUnit``; ``source`` is the object the new
    one is created for (the case of a corrective action, the assessment of a risk measure), or
    None. ``without_unit(actor)`` says whether the actor may create one owned by no unit (the
    whole municipality); without it, an object always needs a unit.
    """
    _CREATE_REGISTRY[model] = _CreateRegistration(units, without_unit)


def _create_registration(model: type[models.Model]) -> _CreateRegistration:
    try:
        return _CREATE_REGISTRY[model]
    except KeyError:
        raise LookupError(
            f"{model._meta.label} has no create rule in the permission layer; register one with "
            "register_create in its app's permissions.py"
        ) from None


def creatable_units(user, model: type[models.Model], source: models.Model | None = None):
    """The active units in which ``user`` may create a ``model`` object (for ``source``)."""
    from qms.models import OrgUnit

    registration = _create_registration(model)
    actor = actor_for(user)
    units = OrgUnit.objects.active()
    if not actor.authenticated:
        return units.none()
    return units.filter(registration.units(actor, source))


def can_create(user, model: type[models.Model], unit, source: models.Model | None = None) -> bool:
    """True when ``user`` may create a ``model`` object owned by ``unit`` (None: no unit)."""
    registration = _create_registration(model)
    actor = actor_for(user)
    if not actor.authenticated:
        return False
    if unit is None:
        return registration.without_unit is not None and registration.without_unit(actor)
    return creatable_units(user, model, source).filter(pk=unit.pk).exists()


def can_create_somewhere(user, model: type[models.Model]) -> bool:
    """True when ``user`` may create a ``model`` object in some unit (or without one)."""
    return can_create(user, model, None) or creatable_units(user, model).exists()


class RestrictedQuerySet(models.QuerySet):
    """Base queryset for every domain model: ``Model.objects.restrict(user, "view")``."""

    def restrict(self, user, action: str = "view"):
        return restrict(user, self, action)
