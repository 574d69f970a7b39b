"""What a person sees: no main page scrolls sideways, on a phone or a desktop, and the header fits.

Every main page of every module is opened for the roles that see it, at 390 × 844 (a phone) and
1366 × 900 (a laptop). A page is wider than the viewport when ``scrollWidth`` exceeds it; the
offending elements are named in the failure. A screenshot of each page and size is written to
test-results/screenshots/<lang>-<width>/<page>.png for a reviewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from deviations.models import CorrectiveAction
from documents.models import Process, ReadReceipt
from risk import services as risk_services
from tests.annual_wheel.helpers import categories
from tests.deviations.conftest import add_action, report
from tests.documents.factories import published
from tests.e2e.conftest import PHONE, RESULTS
from tests.risk.conftest import item_values

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_SIZE = PHONE  # 390 × 844
DESKTOP_SIZE = {"width": 1366, "height": 900}
HEADER_BUDGET_PHONE = 120  # px of an 844 px screen
SCREENSHOTS = RESULTS / "screenshots"

# The elements that stick out of the viewport and are not inside a scroll container: the
# outermost of each, so a failure names the culprit rather than all its descendants.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    // An absolutely positioned element escapes a scroll box that is not its containing block.
    if (scrolls(el) && getComputedStyle(el).position !== 'absolute') continue;
    if (el.parentElement.getBoundingClientRect().right > width + 1) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '');
    out.push(`${name} ends at ${Math.round(box.right)} px`);
  }
  return out.slice(0, 5);
}"""


@dataclass(frozen=True)
class Main:
    name: str  # the screenshot's file name
    path: str
    roles: tuple[str, ...]  # the first role's view is the one saved as <name>.png


