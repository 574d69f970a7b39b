"""The mixed load of docs/design.md §11 under the production server: gunicorn started exactly as
the image starts it (``-c gunicorn.conf.py``, DEBUG off, the compose file's app environment,
PostgreSQL, the Redis cache), driven from a second process by a bounded client (one thread per
concurrent client, closed loop, keep-alive where the server offers it), reached as Caddy forwards
a browser (the site's Host, ``X-Forwarded-Proto: https``, ``X-Forwarded-For``).

Each client runs the same mix in turn, offset so that every step is in flight at once: the start
page, the documents list and one document (an employee), a leader's inbox, the report form's POST
(an employee, real CSRF token; every POST registers a deviation) and the deviations API (an
advisor). The personas sign in through the login form: the bench reference data with ``--reuse``,
otherwise the demo municipality (seeded when missing). Prints requests/s and p50/p95/p99 per
step and in total at each concurrency, with the budget beside it, and the server's CPU per request.

    . bench-env.sh  # DATABASE_URL, SECRET_KEY, REDIS_URL, ALLOWED_HOSTS of a bench database
    .venv/bin/python -m bench.load --reuse --concurrency 10,20 --seconds 30
    .venv/bin/python manage.py bench --load --reuse
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from bench.budgets import budget_for
from tests.production import Gunicorn, compose_app_environment, free_port

ROOT = Path(__file__).resolve().parent.parent
# The budgets are the bench's (bench/budgets.py): the total's requests/s and p95.
RPS_LABEL = "load: total requests/s"
P95_LABEL = "load: total p95"
CLIENT_IP = "203.0.113.10"


@dataclass
class Step:
    label: str
    persona: str
    method: str
    path: str
    form: dict[str, str] | None = None  # a POST's fields (the CSRF token is added per request)


@dataclass
class Plan:
    host: str
    port: int
    personas: dict[str, tuple[str, str]]  # name -> (username, password)
    steps: list[Step] = field(default_factory=list)
    concurrency: int = 10
    seconds: float = 30.0
    warmup: float = 5.0


# --- The personas and the mix (run in the parent, with Django) ------------------------------


def mixed_steps(reuse: bool) -> tuple[dict[str, tuple[str, str]], list[Step]]:
    """The personas (signed in through the form) and the six steps of the mix."""
    from django.utils import timezone

    from deviations.forms import unit_choices
    from deviations.models import Deviation
    from documents.models import Document
    from qms.models import User

    if reuse:
        from bench import data

        ref = data.load_org()
        if ref is None:
            raise SystemExit("--reuse: this database holds no bench reference data.")
        password = "bench-passord"  # noqa: S105 - bench/data.py's users
        employee, leader, advisor = ref.employee, ref.sector_leader, ref.advisor
        document = Document.objects.filter(number__startswith="BEN-").order_by("pk").first()
    else:
        from qms import demo

        if not User.objects.filter(username="radgiver").exists():
            import io

            from django.core.management import call_command

            call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        password = demo.DEMO_PASSWORD
        employee, leader, advisor = (
            User.objects.get(username=name) for name in ("ansatt", "leder", "radgiver")
        )
        document = Document.objects.filter(status="published").order_by("pk").first()
    if document is None:
        raise SystemExit("No document to open in this database.")
    personas = {
        "employee": (employee.username, password),
        "leader": (leader.username, password),
        "advisor": (advisor.username, password),
    }
    own_unit = next(
        value
        for label, value in unit_choices(employee)
        if isinstance(value, list)  # the "Mine enheter" group
    )[0][0]
    report = {
        "kind": Deviation.Kind.DEVIATION,
        "title": "Lastprøve: feil dose på kveldsmedisinen",
        "description": "Beboer fikk feil dose. Oppdaget ved kontroll av dosett.",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "unit": str(own_unit),
        "severity": str(Deviation.Severity.MINOR.value),
        "place": "Avdeling 1",
    }
    steps = [
        Step("GET / start page (employee)", "employee", "GET", "/"),
        Step("GET /dokumenter/ (employee)", "employee", "GET", "/dokumenter/"),
        Step("GET /dokumenter/<id>/ (employee)", "employee", "GET", f"/dokumenter/{document.pk}/"),
        Step("GET /avvik/ inbox (leader)", "leader", "GET", "/avvik/"),
        Step("POST /avvik/meld/ report (employee)", "employee", "POST", "/avvik/meld/", report),
        Step("GET /api/v1/deviations/ (advisor)", "advisor", "GET", "/api/v1/deviations/"),
    ]
    return personas, steps


# --- The server: gunicorn as the image runs it ------------------------------------------------


class Server(Gunicorn):
    """gunicorn with the repository's gunicorn.conf.py, on a free local port, in this
    process's environment with the compose file's app settings."""

    def __init__(self, log_path: Path):
        port = free_port()
        super().__init__(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "qms.wsgi:application",
            ],
            {**os.environ, **compose_app_environment(), "DEBUG": "false"},
            log_path,
            port,
        )

    def pids(self) -> list[int]:
        """The master and its workers."""
        pids = [self.process.pid]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return pids

    def cpu_seconds(self) -> float:
        """User and system CPU of the master and the workers (Linux /proc)."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def describe(self) -> str:
        """What gunicorn.conf.py gives: worker class, workers, threads."""
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                "from gunicorn.app.wsgiapp import WSGIApplication as A; import sys; "
                "sys.argv=['gunicorn','-c','gunicorn.conf.py','qms.wsgi:application']; "
                "c=A().cfg; print(c.worker_class_str, c.workers, c.threads)",
            ],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        ).stdout.split()
        if len(out) != 3:
            return "gunicorn.conf.py"
        worker_class, workers, threads = out
        return f"gunicorn.conf.py: {workers} {worker_class} workers x {threads} threads"


