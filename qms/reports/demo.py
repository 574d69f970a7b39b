"""Demo data of the reports: last year's report on internal control to the council, assembled
from the demo municipality's signed reviews, control activities, inspections and statistics,
with the chief executive's assessments, and approved. Idempotent."""

from __future__ import annotations

from django.utils import timezone

from qms.reports import periods
from qms.reports.control import services
from qms.reports.models import InternalControlReport

# (unit code, what works well, what does not work well enough, what we will do)
TEXTS = {
    "eksempel": (
        "Alle sektorer har gjennomført og signert ledelsens gjennomgåelse. Avvik meldes i alle "
        "enheter, og de fleste lukkes innen fristen. Årshjulets kontrollaktiviteter er i "
        "hovedsak gjennomført som planlagt.",
        "Funn fra statlige tilsyn lukkes for sent, og flere rutiner har passert "
        "revisjonsdatoen. Oppfølgingen av legemiddelhåndtering i helse og mestring må bli "
        "bedre.",
        "Ledergruppen følger opp åpne tilsynsfunn og forfalte rutiner hvert tertial. "
        "Kvalitetsrådgiverne gir opplæring i avviksbehandling til nye ledere i første halvår.",
    ),
    "helse": (
        "Avvik i legemiddelhåndtering meldes, og dobbeltkontroll er innført.",
        "Statsforvalterens tilsyn ved Solheim sykehjem fant brudd på kravet til "
        "dobbeltkontroll; ett funn er over fristen.",
        "Alle ansatte som gir legemidler tar e-læringskurs innen 1. juni.",
    ),
    "oppvekst": (
        "Rutinene for skolemiljø er oppdatert og kjent i enhetene.",
        "Ikke alle ansatte har bekreftet at de har lest de nye rutinene.",
        "Enhetslederne følger opp leselistene i personalmøter.",
    ),
}


def seed(org) -> str:
    year = timezone.localdate().year - 1
    chief = org.leaders.get("eksempel")
    if (
        chief is None
        or InternalControlReport.objects.filter(
            unit=org.root, period_kind="year", period_start__year=year
        ).exists()
    ):
        return ""
    report = services.create_report(chief, org.root, periods.year(year))
    for chapter in report.chapters.select_related("unit"):
        texts = TEXTS.get(chapter.unit.code)
        if texts:
            good, weak, planned = texts
            services.save_chapter(chief, chapter, good=good, weak=weak, planned=planned)
    services.approve_report(chief, report)
    return f"rapport om internkontroll {year} godkjent ({report.chapters.count()} kapitler)"
