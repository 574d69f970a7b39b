from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class DeviationsConfig(AppConfig):
    name = "deviations"
    verbose_name = pgettext_lazy("module", "Avvik")

    def ready(self) -> None:
        from deviations import (  # noqa: F401
            agenda,
            control_report,
            handover,
            hooks,
            permissions,
            stats,
            tallies,
        )
