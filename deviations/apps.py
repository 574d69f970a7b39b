from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeviationsConfig(AppConfig):
    name = "deviations"
    verbose_name = _("Avvik")

    def ready(self) -> None:
        from deviations import hooks, permissions, stats  # noqa: F401