# --- The client (a second process, no Django) ------------------------------------------------


class Browser:
    """One signed-in person's cookies and one keep-alive connection, as Caddy forwards them."""

    def __init__(self, plan: Plan, cookies: dict[str, str] | None = None):
        self.plan = plan
        self.cookies = dict(cookies or {})
        self.conn = http.client.HTTPConnection("127.0.0.1", plan.port, timeout=60)

    def request(self, method: str, path: str, form: dict | None = None) -> int:
        headers = {
            "Host": self.plan.host,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": CLIENT_IP,
        }
        body = None
        if method == "POST":
            data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **(form or {})}
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{self.plan.host}"
            headers["Referer"] = f"https://{self.plan.host}{path}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                response.read()
                break
            except (http.client.HTTPException, OSError):
                # The server closed a kept-alive connection: one fresh try.
                self.conn.close()
                if attempt == 2:
                    return 0
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status


def sign_in(plan: Plan, username: str, password: str) -> dict[str, str]:
    browser = Browser(plan)
    assert browser.request("GET", "/konto/login/") == 200, "the login page did not answer 200"
    status = browser.request("POST", "/konto/login/", {"username": username, "password": password})
    if status != 302:
        raise SystemExit(f"{username} could not sign in (HTTP {status})")
    return browser.cookies


