"""A realistic municipal annual wheel for the demo (called by ``manage.py seed_demo``).

The chief executive's wheel is the basis for the sectors' wheels: tertial reports, leader
meetings, the employee survey and the quality handbook review at municipality level; HSE rounds,
risk reviews and internal-control reviews at sector and unit level. Idempotent: activities are
found by (title, unit), and recorded occurrences of past dates make the completion figures real.
"""

from __future__ import annotations

from datetime import date, datetime
from importlib import import_module

from dateutil.rrule import MONTHLY, rrule, weekday
from django.db import transaction
from django.utils import timezone

from annual_wheel import services
from annual_wheel.models import Activity, Category, Checklist, Occurrence

# (unit code or None for the whole municipality, title, category, recurrence, month, day,
#  description); for the weekday rules ``day`` is (weekday, n): (0, 2) the second Monday,
#  (3, -1) the last Thursday of the month.
WHEEL = [
    (
        None,
        "Medarbeiderundersøkelse (10-FAKTOR)",
        "Medarbeidere",
        "yearly",
        10,
        1,
        "Alle ansatte svarer på undersøkelsen. Lederne følger opp resultatene i egen enhet.",
    ),
    (
        None,
        "Revisjon av kvalitetshåndboka",
        "Kvalitetssystem",
        "yearly",
        3,
        31,
        "Årlig gjennomgang av kvalitetshåndboka og prosessoversikten.",
    ),
    (None, "Lokale lønnsforhandlinger", "Økonomi", "yearly", 9, 15, ""),
    (
        "eksempel",
        "Tertialrapport til kommunestyret",
        "Rapportering",
        "tertial",
        5,
        31,
        "Rapport om økonomi, tjenester og internkontroll per tertial.",
    ),
    (
        "eksempel",
        "Ledermøte i kommunedirektørens ledergruppe",
        "Ledermøte",
        "month_nth",
        1,
        (0, 2),
        "Fast ledermøte andre mandag i måneden.",
    ),
    (
        "eksempel",
        "Rapport om internkontroll til kontrollutvalget",
        "Internkontroll",
        "yearly",
        11,
        30,
        "Kommunedirektørens årlige rapport om internkontrollen (kommuneloven § 25-2).",
    ),
    ("eksempel", "Budsjett og økonomiplan – frist for innspill", "Økonomi", "yearly", 6, 15, ""),
    (
        "eksempel",
        "ROS-gjennomgang, helhetlig ROS",
        "Risiko og sårbarhet",
        "yearly",
        2,
        28,
        "Oppdatering av kommunens helhetlige risiko- og sårbarhetsanalyse.",
    ),
    ("helse", "Ledermøte Helse og mestring", "Ledermøte", "month_nth", 1, (1, 3), ""),
    (
        "helse",
        "Gjennomgang av avvik – kvalitetsutvalg helse",
        "Internkontroll",
        "tertial",
        2,
        10,
        "",
    ),
    ("oppvekst", "Ledermøte Oppvekst og læring", "Ledermøte", "month_last", 1, (3, -1), ""),
    ("teknisk", "Vernerunde Teknisk drift", "HMS", "yearly", 4, 20, ""),
    (
        "solheim-sykehjem",
        "Vernerunde Solheim sykehjem",
        "HMS",
        "tertial",
        3,
        15,
        "Verneombud og leder går vernerunde med sjekkliste.",
    ),
    (
        "solheim-sykehjem",
        "Internkontroll legemiddelhåndtering",
        "Internkontroll",
        "yearly",
        5,
        5,
        "Gjennomgang av legemiddelrutinene med farmasøyt.",
    ),
    ("solheim-sykehjem", "Brannøvelse", "HMS", "yearly", 9, 25, ""),
    (
        "solheim-skjermet",
        "ROS-gjennomgang skjermet avdeling",
        "Risiko og sårbarhet",
        "yearly",
        8,
        30,
        "",
    ),
    ("hjemmetjenesten", "Vernerunde Hjemmetjenesten", "HMS", "yearly", 10, 10, ""),
    ("solbakken-skole", "Vernerunde Solbakken skole", "HMS", "yearly", 9, 5, ""),
    (
        "solbakken-skole",
        "Gjennomgang av beredskapsplanen",
        "Risiko og sårbarhet",
        "yearly",
        8,
        15,
        "",
    ),
    (
        "eikelund-bhg",
        "Lekeplasskontroll",
        "HMS",
        "month_nth",
        1,
        (0, 1),
        "Kontroll av lekeapparater etter forskrift om sikkerhet ved lekeplassutstyr.",
    ),
    ("vann-avlop", "Internkontroll drikkevann", "Internkontroll", "tertial", 1, 31, ""),
    (
        "eksempel",
        "Møte i arbeidsmiljøutvalget (AMU)",
        "HMS",
        "tertial",
        3,
        12,
        "AMU behandler sykefravær, HMS-avvik, vernerunder og verneombudenes rapporter.",
    ),
    ("okonomi", "Årsregnskap – avslutning", "Økonomi", "yearly", 2, 22, ""),
]


