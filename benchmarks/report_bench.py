"""Roadmap report speed and memory against bare ReportLab laying out the same tables.

    .venv/bin/python benchmarks/report_bench.py            # N = 1000 and 2000
    .venv/bin/python benchmarks/report_bench.py 250 500    # other sizes

Each size runs in a child process (so its peak memory is its own) on a fresh SQLite database holding one
organisation: N initiatives with 3 benefit estimates each, 200 coalition members and 100 teams.
Targets (issue 4): at N=1000 at most 1.5× the bare time and 250 MB; N=2000 at most 2.2× N=1000.
"""

import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))


def build_organisation(n: int):
    from cxroadmap.benefits.models import BenefitEstimate
    from cxroadmap.coalition.models import CoalitionMember, RoleStatement, Team
    from cxroadmap.extensions import db
    from cxroadmap.initiatives.models import Initiative
    from cxroadmap.maturity.models import StageAssessment
    from cxroadmap.organisations.models import Organisation

    organisation = Organisation(name="Benchmark B.V.", slug="bench", brand_promise="Tomorrow, before ten.",
                                currency="EUR", discount_rate=Decimal("0.08"), target_stage="align")
    db.session.add(organisation)
    db.session.flush()
    db.session.add(StageAssessment(organisation_id=organisation.id, stage="mobilise", assessed_on=date(2026, 1, 1)))
    members = [CoalitionMember(organisation_id=organisation.id, name=f"Member {m}", email=f"m{m}@example.com",
                               function=["Sales", "Service", "Logistics", "IT"][m % 4], title="Manager",
                               coalition_role="member") for m in range(200)]
    db.session.add_all(members)
    for t in range(100):
        team = Team(organisation_id=organisation.id, name=f"Team {t}", function="Operations")
        db.session.add(team)
        db.session.add(RoleStatement(team=team, statement=f"Team {t} keeps the promise by shipping today.",
                                     touchpoints=["Phone", "Webshop"], logged_on=date(2026, 6, 1)))
    db.session.flush()
    questions = ["know_customers", "know_experience", "know_roles"]
    healths = ["green", "green", "amber", "red"]
    start = date(2026, 1, 1)
    for i in range(n):
        initiative = Initiative(
            organisation_id=organisation.id, ref=f"INIT-{i + 1}", title=f"Initiative {i + 1}: improve the delivery "
            f"promise for segment {i % 17}", description="Why and how, in a few sentences. " * 3,
            readiness_question=questions[i % 3], owner_id=members[i % 200].id, status="in_progress",
            health=healths[i % 4], progress=i % 100, start_date=start + timedelta(days=i % 400),
            due_date=start + timedelta(days=200 + i % 500), one_off_cost=Decimal(10000 + i),
            annual_running_cost=Decimal(1000))
        db.session.add(initiative)
        db.session.add_all([
            BenefitEstimate(initiative=initiative, kind="revenue_retention", description="Fewer customers lost",
                            volume=Decimal(1800), rate=Decimal("0.01"), unit_value=Decimal(9500),
                            annual_amount=Decimal("171000.00"), confidence=Decimal("0.6"), ramp_months=6),
            BenefitEstimate(initiative=initiative, kind="revenue_sales", description="Cross-sell",
                            volume=Decimal(900), rate=Decimal("0.02"), unit_value=Decimal(3200),
                            annual_amount=Decimal("57600.00"), confidence=Decimal("0.5"), ramp_months=9),
            BenefitEstimate(initiative=initiative, kind="cost_reduction", description="Fewer calls",
                            annual_amount=Decimal("25000.00"), confidence=Decimal("0.8"), ramp_months=3),
        ])
    db.session.commit()
    return organisation