def build_content(org) -> dict[str, str]:
    """A small municipality's content with the long names real ones have; returns the URLs."""
    management = Process.objects.add_root(
        {"name": "Ledelsesprosesser", "code": "ledelse", "kind": "management"}
    )
    Process.objects.add_child(
        management, {"name": "Kvalitetsarbeid og avvikshåndtering", "code": "avvik"}
    )
    support = Process.objects.add_root(
        {"name": "Støtteprosesser", "code": "stotte", "kind": "support"}
    )
    privacy = Process.objects.add_child(
        support, {"name": "Informasjonssikkerhet og personvern", "code": "infosik"}
    )
    document = published(
        org.leader_a1,
        org.leader_a,
        org.unit_a1,
        title="Behandling av personopplysninger i fagsystemet for helse- og omsorgstjenester",
        process=privacy,
    )
    case = report(
        org,
        title="Pasientjournal sendt til feil mottaker i meldingsutvekslingen",
        contains_personal_data=True,
        place="Enhet A1, medisinrommet i andre etasje",
    )
    action = add_action(org, case)
    # Time has passed: the read deadline and the action's deadline are overdue ("(forfalt)").
    overdue = timezone.localdate() - timedelta(days=10)
    ReadReceipt.objects.update(deadline=overdue)
    CorrectiveAction.objects.filter(pk=action.pk).update(deadline=overdue)
    assessment = risk_services.create_assessment(
        actor=org.leader_a1,
        unit=org.unit_a1,
        title="Informasjonssikkerhet i helse- og omsorgstjenestene",
        activity="Behandling av helseopplysninger i journalsystemet",
        assessed_on=date(2026, 11, 1),
    )
    for hazard in (
        "Uautorisert tilgang til pasientjournal via delt pålogging",
        "Feilsendt melding med helseopplysninger",
    ):
        risk_services.add_item(
            actor=org.leader_a1,
            assessment=assessment,
            **item_values(
                hazard=hazard, probability=4, residual_probability=2, residual_consequence=3
            ),
        )
    from annual_wheel import services as wheel_services

    wheel_services.create_activity(
        org.advisor,
        unit=None,
        title="Gjennomgang av internkontrollen i kvalitetsutvalget",
        category=categories()["Internkontroll"],
        recurrence="once",
        start_date=timezone.localdate() + timedelta(days=10),
    )
    from tests.deviations.inspections import authority, finding, inspection

    checked = inspection(
        org,
        authority=authority("Statsforvalteren i Innlandet"),
        theme="Kommunens arbeid med legemiddelhåndtering i hjemmetjenesten og sykehjemmene",
        units=[org.unit_a2],
    )
    late = finding(
        org,
        checked,
        title="Kommunen sikrer ikke at legemiddelhåndteringen er forsvarlig i hjemmetjenesten",
    )
    from deviations.models import InspectionFinding

    InspectionFinding.objects.filter(pk=late.pk).update(deadline=overdue)
    from tests.annual_wheel.helpers import make_checklist

    checklist = make_checklist(
        org.advisor,
        title="Vernerunde etter Arbeidstilsynets tema for helse- og omsorgstjenestene",
        questions=[
            ("Støy, lys og inneklima", "Er belysningen god nok på arbeidsplassene?", "yes_no"),
            ("Psykososialt arbeidsmiljø", "Hvordan vurderes samarbeid og trivsel?", "scale"),
            ("Kjemikalier", "Antall kjemikalier uten sikkerhetsdatablad", "number"),
            ("Oppsummering", "Andre forhold verneombudet vil ta opp", "text"),
            ("Verneutstyr", "Bilde av forhold som bør følges opp", "photo"),
        ],
    )
    draft = wheel_services.start_draft(org.advisor, checklist)
    round_ = wheel_services.start_round(
        org.leader_a1,
        checklist=checklist,
        unit=org.unit_a1,
        date=timezone.localdate(),
        participants=[org.employee_a1],
    )
    failed = round_.version.questions.get(kind="yes_no")
    answer = wheel_services.answer_question(
        org.leader_a1,
        round_,
        failed,
        value="no",
        comment="Lysrøret i korridoren ved medisinrommet har vært defekt i tre uker",
    )
    wheel_services.report_finding(org.leader_a1, answer)
    audit = wheel_services.plan_audit(
        org.advisor,
        title="Legemiddelhåndtering i hjemmetjenesten etter forskrift om legemiddelhåndtering",
        unit=org.unit_a1,
        process=privacy,
        planned_date=timezone.localdate(),
        lead_auditor=org.advisor,
        auditors=[org.employee_b1],
        criteria=[document],
        requirements="Forskrift om legemiddelhåndtering for virksomheter og helsepersonell som "
        "yter helsehjelp, §§ 4 og 7",
    )
    wheel_services.start_audit(org.advisor, audit, opening_date=timezone.localdate())
    wheel_services.add_finding(
        org.advisor,
        audit,
        kind="avvik",
        text="Dosettene kontrolleres ikke mot legemiddelkurven før utdeling i hjemmetjenesten",
        evidence="Stikkprøve av tolv dosetter og intervju med to sykepleiere",
        criterion=document,
    )
    wheel_services.add_finding(
        org.advisor, audit, kind="strength", text="God opplæring av nyansatte i medisinrommet"
    )
    review = wheel_services.start_review(
        org.leader_a1,
        unit=org.unit_a1,
        year=timezone.localdate().year - 1,
        date=timezone.localdate(),
        role="Enhetsleder",
    )
    wheel_services.add_participant(
        org.leader_a1, review, person=org.employee_a1, role="Verneombud og tillitsvalgt"
    )
    control = _control_report(org)
    committee = _committee(org, case)
    return {
        **committee,
        "review": review.get_absolute_url(),
        "control_report": control.get_absolute_url(),
        "control_chapter": (
            f"{control.get_absolute_url()}kapittel/{control.chapters.get(position=1).pk}/"
        ),
        "audit": audit.get_absolute_url(),
        "audit_finding": f"{audit.get_absolute_url()}funn/ny/",
        "audit_report": f"{audit.get_absolute_url()}rapporter/",
        "inspection": checked.get_absolute_url(),
        "finding_form": f"/avvik/tilsyn/{checked.pk}/funn/",
        "checklist": checklist.get_absolute_url(),
        "checklist_draft": draft.get_absolute_url(),
        "round": round_.get_absolute_url(),
        "round_action": f"{round_.get_absolute_url()}svar/{failed.pk}/tiltak/",
        "document": document.get_absolute_url(),
        "case": case.get_absolute_url(),
        "action": f"/avvik/tiltak/{action.pk}/",
        "assessment": assessment.get_absolute_url(),
        "item_form": f"/ros/{assessment.pk}/risiko/ny/",
        "unit": _describe(org.unit_a1),
        "coverage": _required(org, document),
    }