def _start(year: int, month: int, day: int | tuple[int, int]) -> date:
    """The first date: a day of the month, or (weekday, n) — the nth (or last, -1) weekday."""
    if isinstance(day, int):
        return date(year, month, day)
    wd, n = day
    first = rrule(MONTHLY, count=1, dtstart=datetime(year, month, 1), byweekday=weekday(wd, n))
    return first[0].date()


def _responsible(org, code):
    if code is None:
        return org.advisors[0] if org.advisors else None
    return org.leaders.get(code)


@transaction.atomic
def seed(org) -> str:
    # The installation's default categories come from their data migration; a database emptied
    # since (a test's flush) gets them again from the same list.
    defaults = import_module("annual_wheel.migrations.0002_default_categories").DEFAULTS
    for name, colour, order in defaults:
        Category.objects.get_or_create(name=name, defaults={"colour": colour, "order": order})
    categories = {c.name: c for c in Category.objects.all()}
    today = timezone.localdate()
    creator = org.advisors[0] if org.advisors else org.admin
    made = 0
    for code, title, category, recurrence, month, day, description in WHEEL:
        unit = org.units.get(code) if code else None
        if code and unit is None:
            continue
        if Activity.objects.filter(title=title, unit=unit).exists():
            continue
        services.create_activity(
            creator,
            title=title,
            description=description,
            unit=unit,
            category=categories[category],
            responsible=_responsible(org, code),
            recurrence=recurrence,
            start_date=_start(today.year, month, day),
            reminder_days=14,
        )
        made += 1
    # Record what has passed this year: most done on time, a few late, one not done, and some
    # left unrecorded so the overdue flag and the completion figure show.
    past = (
        Occurrence.objects.filter(status="planned", due_date__lt=today, due_date__year=today.year)
        .select_related("activity", "activity__responsible")
        .order_by("due_date", "pk")
    )
    recorded = 0
    for i, occ in enumerate(past):
        if i % 7 == 6:
            continue  # left unrecorded: overdue
        who = occ.activity.responsible or creator
        status = "not_done" if i % 11 == 10 else "done"
        note = "Utsatt på grunn av sykdom, tas neste periode." if status == "not_done" else ""
        services.record_occurrence(creator, occ, status, note)
        if i % 5 == 4:
            # done a few days late
            completed = timezone.make_aware(
                timezone.datetime.combine(
                    occ.due_date + timezone.timedelta(days=4), timezone.datetime.min.time()
                )
            ).replace(hour=10)
        else:
            completed = timezone.make_aware(
                timezone.datetime.combine(occ.due_date, timezone.datetime.min.time())
            ).replace(hour=14)
        Occurrence.objects.filter(pk=occ.pk).update(completed_at=completed, completed_by=who)
        recorded += 1
    checklists = seed_checklists(org)
    reviews = seed_reviews(org) + seed_sector_reviews(org, today.year - 1)
    meetings = seed_committees(org)
    return (
        f"{made} aktiviteter i årshjulet, {recorded} forekomster registrert, "
        f"{checklists} sjekklister, {reviews} ledelsens gjennomgåelser, {meetings} utvalgsmøter"
    )


