"""Demo ROS analyses for "Eksempel kommune": realistic municipal risks with measures and
residual scores. Idempotent: an assessment is found by unit and title and not created twice."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from qms.demo import DemoOrg
from risk import services
from risk.matrix import matrix_for
from risk.models import RiskAssessment, RiskMatrix, RiskMatrixLevel

# (unit code, title, activity, 4V flags, status, items)
# item: (hazard, cause, controls, P, (people, env/material, economy, reputation), treatment,
#        measure or None, residual (P, C) or None, acceptance reason or None)
ASSESSMENTS = [
    (
        "solheim-sykehjem",
        "Legemiddelhåndtering",
        "Bestilling, oppbevaring, utdeling og dokumentasjon av legemidler",
        "VVVV",
        "active",
        [
            (
                "Feil legemiddel gitt til beboer",
                "Forveksling av multidose-poser, avbrytelser under utdeling",
                "Dobbeltkontroll ved risikolegemidler",
                4,
                (4, None, 1, 3),
                "reduce",
                "Innføre strekkodeskanning ved utdeling",
                (2, 4),
                None,
            ),
            (
                "Legemiddel gitt til feil tid",
                "Travle vakter, mangelfull overlapp",
                "Utdelingsliste i kurven",
                4,
                (3, None, None, 2),
                "reduce",
                "Fast utdelingsrunde med ansvarlig per vakt",
                (2, 3),
                None,
            ),
            (
                "Svinn av B-preparater",
                "Uklar nøkkelkontroll",
                "Narkotikaprotokoll",
                2,
                (2, 2, 2, 4),
                "reduce",
                "Elektronisk medisinskap med logg",
                (1, 4),
                None,
            ),
            (
                "Manglende oppfølging av legemiddelgjennomgang",
                "Legen kommer sjelden",
                "Årlig gjennomgang i rutine",
                3,
                (4, None, None, 2),
                "reduce",
                "Legemiddelgjennomgang ved innkomst og hver 6. måned",
                (3, 4),
                "Legeressursen er begrenset; ny legeavtale fra august",
            ),
        ],
    ),
    (
        "solbakken-skole",
        "Brann i skole",
        "Brannvern og evakuering på Solbakken skole",
        "VV",
        "active",
        [
            (
                "Brann i kjemi- og naturfagrom",
                "Feil oppbevaring av brannfarlige stoffer",
                "Stoffkartotek, avtrekksskap",
                2,
                (5, 4, 3, 3),
                "reduce",
                "Låsbart brannskap og årlig gjennomgang av kartoteket",
                (1, 5),
                None,
            ),
            (
                "Elever blir ikke evakuert",
                "Elever på toalett eller i grupperom ved alarm",
                "Opprop på samlingsplass",
                2,
                (5, None, None, 4),
                "reduce",
                "Sveipeansvar per etasje og to øvelser i året",
                (1, 5),
                None,
            ),
            (
                "Rømningsvei blokkert",
                "Lagring i korridor",
                "Vernerunde to ganger i året",
                3,
                (4, 2, None, 2),
                "reduce",
                "Ukentlig kontroll av rømningsveier",
                (2, 4),
                None,
            ),
        ],
    ),
    (
        "hjemmetjenesten",
        "Informasjonssikkerhet i hjemmetjenesten",
        "Bruk av mobil pleiedokumentasjon og nøkkelbokser hos brukere",
        "VVV",
        "active",
        [
            (
                "Mobil med pasientdata mistes",
                "Telefonen glemmes hos bruker eller i bil",
                "PIN-kode og fjernsletting",
                4,
                (2, None, 2, 4),
                "reduce",
                "Tofaktorinnlogging i fagsystemet",
                (3, 3),
                None,
            ),
            (
                "Uvedkommende får tilgang til nøkkelboks",
                "Koder deles på SMS",
                "Kodebytte ved behov",
                3,
                (5, 3, None, 4),
                "reduce",
                "Digitale nøkkelbokser med personlig tilgang",
                (1, 5),
                None,
            ),
            (
                "Opplysninger sendt til feil mottaker",
                "Feil valg i adressebok",
                "Opplæring ved ansettelse",
                3,
                (2, None, None, 4),
                "accept",
                None,
                (3, 4),
                "Risikoen er akseptabel med dagens opplæring",
            ),
        ],
    ),
    (
        "eikelund-bhg",
        "Barn forsvinner fra barnehagen",
        "Utelek og turer utenfor barnehagens område",
        "VVVV",
        "active",
        [
            (
                "Barn forlater uteområdet",
                "Port står åpen ved henting",
                "Port med høyt sittende lås",
                3,
                (5, None, None, 4),
                "reduce",
                "Telling ved hver overgang og fast portansvar",
                (1, 5),
                None,
            ),
            (
                "Barn blir borte på tur",
                "Mange barn per voksen",
                "Refleksvest og telling",
                2,
                (5, None, None, 5),
                "reduce",
                "Turliste med telling hvert kvarter",
                (1, 5),
                None,
            ),
        ],
    ),
    (
        "vann-avlop",
        "Forurensning av drikkevann",
        "Drift av vannbehandlingsanlegg og ledningsnett",
        "VVV",
        "active",
        [
            (
                "Tilbakeslag fra private anlegg",
                "Manglende tilbakeslagssikring",
                "Tilsyn ved nye tilknytninger",
                2,
                (5, 4, 4, 5),
                "reduce",
                "Kartlegge og kreve tilbakeslagssikring hos næringskunder",
                (1, 5),
                None,
            ),
            (
                "Svikt i UV-anlegget",
                "Strømbrudd eller lampefeil",
                "Alarm til vakt",
                2,
                (5, None, 3, 5),
                "reduce",
                "Nødstrømsaggregat og reservelamper på lager",
                (1, 5),
                None,
            ),
            (
                "Ledningsbrudd ved graving",
                "Mangelfull påvisning",
                "Gravemeldingstjeneste",
                3,
                (3, 4, 4, 3),
                "transfer",
                "Krav om påvisning i alle gravetillatelser",
                (2, 4),
                None,
            ),
        ],
    ),
    (
        "it",
        "Løsepengevirus i kommunens nettverk",
        "Drift av servere, klienter og sikkerhetskopi",
        "VV",
        "active",
        [
            (
                "Kryptering av fagsystemer",
                "Phishing mot ansatte",
                "E-postfilter og antivirus",
                3,
                (4, 5, 5, 5),
                "reduce",
                "Frakoblet sikkerhetskopi og gjenopprettingsøvelse",
                (2, 5),
                None,
            ),
            (
                "Lekkasje av personopplysninger",
                "Stjålne passord",
                "Passordpolicy",
                3,
                (3, None, 4, 5),
                "reduce",
                "Tofaktorautentisering for alle ansatte",
                (2, 5),
                None,
            ),
        ],
    ),
    (
        "solheim-skjermet",
        "Vold og trusler mot ansatte",
        "Stell og miljøarbeid med utagerende beboere",
        "VVV",
        "active",
        [
            (
                "Ansatt blir slått eller skadet",
                "Utagering ved stell",
                "Alltid to ved stell av kjente utagerende",
                4,
                (4, None, 2, 2),
                "reduce",
                "Kurs i forebygging og håndtering av aggresjon",
                (2, 4),
                None,
            ),
            (
                "Ansatt alene på nattevakt blir truet",
                "Lav bemanning om natten",
                "Trygghetsalarm",
                3,
                (4, None, None, 2),
                "reduce",
                "Alarm knyttet til vakttelefon på naboavdeling",
                (2, 4),
                None,
            ),
        ],
    ),
    (
        "legevakt",
        "Smitte ved legevakten",
        "Mottak av pasienter med mulig smittsom sykdom",
        "VV",
        "draft",
        [
            (
                "Smitte til ansatte ved luftveisinfeksjon",
                "Pasienter venter i felles venterom",
                "Håndsprit og munnbind",
                3,
                (4, None, 2, 2),
                "reduce",
                None,
                None,
                None,
            ),
            (
                "Smitte mellom pasienter",
                "Ikke egen inngang for smitte",
                "Telefontriage",
                3,
                (3, None, None, 3),
                "reduce",
                "Eget isolat med egen inngang",
                (2, 3),
                None,
            ),
        ],
    ),
    (
        "vei-park",
        "Vinterdrift av gang- og sykkelveier",
        "Brøyting og strøing",
        "VV",
        "active",
        [
            (
                "Fotgjenger faller på is",
                "Sen strøing etter mildvær",
                "Strøing etter bestilling",
                4,
                (3, None, 3, 3),
                "reduce",
                "Værvarsling med automatisk utrykning ved fare for is",
                (3, 3),
                None,
            ),
            (
                "Brøytebil kjører på barn",
                "Dårlig sikt ved skoler",
                "Kurs for sjåfører",
                2,
                (5, None, None, 5),
                "avoid",
                "Ingen brøyting ved skoler mellom 07.45 og 08.30",
                (1, 5),
                None,
            ),
        ],
    ),
    (
        "hr",
        "Rekruttering av sykepleiere",
        "Bemanning i helse og mestring",
        "VVV",
        "active",
        [
            (
                "Vakante sykepleierstillinger over tid",
                "Konkurranse fra sykehus",
                "Rekrutteringsplan",
                4,
                (3, None, 4, 3),
                "reduce",
                "Stipend for studenter mot bindingstid",
                (3, 4),
                "Markedet er krevende; tiltakene følges opp hvert kvartal",
            ),
            (
                "Høyt sykefravær på grunn av overtid",
                "Dekking av vakanser",
                "Oppfølging av fravær",
                3,
                (3, None, 3, 2),
                "reduce",
                None,
                (3, 3),
                None,
            ),
        ],
    ),
    (
        "eiendom",
        "Legionella i kommunale bygg",
        "Varmtvannsanlegg i sykehjem, skoler og idrettshaller",
        "VV",
        "active",
        [
            (
                "Legionellavekst i dusjanlegg",
                "For lav temperatur i varmtvann",
                "Temperaturkontroll årlig",
                3,
                (5, 2, 3, 4),
                "reduce",
                "Ukentlig spyling av lite brukte dusjer og logging",
                (1, 5),
                None,
            ),
        ],
    ),
]

FOUR_V = ("important", "common", "difficult", "variable")


def _seed_matrix(org: DemoOrg) -> None:
    matrix, _created = RiskMatrix.objects.get_or_create(municipality=org.root)
    if matrix.level_rows.exists():
        return
    from risk.matrix import default_bands, default_labels

    rows = []
    for axis in ("probability", "consequence"):
        for value, (label, description) in default_labels(matrix.size, axis).items():
            rows.append(
                RiskMatrixLevel(
                    matrix=matrix, axis=axis, value=value, label=label, description=description
                )
            )
    RiskMatrixLevel.objects.bulk_create(rows)
    for band in default_bands(matrix.size, matrix.action_threshold):
        matrix.bands.create(label=band.label, min_score=band.min_score, colour=band.colour)


@transaction.atomic
def seed(org: DemoOrg) -> str:
    _seed_matrix(org)
    today = timezone.localdate()
    created = 0
    matrix = matrix_for(org.root)
    for index, (code, title, activity, flags, status, items) in enumerate(ASSESSMENTS):
        unit = org.units[code]
        if RiskAssessment.objects.filter(unit=unit, title=title).exists():
            continue
        leader = org.leaders.get(code) or _nearest_leader(org, unit)
        staff = org.employees.get(code, [])
        assessment = services.create_assessment(
            actor=leader,
            unit=unit,
            title=title,
            activity=activity,
            assessed_on=today - timedelta(days=30 + index * 20),
            participants=staff[:2],
            **dict.fromkeys(FOUR_V[: len(flags)], True),
        )
        responsible = staff[0] if staff else leader
        for hazard, cause, controls, p, cons, treatment, measure, residual, accept in items:
            item = services.add_item(
                actor=leader,
                assessment=assessment,
                hazard=hazard,
                cause=cause,
                existing_controls=controls,
                probability=p,
                consequence_people=cons[0],
                consequence_environment=cons[1],
                consequence_economy=cons[2],
                consequence_reputation=cons[3],
                treatment=treatment,
                residual_probability=residual[0] if residual else None,
                residual_consequence=residual[1] if residual else None,
            )
            if measure:
                services.add_measure(
                    actor=leader,
                    item=item,
                    description=measure,
                    responsible=responsible,
                    deadline=today + timedelta(days=30 + 15 * item.number),
                )
            if accept and matrix.requires_measures(item.residual_score):
                services.accept_residual_risk(actor=leader, item=item, reason=accept)
        if status == "active" and not services.activation_problems(assessment):
            services.activate(actor=leader, assessment=assessment, today=today)
            # Spread the reviews so the reminder sweep has something due in the demo.
            RiskAssessment.objects.filter(pk=assessment.pk).update(
                next_review=today + timedelta(days=20 + index * 30)
            )
        created += 1
    return f"{created} ROS-analyser"


def _nearest_leader(org: DemoOrg, unit):
    from qms.organisation import nearest_leader

    found = nearest_leader(unit)
    return found.user if found else org.admin
