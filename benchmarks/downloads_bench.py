"""How long each spreadsheet, document and meeting PDF download takes to make, in-process, for a large organisation.

    .venv/bin/python benchmarks/downloads_bench.py              # 10,000 initiatives
    .venv/bin/python benchmarks/downloads_bench.py 1000 10000   # other sizes

For each size: a freshly migrated SQLite database in a temporary folder, the organisation of benchmarks/scale.py
(its cxroadmap/1 document of N initiatives, 200 meetings, imported as the CLI does), plus one meeting held
yesterday with 500 red and amber initiatives on its agenda (the most the meeting form takes). Then every download
is made as its view makes it (rows gathered, file written; the default list filter: initiatives not archived),
twice, and the faster time is printed with the processor time and the file's size. Each download is marked with
where it is made for an organisation above BACKGROUND_REPORT_INITIATIVES: those whose rows grow with the
initiatives go to a background job; the rest are made in the request whatever the organisation's size.
Nothing is judged: it is the measurement behind that choice (issue 17), printed for the README.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))
SLUG = "bench"
BIG_AGENDA = 500


def environment(folder: Path) -> dict:
    return {**os.environ, "CXROADMAP_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite'}",
            "CXROADMAP_SECRET_KEY": "benchmark-secret", "CXROADMAP_LANGUAGE": "en",
            "CXROADMAP_INSTANCE_PATH": str(folder), "PYTHONPATH": str(REPOSITORY)}


def build(n: int, folder: Path, env: dict) -> None:
    from benchmarks.scale import document

    subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "cxroadmap", "db", "upgrade"], env=env,
                   check=True, capture_output=True, cwd=REPOSITORY)
    path = folder / "organisation.json"
    path.write_text(json.dumps(document(n, SLUG)), encoding="utf-8")
    subprocess.run([sys.executable, str(REPOSITORY / "benchmarks/scale.py"), "--child", "import", str(path)], env=env,
                   check=True, capture_output=True, cwd=REPOSITORY)


def timed(name: str, work, where: str) -> None:
    best = None
    for _ in range(2):
        started, cpu = time.perf_counter(), time.process_time()
        made = work()
        wall, used = time.perf_counter() - started, time.process_time() - cpu
        best = (wall, used) if best is None or wall < best[0] else best
    print(f"  {name:<38} {best[0]:>7.2f} s {best[1]:>7.2f} s cpu {len(made.content) / 1024:>9,.0f} KB   {where}",
          flush=True)


def measure() -> None:
    """In a child process whose environment names the database: time every download."""
    from flask import g

    from cxroadmap import create_app
    from cxroadmap.audit.services import Actor, set_actor
    from cxroadmap.database import writing
    from cxroadmap.exchange import downloads
    from cxroadmap.exchange.parts import list_sheets, workbook_sheet
    from cxroadmap.exchange.spreadsheets.workbook import answer_period
    from cxroadmap.exchangekit.parts import SheetScope
    from cxroadmap.extensions import db
    from cxroadmap.governance.minutes import Minutes, gather_minutes
    from cxroadmap.governance.services import plan_meeting
    from cxroadmap.governance.steering_pack import SteeringPack, gather_pack
    from cxroadmap.initiatives.models import Initiative
    from cxroadmap.initiatives.services import InitiativeFilter, active_count
    from cxroadmap.organisations.services import organisation_by_slug
    from cxroadmap.timeutil import today, utcnow

    app = create_app()
    with app.test_request_context():
        set_actor(Actor("benchmark"))
        organisation = organisation_by_slug(SLUG)
        g.organisation = organisation
        on, wanted = today(), InitiativeFilter()
        with writing():
            agenda = db.session.scalars(Initiative.scoped_to(organisation).where(
                Initiative.archived.is_(False), Initiative.health.in_(("red", "amber")))
                .order_by(Initiative.id).limit(BIG_AGENDA).with_only_columns(Initiative.id)).all()
            meeting = plan_meeting(organisation, on - timedelta(days=1), "Big review", initiative_ids=list(agenda),
                                   minutes="Went through all of it.")
            db.session.commit()
        print(f"{active_count(organisation):,} initiatives not archived; as made in the request, best of two:",
              flush=True)
        background, request = "job for a large organisation", "in the request"

        def fresh(make):
            def work():
                db.session.expire_all()
                return make()
            return work

        for name in list_sheets():
            for fmt in downloads.FORMATS:
                timed(f"{name}.{fmt}", fresh(lambda name=name, fmt=fmt: downloads.list_spreadsheet(
                    organisation, name, fmt, wanted, 3, on, "en")), background)
        timed("export.xlsx (every area)", fresh(lambda: downloads.workbook(organisation, 3, on, "en")), background)
        timed("export.json (cxroadmap/1)", fresh(lambda: downloads.document(organisation, on)), background)
        scope = SheetScope(on, 3, answer_period(on))
        for name in ("decisions", "actions", "kpis", "kpi-readings", "touchpoints"):
            timed(f"{name}.xlsx", fresh(lambda name=name: downloads.spreadsheet(
                organisation, [workbook_sheet(name).make(organisation, scope)], "xlsx", name, on, "en")), request)

        class Pdf:
            def __init__(self, content):
                self.content = content

        for label, held in (("5", organisation_meeting(organisation, on)), (f"{len(agenda)}", meeting)):
            timed(f"steering pack ({label} on the agenda)", fresh(lambda held=held: Pdf(SteeringPack(
                gather_pack(organisation, held, on, utcnow())).render())), request)
            timed(f"minutes ({label} on the agenda)", fresh(lambda held=held: Pdf(Minutes(
                gather_minutes(organisation, held, on, utcnow())).render())), request)


def organisation_meeting(organisation, on):
    """The last meeting of the benchmark's document held before today (five initiatives on its agenda)."""
    from cxroadmap.extensions import db
    from cxroadmap.governance.models import SteeringMeeting

    return db.session.scalars(SteeringMeeting.scoped_to(organisation).where(
        SteeringMeeting.held_on < on, SteeringMeeting.title != "Big review")
        .order_by(SteeringMeeting.held_on.desc())).first()


def main() -> int:
    sizes = [int(size) for size in sys.argv[1:]] or [10000]
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="cxroadmap-downloads-") as temporary:
            folder = Path(temporary)
            env = environment(folder)
            print(f"downloads of an organisation of {n:,} initiatives (SQLite):", flush=True)
            build(n, folder, env)
            subprocess.run([sys.executable, __file__, "--measure"], env=env, check=True, cwd=REPOSITORY)
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--measure"]:
        measure()
    else:
        sys.exit(main())