def _required(org, document) -> str:
    """Two required documents of Enhet A1, one fulfilled by the procedure; the coverage page."""
    from documents import services as document_services
    from documents.models import RequiredDocument

    met = RequiredDocument.objects.create(title="Rutine for legemiddelhåndtering", unit=org.unit_a1)
    RequiredDocument.objects.create(
        title="Beredskapsplan for enheten",
        description="Tiltak ved brann, strømbrudd og bortfall av personell.",
        unit_kind="unit",
    )
    document_services.link_requirement(org.advisor, met, org.unit_a1, document)
    return f"/dokumenter/pakrevde/?enhet={org.unit_a1.pk}"


def _control_report(org):
    """A draft report on internal control with the chief executive's overall assessment."""
    from qms.reports import periods
    from qms.reports.control import services as control_services

    report = control_services.create_report(org.chief, org.root, periods.year(2026))
    control_services.save_chapter(
        org.chief,
        report.chapters.get(position=1),
        good="Avvik meldes og følges opp i alle sektorer, og vernerundene er gjennomført.",
        weak="Tilsynsfunn lukkes for sent, og flere rutiner har passert revisjonsdatoen.",
        planned="Ledergruppen følger opp åpne tilsynsfunn hvert tertial.",
    )
    return report


def _committee(org, case) -> dict[str, str]:
    """A committee with a long name; a coming meeting with the personal-data case referred
    through its summary, and a meeting whose minutes are published."""
    from annual_wheel import services as wheel_services

    committee = wheel_services.create_committee(
        org.advisor,
        name="Kvalitetsutvalget for helse, omsorg og velferdsteknologi i Sektor A",
        kind="quality",
        unit=org.sector_a,
    )
    for user, role, representing in (
        (org.leader_a, "chair", "Kommunalsjef"),
        (org.advisor, "secretary", "Kvalitetsrådgiver"),
        (org.leader_a1, "member", "Verneombud for hjemmetjenesten og sykehjemmene"),
    ):
        wheel_services.set_member(
            org.advisor, committee, user, role=role, representing=representing
        )
    coming = wheel_services.plan_meeting(
        org.advisor,
        committee,
        date=timezone.localdate() + timedelta(days=14),
        place="Rådhuset, formannskapssalen i tredje etasje",
    )
    wheel_services.refer_case(
        org.leader_a1,
        coming,
        case,
        title="Helseopplysninger sendt til feil mottaker i meldingsutvekslingen",
        summary="En melding med helseopplysninger ble sendt til feil fastlege. Utvalget bes "
        "vurdere om adresseringen i fagsystemet må kontrolleres.",
    )
    held = wheel_services.plan_meeting(org.advisor, committee, date=timezone.localdate())
    wheel_services.add_free_item(
        org.advisor,
        held,
        title="Avviksstatistikk for andre tertial med utvikling per tjenesteområde",
        summary="Kvalitetsrådgiveren la fram statistikken.",
    )
    wheel_services.hold_meeting(org.advisor, held)
    wheel_services.record_minutes(
        org.advisor,
        held.items.get(),
        discussion="",
        decision="Utvalget tar statistikken til orientering og ber om en egen gjennomgang av "
        "fallulykkene i hjemmetjenesten til neste møte.",
    )
    wheel_services.approve_minutes(org.leader_a, held)
    wheel_services.publish_minutes(org.advisor, held)
    return {
        "committee": committee.get_absolute_url(),
        "meeting": coming.get_absolute_url(),
        "minutes": f"{held.get_absolute_url()}protokoll/",
        "refer": f"/arshjul/utvalg/meld/deviation/{case.pk}/",
    }


def _describe(unit) -> str:
    """A unit with a description and an earlier version of it (the change log); its page."""
    from qms.models import UnitDescription

    description = UnitDescription.objects.create(
        unit=unit,
        main_tasks="Helse- og omsorgstjenester i hjemmet til innbyggere i alle aldre.",
        goals_year=2027,
        goals="Færre fallulykker og flere brukere som mestrer hverdagen hjemme.",
        laws="Forskrift om ledelse og kvalitetsforbedring i helse- og omsorgstjenesten "
        "https://lovdata.no/dokument/SF/forskrift/2016-10-28-1250",
    )
    description.main_tasks += " Dagsenter for personer med demens."
    description.save()
    return unit.get_absolute_url()