def bare_reportlab(data) -> float:
    """Seconds for plain ReportLab to lay out the report's initiative and benefit tables, and nothing else.

    The same tables as the roadmap holds (initiatives by readiness question, benefits per initiative, the
    appendix's initiatives in detail and benefit estimates), with the same columns, cell kinds and style, in a
    SimpleDocTemplate: what laying them out costs by itself.
    """
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle

    from cxroadmap.reportkit.document import CONTENT_WIDTH
    from cxroadmap.reportkit.styles import stylesheet, table_style

    styles = stylesheet()
    cell, head = styles["cell"], styles["cell_head"]

    def table(header, rows, widths):
        total = sum(widths)
        built = LongTable([[Paragraph(h, head) for h in header]] + rows,
                          colWidths=[CONTENT_WIDTH * w / total for w in widths], repeatRows=1)
        built.setStyle(TableStyle(table_style()))
        return built

    started = time.perf_counter()
    story = []
    for question in ("know_customers", "know_experience", "know_roles"):
        rows = [[f.initiative.ref, Paragraph(f.initiative.title, cell), f.initiative.status,
                 f.initiative.health, f"{f.initiative.progress}%", str(f.initiative.due_date)]
                for f in data.initiatives if f.initiative.readiness_question == question]
        story.append(table(["Ref", "Initiative", "Status", "Health", "Progress", "Due"], rows,
                           [1.1, 4.6, 1.5, 1.3, 1.1, 1.7]))
    rows = [[f.initiative.ref, Paragraph(f.initiative.title, cell), str(f.initiative.one_off_cost),
             str(f.initiative.annual_running_cost), str(f.case.annual_risk_adjusted), str(f.case.npv),
             Paragraph(str(f.case.payback_months), cell)] for f in data.initiatives]
    story.append(table(["Ref", "Initiative", "One-off", "Running", "A year", "NPV", "Payback"], rows,
                       [1.1, 4, 1.7, 1.7, 1.7, 1.7, 1.4]))
    rows = [[f.initiative.ref, Paragraph(f"<b>{f.initiative.title}</b><br/>{f.initiative.description}<br/>"
                                         f"{f.initiative.readiness_question} · {f.initiative.status} · "
                                         f"{f.initiative.start_date} → {f.initiative.due_date}", cell),
             Paragraph("<br/>".join(str(v) for v in (f.initiative.one_off_cost, f.initiative.annual_running_cost,
                                                      f.case.annual_expected, f.case.annual_risk_adjusted,
                                                      f.case.npv, f.case.payback_months)), cell)]
            for f in data.initiatives]
    story.append(table(["Ref", "Initiative", "Costs and business case"], rows, [1.1, 7, 3.2]))
    rows = [[f.initiative.ref, Paragraph(b.kind, cell), Paragraph(b.description, cell),
             Paragraph(f"{b.volume} × {b.rate} × {b.unit_value}", cell), str(b.confidence), str(b.annual_amount)]
            for f in data.initiatives for b in f.benefits]
    story.append(table(["Ref", "Kind", "Description", "Drivers", "Confidence", "A year"], rows,
                       [1.1, 2, 3.6, 3, 1.2, 1.8]))
    SimpleDocTemplate(io.BytesIO()).build(story)
    return time.perf_counter() - started


def child(n: int) -> dict:
    from cxroadmap import create_app
    from cxroadmap.extensions import db
    from cxroadmap.overview.report_data import gather
    from cxroadmap.overview.roadmap import RoadmapReport

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite", "SECRET_KEY": "bench"})
        with app.app_context():
            db.create_all()
            organisation = build_organisation(n)
            db.session.expire_all()
            started = time.perf_counter()
            data = gather(organisation, date(2026, 11, 23), datetime.now(UTC), 3, 365)
            gathered = time.perf_counter()
            content = RoadmapReport(data).render()
            report_seconds = time.perf_counter() - started
            bare_seconds = bare_reportlab(data)
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            db.engine.dispose()
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(content)).pages)
    return {"n": n, "report_s": report_seconds, "gather_s": gathered - started, "bare_s": bare_seconds,
            "peak_mb": peak_mb, "pages": pages, "bytes": len(content)}


def main(sizes: list[int]) -> int:
    results = []
    for n in sizes:
        output = subprocess.run([sys.executable, __file__, "--child", str(n)], capture_output=True, text=True,
                                check=True).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    print(f"{'N':>6} {'report s':>9} {'(gather)':>9} {'bare s':>8} {'ratio':>6} {'peak MB':>8} {'pages':>6} "
          f"{'PDF KB':>7}")
    for r in results:
        print(f"{r['n']:>6} {r['report_s']:>9.2f} {r['gather_s']:>9.2f} {r['bare_s']:>8.2f} "
              f"{r['report_s'] / r['bare_s']:>6.2f} {r['peak_mb']:>8.0f} {r['pages']:>6} {r['bytes'] // 1024:>7}")
    by_n = {r["n"]: r for r in results}
    verdicts = []
    if 1000 in by_n:
        r = by_n[1000]
        verdicts.append(("N=1000 report ≤ 1.5× bare ReportLab", r["report_s"] / r["bare_s"] <= 1.5))
        verdicts.append(("N=1000 peak memory ≤ 250 MB", r["peak_mb"] <= 250))
    if 1000 in by_n and 2000 in by_n:
        growth = by_n[2000]["report_s"] / by_n[1000]["report_s"]
        print(f"N=2000 / N=1000 report time: {growth:.2f}")
        verdicts.append(("N=2000 ≤ 2.2× N=1000", growth <= 2.2))
    for name, ok in verdicts:
        print(f"{'met ' if ok else 'MISSED'}  {name}")
    return 0 if all(ok for _, ok in verdicts) else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]))))
    else:
        sys.exit(main([int(a) for a in sys.argv[1:]] or [1000, 2000]))
