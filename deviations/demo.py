"""A year of realistic deviations for "Eksempel kommune" (called by ``manage.py seed_demo``).

Idempotent: when the demo municipality already has deviations, nothing is added. Rows are
written with bulk inserts, dated over the past year, in every state, with actions (some overdue).
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from deviations import tallies
from deviations.models import Category, CorrectiveAction, Deviation, Event, ReportLink, YearCounter
from qms.models import OrgUnit

CATEGORIES = [
    ("HMS", "Helse, miljø og sikkerhet for ansatte"),
    ("Informasjonssikkerhet", "Personvern, tilgang og informasjonssystemer"),
    ("Pasient- og brukersikkerhet", "Hendelser som rammer eller kunne rammet brukere"),
    ("Miljø", "Utslipp, avfall og energi"),
    ("Bygg og eiendom", "Lokaler, inventar og uteområder"),
]

K = Deviation.Kind
# (kind, category, title, description, immediate action, severity range, personal data)
CASES = [
    (
        K.DEVIATION,
        "Pasient- og brukersikkerhet",
        "Medisin gitt til feil tid",
        "Kveldsmedisin ble gitt to timer for sent fordi dosetten ikke var fylt.",
        "Lege kontaktet, ingen skade observert.",
        (2, 4),
        True,
    ),
    (
        K.ADVERSE_EVENT,
        "Pasient- og brukersikkerhet",
        "Beboer falt på badet",
        "Beboer falt ved dusjen. Sklisikker matte manglet.",
        "Beboer undersøkt, matte lagt på plass.",
        (2, 4),
        True,
    ),
    (
        K.INJURY,
        "HMS",
        "Kuttskade ved oppvask",
        "Ansatt kuttet seg på knust glass i oppvaskkummen.",
        "Førstehjelp gitt.",
        (1, 3),
        False,
    ),
    (
        K.INJURY,
        "HMS",
        "Nestenulykke: glatt inngangsparti",
        "Isete trapp ved hovedinngangen, to ansatte holdt på å falle.",
        "Strødd med sand.",
        (2, 3),
        False,
    ),
    (
        K.DEVIATION,
        "Informasjonssikkerhet",
        "E-post med personopplysninger sendt feil mottaker",
        "Vedtak ble sendt til feil foresatt på e-post.",
        "Mottaker bedt om å slette e-posten.",
        (3, 4),
        True,
    ),
    (
        K.DEVIATION,
        "Informasjonssikkerhet",
        "PC stod ulåst i felles arbeidsrom",
        "Fagsystem var åpent på en ulåst PC mens ansatt var i møte.",
        "PC låst.",
        (1, 2),
        False,
    ),
    (
        K.DEVIATION,
        "HMS",
        "Brannalarmen gikk uten at alle hørte den",
        "Alarmen var ikke hørbar i kjelleren under brannøvelsen.",
        "Meldt til vaktmester.",
        (3, 4),
        False,
    ),
    (
        K.ADVERSE_EVENT,
        "Pasient- og brukersikkerhet",
        "Vold mot ansatt i hjemmetjenesten",
        "Bruker slo etter ansatt under morgenstell.",
        "Ansatt trakk seg ut, leder varslet.",
        (3, 5),
        True,
    ),
    (
        K.DEVIATION,
        "Bygg og eiendom",
        "Defekt ventilasjon i klasserom",
        "Høy CO2 og dårlig luft i klasserom 2B flere dager på rad.",
        "Vinduer åpnet i friminutt.",
        (1, 3),
        False,
    ),
    (
        K.DEVIATION,
        "Miljø",
        "Feilsortert avfall i restavfall",
        "Batterier og elektronikk funnet i restavfallet.",
        "Sortert på nytt.",
        (1, 2),
        False,
    ),
    (
        K.IMPROVEMENT,
        None,
        "Forslag: felles sjekkliste ved vaktskifte",
        "Vi mister informasjon ved vaktskifte. En kort sjekkliste kan hjelpe.",
        "",
        (1, 2),
        False,
    ),
    (
        K.IMPROVEMENT,
        None,
        "Forslag: digital bestilling av vikarer",
        "Vikarbestilling på telefon tar mye tid; et skjema ville spart tid.",
        "",
        (1, 1),
        False,
    ),
    (
        K.DEVIATION,
        "Pasient- og brukersikkerhet",
        "Manglende dokumentasjon av tilsyn",
        "Tilsyn natt ble ikke dokumentert i journal.",
        "Dokumentert i etterkant.",
        (2, 3),
        True,
    ),
    (
        K.ADVERSE_EVENT,
        "HMS",
        "Barn forsvant fra uteområdet",
        "Et barn gikk ut porten som ikke var lukket. Funnet etter fem minutter.",
        "Porten lukket, foreldre informert.",
        (3, 5),
        True,
    ),
    (
        K.DEVIATION,
        "Bygg og eiendom",
        "Nødutgang sperret av møbler",
        "Stoler og bord stablet foran nødutgangen i gymsalen.",
        "Ryddet med en gang.",
        (2, 3),
        False,
    ),
]

ACTIONS = [
    "Oppdatere rutinen og gå gjennom den på neste personalmøte",
    "Gi opplæring til alle på avdelingen",
    "Bestille utbedring fra eiendomsavdelingen",
    "Innføre sjekkliste og følge opp i fire uker",
    "Risikovurdere arbeidsoppgaven på nytt",
]


def seed(org) -> str:
    root = org.root
    if Deviation.objects.filter(unit__path__startswith=root.path).exists():
        return "finnes fra før"
    rng = random.Random(4)  # noqa: S311 - demo data, not security
    return _seed(org, root, rng)


@transaction.atomic
def _seed(org, root: OrgUnit, rng: random.Random) -> str:
    categories = {}
    for order, (name, description) in enumerate(CATEGORIES):
        categories[name], _ = Category.objects.get_or_create(
            name=name,
            defaults={"description": description, "order": order, "is_hms": name == "HMS"},
        )
    units = [u for code, u in org.units.items() if org.employees.get(code)]
    now = timezone.now()
    today = timezone.localdate()
    planned = []
    for _ in range(320):
        unit = rng.choice(units)
        code = unit.code
        reporter = rng.choice(org.employees[code])
        case = rng.choice(CASES)
        age = rng.randint(0, 364)
        created = now - timedelta(days=age, hours=rng.randint(0, 10), minutes=rng.randint(0, 59))
        planned.append((created, unit, reporter, case, age))
    planned.sort(key=lambda p: p[0])
    counters: dict[int, int] = {
        c.year: c.last for c in YearCounter.objects.select_for_update().all()
    }
    deviations = []
    for created, unit, reporter, case, age in planned:
        kind, category, title, description, immediate, (lo, hi), pd = case
        year = timezone.localtime(created).year
        counters[year] = counters.get(year, 0) + 1
        leader = _leader(org, unit)
        if age > 60:
            state = rng.choices(
                [
                    Deviation.State.CLOSED,
                    Deviation.State.REJECTED,
                    Deviation.State.ACTIONS_IN_PROGRESS,
                ],
                [85, 5, 10],
            )[0]
        elif age > 14:
            state = rng.choice(
                [
                    Deviation.State.ACTIONS_IN_PROGRESS,
                    Deviation.State.CLOSED,
                    Deviation.State.UNDER_TREATMENT,
                ]
            )
        else:
            state = rng.choice(
                [
                    Deviation.State.REPORTED,
                    Deviation.State.UNDER_TREATMENT,
                    Deviation.State.ACTIONS_IN_PROGRESS,
                ]
            )
        closed_at = (
            created + timedelta(days=rng.randint(5, 50))
            if state
            in (
                Deviation.State.CLOSED,
                Deviation.State.REJECTED,
            )
            else None
        )
        if closed_at and closed_at > now:
            closed_at = now
        deviations.append(
            Deviation(
                number=f"AV-{year}-{counters[year]:05d}",
                year=year,
                sequence=counters[year],
                kind=kind,
                category=categories.get(category) if category else None,
                title=title,
                description=description,
                occurred_at=created - timedelta(hours=rng.randint(0, 20)),
                place="",
                unit=unit,
                severity=rng.randint(lo, hi),
                immediate_action=immediate,
                contains_personal_data=pd,
                reporter=reporter,
                handler=leader,
                state=state,
                state_reason="Gjelder ikke vår enhet; meldt til rett instans."
                if state == Deviation.State.REJECTED
                else "",
                cause_class=rng.choice(Deviation.CauseClass.values)
                if state not in (Deviation.State.REPORTED, Deviation.State.REJECTED)
                else "",
                cause_analysis="Rutinen var ukjent for nyansatte."
                if state not in (Deviation.State.REPORTED, Deviation.State.REJECTED)
                else "",
                closing_note="Tiltakene har virket." if state == Deviation.State.CLOSED else "",
                created_at=created,
                closed_at=closed_at,
            )
        )
    Deviation.objects.bulk_create(deviations, batch_size=500)
    for year, last in counters.items():
        YearCounter.objects.update_or_create(year=year, defaults={"last": last})

    actions, events = [], []
    for d in deviations:
        events.append(
            Event(
                deviation=d,
                kind=Event.Kind.REPORTED,
                actor=d.reporter,
                at=d.created_at,
                to_state="reported",
            )
        )
        if d.state in (Deviation.State.ACTIONS_IN_PROGRESS, Deviation.State.CLOSED):
            for _ in range(rng.randint(1, 2)):
                deadline = (d.created_at + timedelta(days=rng.randint(10, 45))).date()
                done = d.state == Deviation.State.CLOSED or (
                    rng.random() < 0.4 and deadline < today
                )
                done_at = (
                    min(d.closed_at or now, d.created_at + timedelta(days=rng.randint(3, 30)))
                    if done
                    else None
                )
                responsible = rng.choice(org.employees[d.unit.code] + [d.handler])
                evaluated = done and d.state == Deviation.State.CLOSED
                actions.append(
                    CorrectiveAction(
                        deviation=d,
                        unit=d.unit,
                        description=rng.choice(ACTIONS),
                        responsible=responsible or d.reporter,
                        deadline=deadline,
                        done_at=done_at,
                        done_by=responsible if done else None,
                        done_note="Gjennomført som planlagt." if done else "",
                        effect=CorrectiveAction.Effect.EFFECTIVE if evaluated else "",
                        effect_note="Ingen nye hendelser." if evaluated else "",
                        effect_evaluated_at=done_at if evaluated else None,
                        effect_evaluated_by=d.handler if evaluated else None,
                        # Escalations of old overdue actions count as sent: the demo should not
                        # flood the leaders' mailboxes on the first sweep.
                        escalation_step=3 if deadline < today - timedelta(days=30) else 0,
                        created_by=d.handler,
                        created_at=d.created_at + timedelta(days=1),
                    )
                )
        if d.state != Deviation.State.REPORTED:
            events.append(
                Event(
                    deviation=d,
                    kind=Event.Kind.STARTED,
                    actor=d.handler,
                    at=d.created_at + timedelta(hours=20),
                    from_state="reported",
                    to_state="under_treatment",
                )
            )
        if d.closed_at:
            events.append(
                Event(
                    deviation=d,
                    kind=Event.Kind.CLOSED
                    if d.state == Deviation.State.CLOSED
                    else Event.Kind.REJECTED,
                    actor=d.handler,
                    at=d.closed_at,
                    from_state="actions_in_progress",
                    to_state=d.state,
                )
            )
    CorrectiveAction.objects.bulk_create(actions, batch_size=500)
    Event.objects.bulk_create(events, batch_size=1000)
    Deviation.objects.filter(pk__in=[d.pk for d in deviations]).refresh_first_responses()
    tallies.rebuild()  # bulk_create and update() bypass the saves that keep the tallies
    for unit in units[:3]:
        ReportLink.objects.get_or_create(unit=unit)
    overdue = sum(1 for a in actions if a.done_at is None and a.deadline < today)
    inspections = _seed_inspections(org, today)
    return (
        f"{len(deviations)} avvik, {len(actions)} tiltak ({overdue} forfalte), {inspections} tilsyn"
    )


def _seed_inspections(org, today) -> int:
    """Two inspections through the services: Statsforvalteren at Solheim sykehjem with three
    findings (one past the authority's deadline, one closed on the authority's confirmation, a
    remark), and a closed one by Mattilsynet."""
    from deviations import services
    from deviations.models import Authority, Inspection, InspectionFinding

    code = "solheim-sykehjem"
    if code not in org.units or code not in org.leaders:
        return 0
    unit, leader = org.units[code], org.leaders[code]
    authority = {a.name: a for a in Authority.objects.all()}
    statsforvalteren = authority.get("Statsforvalteren") or Authority.objects.create(
        name="Statsforvalteren"
    )
    mattilsynet = authority.get("Mattilsynet") or Authority.objects.create(name="Mattilsynet")
    medicines = services.record_inspection(
        actor=leader,
        authority=statsforvalteren,
        theme="Legemiddelhåndtering i sykehjem",
        unit=unit,
        opened_on=today - timedelta(days=90),
        visit_on=today - timedelta(days=60),
        report_received_on=today - timedelta(days=40),
        status=Inspection.Status.REPORT_RECEIVED,
    )
    findings = [
        (InspectionFinding.Kind.NONCONFORMITY, "Dobbeltkontroll av legemidler gjøres ikke", -5),
        (InspectionFinding.Kind.ORDER, "Pålegg om opplæring i legemiddelhåndtering", 10),
        (InspectionFinding.Kind.REMARK, "Legemiddelrommet holder for høy temperatur", None),
    ]
    added = [
        services.add_finding(
            actor=leader,
            inspection=medicines,
            unit=unit,
            kind=kind,
            title=title,
            deadline=None if days is None else today + timedelta(days=days),
        )
        for kind, title, days in findings
    ]
    # The authority's deadline has passed and its steps are taken as sent (no e-mail flood).
    InspectionFinding.objects.filter(pk=added[0].pk).update(reminder_step=2)
    remark = added[2]
    services.reply_to_finding(
        actor=leader, finding=remark, reply="Kjøleaggregat er bestilt og montert."
    )
    services.start_treatment(actor=leader, deviation=remark.deviation)
    services.close_deviation(
        actor=leader, deviation=remark.deviation, note="Temperaturen måles daglig."
    )
    services.confirm_finding_closed(actor=leader, finding=remark)
    services.record_inspection(
        actor=leader,
        authority=mattilsynet,
        theme="Kjøkkenhygiene og internkontroll for mat",
        unit=unit,
        visit_on=today - timedelta(days=200),
        status=Inspection.Status.CLOSED,
    )
    return 2


def _leader(org, unit: OrgUnit):
    for path in reversed(unit.ancestor_paths):
        for code, u in org.units.items():
            if u.path == path and code in org.leaders:
                return org.leaders[code]
    return None