def seed_checklists(org) -> int:
    """The ready-made checklists, published, and the wheel's rounds linked to them.

    Idempotent: a checklist is found by its title; an existing one is left as it is.
    """
    from annual_wheel.demo_checklists import ACTIVITY_CHECKLISTS, CHECKLISTS

    keeper = org.advisors[0] if org.advisors else org.admin
    made = 0
    for title, description, questions in CHECKLISTS:
        if Checklist.objects.filter(title=title).exists():
            continue
        checklist = services.create_checklist(keeper, title=title, description=description)
        draft = checklist.versions.get()
        for section, text, kind, guidance in questions:
            services.add_question(
                keeper, draft, section=section, text=text, kind=kind, guidance=guidance
            )
        services.publish_version(keeper, draft)
        made += 1
    for prefix, title in ACTIVITY_CHECKLISTS:
        Activity.objects.filter(title__startswith=prefix, checklist__isnull=True).update(
            checklist=Checklist.objects.filter(title=title).first()
        )
    _seed_rounds(org)
    _seed_audits(org)
    return made


def _seed_rounds(org) -> None:
    """At the nursing home: a signed vernerunde with a finding reported as a deviation and one
    in the action plan, and a medication self-check in progress."""
    from datetime import timedelta

    from annual_wheel.models import Round

    unit = org.units.get("solheim-sykehjem")
    leader = org.leaders.get("solheim-sykehjem")
    staff = org.employees.get("solheim-skjermet") or []
    if unit is None or leader is None or Round.objects.filter(unit=unit).exists():
        return
    safety_rep = staff[1:2]
    today = timezone.localdate()
    ok = {"yes_no": "yes", "scale": "4", "number": "0", "text": "Ingen merknader.", "photo": "na"}
    vernerunde = services.start_round(
        leader,
        checklist=Checklist.objects.get(title="Vernerunde"),
        unit=unit,
        date=today - timedelta(days=21),
        participants=safety_rep,
    )
    findings = {
        "Er slokkeutstyret kontrollert det siste året?": "Kontrollmerket på apparatet i "
        "korridor 2 er fra forrige år.",
        "Finnes nødvendige løftehjelpemidler, og brukes de?": "Taklift på rom 12 har vært ute "
        "av drift i tre uker.",
    }
    for question in vernerunde.version.questions.order_by("order"):
        failed = question.text in findings
        services.answer_question(
            leader,
            vernerunde,
            question,
            value="no" if failed else ok[question.kind],
            comment=findings.get(question.text, ""),
        )
    answers = {a.question.text: a for a in vernerunde.answers.select_related("question")}
    services.report_finding(leader, answers["Er slokkeutstyret kontrollert det siste året?"])
    services.add_to_action_plan(
        leader,
        answers["Finnes nødvendige løftehjelpemidler, og brukes de?"],
        responsible=leader,
        deadline=today + timedelta(days=14),
        description="Bestille reparasjon av takliften på rom 12 og låne mobil løfter i mellomtiden.",
    )
    services.sign_round(leader, vernerunde)

    medication = services.start_round(
        leader,
        checklist=Checklist.objects.get(title="Egenkontroll legemiddelhåndtering"),
        unit=unit,
        date=today,
        participants=safety_rep,
    )
    for question in medication.version.questions.order_by("order")[:3]:
        services.answer_question(leader, medication, question, value=ok[question.kind])


def _seed_audits(org) -> None:
    """The municipality's audit programme: the nursing home's medication handling audited and
    reported, with an avvik reported as a deviation, an observation and a strength; an audit of
    the same unit's information security planned for later in the year."""
    from datetime import timedelta

    from annual_wheel.models import Audit
    from documents.models import Document

    unit = org.units.get("solheim-sykehjem")
    if unit is None or not org.advisors or Audit.objects.filter(unit=unit).exists():
        return
    advisor = org.advisors[0]
    others = org.advisors[1:2]
    today = timezone.localdate()
    procedures = list(Document.objects.filter(status="published").order_by("number")[:2])
    done_date = today - timedelta(days=14) if today.month > 1 else today
    audit = services.plan_audit(
        advisor,
        title="Legemiddelhåndtering på sykehjemmet",
        unit=unit,
        planned_date=done_date,
        lead_auditor=advisor,
        auditors=others,
        criteria=procedures,
        requirements="Forskrift om legemiddelhåndtering for virksomheter og helsepersonell som "
        "yter helsehjelp, §§ 4, 7 og 8.",
    )
    services.start_audit(advisor, audit, opening_date=done_date)
    services.add_finding(
        advisor,
        audit,
        kind="avvik",
        text="Dobbeltkontroll ved utdeling av A- og B-preparater dokumenteres ikke.",
        evidence="Stikkprøve av 20 utdelinger i uke 14; intervju med to sykepleiere.",
        criterion=procedures[0] if procedures else None,
    )
    services.add_finding(
        advisor,
        audit,
        kind="observation",
        text="Rutinen for legemiddelgjennomgang er ikke revidert på to år.",
    )
    services.add_finding(
        advisor,
        audit,
        kind="strength",
        text="Nyansatte får god opplæring i medisinrommet før de deler ut legemidler.",
    )
    services.report_audit(
        advisor,
        audit,
        closing_date=done_date,
        summary="Revisjonen omfattet utdeling, dokumentasjon og oppbevaring av legemidler.",
        conclusion="Legemiddelhåndteringen er i hovedsak forsvarlig; dobbeltkontrollen må "
        "dokumenteres.",
    )
    services.plan_audit(
        advisor,
        title="Informasjonssikkerhet i pasientjournalen",
        unit=unit,
        planned_date=max(today, today.replace(month=11, day=15)),
        lead_auditor=advisor,
        requirements="Normen for informasjonssikkerhet i helse- og omsorgssektoren.",
    )


