"""Every kind of upload against a bomb, a malformed file and a file one row over each limit: each refused with a
reason, on the page (422, or 413 over the request's limit), in the CLI (one line, non-zero) and in the background
job, with nothing written; and the file read without holding SQLite's write lock."""

import base64
import io
import json
import random
import sqlite3
import struct
import zipfile
import zlib

import openpyxl
import pytest
from sqlalchemy import func, select

from cxroadmap import uploads
from cxroadmap.audit.models import AuditEvent
from cxroadmap.exchange.spreadsheets.files import Unreadable, read_tables
from cxroadmap.extensions import db
from cxroadmap.initiatives.models import Initiative
from cxroadmap.jobs.models import Job
from cxroadmap.jobs.runner import wait_for_jobs
from cxroadmap.measures.answers import AnswersRefused
from cxroadmap.measures.models import KpiReading
from cxroadmap.organisations.models import Organisation
from cxroadmap.surveys.imports import check_answers
from tests import factories
from tests.helpers import page_text

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


# -- making files ----------------------------------------------------------------------------------------

def _template() -> dict[str, bytes]:
    book = openpyxl.Workbook()
    book.active.append(["Title", "Readiness question"])
    out = io.BytesIO()
    book.save(out)
    archive = zipfile.ZipFile(out)
    return {name: archive.read(name) for name in archive.namelist()}


