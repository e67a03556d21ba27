"""How long hostile and limit-sized uploads take to be read or refused, and the memory they take, in-process.

    .venv/bin/python benchmarks/uploads_bench.py

Each file is read by cxroadmap.uploads as the import page, the background import and the CLI read it: the probe's
spreadsheet bomb (64 KB holding a million cells), a workbook of 64 columns just over the cell limit whose data packs
like real data, the largest sheet allowed (5,000 rows × 20 columns), a survey CSV of a million lines and one of
200,000 answers (the limit). Each is read in a process of its own, which prints the wall time and the peak of
Python's allocations (tracemalloc, in a second reading). Nothing is judged: the goal (issue 25) is that no bomb
costs more than a sheet within the limits.
"""

import io
import json
import random
import subprocess
import sys
import zipfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _xlsx(sheet_xml: str) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Title"])
    template = io.BytesIO()
    book.save(template)
    parts = zipfile.ZipFile(template)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in parts.namelist():
            archive.writestr(name, sheet_xml if name == "xl/worksheets/sheet1.xml" else parts.read(name))
    return out.getvalue()


def _sheet(rows: int, columns: int) -> str:
    body = "".join(f'<row r="{r}">' + "".join(f"<c><v>{random.randint(0, 10**6)}</v></c>" for _ in range(columns))
                   + "</row>" for r in range(1, rows + 1))
    return f'<worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>'


def files() -> dict[str, tuple[str, bytes]]:
    bomb = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">{"<c><v>1</v></c>" * 1_000_000}</row></sheetData>' \
           "</worksheet>"
    return {
        "spreadsheet bomb (1,000,000 cells)": ("xlsx", _xlsx(bomb)),
        "dense workbook over the cell limit": ("xlsx", _xlsx(_sheet(4700, 64))),
        "largest sheet allowed (5,000 × 20)": ("xlsx", _xlsx(_sheet(5001, 20))),
        "survey CSV of 1,000,000 lines": ("answers", b"score\n" + b"9\n" * 1_000_000),
        "survey CSV at the limit (200,000)": ("answers", b"score\n" + b"9\n" * 200_000),
    }


def _read(kind: str, data: bytes) -> str:
    from cxroadmap import uploads

    try:
        if kind == "xlsx":
            return f"read, {sum(len(sheet.rows) for sheet in uploads.read_xlsx(data))} rows"
        rows = uploads.csv_rows(data, uploads.sniffed, max_rows=uploads.ANSWER_ROWS, max_columns=256)
        return f"read, {sum(1 for _ in rows) - 1} answers"
    except uploads.UploadRefused as refused:
        return f"refused: {refused}"


def measure(kind: str, path: str) -> dict:
    """Read once for the time, then once more under tracemalloc (which slows allocation) for the memory."""
    import time
    import tracemalloc

    from cxroadmap import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "bench", "SECURE_COOKIES": False})
    data = Path(path).read_bytes()
    with app.test_request_context():
        started = time.perf_counter()
        outcome = _read(kind, data)
        seconds = time.perf_counter() - started
        tracemalloc.start()
        _read(kind, data)
        peak = tracemalloc.get_traced_memory()[1]
    return {"seconds": round(seconds, 2), "peak_mb": round(peak / 2**20, 1), "outcome": outcome[:90]}


def main() -> None:
    import tempfile

    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        print(json.dumps(measure(sys.argv[2], sys.argv[3])))
        return
    with tempfile.TemporaryDirectory() as folder:
        for name, (kind, data) in files().items():
            path = Path(folder) / "upload"
            path.write_bytes(data)
            result = subprocess.run([sys.executable, __file__, "--one", kind, str(path)], capture_output=True,
                                    text=True, check=True)
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            print(f"{name:40} {len(data) / 1024:8.0f} KB  {figures['seconds']:6.2f} s  {figures['peak_mb']:7.1f} MB"
                  f"  {figures['outcome']}")


if __name__ == "__main__":
    main()
