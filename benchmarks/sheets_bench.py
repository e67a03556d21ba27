"""How long writing an XLSX file takes, and how much memory, for rows shaped like the 10,000-initiative workbook.

    .venv/bin/python benchmarks/sheets_bench.py            # 10,000 initiatives' worth of rows
    .venv/bin/python benchmarks/sheets_bench.py 1000

Only the writing is measured (cxroadmap.exchangekit.sheets.write_xlsx): the rows are made first, as the views gather
them, then written once in a fresh process so the peak memory is the writer's and the rows'. The sheets: the
initiatives (20 typed columns), three benefit estimates, four status updates and two milestones for each (the
shape of benchmarks/scale.py's organisation). Processor time is printed beside wall time: on a shared machine the
first is the steadier figure. The goals are issue 29's for the whole workbook at 10,000 initiatives: 4 s and
200 MB; benchmarks/downloads_bench.py measures that workbook end to end.
"""

import resource
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cxroadmap.exchangekit.sheets import Column, Sheet, write_xlsx  # noqa: E402

GOAL_SECONDS, GOAL_MB = 4.0, 200


def sheets(n: int) -> list[Sheet]:
    kinds = ["text", "text", "text", "text", "date", "date", "money", "money", "money", "percent", "percent",
             "whole", "number", "text", "text", "date", "money", "percent", "text", "text"]
    columns = [Column(f"Column {i}", kind) for i, kind in enumerate(kinds)]
    start = date(2026, 1, 1)

    def value(kind: str, i: int, j: int):
        return {"text": f"Initiative {i} =part {j}" if j == 1 else f"text {i}-{j}",
                "date": start + timedelta(days=(i * 7 + j) % 900), "money": Decimal(i * 37 % 100_000) / 4,
                "percent": (i + j) % 100, "whole": i, "number": Decimal("1.25") * j}[kind]

    initiatives = [[value(kind, i, j) for j, kind in enumerate(kinds)] for i in range(n)]
    small = [Column("Ref"), Column("Text"), Column("On", "date"), Column("Amount", "money")]
    rows = [[f"INIT-{i}", f"row {k} of {i}", start + timedelta(days=k), Decimal("12.50") * k]
            for i in range(n) for k in range(9)]
    return [Sheet("Initiatives", columns, initiatives), Sheet("History", small, rows)]


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    made = sheets(n)
    wall, cpu = time.perf_counter(), time.process_time()
    body = write_xlsx(made, "EUR", "en")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = sum(len(sheet.rows) for sheet in made)
    print(f"{n:,} initiatives, {rows:,} rows, {len(body) / 1e6:.1f} MB file")
    print(f"writing: {cpu:.2f} s processor, {wall:.2f} s wall   (goal for the whole workbook: {GOAL_SECONDS} s)")
    print(f"peak memory, rows included: {peak:.0f} MB   (goal: {GOAL_MB} MB)")
    return 0 if cpu <= GOAL_SECONDS and peak <= GOAL_MB else 1


if __name__ == "__main__":
    sys.exit(main())