# --- Management reviews --------------------------------------------------------------------------

# (unit code, the unit's other participants as (where they work, index, role)) of the signed
# reviews of last year: the nursing home, its sector and the municipality, signed in that order
# so the sector's and the municipality's pages list the reviews below them.
REVIEWS = [
    (
        "solheim-sykehjem",
        [
            ("solheim-skjermet", 1, "Verneombud"),
            ("solheim-korttid", 1, "Tillitsvalgt, Norsk Sykepleierforbund"),
        ],
    ),
    (
        "helse",
        [
            ("solheim-skjermet", 1, "Hovedverneombud"),
            ("hjemme-nord", 0, "Hovedtillitsvalgt, Fagforbundet"),
        ],
    ),
    ("eksempel", [("hr", 0, "Hovedtillitsvalgt"), ("hjemme-nord", 1, "Hovedverneombud")]),
]

ASSESSMENTS = {
    "description": "Hovedoppgavene og lovkravene er riktig beskrevet. Målene for året må gjøres "
    "målbare, slik at vi kan se om vi når dem.",
    "deviations": "Meldekulturen er god, og flere melder enn året før. Fall og "
    "legemiddelavvik går igjen og må følges tettere opp; tiltak over frist må lukkes raskere.",
    "documents": "De fleste rutinene er oppdatert, men noen er over revisjonsdato og "
    "lesebekreftelsene henger etter hos vikarer. Det må ryddes før sommeren.",
    "risk": "ROS-analysene er gjennomført. Risikoene over tiltaksgrensen har tiltak, men "
    "restrisikoen er ikke akseptert for alle; det må avklares.",
    "control": "Vernerunder og egenkontroller er gjennomført som planlagt. Funnene er meldt "
    "som avvik eller lagt i handlingsplan, og revisjonen viste at dobbeltkontrollen må "
    "dokumenteres.",
    "inspections": "Funnene fra Statsforvalterens tilsyn er besvart. De som nærmer seg fristen, "
    "må følges opp på hvert ledermøte.",
    "wheel": "Årshjulet er i hovedsak fulgt. Aktiviteter som ble utsatt, må registreres "
    "med begrunnelse.",
}
SUMMARY = (
    "Styringen og kontrollen er i hovedsak god nok. Vi prioriterer fallforebygging, "
    "dokumentasjon av dobbeltkontroll og å lukke tiltak innen fristen."
)
DECISIONS = {
    "solheim-sykehjem": [
        (
            "deviations",
            "Innføre fast gjennomgang av fall og legemiddelavvik på personalmøtet hver måned.",
            60,
        ),
        (
            "documents",
            "Rydde rutiner som er over revisjonsdato, og følge opp lesebekreftelser hos vikarer.",
            120,
        ),
    ],
    "helse": [
        (
            "control",
            "Alle enheter i sektoren gjennomfører egenkontroll av legemiddelhåndtering "
            "hvert tertial.",
            90,
        ),
    ],
    "eksempel": [
        (
            "risk",
            "Kommunalsjefene avklarer restrisiko over tiltaksgrensen i sine sektorer og "
            "rapporterer til ledergruppen.",
            90,
        ),
    ],
}


