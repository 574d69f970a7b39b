from django.conf import settings
from django.contrib import admin
from django.utils.functional import SimpleLazyObject

from qms.models import Notification
from qms.organisation import units_of
from qms.permissions import actor_for
from qms.reports.scope import may_view_statistics
from qms.site import site_settings


def organisation(request):
    """The signed-in user's units and roles for the header (evaluated only when used)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "my_units": SimpleLazyObject(lambda: list(units_of(user))),
        "my_actor": SimpleLazyObject(lambda: actor_for(user)),
        "may_view_statistics": SimpleLazyObject(lambda: may_view_statistics(user)),
        # Lines of the notification list with something unread, counted up to 100 ("99+").
        "unread_notifications": Notification.objects.filter(recipient=user)
        .unread_items()[:100]
        .count(),
        # The admin's own test (active staff), so the link shows exactly when the admin opens.
        "may_use_admin": admin.site.has_permission(request),
    }


def whistleblowing_url() -> str:
    """Where the municipality's routine for whistleblowing (varsling etter arbeidsmiljøloven)
    is; empty when none is set. The one place that knows: the report forms link to it.

    The municipality's settings in the admin (``SiteSettings.whistleblowing_url``) win; the
    ``WHISTLEBLOWING_URL`` environment setting is the default until an admin sets one."""
    return site_settings().whistleblowing_url or getattr(settings, "WHISTLEBLOWING_URL", "") or ""


def municipality(request):
    """The municipality's own settings that pages show, signed in or not (the open form)."""
    return {"whistleblowing_url": SimpleLazyObject(whistleblowing_url)}
