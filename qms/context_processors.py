from django.utils.functional import SimpleLazyObject

from qms.organisation import units_of
from qms.permissions import actor_for


def organisation(request):
    """The signed-in user's units and roles for the header (evaluated only when used)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "my_units": SimpleLazyObject(lambda: list(units_of(user))),
        "my_actor": SimpleLazyObject(lambda: actor_for(user)),
    }
