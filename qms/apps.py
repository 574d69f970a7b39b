from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QmsConfig(AppConfig):
    name = "qms"
    verbose_name = _("Organisasjon")

    def ready(self) -> None:
        from qms import checks, rules  # noqa: F401
        from qms.api import checks as api_checks  # noqa: F401  (registers the permission-map check)
