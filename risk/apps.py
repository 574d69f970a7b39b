from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "risk"
    verbose_name = _("Risiko og sårbarhet")

    def ready(self) -> None:
        from risk import agenda, handover, hooks, permissions, stats  # noqa: F401
