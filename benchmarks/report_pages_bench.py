"""The roadmap report's pages and its cost per page, against the bare-ReportLab anchor.

    .venv/bin/python benchmarks/report_pages_bench.py                  # N = 1000
    .venv/bin/python benchmarks/report_pages_bench.py 1000 --anchor ../shared/bench/baseline_pdf.py

The anchor (`shared/bench/baseline_pdf.py`, found beside the repository or given with --anchor) lays out the
same roadmap content with bare ReportLab; its seconds per page are the unit. The report is the one
benchmarks/report_bench.py builds (N initiatives, 3 estimates each, 200 members, 100 teams), timed from its
gathered data to its bytes. Goals (issue 26): fewer pages than the 314 the 1,000-initiative roadmap had before,
and at most 2.0× the anchor's cost per page. Each figure is printed beside its goal.
"""

import importlib.util
import io
import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

PAGES_BEFORE = {1000: 314}  # the 1,000-initiative roadmap before issue 26
MOST_COST_RATIO = 2.0
ANCHOR_PLACES = (REPOSITORY.parent / "shared/bench/baseline_pdf.py", Path("/work/shared/bench/baseline_pdf.py"))


def pages_of(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def anchor(path: Path, n: int) -> dict:
    """Seconds and pages of the anchor's bare-ReportLab roadmap of n initiatives (best of two)."""
    spec = importlib.util.spec_from_file_location("baseline_pdf", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    best = None
    for _ in range(2):
        out = io.BytesIO()
        started = time.perf_counter()
        module.reportlab_pdf(n, out)
        seconds = time.perf_counter() - started
        best = seconds if best is None else min(best, seconds)
    return {"seconds": best, "pages": pages_of(out.getvalue())}


def report(n: int) -> dict:
    """Seconds (laying out and writing, from gathered data) and pages of the roadmap report of n initiatives."""
    from benchmarks.report_bench import build_organisation
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
            data = gather(organisation, date(2026, 11, 23), datetime.now(UTC), 3, 365)
            started = time.perf_counter()
            content = RoadmapReport(data).render()
            seconds = time.perf_counter() - started
            db.engine.dispose()
    return {"seconds": seconds, "pages": pages_of(content)}


def child(kind: str, n: int, path: str) -> dict:
    return anchor(Path(path), n) if kind == "anchor" else report(n)


def main(arguments: list[str]) -> int:
    path = None
    if "--anchor" in arguments:
        at = arguments.index("--anchor")
        path, arguments = Path(arguments[at + 1]), arguments[:at] + arguments[at + 2:]
    path = path or next((place for place in ANCHOR_PLACES if place.exists()), None)
    if path is None or not path.exists():
        print("The anchor shared/bench/baseline_pdf.py was not found: give it with --anchor PATH.")
        return 2
    n = int(arguments[0]) if arguments else 1000
    figures = {}
    for kind in ("anchor", "report"):  # each in a process of its own, so that neither warms the other's caches
        output = subprocess.run([sys.executable, __file__, "--child", kind, str(n), str(path)], capture_output=True,
                                text=True, check=True).stdout
        figures[kind] = json.loads(output.strip().splitlines()[-1])
    a, r = figures["anchor"], figures["report"]
    anchor_cost, report_cost = a["seconds"] / a["pages"], r["seconds"] / r["pages"]
    ratio = report_cost / anchor_cost
    before = PAGES_BEFORE.get(n)
    print(f"N = {n}")
    print(f"anchor (bare ReportLab)   {a['seconds']:7.2f} s  {a['pages']:4} pages  {1000 * anchor_cost:6.1f} ms/page")
    print(f"roadmap report            {r['seconds']:7.2f} s  {r['pages']:4} pages  {1000 * report_cost:6.1f} ms/page")
    verdicts = [(f"cost per page {ratio:.2f}× the anchor's", f"goal ≤ {MOST_COST_RATIO:.1f}×",
                 ratio <= MOST_COST_RATIO)]
    if before:
        verdicts.append((f"pages {r['pages']}", f"goal < {before} (before)", r["pages"] < before))
    for figure, goal, ok in verdicts:
        print(f"{'met   ' if ok else 'MISSED'} {figure:<34} {goal}")
    return 0 if all(ok for *_, ok in verdicts) else 1


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], int(sys.argv[3]), sys.argv[4])))
    else:
        sys.exit(main(sys.argv[1:]))
