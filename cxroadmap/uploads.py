"""Reading what people upload — spreadsheets (XLSX, CSV), survey answers, JSON documents, images — as streams, with
every limit checked before the work it guards: the one place that knows how a hostile file is refused.

Each reader raises UploadRefused with one line for the reader (a bomb, a malformed file, a file over a limit); it
never writes anything, and the views call it before their request takes the database's write lock (see
web.reads_upload).
"""

import contextlib
import csv
import io
import json
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO
from xml.parsers import expat

from cxroadmap.i18n import _

# -- the limits ----------------------------------------------------------------------------------------

PAGE_SHEET_BYTES = 1024 * 1024  # a spreadsheet uploaded on a page (the confirmation carries it back, base64)
SHEET_ROWS = 5000  # rows below the header, per sheet or CSV file
SHEET_COLUMNS = 64
SHEET_CELLS = 300_000  # cells holding something, in the whole file
XLSX_UNPACKED_BYTES = 50 * 1024 * 1024  # what the archive's parts may unpack to, all together
XLSX_RATIO = 100  # how many times larger than it is packed a part over 1 MiB may unpack (real sheets: 4–20)
XLSX_PARTS = 1000
ANSWER_ROWS = 200_000  # survey answers in one CSV file uploaded on a page (MAX_CONTENT_LENGTH stops it sooner)
ANSWER_ROWS_COMMAND = 1_000_000  # survey answers in one CSV file given to `flask kpi import-answers`
ANSWER_COLUMNS = 256  # a survey tool's export carries many columns beside the score
CSV_LINE_CHARS = 1024 * 1024  # one physical line of a CSV file
CSV_FIELD_CHARS = csv.field_size_limit()  # one field (Python's csv module's own limit, 131,072)
LOGO_BYTES = 1024 * 1024
LOGO_SIDE = 4000  # pixels either way, read from the image's header before any pixel is decoded

_RATIO_FROM = 1024 * 1024
_CHUNK = 64 * 1024


class UploadRefused(Exception):
    """The upload cannot be read: one line saying why, in the reader's language."""


class NotText(UploadRefused):
    """A CSV file in none of the text encodings allowed."""


class TooManyRows(UploadRefused):
    """A CSV file with more rows than allowed (it was read no further)."""


def read_limited(stream: BinaryIO, most: int) -> bytes:
    """What a stream holds, read no further than one byte past `most` (the caller compares the length)."""
    return stream.read(most + 1)


def _source(data: bytes | BinaryIO) -> BinaryIO:
    return io.BytesIO(data) if isinstance(data, bytes | bytearray) else data


def _count(number: int) -> str:
    return f"{number:,}"


# -- XLSX ----------------------------------------------------------------------------------------------

@dataclass
class SheetRows:
    """One sheet as read: its title and, per row, its number and its cells (as `cell` made them)."""

    title: str
    rows: list[tuple[int, list]]


def read_xlsx(data: bytes | BinaryIO, cell: Callable = lambda c: c.value) -> list[SheetRows]:
    """Every worksheet of an XLSX file, each row's cells made by cell(openpyxl cell).

    The archive's declared sizes and packing ratios are checked before anything is unpacked, every XML part is then
    streamed once to refuse document type declarations (entities) and to count rows, columns and cells against the
    limits, and only then does openpyxl read the sheets, in its read-only mode, as a stream.
    """
    source = _source(data)
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UploadRefused(_("This is not an XLSX file that can be read (it is not a ZIP archive).")) from None
    with archive:
        _check_archive(archive)
        cells = 0
        for info in archive.infolist():
            if info.filename.lower().endswith((".xml", ".rels")):
                cells += _scan_part(archive, info, cells)
    source.seek(0)
    return _openpyxl_sheets(source, cell)