def _review_activity(org, code: str, creator, year: int):
    """The unit's yearly «Ledelsens gjennomgåelse» in the wheel (February), found or made."""
    unit = org.units[code]
    activity = Activity.objects.filter(unit=unit, kind=Activity.Kind.REVIEW).first()
    if activity is None:
        activity = services.create_activity(
            creator,
            title="Ledelsens gjennomgåelse",
            description="Lederen går gjennom året som gikk: avvik, tiltak, dokumenter, risiko, "
            "kontroller, tilsyn og årshjulet, vurderer om det er godt nok og vedtar tiltak.",
            kind=Activity.Kind.REVIEW,
            unit=unit,
            category=Category.objects.get(name="Internkontroll"),
            responsible=org.leaders.get(code),
            recurrence=Activity.Recurrence.YEARLY,
            start_date=date(year, 2, 15),
            reminder_days=30,
        )
    return activity.occurrences.filter(due_date__year=year).first()


def seed_reviews(org) -> int:
    """Signed reviews of last year for the nursing home, its sector and the municipality, each
    carried out from the wheel, with assessments, participants and decisions that became
    actions. Idempotent: a unit's review of that year is left as it is."""
    from datetime import timedelta

    from annual_wheel.models import Review
    from qms.reports.agenda import agenda

    today = timezone.localdate()
    year = today.year - 1
    creator = org.advisors[0] if org.advisors else org.admin
    made = 0
    for code, others in REVIEWS:
        leader = org.leaders.get(code)
        if code not in org.units or leader is None:
            continue
        if Review.objects.filter(unit=org.units[code], year=year).exists():
            continue
        occurrence = _review_activity(org, code, creator, today.year)
        review = services.start_review(
            leader,
            unit=org.units[code],
            year=year,
            date=min(today, occurrence.due_date) if occurrence else today,
            occurrence=occurrence,
            role="Leder",
        )
        for where, index, role in others:
            staff = org.employees.get(where) or []
            if index < len(staff):
                services.add_participant(leader, review, person=staff[index], role=role)
        if org.advisors:
            services.add_participant(
                leader, review, person=org.advisors[0], role="Kvalitetsrådgiver"
            )
        for section in agenda:
            services.save_assessment(
                leader,
                review,
                section=section.key,
                text=ASSESSMENTS.get(section.key, "") or "Godt nok.",
            )
        services.update_review(leader, review, summary=SUMMARY)
        for section, text, days in DECISIONS.get(code, []):
            services.add_decision(
                leader,
                review,
                text=text,
                section=section,
                responsible=leader,
                deadline=today + timedelta(days=days),
            )
        services.sign_review(leader, review)
        made += 1
    return made


# Last year's signed reviews of the other sectors, so that the chief executive's report on
# internal control to the council has every service area's own assessment: (sector code, overall
# assessment, the leader's assessment under every agenda heading).
SECTOR_REVIEWS = [
    (
        "oppvekst",
        "Skolene og barnehagene melder avvik jevnt. Rutinene for skolemiljø (§ 9 A) er "
        "oppdatert, men leselistene er ikke bekreftet av alle.",
        "Gjennomgått med enhetslederne. Vi prioriterer leselister og risikovurderinger.",
    ),
    (
        "teknisk",
        "Vernerundene er gjennomført som planlagt. Risikoen ved arbeid langs vei er redusert "
        "etter nye rutiner for arbeidsvarsling.",
        "Gjennomgått med enhetslederne. Ingen nye tiltak utover årshjulet.",
    ),
    (
        "stab",
        "Informasjonssikkerhet er det viktigste området: tilgangsstyringen er gjennomgått og "
        "avvikene lukket.",
        "Gjennomgått i stabsmøtet. Vi følger opp opplæringen i informasjonssikkerhet.",
    ),
]


def seed_sector_reviews(org, year: int) -> int:
    """Sign last year's management review of the sectors :func:`seed_reviews` leaves out,
    through the services (skipped where one exists)."""
    from annual_wheel.models import Review
    from qms.reports import agenda

    signed = 0
    for i, (code, summary, assessment) in enumerate(SECTOR_REVIEWS):
        unit, leader = org.units.get(code), org.leaders.get(code)
        if unit is None or leader is None or Review.objects.filter(unit=unit, year=year).exists():
            continue
        review = services.start_review(
            leader,
            unit=unit,
            year=year,
            date=min(timezone.localdate(), date(year + 1, 1, 12 + i)),
            role="Leder",
        )
        for section in agenda.agenda:
            services.save_assessment(leader, review, section=section.key, text=assessment)
        services.update_review(leader, review, summary=summary)
        services.sign_review(leader, review)
        signed += 1
    return signed


