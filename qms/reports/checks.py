"""System checks of the reports app: every module's statistics section is registered."""

from django.core import checks


@checks.register()
def statistics_sections(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from qms.reports.stats import sections

    return [checks.Error(problem, id="reports.E001") for problem in sections.problems()]
