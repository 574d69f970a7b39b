"""The demo's ready-made checklist templates (loaded by ``annual_wheel.demo.seed``).

Vernerunde after Arbeidstilsynet's topics for a safety round, egenkontroll of medication
handling, a fire-safety round and an information-security self-check. Each entry:
(title, description, [(section, question, kind, guidance)]).
"""

YN, SCALE, NUMBER, TEXT, PHOTO = "yes_no", "scale", "number", "text", "photo"

CHECKLISTS = [
    (
        "Vernerunde",
        "Leder og verneombud går gjennom arbeidsmiljøet i enheten minst én gang i året, etter "
        "Arbeidstilsynets tema for vernerunder. Funn meldes som avvik eller føres i "
        "handlingsplanen.",
        [
            (
                "Arbeidsplassen",
                "Er gangveier, trapper og rømningsveier frie for hindringer?",
                YN,
                "Se etter lagret utstyr, ledninger og løse tepper.",
            ),
            ("Arbeidsplassen", "Er arbeidsplassene ryddige og rengjorte?", YN, ""),
            (
                "Arbeidsplassen",
                "Er det meldt skader eller nestenulykker siden forrige runde?",
                YN,
                "Svar «ja» dersom noe er meldt, og kommenter om tiltakene er fulgt opp.",
            ),
            (
                "Ergonomi",
                "Er arbeidsstoler og bord innstilt riktig for dem som bruker dem?",
                YN,
                "",
            ),
            (
                "Ergonomi",
                "Finnes nødvendige løftehjelpemidler, og brukes de?",
                YN,
                "Pasientløftere, sklilaken, traller o.l.",
            ),
            ("Ergonomi", "Hvordan vurderes de ergonomiske forholdene samlet?", SCALE, ""),
            (
                "Kjemikalier",
                "Finnes oppdaterte sikkerhetsdatablad for alle kjemikalier?",
                YN,
                "Stoffkartoteket skal være tilgjengelig for de ansatte.",
            ),
            (
                "Kjemikalier",
                "Oppbevares kjemikalier i merket emballasje og låst der det kreves?",
                YN,
                "",
            ),
            ("Kjemikalier", "Antall kjemikalier uten sikkerhetsdatablad", NUMBER, ""),
            ("Støy, lys og inneklima", "Er belysningen god nok på arbeidsplassene?", YN, ""),
            ("Støy, lys og inneklima", "Er støynivået akseptabelt?", YN, ""),
            (
                "Støy, lys og inneklima",
                "Hvordan vurderes inneklimaet (temperatur, luft)?",
                SCALE,
                "",
            ),
            ("Brann og rømning", "Er rømningsveier og nødutganger merket og frie?", YN, ""),
            (
                "Brann og rømning",
                "Er slokkeutstyret kontrollert det siste året?",
                YN,
                "Se kontrollmerket på apparatet.",
            ),
            ("Brann og rømning", "Har alle ansatte deltatt på brannøvelse siste år?", YN, ""),
            (
                "Psykososialt arbeidsmiljø",
                "Vet de ansatte hvordan de melder avvik og varsler?",
                YN,
                "",
            ),
            ("Psykososialt arbeidsmiljø", "Hvordan vurderes samarbeid og trivsel?", SCALE, ""),
            (
                "Psykososialt arbeidsmiljø",
                "Er det forhold som gir risiko for vold eller trusler?",
                YN,
                "Svar «ja» og beskriv i kommentaren hvis noe er kjent.",
            ),
            (
                "Verneutstyr",
                "Er nødvendig verneutstyr tilgjengelig?",
                YN,
                "Hansker, vernebriller, hørselvern, verneklær.",
            ),
            ("Verneutstyr", "Brukes verneutstyret der det skal?", YN, ""),
            ("Verneutstyr", "Bilde av forhold som bør følges opp", PHOTO, ""),
            ("Oppsummering", "Andre forhold verneombudet vil ta opp", TEXT, ""),
        ],
    ),
    (
        "Egenkontroll legemiddelhåndtering",
        "Årlig egenkontroll av legemiddelhåndteringen etter legemiddelhåndteringsforskriften, "
        "gjerne sammen med farmasøyt.",
        [
            ("Rutiner", "Er enhetens rutine for legemiddelhåndtering oppdatert og kjent?", YN, ""),
            (
                "Rutiner",
                "Har alle som deler ut legemidler dokumentert kompetanse?",
                YN,
                "Delegering og opplæring skal være skriftlig.",
            ),
            (
                "Oppbevaring",
                "Oppbevares legemidler låst og utilgjengelig for uvedkommende?",
                YN,
                "",
            ),
            ("Oppbevaring", "Logges temperaturen i legemiddelkjøleskapet daglig?", YN, ""),
            ("Oppbevaring", "Er det utgåtte legemidler på lager?", YN, ""),
            ("Oppbevaring", "Antall utgåtte pakninger funnet", NUMBER, ""),
            ("Dokumentasjon", "Er legemiddellistene oppdaterte og signert av lege?", YN, ""),
            ("Dokumentasjon", "Stemmer regnskapet for A- og B-preparater?", YN, ""),
            ("Utdeling", "Dobbeltkontrolleres multidose og dosetter ved utdeling?", YN, ""),
            ("Utdeling", "Hvordan vurderes legemiddelhåndteringen samlet?", SCALE, ""),
            ("Oppsummering", "Merknader fra farmasøyt", TEXT, ""),
        ],
    ),
    (
        "Brannvernrunde",
        "Kvartalsvis kontroll av brannvernet i bygget, etter forskrift om brannforebygging.",
        [
            ("Rømning", "Er alle rømningsveier frie og dørene lette å åpne?", YN, ""),
            ("Rømning", "Lyser ledelys og nødlys?", YN, ""),
            ("Rømning", "Henger oppdaterte rømningsplaner synlig?", YN, ""),
            ("Slokkeutstyr", "Er brannslukkere og brannslanger på plass og kontrollert?", YN, ""),
            ("Slokkeutstyr", "Er tilgangen til slokkeutstyret fri?", YN, ""),
            ("Brannalarm", "Er brannalarmanlegget testet denne måneden?", YN, ""),
            (
                "Brannalarm",
                "Har det vært feilalarmer siden forrige runde?",
                YN,
                "Svar «ja» og skriv årsaken i kommentaren.",
            ),
            (
                "Branncellebegrensning",
                "Lukker branndørene seg av seg selv?",
                YN,
                "Branndører skal ikke holdes åpne med kiler.",
            ),
            (
                "Orden",
                "Er det brennbart avfall eller lagring i korridorer og tekniske rom?",
                YN,
                "",
            ),
            ("Oppsummering", "Bilde av avvik", PHOTO, ""),
        ],
    ),
    (
        "Informasjonssikkerhet egenkontroll",
        "Årlig egenkontroll av informasjonssikkerhet og personvern i enheten.",
        [
            (
                "Tilgang",
                "Er tilgangene i fagsystemene gjennomgått siste halvår?",
                YN,
                "Sluttede og omplasserte skal ikke ha tilgang.",
            ),
            ("Tilgang", "Deles brukernavn eller passord mellom ansatte?", YN, ""),
            ("Tilgang", "Låses PC-er når de forlates?", YN, ""),
            (
                "Behandling",
                "Finnes oversikt over enhetens behandlinger av personopplysninger?",
                YN,
                "",
            ),
            (
                "Behandling",
                "Sendes taushetsbelagte opplysninger bare i godkjente kanaler?",
                YN,
                "Ikke e-post eller SMS uten kryptering.",
            ),
            ("Papir", "Oppbevares papirdokumenter med personopplysninger innelåst?", YN, ""),
            ("Papir", "Makuleres papir med personopplysninger?", YN, ""),
            (
                "Opplæring",
                "Har alle ansatte gjennomført opplæring i informasjonssikkerhet?",
                YN,
                "",
            ),
            ("Opplæring", "Vet de ansatte hvordan de melder et brudd på personvernet?", YN, ""),
            ("Oppsummering", "Hvordan vurderes informasjonssikkerheten samlet?", SCALE, ""),
        ],
    ),
]

# Which demo activities are carried out with which checklist (activity title starts with ...).
ACTIVITY_CHECKLISTS = [
    ("Vernerunde", "Vernerunde"),
    ("Internkontroll legemiddelhåndtering", "Egenkontroll legemiddelhåndtering"),
    ("Brannøvelse", "Brannvernrunde"),
]