# --- Committees and meetings ---------------------------------------------------------------------

# (committee, unit code, kind, wheel activity, mandate, seats: (who, role, representing)), where
# "who" is a leader's unit code, "advisor:N", "committee:N" (a member of the quality committee
# group), "safety" (the nursing home's verneombud) or "employee:<unit code>".
COMMITTEES = [
    (
        "Kvalitetsutvalget Helse og mestring",
        "helse",
        "quality",
        "Gjennomgang av avvik – kvalitetsutvalg helse",
        "Følger opp avvik, risikovurderinger og forbedringsarbeid i sektoren, og gir råd til "
        "kommunalsjefen. Møtes hvert tertial.",
        [
            ("helse", "chair", "Kommunalsjef"),
            ("advisor:0", "secretary", "Kvalitetsrådgiver"),
            ("solheim-sykehjem", "member", "Enhetsleder"),
            ("committee:1", "member", "Kvalitetsutvalget"),
            ("safety", "member", "Verneombud"),
            ("employee:hjemme-nord", "member", "Tillitsvalgt (NSF)"),
        ],
    ),
    (
        "Arbeidsmiljøutvalget (AMU)",
        "eksempel",
        "amu",
        "Møte i arbeidsmiljøutvalget (AMU)",
        "Arbeidsmiljøloven § 7-2: arbeidsgiver, arbeidstakere og hovedverneombud i like mange "
        "representanter; bedriftshelsetjenesten deltar.",
        [
            ("stab", "chair", "Arbeidsgiver"),
            ("advisor:1", "secretary", "HMS-rådgiver"),
            ("teknisk", "member", "Arbeidsgiver"),
            ("safety", "member", "Hovedverneombud"),
            ("employee:eikelund-bhg", "member", "Tillitsvalgt (Fagforbundet)"),
        ],
    ),
]


def _seat_user(org, who: str):
    kind, _sep, rest = who.partition(":")
    if kind == "advisor":
        return org.advisors[int(rest)] if len(org.advisors) > int(rest) else None
    if kind == "committee":
        return org.committee[int(rest)] if len(org.committee) > int(rest) else None
    if kind == "employee":
        staff = org.employees.get(rest) or []
        return staff[0] if staff else None
    if kind == "safety":
        staff = org.employees.get("solheim-skjermet") or []
        return staff[1] if len(staff) > 1 else None
    return org.leaders.get(who)


@transaction.atomic
def seed_committees(org) -> int:
    """The health sector's quality committee (a held meeting with published minutes and the
    next one with its agenda sent) and the municipality's AMU (its next meeting planned).
    Idempotent: a committee is found by its name; an existing one is left as it is."""
    from annual_wheel.models import Committee

    if not org.advisors or "helse" not in org.units:
        return 0
    made = 0
    for name, code, kind, activity_title, mandate, seats in COMMITTEES:
        if Committee.objects.filter(name=name).exists():
            continue
        committee = services.create_committee(
            org.advisors[0], name=name, kind=kind, unit=org.units[code], description=mandate
        )
        for who, role, representing in seats:
            user = _seat_user(org, who)
            if user is not None:
                services.set_member(
                    org.advisors[0], committee, user, role=role, representing=representing
                )
        Activity.objects.filter(title=activity_title, committee__isnull=True).update(
            committee=committee
        )
        made += _seed_meetings(org, committee)
    return made


def _next_occurrence(committee):
    today = timezone.localdate()
    return (
        Occurrence.objects.filter(activity__committee=committee, due_date__gt=today, meetings=None)
        .order_by("due_date")
        .first()
    )


def _seed_meetings(org, committee) -> int:
    from datetime import timedelta

    from annual_wheel.models import Meeting

    advisor = org.advisors[0] if committee.kind == "quality" else org.advisors[-1]
    occurrence = _next_occurrence(committee)
    today = timezone.localdate()
    when = occurrence.due_date if occurrence else today + timedelta(days=30)
    if committee.kind == "quality":
        _seed_held_meeting(org, committee, advisor)
    upcoming = services.plan_meeting(
        advisor, committee, date=when, place="Rådhuset, møterom 2", occurrence=occurrence
    )
    if committee.kind == "quality":
        _refer_risk(org, upcoming)
        services.add_free_item(
            advisor,
            upcoming,
            title="Avviksstatistikk for tertialet",
            summary="Kvalitetsrådgiver legger fram antall avvik per enhet og kategori, og "
            "utviklingen siden forrige tertial.",
        )
        services.publish_agenda(advisor, upcoming)
    else:
        services.add_free_item(
            advisor,
            upcoming,
            title="Sykefravær siste tertial",
            summary="HR legger fram sykefraværet per sektor, med tiltak der fraværet er høyt.",
        )
        services.add_free_item(
            advisor,
            upcoming,
            title="HMS-avvik og vernerunder",
            summary="Hovedverneombudet orienterer om vernerundene og HMS-avvikene siden sist.",
        )
    return Meeting.objects.filter(committee=committee).count()


