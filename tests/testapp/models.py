"""A unit-scoped model used only to test the permission layer itself.

Its rule mirrors the deviation row of docs/design.md §3: the owner, leaders of the unit's subtree,
quality advisors, and explicit guardian grants.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from guardian.models import UserObjectPermissionBase

from qms import permissions
from qms.models import OrgUnit
from qms.permissions import ALL, NOTHING, RestrictedQuerySet


class Widget(models.Model):
    title = models.CharField(max_length=100)
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

    objects = RestrictedQuerySet.as_manager()

    def __str__(self) -> str:
        return self.title


class WidgetUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Widget, on_delete=models.CASCADE)


def widget_rule(actor, action):
    if actor.is_admin:
        return ALL
    if action == "view":
        q = Q(owner_id=actor.user_id) | actor.led_subtree_q()
        return q | ALL if actor.is_advisor else q
    if action == "change":
        return actor.led_subtree_q()
    return NOTHING


permissions.register(Widget, widget_rule, user_grants=WidgetUserObjectPermission)
