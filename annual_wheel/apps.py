from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualWheelConfig(AppConfig):
    name = "annual_wheel"
    verbose_name = _("Årshjul")

    def ready(self) -> None:
        from annual_wheel import agenda, control_report, handover, hooks, permissions, stats  # noqa: F401