def _seed_held_meeting(org, committee, advisor) -> None:
    """Last tertial's meeting: two of the nursing home's cases referred by its leader (one with
    personal data, through an anonymised summary), a free item, decisions, an action, the
    minutes approved by the chair and published."""
    from datetime import timedelta

    from annual_wheel.models import Meeting
    from deviations.models import Deviation

    chair = org.leaders.get("helse")
    referrer = org.leaders.get("solheim-sykehjem")
    home = org.units.get("solheim-sykehjem")
    if chair is None or referrer is None or home is None:
        return
    today = timezone.localdate()
    meeting = services.plan_meeting(advisor, committee, date=today, place="Solheim sykehjem")
    cases = Deviation.objects.filter(
        unit__path__startswith=home.path, state__in=Deviation.OPEN_STATES
    ).order_by("-severity", "pk")
    case = cases.filter(contains_personal_data=False).first()
    private = cases.filter(contains_personal_data=True).first()
    if case is not None:
        services.refer_case(
            referrer,
            meeting,
            case,
            title="Gjentatte feil ved medisinutdeling på kveldsvakt",
            summary="Tre avvik på fire uker gjelder utdeling på kveldsvakt. Rutinen krever "
            "dobbeltkontroll, men bemanningen gjør den vanskelig å gjennomføre.",
        )
    if private is not None:
        services.refer_case(
            referrer,
            meeting,
            private,
            title="Fall på natt uten tilsyn",
            summary="En beboer falt om natten mellom to tilsynsrunder. Utvalget bes vurdere "
            "om tilsynsrutinen på natt er god nok.",
        )
    services.add_free_item(
        advisor,
        meeting,
        title="Oppfølging av intern revisjon av legemiddelhåndtering",
        summary="Revisjonen fant ett avvik (dobbeltkontroll dokumenteres ikke).",
    )
    services.hold_meeting(chair, meeting)
    decisions = [
        "Dobbeltkontrollen på kveld organiseres med fast ansvarlig per vakt. Enhetsleder "
        "melder tilbake til neste møte.",
        "Tilsynsrutinen på natt revideres; sensor- og alarmløsninger vurderes.",
        "Utvalget tar orienteringen til etterretning.",
    ]
    items = list(meeting.items.order_by("order"))
    for item, decision in zip(items, decisions, strict=False):
        services.record_minutes(
            chair, item, discussion="Drøftet med enhetsleder.", decision=decision
        )
    if case is not None and items:
        services.decide_action(
            chair,
            items[0],
            description="Innføre fast ansvarlig for dobbeltkontroll på hver kveldsvakt.",
            responsible=referrer,
            deadline=today + timedelta(days=30),
        )
    services.approve_minutes(chair, meeting)
    services.publish_minutes(advisor, meeting)
    held = today - timedelta(days=35)
    stamp = timezone.now() - timedelta(days=35)
    Meeting.objects.filter(pk=meeting.pk).update(
        date=held,
        held_at=stamp,
        approved_at=stamp + timedelta(days=3),
        published_at=stamp + timedelta(days=4),
    )


def _refer_risk(org, meeting) -> None:
    """The nursing home's risk assessment on the next agenda, referred by its leader."""
    from risk.models import RiskAssessment

    home = org.units.get("solheim-sykehjem")
    leader = org.leaders.get("solheim-sykehjem")
    if home is None or leader is None:
        return
    assessment = (
        RiskAssessment.objects.filter(unit__path__startswith=home.path).order_by("pk").first()
    )
    if assessment is None:
        return
    services.refer_case(
        leader,
        meeting,
        assessment,
        title=assessment.title,
        summary="Flere risikoer ligger over tiltaksgrensen. Utvalget bes prioritere tiltakene.",
    )