def _check_archive(archive: zipfile.ZipFile) -> None:
    parts = archive.infolist()
    if len(parts) > XLSX_PARTS:
        raise UploadRefused(_("The XLSX file has more than %(count)s parts.", count=_count(XLSX_PARTS)))
    if sum(info.file_size for info in parts) > XLSX_UNPACKED_BYTES:
        raise UploadRefused(_("The XLSX file would unpack to more than %(size)s MB.",
                              size=XLSX_UNPACKED_BYTES // (1024 * 1024)))
    for info in parts:
        if info.file_size > _RATIO_FROM and info.file_size > XLSX_RATIO * max(info.compress_size, 1):
            raise UploadRefused(_("The XLSX file is packed more tightly than any spreadsheet is (%(part)s unpacks "
                                  "to %(ratio)s times its size): it is not read.", part=info.filename,
                                  ratio=info.file_size // max(info.compress_size, 1)))


# What openpyxl reads rows and cells from (transitional and strict Office Open XML); it ignores other namespaces.
SPREADSHEET_NAMESPACES = {"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                          "http://purl.oclc.org/ooxml/spreadsheetml/main"}
_COLUMN = re.compile(r"([A-Za-z]{1,3})[0-9]*")


def _column_number(reference: str) -> int:
    letters = _COLUMN.match(reference or "")
    if not letters:
        return 0
    number = 0
    for letter in letters[1].upper():
        number = number * 26 + ord(letter) - 64
    return number


class _Counter:
    """Counts the rows, columns and cells of one XML part as expat streams it, refusing at the first excess."""

    def __init__(self, cells_before: int):
        self.cells, self.cells_before = 0, cells_before
        self.rows = self.row_number = self.in_row = 0

    def start(self, tag: str, attributes: dict) -> None:
        namespace, _space, local = tag.rpartition(" ")
        if namespace not in SPREADSHEET_NAMESPACES:
            return
        if local == "row":
            self.rows += 1
            self.row_number = int(attributes.get("r") or 0) if str(attributes.get("r", "")).isdigit() else \
                self.row_number + 1
            self.in_row = 0
            if max(self.rows, self.row_number) > SHEET_ROWS + 1:
                raise UploadRefused(_("A sheet has more than %(count)s rows.", count=_count(SHEET_ROWS)))
        elif local == "c" or local == "si":
            self.cells += 1
            self.in_row += 1
            column = _column_number(attributes.get("r", "")) if local == "c" else 0
            if local == "c" and max(self.in_row, column) > SHEET_COLUMNS:
                raise UploadRefused(_("A sheet has more than %(count)s columns.", count=SHEET_COLUMNS))
            if self.cells_before + self.cells > SHEET_CELLS:
                raise UploadRefused(_("The file has more than %(count)s cells.", count=_count(SHEET_CELLS)))


def _refuse_declarations(*args) -> None:
    raise UploadRefused(_("The XLSX file declares a document type or entities, which no spreadsheet needs: it is "
                          "not read."))


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cells_before: int) -> int:
    """Stream one XML part through expat; returns how many cells (and shared strings) it holds."""
    counter = _Counter(cells_before)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_declarations
    parser.EntityDeclHandler = _refuse_declarations
    parser.StartElementHandler = counter.start
    try:
        with archive.open(info) as part:
            while chunk := part.read(_CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise UploadRefused(_("The XLSX file is damaged: %(part)s is not well-formed XML (line %(line)s).",
                              part=info.filename, line=exc.lineno)) from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        # A part that does not unpack (bad CRC, a cut-off archive, encryption, an unknown packing method).
        raise UploadRefused(_("The XLSX file is damaged: %(part)s cannot be unpacked (%(reason)s).",
                              part=info.filename, reason=exc)) from None
    return counter.cells


def _openpyxl_sheets(source: BinaryIO, cell: Callable) -> list[SheetRows]:
    from openpyxl import load_workbook

    sheets = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of extensions and styles it does not read
            book = load_workbook(source, read_only=True, data_only=True)
            try:
                for sheet in book.worksheets:
                    # The dimension a file declares may lie: rows are read as they come, and stop at the limit.
                    sheet.reset_dimensions()
                    rows = []
                    for number, row in enumerate(sheet.iter_rows(), start=1):
                        if number > SHEET_ROWS + 1:
                            raise UploadRefused(_("Sheet %(name)s has more than %(count)s rows.", name=sheet.title,
                                                  count=_count(SHEET_ROWS)))
                        if len(row) > SHEET_COLUMNS:
                            raise UploadRefused(_("Sheet %(name)s has more than %(count)s columns.",
                                                  name=sheet.title, count=SHEET_COLUMNS))
                        rows.append((number, [cell(c) for c in row]))
                    sheets.append(SheetRows(sheet.title, rows))
            finally:
                book.close()
    except UploadRefused:
        raise
    except Exception as exc:  # whatever a crafted file makes openpyxl raise is a refusal, not a 500
        raise UploadRefused(_("This is not an XLSX file that can be read (%(reason)s).",
                              reason=f"{type(exc).__name__}: {exc}"[:200])) from None
    return sheets


# -- CSV -----------------------------------------------------------------------------------------------

def _lines(text: io.TextIOBase, first: str) -> Iterator[str]:
    """The lines of `first` (what was read to choose the dialect, ending with a whole line) then of the rest of the
    text stream, none longer than CSV_LINE_CHARS."""
    yield from io.StringIO(first, newline="")
    while line := text.readline(CSV_LINE_CHARS + 1):
        if len(line) > CSV_LINE_CHARS:
            raise UploadRefused(_("A line of the file is longer than %(count)s characters.",
                                  count=_count(CSV_LINE_CHARS)))
        yield line


def csv_rows(data: bytes | BinaryIO, dialect_of: Callable[[str], type[csv.Dialect]], *, max_rows: int,
             max_columns: int, encodings: tuple[str, ...] = ("utf-8-sig",)) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV file as (line number, fields), the header first, read as a stream in the first of the
    encodings it is written in; the dialect is chosen from the first 4 KB (dialect_of). UploadRefused at the first
    row past max_rows (below the header) or max_columns, at a line or field too long; NotText when no encoding
    fits (a stream that cannot be rewound can be read in the first only)."""
    source = _source(data)
    start = source.tell() if source.seekable() else 0
    for attempt, encoding in enumerate(encodings):
        if attempt:
            if not source.seekable():
                break
            source.seek(start)
        text = io.TextIOWrapper(source, encoding=encoding, newline="")
        # Rows are kept to be given once the encoding is known to fit; in the last encoding tried they are given as
        # they are read, so a large file is never held whole.
        last = attempt == len(encodings) - 1
        rows: list = []
        count = 0
        try:
            sample = text.read(4096)
            sample += text.readline(CSV_LINE_CHARS)
            reader = csv.reader(_lines(text, sample), dialect_of(sample))
            for row in reader:
                if not any(field.strip() for field in row):
                    continue  # blank lines say nothing, and count for nothing
                if count > max_rows:  # the header and max_rows rows below it are read already
                    raise TooManyRows(_("The file has more than %(count)s rows.", count=_count(max_rows)))
                if len(row) > max_columns:
                    raise UploadRefused(_("Line %(line)s has more than %(count)s columns.", line=reader.line_num,
                                          count=max_columns))
                count += 1
                if last:
                    yield reader.line_num, row
                else:
                    rows.append((reader.line_num, row))
        except UnicodeDecodeError:
            if last and count:
                raise NotText(_("The file is not text in %(encodings)s.", encodings=", ".join(encodings))) from None
            continue
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise UploadRefused(_("Line %(line)s holds a field longer than %(count)s characters.",
                                      line=max(reader.line_num, 1), count=_count(CSV_FIELD_CHARS))) from None
            raise UploadRefused(_("The CSV cannot be read at line %(line)s: %(reason)s", line=max(reader.line_num, 1),
                                  reason=exc)) from None
        finally:
            with contextlib.suppress(ValueError):  # a generator left unfinished is closed after its stream
                text.detach()
        yield from rows
        return
    raise NotText(_("The file is not text in %(encodings)s.", encodings=", ".join(encodings)))


def first_line_delimiter(sample: str) -> type[csv.Dialect]:
    """Comma, semicolon or tab: whichever the first line holds most of."""
    first = sample.split("\n", 1)[0]

    class Written(csv.excel):
        delimiter = max((",", ";", "\t"), key=first.count)

    return Written


def sniffed(sample: str) -> type[csv.Dialect]:
    """The dialect csv.Sniffer sees in the sample (comma, semicolon or tab separated), else Excel's."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


# -- JSON ----------------------------------------------------------------------------------------------

def read_json(data: bytes | str):
    """The JSON value in data (UTF-8, a byte-order mark allowed), decimals as Decimal; UploadRefused otherwise."""
    if isinstance(data, bytes | bytearray):
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UploadRefused(_("The file is not UTF-8 text.")) from None
    try:
        return json.loads(data, parse_float=Decimal, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise UploadRefused(_("not JSON: %(reason)s at line %(line)s column %(column)s", reason=exc.msg,
                              line=exc.lineno, column=exc.colno)) from None
    except RecursionError:
        raise UploadRefused(_("nested too deeply to be a cxroadmap/1 document")) from None
    except ValueError:  # a whole number of thousands of digits, which Python will not convert
        raise UploadRefused(_("holds a number too long to read")) from None


def _no_constant(name: str):
    raise ValueError(name)  # NaN and Infinity are not JSON


# -- images --------------------------------------------------------------------------------------------

def read_image(data: bytes, kinds: dict[bytes, str]):
    """The image uploaded as a logo, decoded (Pillow), after its signature, weight and size in pixels (read from its
    header alone) were found within the limits; UploadRefused saying which failed."""
    from PIL import Image

    if not data:
        raise UploadRefused(_("Choose a PNG or JPEG file."))
    if len(data) > LOGO_BYTES:
        raise UploadRefused(_("This file is larger than 1 MB. Save the logo smaller and upload it again."))
    kind = next((kind for signature, kind in kinds.items() if data.startswith(signature)), None)
    if kind is None:
        raise UploadRefused(_("This file is not a PNG or JPEG image. Save the logo as PNG or JPEG and upload it "
                              "again."))
    too_large = UploadRefused(_("The image is larger than %(most)s × %(most)s pixels. Scale it down and upload it "
                                "again.", most=LOGO_SIDE))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[kind])  # reads the header alone
            if image.width > LOGO_SIDE or image.height > LOGO_SIDE:
                raise too_large
            image.load()
            return image
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise too_large from None  # Pillow's own limit, met before ours when the header claims billions of pixels
    except (OSError, SyntaxError, ValueError, EOFError):
        raise UploadRefused(_("The image cannot be read: the file is damaged or incomplete. Save it again and "
                              "upload it once more.")) from None