def drive(plan: Plan) -> dict:
    """Sign the personas in, run the mix with ``plan.concurrency`` clients for the warm-up
    and ``plan.seconds``; the samples (step index, status, ms) of the measured window."""
    sessions = {name: sign_in(plan, *login) for name, login in plan.personas.items()}
    start = time.monotonic()
    measure_from = start + plan.warmup
    stop_at = measure_from + plan.seconds
    wall = time.time() - start  # the window in wall-clock time, for the server's CPU samples
    samples: list[tuple[int, int, float]] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        browsers = {name: Browser(plan, cookies) for name, cookies in sessions.items()}
        mine = []
        i = offset
        while True:
            step = plan.steps[i % len(plan.steps)]
            i += 1
            began = time.monotonic()
            if began >= stop_at:
                break
            status = browsers[step.persona].request(step.method, step.path, step.form)
            ended = time.monotonic()
            if began >= measure_from and ended <= stop_at:
                mine.append((plan.steps.index(step), status, (ended - began) * 1000))
        with lock:
            samples.extend(mine)

    threads = [
        threading.Thread(target=client, args=(n,), daemon=True) for n in range(plan.concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "seconds": plan.seconds,
        "samples": samples,
        "window": [wall + measure_from, wall + stop_at],
    }


# --- Figures --------------------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile (pct in 0–100) of ``values``; 0 for none. The bench's pages
    (bench/harness.py) use it too."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def expected_status(step: Step) -> int:
    return 302 if step.method == "POST" else 200


def report(plan: Plan, result: dict, cpu_seconds: float, write) -> None:
    seconds = result["seconds"]
    samples = result["samples"]
    write(
        f"{'concurrency ' + str(plan.concurrency):<44} {'requests':>8} {'req/s':>7} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}"
    )

    def row(label: str, rows: list, errors: int, budget: str = "") -> str:
        ms = [r[2] for r in rows]
        return (
            f"{label:<44} {len(rows):>8} {len(rows) / seconds:>7.1f} {percentile(ms, 50):>7.0f} "
            f"{percentile(ms, 95):>7.0f} {percentile(ms, 99):>7.0f} {errors:>6}{budget}"
        )

    for index, step in enumerate(plan.steps):
        rows = [s for s in samples if s[0] == index]
        errors = sum(1 for s in rows if s[1] != expected_status(step))
        write(row(step.label, rows, errors))
    errors = sum(1 for s in samples if s[1] != expected_status(plan.steps[s[0]]))
    rps = len(samples) / seconds
    p95 = percentile([s[2] for s in samples], 95)
    rps_budget, p95_budget = budget_for(RPS_LABEL), budget_for(P95_LABEL)
    over = rps_budget.over(rps) or p95_budget.over(p95) or errors
    budget = f"   budget {rps_budget.text()}, p95 {p95_budget.text()}: {'OVER' if over else 'ok'}"
    write(row("total", samples, errors, budget))
    if samples:
        write(f"server CPU per request: {cpu_seconds * 1000 / len(samples):.1f} ms (gunicorn)")
    write("")


def cpu_in(samples: list[tuple[float, float]], begin: float, end: float) -> float:
    """The server's CPU seconds between two wall-clock times, from (time, cpu) samples."""

    def at(moment: float) -> float:
        return min(samples, key=lambda sample: abs(sample[0] - moment))[1]

    return at(end) - at(begin) if samples else 0.0


def run(
    *,
    reuse: bool,
    concurrencies: list[int],
    seconds: float,
    warmup: float,
    write=print,
) -> None:
    """Start the server, drive the mix at each concurrency, print the figures, stop it."""
    from django.conf import settings
    from django.core.management import call_command

    if settings.DEBUG:
        raise SystemExit("The load runs under the production settings: set DEBUG=false.")
    from django.contrib.staticfiles.storage import staticfiles_storage

    # The manifest every page needs, as the image builds it (`manage.py collectstatic` again
    # after a change to the static files).
    if hasattr(staticfiles_storage, "load_manifest") and not staticfiles_storage.load_manifest():
        call_command("collectstatic", "--noinput", verbosity=0)
    personas, steps = mixed_steps(reuse)
    host = settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "127.0.0.1"
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"qms-load-{os.getpid()}.log"
    with Server(log_path) as server:
        write(
            f"mixed load: {server.describe()}, {os.cpu_count()} CPUs; "
            f"{'bench reference data' if reuse else 'demo municipality'}; "
            f"{warmup:.0f} s warm-up, {seconds:.0f} s measured per concurrency"
        )
        for concurrency in concurrencies:
            plan = Plan(
                host=host,
                port=server.port,
                personas=personas,
                steps=steps,
                concurrency=concurrency,
                seconds=seconds,
                warmup=warmup,
            )
            cpu_samples: list[tuple[float, float]] = []
            done = threading.Event()

            def sample_cpu(into=cpu_samples, done=done) -> None:
                while not done.is_set():
                    into.append((time.time(), server.cpu_seconds()))
                    done.wait(0.25)

            sampler = threading.Thread(target=sample_cpu, daemon=True)
            sampler.start()
            completed = subprocess.run(
                [sys.executable, "-m", "bench.load", "--client"],
                cwd=ROOT,
                input=json.dumps(asdict(plan)),
                capture_output=True,
                text=True,
            )
            done.set()
            sampler.join()
            if completed.returncode != 0:
                raise SystemExit(f"the load client failed:\n{completed.stderr[-3000:]}")
            result = json.loads(completed.stdout)
            report(plan, result, cpu_in(cpu_samples, *result["window"]), write)
    write(f"server log: {log_path}")


def client_main() -> None:
    spec = json.loads(sys.stdin.read())
    spec["steps"] = [Step(**step) for step in spec["steps"]]
    spec["personas"] = {k: tuple(v) for k, v in spec["personas"].items()}
    json.dump(drive(Plan(**spec)), sys.stdout)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--reuse", action="store_true", help="the bench reference data")
    parser.add_argument("--concurrency", default="10,20", help="comma-separated, e.g. 10,20")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.client:
        client_main()
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings")
    import django

    django.setup()
    run(
        reuse=args.reuse,
        concurrencies=[int(c) for c in args.concurrency.split(",")],
        seconds=args.seconds,
        warmup=args.warmup,
    )


if __name__ == "__main__":
    main()