def xlsx_with(sheet_xml: str | bytes) -> bytes:
    """A real workbook whose first sheet's XML is sheet_xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in _template().items():
            archive.writestr(name, sheet_xml if name == "xl/worksheets/sheet1.xml" else content)
    return out.getvalue()


def _ref(row: int, column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def sheet_xml(rows: int, columns: int, header: bool = True) -> str:
    """A sheet of rows × columns numbers (random, so it packs no tighter than real data), under a header row."""
    lines = []
    if header:
        lines.append('<row r="1">' + "".join(f'<c r="{_ref(1, c)}" t="inlineStr"><is><t>Column {c}</t></is></c>'
                                              for c in range(1, columns + 1)) + "</row>")
    first = 2 if header else 1
    for row in range(first, first + rows):
        lines.append(f'<row r="{row}">' + "".join(f'<c r="{_ref(row, c)}"><v>{random.randint(0, 10**6)}</v></c>'
                                                  for c in range(1, columns + 1)) + "</row>")
    return f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(lines)}</sheetData></worksheet>'


def bomb_xlsx() -> bytes:
    """64 KB holding a million cells in one row: the probe's bomb."""
    row = "<c><v>1</v></c>" * 1_000_000
    return xlsx_with(f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">{row}</row></sheetData></worksheet>')


def csv_text(rows: int, columns: int = 2) -> bytes:
    header = ",".join(["Title", "Readiness question", *[f"x{n}" for n in range(columns - 2)]])
    body = "".join(",".join([f"Idea {n}", "know_customers", *["" for _ in range(columns - 2)]]) + "\n"
                   for n in range(rows))
    return (header + "\n" + body).encode()


class Counted(io.BytesIO):
    """A file that counts how much of it was read."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.taken = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.taken += len(chunk)
        return chunk

    def read1(self, size=-1):
        chunk = super().read1(size)
        self.taken += len(chunk)
        return chunk

    def readinto(self, buffer):
        count = super().readinto(buffer)
        self.taken += count
        return count


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height pixels, with one tiny compressed row behind it."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


def png(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 90, 160)).save(out, "PNG")
    return out.getvalue()


def written() -> tuple:
    """What a refused request must not have changed."""
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(Initiative)),
            db.session.scalar(select(func.count()).select_from(KpiReading)),
            db.session.scalar(select(func.count()).select_from(AuditEvent)),
            tuple(db.session.scalars(select(Organisation.logo_sha256).order_by(Organisation.id))))


# -- spreadsheets, read directly ----------------------------------------------------------------------------

def refusal(filename, content) -> str:
    with pytest.raises(Unreadable) as refused:
        read_tables(filename, content)
    return str(refused.value)


def test_the_spreadsheet_bomb_is_refused_by_its_packing_before_anything_is_unpacked():
    bomb = bomb_xlsx()
    assert len(bomb) < 100_000
    source = Counted(bomb)
    assert "packed more tightly than any spreadsheet" in refusal("bomb.xlsx", source)
    assert source.taken < 2 * len(bomb)  # the directory was read, not a million cells


def test_a_bomb_that_packs_like_real_data_stops_at_the_cell_limit():
    # 70 columns would say "columns" first: 64 columns, rows up to the cell limit and one row more.
    rows = uploads.SHEET_CELLS // uploads.SHEET_COLUMNS + 1
    assert "more than 300,000 cells" in refusal("many.xlsx", xlsx_with(sheet_xml(rows, uploads.SHEET_COLUMNS)))


def test_a_sheet_one_row_or_one_column_over_the_limits_is_refused_and_one_at_them_is_read():
    at_limit = read_tables("rows.xlsx", xlsx_with(sheet_xml(uploads.SHEET_ROWS, 2)))
    assert len(at_limit[0].rows) == uploads.SHEET_ROWS
    assert "more than 5,000 rows" in refusal("rows.xlsx", xlsx_with(sheet_xml(uploads.SHEET_ROWS + 1, 2)))
    assert len(read_tables("wide.xlsx", xlsx_with(sheet_xml(3, uploads.SHEET_COLUMNS)))[0].headers) == 64
    assert "more than 64 columns" in refusal("wide.xlsx", xlsx_with(sheet_xml(3, uploads.SHEET_COLUMNS + 1)))
    # The probe's 4,000 rows × 250 columns, and a row that claims to be the sheet's millionth.
    assert "more than 64 columns" in refusal("probe.xlsx", xlsx_with(sheet_xml(40, 250)))
    far = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>' \
          "</worksheet>"
    assert "more than 5,000 rows" in refusal("far.xlsx", xlsx_with(far))
    assert "more than 64 columns" in refusal("xfd.xlsx", xlsx_with(
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="XFD1"><v>1</v></c></row></sheetData></worksheet>'))


def test_malformed_sheets_and_entity_declarations_are_refused_with_a_reason():
    assert "not well-formed XML" in refusal("cut.xlsx", xlsx_with(f'<worksheet xmlns="{MAIN}"><sheetData><row>'))
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
              f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c t="inlineStr"><is><t>&lol2;</t></is></c></row>'
              "</sheetData></worksheet>")
    assert "declares a document type or entities" in refusal("lol.xlsx", xlsx_with(laughs))
    assert "not a ZIP archive" in refusal("x.xlsx", b"PK\x03\x04 not really a zip")
    broken = bytearray(xlsx_with(sheet_xml(20, 4)))
    broken[len(broken) // 3: len(broken) // 3 + 40] = b"\0" * 40  # a damaged packed part
    assert "damaged" in refusal("broken.xlsx", bytes(broken)) or "cannot be read" in refusal("b.xlsx", bytes(broken))


def test_csv_files_one_row_or_column_over_the_limits_a_long_field_and_no_text_are_refused():
    assert len(read_tables("ok.csv", csv_text(uploads.SHEET_ROWS))[0].rows) == uploads.SHEET_ROWS
    assert "more than 5,000 rows" in refusal("rows.csv", csv_text(uploads.SHEET_ROWS + 1))
    assert "more than 64 columns" in refusal("wide.csv", csv_text(3, uploads.SHEET_COLUMNS + 1))
    long = b"Title,Readiness question\n" + b"x" * (uploads.CSV_FIELD_CHARS + 1) + b",know_customers\n"
    assert "longer than 131,072 characters" in refusal("long.csv", long)
    assert "neither UTF-8 nor Windows text" in refusal("binary.csv", b"Title\n\x81\x8d\x8f\x90\x9d\n")


def test_a_csv_of_a_million_lines_is_read_no_further_than_the_limit():
    source = Counted(csv_text(1_000_000))
    assert "more than 5,000 rows" in refusal("huge.csv", source)
    assert source.taken < len(source.getvalue()) / 50


# -- survey answers --------------------------------------------------------------------------------------

def read_answers(content, max_rows=uploads.ANSWER_ROWS):
    source = io.BytesIO(content) if isinstance(content, bytes) else content
    return check_answers(factories.OrganisationFactory(), "nps", source, max_rows)


def answers_refusal(content) -> list[str]:
    with pytest.raises(AnswersRefused) as refused:
        read_answers(content)
    return refused.value.lines


def test_survey_answers_stop_at_the_cap_plus_one():
    source = Counted(b"score\n" + b"9\n" * 1_000_000)
    assert answers_refusal(source) == ["At most 200,000 answers in one file."]
    assert source.taken < len(source.getvalue()) / 2
    assert read_answers(b"score\n" + b"9\n" * uploads.ANSWER_ROWS).count == uploads.ANSWER_ROWS
    assert answers_refusal(b"score\n" + b"9\n" * (uploads.ANSWER_ROWS + 1)) == ["At most 200,000 answers in one file."]


def test_survey_answers_with_a_field_too_long_too_many_columns_or_no_text_are_refused_by_line():
    long = b"score,comment\n9,fine\n10," + b"x" * (uploads.CSV_FIELD_CHARS + 1) + b"\n"
    assert any("Line 3" in line and "131,072" in line for line in answers_refusal(long))
    wide = ("score," + ",".join(f"q{n}" for n in range(uploads.ANSWER_COLUMNS)) + "\n9\n").encode()
    assert any("more than 256 columns" in line for line in answers_refusal(wide))
    assert answers_refusal(b"score\n\xff\xfe9\n") == ["The file is not UTF-8 text (save the spreadsheet as CSV UTF-8)."]


# -- on the pages: refused with a reason, nothing written, no write lock held --------------------------------

def _sheet_upload(client, slug, content, filename="import.xlsx"):
    return client.post(f"/o/{slug}/initiatives/import", data={"file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


@pytest.mark.parametrize("content, filename, said", [
    (None, "bomb.xlsx", "packed more tightly"),
    (b"PK\x03\x04 not really a zip", "x.xlsx", "not a ZIP archive"),
    (None, "rows.xlsx", "more than 5,000 rows"),
    (None, "rows.csv", "more than 5,000 rows"),
    (b"Title\n\x81\x8d\n", "x.csv", "neither UTF-8"),
])
def test_the_import_page_refuses_each_bad_spreadsheet_and_writes_nothing(client, content, filename, said):
    factories.OrganisationFactory(slug="acme")
    content = content or {"bomb.xlsx": bomb_xlsx, "rows.xlsx": lambda: xlsx_with(sheet_xml(uploads.SHEET_ROWS + 1, 2)),
                          "rows.csv": lambda: csv_text(uploads.SHEET_ROWS + 1)}[filename]()
    before = written()
    response = _sheet_upload(client, "acme", content, filename)
    assert response.status_code == 422 and said in page_text(response)
    confirmed = client.post("/o/acme/initiatives/import", data={
        "content": base64.b64encode(content).decode(), "filename": filename, "confirm": "yes"})
    assert confirmed.status_code == 422 and said in page_text(confirmed)
    assert written() == before


def test_a_spreadsheet_over_the_page_limit_is_refused_unread(client):
    factories.OrganisationFactory(slug="acme")
    response = _sheet_upload(client, "acme", b"x" * (uploads.PAGE_SHEET_BYTES + 1), "big.csv")
    assert response.status_code == 413 and "larger than 1 MB" in page_text(response)


def _holds_no_write_lock(app) -> bool:
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    other = sqlite3.connect(path, timeout=0.05, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


@pytest.mark.parametrize("kind", ["sheet", "answers", "document", "logo"])
def test_an_upload_is_read_while_others_may_still_write(app, client, monkeypatch, kind):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock; PostgreSQL holds no lock while reading")
    organisation = factories.OrganisationFactory(slug="acme")
    factories.KpiFactory(organisation=organisation, code="NPS")
    seen = []

    def watching(reader):
        def read(*args, **kwargs):
            seen.append(_holds_no_write_lock(app))
            return reader(*args, **kwargs)
        return read

    name = {"sheet": "read_xlsx", "answers": "csv_rows", "document": "read_json", "logo": "read_image"}[kind]
    monkeypatch.setattr(uploads, name, watching(getattr(uploads, name)))
    if kind == "sheet":
        response = _sheet_upload(client, "acme", bomb_xlsx())
    elif kind == "answers":
        response = client.post("/o/acme/kpis/NPS/answers", content_type="multipart/form-data", data={
            "answers": (io.BytesIO(b"score\n9\n10\n"), "a.csv"), "taken_on": "2026-05-01"})
    elif kind == "document":
        response = client.post("/o/acme/settings/import", content_type="multipart/form-data", data={
            "file": (io.BytesIO(b"[" * 100_000), "d.json"), "confirm": "yes"})
    else:
        response = client.post("/o/acme/settings/logo", content_type="multipart/form-data",
                               data={"logo": (io.BytesIO(png(40, 20)), "logo.png")})
    # Answers are read twice: checked without the lock, then stored under it once every line is sound.
    assert seen == ([True, False] if kind == "answers" else [True]), response.status_code
    assert _holds_no_write_lock(app)


def test_survey_answers_on_the_page_bomb_long_field_and_one_over(client):
    organisation = factories.OrganisationFactory(slug="acme")
    factories.KpiFactory(organisation=organisation, code="NPS")
    before = written()
    for content, said in ((b"score\n" + b"9\n" * (uploads.ANSWER_ROWS + 1), "At most 200,000 answers"),
                          (b"score,comment\n9," + b"x" * (uploads.CSV_FIELD_CHARS + 1) + b"\n", "131,072"),
                          (b"\xff\xfe\x00s", "not UTF-8")):
        response = client.post("/o/acme/kpis/NPS/answers", content_type="multipart/form-data", data={
            "answers": (io.BytesIO(content), "a.csv"), "taken_on": "2026-05-01"})
        assert response.status_code == 422 and said in page_text(response)
    assert written() == before


def test_documents_on_the_page_bomb_malformed_and_over_the_request_limit(client, app, monkeypatch):
    factories.OrganisationFactory(slug="acme", name="Acme")
    before = written()
    for content, said in ((b"[" * 100_000 + b"]" * 100_000, "nested too deeply"), (b'{"format": ', "not JSON"),
                          (b"\xff\xfe{}", "not UTF-8"), (b'{"n": ' + b"9" * 5000 + b"}", "number too long")):
        response = client.post("/o/acme/settings/import", content_type="multipart/form-data", data={
            "file": (io.BytesIO(content), "d.json"), "confirm": "yes"})
        assert response.status_code == 422 and said in page_text(response)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 64 * 1024)
    response = client.post("/o/acme/settings/import", content_type="multipart/form-data", data={
        "file": (io.BytesIO(json.dumps({"x": "y" * 64 * 1024}).encode()), "d.json"), "confirm": "yes"})
    assert response.status_code == 303  # the form's page again, saying so (web.render_error)
    assert "nothing of it was read" in page_text(client.get(response.location))
    assert written() == before


def test_logos_bomb_malformed_and_one_pixel_or_byte_over(client):
    factories.OrganisationFactory(slug="acme")
    before = written()
    cases = ((png_claiming(100_000, 100_000), "larger than 4000 × 4000"),
             (png(40, 20)[:60], "cannot be read"),
             (png(uploads.LOGO_SIDE + 1, 1), "larger than 4000 × 4000"),
             (png(10, 10) + b"\0" * uploads.LOGO_BYTES, "larger than 1 MB"))
    for content, said in cases:
        response = client.post("/o/acme/settings/logo", content_type="multipart/form-data",
                               data={"logo": (io.BytesIO(content), "logo.png")})
        assert response.status_code == 422 and said in page_text(response), said
    assert written() == before
    ok = client.post("/o/acme/settings/logo", content_type="multipart/form-data",
                     data={"logo": (io.BytesIO(png(uploads.LOGO_SIDE, 1)), "logo.png")})
    assert ok.status_code == 302


# -- in the background and on the command line ----------------------------------------------------------

def test_a_bomb_imported_in_the_background_fails_its_job_and_writes_nothing(app, client, monkeypatch):
    factories.OrganisationFactory(slug="acme")
    monkeypatch.setitem(app.config, "BACKGROUND_IMPORT_BYTES", 1000)
    before = written()
    for path, data in (("/o/acme/initiatives/import", {"file": (io.BytesIO(bomb_xlsx()), "bomb.xlsx")}),
                       ("/o/acme/settings/import", {"file": (io.BytesIO(b"[" * 100_000), "d.json"),
                                                    "confirm": "yes"})):
        assert client.post(path, data=data, content_type="multipart/form-data").status_code == 302
        wait_for_jobs(app)
    db.session.expire_all()
    jobs = list(db.session.scalars(select(Job).order_by(Job.created_at)))
    assert [job.state for job in jobs] == ["failed", "failed"]
    assert "packed more tightly" in jobs[0].problems[0] and "nested too deeply" in jobs[1].problems[0]
    assert written()[:2] == before[:2]


def test_the_command_line_says_one_line_and_exits_non_zero(runner, tmp_path):
    organisation = factories.OrganisationFactory(slug="acme")
    factories.KpiFactory(organisation=organisation, code="NPS")
    before = written()
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(bomb_xlsx())
    laughs = tmp_path / "laughs.xlsx"
    laughs.write_bytes(xlsx_with('<!DOCTYPE x [<!ENTITY a "b">]><worksheet/>'))
    answers = tmp_path / "answers.csv"
    answers.write_bytes(b"score\n" + b"9\n" * 1_000_001)
    document = tmp_path / "deep.json"
    document.write_bytes(b"[" * 100_000)
    for args, said in ((["import-sheet", "acme", str(bomb)], "packed more tightly"),
                       (["import-sheet", "acme", str(laughs)], "declares a document type"),
                       (["kpi", "import-answers", "acme", "NPS", str(answers), "--on", "2026-05-01"],
                        "At most 1,000,000 answers"),
                       (["import", str(document)], "nested too deeply")):
        result = runner.invoke(args=args)
        assert result.exit_code == 1 and said in result.output and "Traceback" not in result.output, result.output
    assert written() == before