def main_pages(urls: dict[str, str]) -> list[Main]:
    everyone = ("employee", "leader", "advisor")
    return [
        Main("start", "/", everyone),
        Main("documents", "/dokumenter/", ("leader", "employee")),
        Main("document", urls["document"], ("employee",)),
        Main("read-list", "/dokumenter/leseliste/", ("employee",)),
        Main("search", "/dokumenter/sok/?q=personopplysninger", ("employee",)),
        Main("document-setup", "/dokumenter/oppsett/", ("advisor",)),
        Main("document-type-form", "/dokumenter/oppsett/typer/ny/", ("advisor",)),
        Main("required-documents", urls["coverage"], ("leader", "advisor")),
        Main("document-import", "/dokumenter/importer/", ("employee",)),
        Main("in-force", "/dokumenter/i-kraft/", ("employee", "leader")),
        Main("report-form", "/avvik/meld/", ("employee",)),
        Main("case", urls["case"], ("leader", "employee")),
        Main("inbox", "/avvik/", ("leader", "advisor")),
        Main("my-cases", "/avvik/mine/", ("employee",)),
        Main("action", urls["action"], ("employee", "leader")),
        Main("inspections", "/avvik/tilsyn/", ("leader", "employee")),
        Main("inspection", urls["inspection"], ("leader", "employee")),
        Main("inspection-form", "/avvik/tilsyn/ny/", ("leader",)),
        Main("finding-form", urls["finding_form"], ("leader",)),
        Main("risk-list", "/ros/", ("leader",)),
        Main("assessment", urls["assessment"], ("leader", "employee")),
        Main("risk-item-form", urls["item_form"], ("leader",)),
        Main("annual-wheel", "/arshjul/", ("advisor", "employee")),
        Main("month-list", "/arshjul/liste/", ("advisor",)),
        Main("checklists", "/arshjul/sjekklister/", ("advisor", "employee")),
        Main("checklist", urls["checklist"], ("advisor", "employee")),
        Main("checklist-editor", urls["checklist_draft"], ("advisor",)),
        Main("rounds", "/arshjul/runder/", ("leader", "employee")),
        Main("round-start", "/arshjul/runder/ny/", ("leader",)),
        Main("round", urls["round"], ("leader", "employee")),
        Main("round-action", urls["round_action"], ("leader",)),
        Main("audits", "/arshjul/revisjoner/", ("advisor", "employee")),
        Main("audit-plan", "/arshjul/revisjoner/ny/", ("advisor",)),
        Main("audit", urls["audit"], ("advisor", "leader")),
        Main("audit-finding", urls["audit_finding"], ("advisor",)),
        Main("audit-report", urls["audit_report"], ("advisor",)),
        Main("reviews", "/arshjul/gjennomganger/", ("leader",)),
        Main("review-start", "/arshjul/gjennomganger/ny/", ("leader",)),
        Main("review", urls["review"], ("leader", "employee")),
        Main("committees", "/arshjul/utvalg/", ("advisor", "employee")),
        Main("committee", urls["committee"], ("employee",)),
        Main("meeting", urls["meeting"], ("advisor", "leader")),
        Main("minutes", urls["minutes"], ("employee",)),
        Main("refer", urls["refer"], ("leader",)),
        Main("statistics", "/statistikk/", ("advisor", "leader")),
        Main("control-reports", "/statistikk/internkontroll/", ("advisor", "leader")),
        Main("control-report", urls["control_report"], ("advisor",)),
        Main("control-chapter", urls["control_chapter"], ("advisor",)),
        Main("units", "/enheter/", ("advisor",)),
        Main("hr-import", "/enheter/import/", ("advisor",)),
        Main("unit", urls["unit"], ("employee",)),
        Main("unit-description", f"{urls['unit']}beskrivelse/", ("leader",)),
        Main("notifications", "/varsler/", ("leader", "employee")),
        Main("absences", "/konto/fravaer/", ("leader", "advisor")),
        Main("two-factor", "/konto/2fa/", ("employee",)),
    ]


