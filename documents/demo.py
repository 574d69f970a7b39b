"""Demo data for documents: a process map, a template and 34 procedures across the demo units.

Built through the services (so numbers, versions, read rounds and events are real), then dated
back: some procedures are due for revision within a month and one is overdue. Idempotent: a
procedure that exists (same title and unit) is left alone.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from documents import services
from documents.models import (
    Document,
    DocumentTemplate,
    DocumentVersion,
    Process,
    ReadReceipt,
    ReadRound,
)
from documents.services import DocumentData
from qms.models import Notification
from qms.organisation import leader_chain

PROCESSES = [
    ("ledelse", "Ledelsesprosesser", "management", [
        ("internkontroll", "Styring og internkontroll"),
        ("avvik", "Kvalitetsarbeid og avvikshåndtering"),
        ("risiko", "Risikostyring"),
    ]),
    ("tjeneste", "Tjenesteprosesser", "core", [
        ("helse-omsorg", "Helse og omsorg"),
        ("legemidler", "Legemiddelhåndtering"),
        ("pleie", "Pleie og omsorg"),
        ("smittevern", "Hygiene og smittevern"),
        ("skole", "Skole"),
        ("barnehage", "Barnehage"),
        ("vann", "Vannforsyning og avløp"),
        ("vei", "Vei og park"),
    ]),
    ("stotte", "Støtteprosesser", "support", [
        ("hms", "HR og HMS"),
        ("infosik", "Informasjonssikkerhet og personvern"),
        ("innkjop", "Økonomi og innkjøp"),
        ("beredskap", "Beredskap"),
    ]),
]  # fmt: skip

TEMPLATE = (
    "<h2>Formål</h2><p>Hvorfor rutinen finnes og hva den skal sikre.</p>"
    "<h2>Omfang</h2><p>Hvem og hvilke tjenester rutinen gjelder for.</p>"
    "<h2>Ansvar</h2><p>Hvem som har ansvar for å følge opp rutinen.</p>"
    "<h2>Arbeidsbeskrivelse</h2><p><strong>Hva:</strong> </p><p><strong>Hvem:</strong> </p>"
    "<p><strong>Når:</strong> </p><p><strong>Hvor:</strong> </p><p><strong>Hvordan:</strong> </p>"
    "<h2>Referanser</h2><ul><li>Lov eller forskrift</li></ul>"
)

# (unit code, process code, title, purpose, steps, references, scope unit codes)
PROCEDURES = [
    ("solheim-sykehjem", "legemidler", "Legemiddelhåndtering i sykehjem",
     "sikre at beboerne får riktig legemiddel, i riktig dose, til riktig tid",
     ["Legemidler bestilles av sykepleier etter gjeldende legemiddelliste.",
      "Dosetter fylles av sykepleier og kontrolleres av en annen med delegert ansvar.",
      "Utdeling dokumenteres i journalsystemet umiddelbart.",
      "Avvik i legemiddelhåndteringen meldes i kvalitetssystemet samme vakt."],
     ["Forskrift om legemiddelhåndtering for virksomheter og helsepersonell som yter helsehjelp"], []),
    ("solheim-sykehjem", "legemidler", "Dobbeltkontroll ved utdeling av legemidler",
     "hindre feil ved utdeling av risikolegemidler",
     ["Opioider, insulin og antikoagulantia dobbeltkontrolleres alltid.",
      "Begge signerer i kurven med tidspunkt.",
      "Ved uoverensstemmelse kontaktes ansvarlig sykepleier før utdeling."],
     ["Forskrift om legemiddelhåndtering § 7"], []),
    ("solheim-skjermet", "pleie", "Bruk av tvang etter pasient- og brukerrettighetsloven kap. 4A",
     "sikre at helsehjelp til pasienter uten samtykkekompetanse gis forsvarlig og etter loven",
     ["Tillitskapende tiltak skal være forsøkt før tvang vurderes.",
      "Vedtak fattes av den som er ansvarlig for helsehjelpen og sendes statsforvalteren.",
      "Pårørende informeres om vedtaket.", "Vedtaket evalueres fortløpende og senest etter tre måneder."],
     ["Pasient- og brukerrettighetsloven kapittel 4A"], []),
    ("solheim-sykehjem", "smittevern", "Håndhygiene og basale smittevernrutiner",
     "forebygge smitte mellom beboere, ansatte og besøkende",
     ["Hender desinfiseres før og etter kontakt med beboer.", "Hansker brukes ved kontakt med kroppsvæsker.",
      "Smykker og ringer brukes ikke i pasientnært arbeid.", "Renhold av kontaktpunkter gjøres daglig."],
     ["Forskrift om smittevern i helse- og omsorgstjenesten", "Folkehelseinstituttets smittevernveileder"], []),
    ("solheim-sykehjem", "pleie", "Forebygging av fall hos beboere",
     "redusere antall fall og skader etter fall",
     ["Fallrisiko kartlegges ved innkomst og ved endret funksjon.", "Tiltak registreres i tiltaksplanen.",
      "Alle fall meldes som avvik og gjennomgås på personalmøtet."],
     ["Pasientsikkerhetsprogrammet: Forebygging av fall"], []),
    ("solheim-sykehjem", "pleie", "Ernæringskartlegging og oppfølging",
     "fange opp underernæring tidlig",
     ["Beboere veies ved innkomst og deretter månedlig.", "MUST-skjema brukes ved kartlegging.",
      "Ved risiko lages ernæringsplan i samråd med lege."],
     ["Nasjonale faglige retningslinjer for forebygging og behandling av underernæring"], []),
    ("solheim-korttid", "pleie", "Innskrivning og utskrivning på korttidsavdelingen",
     "sikre trygge overganger mellom sykehus, korttidsopphold og hjem",
     ["Epikrise og legemiddelliste kontrolleres ved innskrivning.", "Mål for oppholdet avtales innen tre dager.",
      "Hjemmetjenesten varsles minst to dager før utskrivning."],
     ["Forskrift om kommunal betaling for utskrivningsklare pasienter"], []),
    ("hjemmetjenesten", "legemidler", "Legemiddelhåndtering i hjemmetjenesten",
     "sikre riktig legemiddelbruk hos brukere som får hjelp hjemme",
     ["Multidose brukes der det er mulig.", "Legemidler oppbevares låst hos bruker når det er vurdert nødvendig.",
      "Utdeling signeres i mobil journal."],
     ["Forskrift om legemiddelhåndtering"], []),
    ("hjemmetjenesten", "pleie", "Nøkkelhåndtering og tilgang til brukers bolig",
     "hindre tap av nøkler og sikre brukerens trygghet",
     ["Nøkler oppbevares i nøkkelskap med kode.", "Uttak og innlevering registreres.",
      "Tap av nøkkel meldes straks til leder og som avvik."], ["Internt reglement for nøkkelhåndtering"], []),
    ("hjemmetjenesten", "hms", "Alenearbeid og voldsforebygging i hjemmetjenesten",
     "beskytte ansatte som arbeider alene i brukeres hjem",
     ["Risikovurdering gjøres for brukere med kjent voldsrisiko.", "Ansatte har alltid med telefon med alarmfunksjon.",
      "Ved trussel forlates boligen, og leder kontaktes."],
     ["Arbeidsmiljøloven § 4-3", "Forskrift om utførelse av arbeid § 23A-2"], []),
    ("legevakt", "smittevern", "Isolering av pasienter med smittsom sykdom",
     "hindre smittespredning på legevakten",
     ["Pasient med mistanke om luftsmitte plasseres straks på isolat.", "Personalet bruker åndedrettsvern.",
      "Rommet rengjøres etter egen sjekkliste før neste pasient."], ["Isoleringsveilederen (FHI)"], []),
    ("legevakt", "beredskap", "Mottak ved masseskadehendelser",
     "organisere legevakten når mange skadde kommer samtidig",
     ["Vakthavende lege leder mottaket til kriseledelsen har overtatt.", "Triage etter nasjonal indeks.",
      "Ekstra personell kalles inn etter varslingslisten."], ["Kommunens overordnede beredskapsplan"], []),
    ("helse", "pleie", "Palliativ omsorg i livets sluttfase",
     "gi god lindring og verdig omsorg ved livets slutt, på sykehjem og hjemme",
     ["Behov kartlegges med ESAS-skjema.", "Pårørendesamtale gjennomføres og dokumenteres.",
      "Lindrende behandling forordnes av lege i god tid."],
     ["Nasjonalt handlingsprogram for palliasjon i kreftomsorgen"], ["solheim-sykehjem", "hjemmetjenesten"]),
    ("solbakken-skole", "skole", "Skolemiljø: plikt til å følge med, gripe inn og varsle",
     "sikre at alle elever har et trygt og godt skolemiljø",
     ["Alle ansatte følger med og griper inn mot krenkelser.", "Rektor varsles samme dag.",
      "Aktivitetsplan lages når en elev ikke har det trygt og godt."], ["Opplæringsloven kapittel 12"], []),
    ("solbakken-skole", "skole", "Fravær og oppfølging av elever",
     "fange opp elever med bekymringsfullt fravær tidlig",
     ["Kontaktlærer registrerer fravær daglig.", "Foresatte kontaktes samme dag ved ukjent fravær.",
      "Ved mer enn ti prosent fravær kalles det inn til møte."], ["Opplæringsloven"], []),
    ("solbakken-skole", "beredskap", "Beredskapsplan ved alvorlige hendelser på skolen",
     "sikre rask og riktig respons ved alvorlige hendelser",
     ["Ring 112 ved fare for liv og helse.", "Rektor leder skolens kriseteam.",
      "Kommunikasjon med foresatte går gjennom rektor."], ["Kommunens beredskapsplan"], []),
    ("eikelund-bhg", "barnehage", "Henting og levering av barn",
     "sikre at barn bare hentes av personer som har rett til det",
     ["Barnet leveres til en ansatt, ikke bare i garderoben.", "Endringer i hvem som henter meldes på forhånd.",
      "Er det tvil, kontaktes foresatte før barnet sendes med."], ["Barnehageloven"], []),
    ("eikelund-bhg", "barnehage", "Tilsyn ved utelek og turer",
     "forebygge skader og sikre at ingen barn kommer bort",
     ["Telling gjøres ved avreise, underveis og ved hjemkomst.", "Minst to voksne på tur.",
      "Førstehjelpsutstyr og telefon er alltid med."], ["Forskrift om miljørettet helsevern i barnehager og skoler"], []),
    ("eikelund-bhg", "smittevern", "Syke barn i barnehagen",
     "hindre smitte og ivareta syke barn",
     ["Barn med feber hentes.", "Ved oppkast og diaré er barnet hjemme i 48 timer etter siste episode.",
      "Utbrudd meldes kommuneoverlegen."], ["Smittevernveileder for barnehager og skoler (FHI)"], []),
    ("ppt", "skole", "Sakkyndig vurdering – saksgang",
     "sikre lik og forsvarlig saksbehandling av sakkyndige vurderinger",
     ["Henvisning registreres i fagsystemet innen en uke.", "Foresatte informeres om saksgangen.",
      "Vurderingen ferdigstilles innen tre måneder."], ["Opplæringsloven", "Forvaltningsloven"], []),
    ("oppvekst", "infosik", "Bekymringsmelding til barnevernet",
     "sikre at ansatte oppfyller opplysningsplikten til barnevernet",
     ["Ansatte drøfter bekymringen med leder samme dag.", "Meldingen sendes skriftlig og journalføres.",
      "Den som melder har plikt selv om leder er uenig."], ["Barnevernsloven § 13-2"],
     ["solbakken-skole", "eikelund-bhg", "ppt"]),
    ("vann-avlop", "vann", "Prøvetaking av drikkevann",
     "dokumentere at drikkevannet holder kravene i drikkevannsforskriften",
     ["Prøver tas etter prøvetakingsplanen.", "Prøvene leveres akkreditert laboratorium samme dag.",
      "Avvik fra grenseverdier varsles Mattilsynet."], ["Drikkevannsforskriften"], []),
    ("vann-avlop", "beredskap", "Kokevarsel ved forurenset drikkevann",
     "varsle abonnentene raskt når vannet kan være forurenset",
     ["Vakthavende beslutter kokevarsel i samråd med kommuneoverlegen.", "Varsel sendes på SMS og nettsiden.",
      "Varselet oppheves først etter to rene prøver."], ["Drikkevannsforskriften § 18"], []),
    ("vei-park", "vei", "Vintervedlikehold og strøing",
     "holde kommunale veier og gangveier framkommelige og trygge om vinteren",
     ["Brøyting starter ved fem centimeter snø.", "Gangveier ved skoler prioriteres før klokken sju.",
      "Strøing loggføres med tidspunkt og rode."], ["Vegloven", "Kommunens vintervedlikeholdsplan"], []),
    ("vei-park", "hms", "Arbeidsvarsling ved arbeid på vei",
     "beskytte arbeidere og trafikanter ved arbeid på og ved vei",
     ["Arbeidsvarslingsplan godkjennes før arbeidet starter.", "Ansvarshavende har gyldig kurs.",
      "Skilt og sperringer kontrolleres daglig."], ["Håndbok N301 Arbeid på og ved veg"], []),
    ("eiendom", "hms", "Varme arbeider og brannvern",
     "hindre brann ved sveising, skjæring og annet varmt arbeid",
     ["Arbeidstillatelse fylles ut før arbeidet starter.", "Brannvakt er til stede i minst en time etterpå.",
      "Slukkeutstyr står klart på arbeidsstedet."], ["Forskrift om brannforebygging", "Varme arbeider (NS 9600)"], []),
    ("eiendom", "hms", "Stoffkartotek og helsefarlige kjemikalier",
     "sikre trygg bruk og oppbevaring av kjemikalier",
     ["Sikkerhetsdatablad registreres i stoffkartoteket før produktet tas i bruk.",
      "Helsefarlige produkter erstattes der det er mulig.", "Verneutstyr brukes etter databladet."],
     ["Forskrift om utførelse av arbeid kapittel 2"], []),
    ("hr", "hms", "Oppfølging av sykmeldte",
     "følge opp sykmeldte tett og legge til rette for tilbakeføring til arbeid",
     ["Leder tar kontakt innen en uke.", "Oppfølgingsplan lages innen fire uker.",
      "Dialogmøte holdes innen sju uker."], ["Arbeidsmiljøloven § 4-6", "Folketrygdloven kapittel 8"], []),
    ("hr", "hms", "Varsling av kritikkverdige forhold",
     "gjøre det trygt å varsle og sikre at varsler blir behandlet forsvarlig",
     ["Varsel kan sendes til leder, verneombud eller varslingsmottaket.", "Varsleren får tilbakemelding innen to uker.",
      "Gjengjeldelse mot varsler er forbudt."], ["Arbeidsmiljøloven kapittel 2 A"], []),
    ("it", "infosik", "Tilgangsstyring i fagsystemer",
     "sikre at ansatte bare har tilgang til opplysninger de trenger i arbeidet",
     ["Tilgang bestilles av leder i selvbetjeningsportalen.", "Tilganger gjennomgås hvert halvår.",
      "Tilgang fjernes samme dag som arbeidsforholdet opphører."], ["Personopplysningsloven", "Normen"], []),
    ("it", "infosik", "Håndtering av sikkerhetsbrudd og personvernbrudd",
     "begrense skade og oppfylle meldeplikten ved brudd på informasjonssikkerheten",
     ["Bruddet meldes straks til IT-vakt og personvernombudet.", "Datatilsynet varsles innen 72 timer når det kreves.",
      "Berørte personer informeres når risikoen er høy."], ["Personvernforordningen artikkel 33 og 34"], []),
    ("okonomi", "innkjop", "Innkjøp og anskaffelser under terskelverdi",
     "sikre konkurranse og likebehandling ved kommunens innkjøp",
     ["Rammeavtaler brukes når de finnes.", "Minst tre leverandører forespørres over 100 000 kroner.",
      "Anskaffelsesprotokoll føres for kjøp over 100 000 kroner."], ["Anskaffelsesloven", "Anskaffelsesforskriften"], []),
    ("eksempel", "avvik", "Avvikshåndtering i Eksempel kommune",
     "sikre at avvik meldes, følges opp og brukes til læring",
     ["Alle ansatte melder avvik i kvalitetssystemet.", "Nærmeste leder behandler avviket og setter tiltak.",
      "Avviket lukkes når tiltakene er gjennomført og evaluert.", "Kvalitetsutvalget får tertialvis oversikt."],
     ["Kommuneloven § 25-1", "Forskrift om ledelse og kvalitetsforbedring i helse- og omsorgstjenesten"],
     ["oppvekst", "helse", "teknisk", "stab"]),
    ("eksempel", "risiko", "Risikovurdering (ROS) – metode",
     "gi en felles metode for risikovurderinger i alle enheter",
     ["Vurderingen gjøres med de som kjenner aktiviteten.", "Sannsynlighet og konsekvens vurderes på en 5×5-matrise.",
      "Risiko på 13 eller mer krever tiltak med ansvarlig og frist."], ["Kommuneloven § 25-1", "NS 5814"],
     ["oppvekst", "helse", "teknisk", "stab"]),
]  # fmt: skip

DUE_SOON = {2: 12, 7: 20, 13: 25, 21: 9}  # procedure index -> days until next revision
OVERDUE = 25  # "Varme arbeider og brannvern": revision date passed 12 days ago
REVISED = {0: "significant", 3: "minor", 13: "significant", 28: "significant"}
IN_REVIEW = {1}  # a revision waiting for approval
DRAFT_ONLY = "Rutine for bruk av velferdsteknologi (utkast)"


def _body(purpose: str, steps: list[str], refs: list[str], unit_name: str) -> str:
    items = "".join(f"<li>{s}</li>" for s in steps)
    references = "".join(f"<li>{r}</li>" for r in refs)
    return (
        f"<h2>Formål</h2><p>Rutinen skal {purpose}.</p>"
        f"<h2>Omfang</h2><p>Gjelder alle ansatte i {unit_name}.</p>"
        "<h2>Ansvar</h2><p>Leder har ansvar for at rutinen er kjent og fulgt. "
        "Den enkelte ansatte har ansvar for å følge den.</p>"
        f"<h2>Arbeidsbeskrivelse</h2><ol>{items}</ol>"
        f"<h2>Referanser</h2><ul>{references}</ul>"
    )


def _approver(document: Document, author):
    chain = [leader.user for leader in leader_chain(document.approval_unit)]
    return next((u for u in chain if u.pk != author.pk), None)


def _author(org, code: str):
    if org.units[code].depth <= 2:  # the municipality's and sectors' own procedures
        return org.advisors[0]
    staff = org.employees.get(code) or []
    if staff:
        return staff[0]
    return org.leaders.get(code) or org.advisors[0]


def _processes() -> dict[str, Process]:
    found: dict[str, Process] = {}
    for code, name, kind, children in PROCESSES:
        root = Process.objects.filter(code=code).first() or Process.add_root(
            code=code, name=name, kind=kind
        )
        found[code] = root
        for child_code, child_name in children:
            child = Process.objects.filter(code=child_code).first()
            if child is None:
                root.refresh_from_db()
                child = root.add_child(code=child_code, name=child_name, kind=kind)
            found[child_code] = child
    return found


@transaction.atomic
def seed(org) -> str:
    started = timezone.now()
    processes = _processes()
    DocumentTemplate.objects.get_or_create(
        name="Standardmal for rutiner", defaults={"body": TEMPLATE, "is_default": True}
    )
    rng = random.Random(42)
    today = timezone.localdate()
    created = 0
    for i, (code, process, title, purpose, steps, refs, scope) in enumerate(PROCEDURES):
        unit = org.units[code]
        if Document.objects.filter(title=title, unit=unit).exists():
            continue
        author = _author(org, code)
        sector_code = next(
            (c for c, u in org.units.items() if u.depth == 2 and unit.path.startswith(u.path)),
            None,
        )
        document = services.create_document(
            author,
            DocumentData(
                title=title,
                unit=unit,
                body=_body(purpose, steps, refs, unit.name),
                process=processes[process],
                scope=tuple(org.units[c] for c in scope),
                process_owner=org.leaders.get(sector_code) if sector_code else None,
                revision_responsible=org.leaders.get(code) or author,
                reread_months=12 if process in ("legemidler", "smittevern") else None,
            ),
        )
        approver = _approver(document, author)
        version = document.versions.get()
        services.submit(author, version)
        next_revision = today + timedelta(days=DUE_SOON[i]) if i in DUE_SOON else None
        services.approve(approver, version, next_revision)
        if i in REVISED:
            draft = services.start_revision(author, document)
            services.update_draft(
                author,
                draft,
                title=title,
                body=draft.body.replace(
                    "</ol>", "<li>Rutinen gjennomgås på personalmøte hvert år.</li></ol>"
                )
                if REVISED[i] == "significant"
                else draft.body.replace("Leder har", "Enhetsleder har"),
                change_summary="Nytt punkt om årlig gjennomgang."
                if REVISED[i] == "significant"
                else "Språklig korreksjon.",
                significant=REVISED[i] == "significant",
            )
            services.submit(author, draft)
            services.approve(approver, draft, next_revision)
        if i in IN_REVIEW:
            draft = services.start_revision(author, document)
            services.update_draft(
                author,
                draft,
                title=title,
                body=draft.body.replace("samme vakt", "før vaktskiftet"),
                change_summary="Avvik skal meldes før vaktskiftet.",
            )
            services.submit(author, draft)
        document.refresh_from_db()
        if i == OVERDUE:
            past = today - timedelta(days=12)
            Document.objects.filter(pk=document.pk).update(next_revision=past)
            DocumentVersion.objects.filter(pk=document.current_version_id).update(
                next_revision=past
            )
        # Date the approval back so the page reads true: revision date = approval + one year.
        revision = Document.objects.values_list("next_revision", flat=True).get(pk=document.pk)
        if i in DUE_SOON or i == OVERDUE:
            approved_on = revision - timedelta(days=365)
        else:
            approved_on = today - timedelta(days=rng.randint(20, 300))
            revision = services.one_year_after(approved_on)
            Document.objects.filter(pk=document.pk).update(next_revision=revision)
        approved = timezone.make_aware(datetime.combine(approved_on, time(10)))
        DocumentVersion.objects.filter(pk=document.current_version_id).update(
            approved_at=approved, next_revision=revision
        )
        ReadRound.objects.filter(pk=document.current_round_id).update(started_at=approved)
        if i in REVISED:
            # The replaced version was in force the year before ("I kraft på en dato" shows it,
            # its PDF is marked "Utgått").
            DocumentVersion.objects.filter(
                document=document, status=DocumentVersion.Status.SUPERSEDED
            ).update(approved_at=approved - timedelta(days=365), next_revision=approved_on)
        # About two thirds of the readers have confirmed; some rounds are past their deadline.
        receipts = list(
            ReadReceipt.objects.filter(round_id=document.current_round_id).select_related("user")
        )
        for receipt in receipts:
            if rng.random() < 0.65 and receipt.user.username != "ansatt":
                receipt.confirmed_at = approved + timedelta(days=rng.randint(1, 10))
        ReadReceipt.objects.bulk_update(receipts, ["confirmed_at"])
        if i % 4 == 1:
            deadline = today - timedelta(days=rng.randint(2, 20))
            ReadRound.objects.filter(pk=document.current_round_id).update(deadline=deadline)
            ReadReceipt.objects.filter(round_id=document.current_round_id).update(deadline=deadline)
        created += 1
    unit = org.units["hjemmetjenesten"]
    if not Document.objects.filter(title=DRAFT_ONLY, unit=unit).exists():
        services.create_document(
            _author(org, "hjemmetjenesten"),
            DocumentData(
                title=DRAFT_ONLY,
                unit=unit,
                body=TEMPLATE,
                process=processes["pleie"],
            ),
        )
        created += 1
    # The workflow notified authors and approvers while seeding; a demo starts with a quiet inbox.
    Notification.objects.filter(created_at__gte=started, kind__startswith="documents.").update(
        read_at=timezone.now(), email_status=Notification.EmailStatus.NONE
    )
    total = Document.objects.count()
    return f"{created} nye dokumenter ({total} i alt)"
