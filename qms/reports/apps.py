from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Statistics, exports and the quality committee's PDF report, across all modules."""

    name = "qms.reports"
    label = "reports"
    verbose_name = _("Statistikk og rapporter")

    def ready(self) -> None:
        from qms.reports import agenda, checks, hooks, permissions  # noqa: F401
        from qms.reports.control import assembly  # noqa: F401  (registers the statistics part)
        from qms.reports.stats import organisation  # noqa: F401  (registers its section)