def signed_in_state(browser, base_url: str, lang: str, username: str) -> dict:
    """Log in once; the contexts of both sizes start from this storage state."""
    context = browser.new_context(base_url=base_url, locale=lang)
    context.add_cookies([{"name": "django_language", "value": lang, "url": base_url}])
    page = context.new_page()
    page.goto("/konto/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("pw")
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/")
    state = context.storage_state()
    context.close()
    return state


def check_page(page, main: Main, role: str, size: dict, lang: str) -> list[str]:
    problems = []
    response = page.goto(main.path)
    if response is None or response.status != 200:
        return [f"{main.name} ({role}): HTTP {response.status if response else '?'}"]
    shown_in = page.locator("html").get_attribute("lang")
    if shown_in != lang:
        problems.append(f"{main.name} ({role}) is in {shown_in!r}, not {lang!r}")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > size["width"]:
        culprits = page.evaluate(OVERFLOWING)
        problems.append(f"{main.name} ({role}) is {width} px wide: {culprits}")
    if size is PHONE_SIZE:
        header = page.locator(".qms-header").bounding_box()["height"]
        if header > HEADER_BUDGET_PHONE:
            problems.append(f"{main.name} ({role}): the header takes {header:.0f} px")
    folder = SCREENSHOTS / f"{lang}-{size['width']}"
    folder.mkdir(parents=True, exist_ok=True)
    name = main.name if role == main.roles[0] else f"{main.name}-{role}"
    page.screenshot(path=str(Path(folder, f"{name}.png")), full_page=True)
    return problems


# Every main page in bokmål, the default; these in nynorsk and English too (longer words, other
# dates), which keeps the run time reasonable.
OTHER_LANGUAGE_PAGES = {"start", "documents", "report-form", "case", "annual-wheel", "statistics"}


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_no_main_page_is_wider_than_a_phone_or_a_desktop(org, browser, live_server, lang):
    urls = build_content(org)
    users = {"employee": org.employee_a1, "leader": org.leader_a1, "advisor": org.advisor}
    pages = [m for m in main_pages(urls) if lang == "nb" or m.name in OTHER_LANGUAGE_PAGES]
    problems: list[str] = []
    for role, user in users.items():
        state = signed_in_state(browser, live_server.url, lang, user.username)
        for size in (PHONE_SIZE, DESKTOP_SIZE):
            context = browser.new_context(
                base_url=live_server.url, viewport=size, locale=lang, storage_state=state
            )
            page = context.new_page()
            for main in pages:
                if role in main.roles:
                    problems += [
                        f"{size['width']} px: {p}" for p in check_page(page, main, role, size, lang)
                    ]
            context.close()
    assert problems == [], "\n".join(problems)


def test_phone_menu_folds_behind_a_button_and_report_button_stands_out(org, new_page):
    page = new_page(org.employee_a1, viewport=PHONE_SIZE)
    menu = page.get_by_role("button", name="Meny")
    documents = page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Dokumenter"
    )
    assert menu.get_attribute("aria-expanded") == "false"
    assert not documents.is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    documents.click()
    page.wait_for_url("**/dokumenter/")
    page.get_by_role("button", name="Meny").click()
    page.keyboard.press("Escape")
    assert not documents.is_visible()
    assert page.evaluate("document.activeElement.textContent").strip() == "Meny"
    # "Meld avvik" is a filled button in a colour of its own, not text on the header's colour.
    colours = page.evaluate(
        """() => [document.querySelector('.qms-header'), document.querySelector('.qms-report-button')]
            .map(el => getComputedStyle(el).backgroundColor)"""
    )
    header, button = colours
    assert button not in (header, "rgba(0, 0, 0, 0)"), colours


def test_desktop_shows_the_whole_menu_without_a_button(org, new_page):
    page = new_page(org.employee_a1, viewport=DESKTOP_SIZE)
    assert not page.get_by_role("button", name="Meny").is_visible()
    nav = page.get_by_role("navigation", name="Hovedmeny")
    assert nav.get_by_role("link", name="Årshjul").is_visible()
    # An employee has no statistics, so the menu does not offer them.
    assert nav.get_by_role("link", name="Statistikk").count() == 0
