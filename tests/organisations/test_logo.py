"""An organisation's logo: uploaded on the settings page, kept as a clean PNG, shown in the navigation and reports."""

import base64
import io
import json
import struct
import zlib

import pytest
from PIL import Image, PngImagePlugin
from pypdf import PdfReader

from cxroadmap.audit.models import AuditEvent
from cxroadmap.exchange.document.importer import import_text
from cxroadmap.extensions import db
from cxroadmap.organisations.logo import LONGEST_SIDE, clean_logo
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import organisation_by_slug, set_logo
from tests.factories import MeetingFactory, OrganisationFactory
from tests.helpers import field_error, page_text


def png(width=320, height=80, colour=(20, 90, 160), text: str | None = None, mode="RGB") -> bytes:
    image = Image.new(mode, (width, height), colour)
    info = PngImagePlugin.PngInfo()
    if text:
        info.add_text("Comment", text)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def jpeg(width=300, height=120, comment: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    exif[0x013B] = "Ann Artist"  # Artist
    Image.new("RGB", (width, height), (200, 40, 40)).save(buffer, "JPEG", exif=exif, comment=comment)
    return buffer.getvalue()


def chunks(data: bytes) -> list[str]:
    """The chunk types of a PNG, in order."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    found, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        found.append(kind.decode("ascii"))
        at += 12 + length
    return found


def upload(browser, slug: str, data: bytes, filename: str):
    return browser.post(f"/o/{slug}/settings/logo", data={"logo": (io.BytesIO(data), filename)},
                        content_type="multipart/form-data")


def stored(slug: str) -> tuple:
    db.session.expire_all()
    organisation = db.session.scalar(db.select(Organisation).where(Organisation.slug == slug))
    return organisation.logo_sha256, organisation.logo_png, organisation.version


@pytest.fixture
def admin_browser(client_as):
    organisation = OrganisationFactory(slug="brand", name="Van Dijk Onderdelen B.V.")
    db.session.commit()
    return client_as("admin", organisation, name="Anna Admin")


def test_an_administrator_uploads_a_png_and_only_its_pixels_are_kept(admin_browser):
    original = png(640, 160, text="made with SecretTool by someone@example.com")
    assert b"tEXt" in original
    response = upload(admin_browser, "brand", original, "logo.png")
    assert response.status_code == 302 and response.headers["Location"] == "/o/brand/settings"
    assert "Logo saved" in page_text(admin_browser.get("/o/brand/settings"))
    served = admin_browser.get("/o/brand/logo.png")
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert set(chunks(served.data)) <= {"IHDR", "IDAT", "IEND"}
    assert b"SecretTool" not in served.data and b"someone@example.com" not in served.data
    with Image.open(io.BytesIO(served.data)) as image:
        assert image.size == (640, 160) and image.getpixel((10, 10)) == (20, 90, 160)


def test_a_jpeg_loses_its_exif_and_comment_and_becomes_a_png(admin_browser):
    original = jpeg(comment=b"shot by Ann")
    assert b"Ann Artist" in original and b"shot by Ann" in original
    assert upload(admin_browser, "brand", original, "photo.JPG").status_code == 302
    served = admin_browser.get("/o/brand/logo.png").data
    assert served.startswith(b"\x89PNG") and set(chunks(served)) <= {"IHDR", "IDAT", "IEND"}
    assert b"Ann" not in served and b"secret description" not in served
    with Image.open(io.BytesIO(served)) as image:
        assert image.format == "PNG" and not image.info.get("exif")


def test_a_large_logo_is_scaled_down_in_its_proportions_and_transparency_stays():
    logo = clean_logo(png(3000, 600, colour=(0, 0, 0, 0), mode="RGBA"))
    assert (logo.width, logo.height) == (LONGEST_SIDE, 200)
    with Image.open(io.BytesIO(logo.png)) as image:
        assert image.mode == "RGBA" and image.getpixel((5, 5))[3] == 0
    tall = clean_logo(png(200, 1600))
    assert (tall.width, tall.height) == (125, LONGEST_SIDE)


def test_cleaning_a_clean_logo_gives_the_same_bytes():
    once = clean_logo(jpeg())
    assert clean_logo(once.png).png == once.png


def test_an_animated_png_keeps_its_first_frame_alone():
    frames = [Image.new("RGB", (60, 30), colour) for colour in ((255, 0, 0), (0, 255, 0))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "PNG", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert b"acTL" in buffer.getvalue()
    logo = clean_logo(buffer.getvalue())
    assert set(chunks(logo.png)) <= {"IHDR", "IDAT", "IEND"}
    with Image.open(io.BytesIO(logo.png)) as image:
        assert getattr(image, "n_frames", 1) == 1 and image.getpixel((1, 1)) == (255, 0, 0)


def _huge_png_header(width: int, height: int) -> bytes:
    """A PNG that claims width × height pixels and holds almost nothing: decoding it would take gigabytes."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))


BAD = [
    ("notes.png", b"This is a text file, not an image.\n", "not a PNG or JPEG"),
    ("anim.gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
                 b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;", "not a PNG or JPEG"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "not a PNG or JPEG"),
    ("big.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (1024 * 1024 + 10), "larger than 1 MB"),
    ("bomb.png", _huge_png_header(50000, 50000), "larger than 4000 × 4000 pixels"),
    ("wide.png", _huge_png_header(4001, 10), "larger than 4000 × 4000 pixels"),
    ("cut.png", png(400, 400, colour=(1, 2, 3))[:-60], "damaged or incomplete"),
    ("empty.png", b"", "Choose a PNG or JPEG file"),
]


@pytest.mark.parametrize("filename, data, said", BAD, ids=[b[0] for b in BAD])
def test_a_bad_upload_is_refused_beside_the_field_and_changes_nothing(admin_browser, filename, data, said):
    assert upload(admin_browser, "brand", png(), "first.png").status_code == 302
    before = stored("brand")
    events = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent))
    response = upload(admin_browser, "brand", data, filename)
    assert response.status_code == 422
    assert said in field_error(response, "logo")
    assert 'value="Van Dijk Onderdelen B.V."' in response.get_data(as_text=True)  # the settings form is whole
    assert stored("brand") == before
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == events


def test_the_refusal_is_in_dutch_for_a_dutch_reader(client_as):
    organisation = OrganisationFactory(slug="nl", locale="nl")
    db.session.commit()
    browser = client_as("admin", organisation)
    response = upload(browser, "nl", b"GIF89a....", "logo.gif")
    assert response.status_code == 422
    assert "geen PNG- of JPEG-afbeelding" in field_error(response, "logo")


def test_replace_and_remove_are_in_the_audit_trail(admin_browser):
    upload(admin_browser, "brand", png(320, 80), "a.png")
    first = stored("brand")[0]
    upload(admin_browser, "brand", png(200, 100, colour=(1, 1, 1)), "b.png")
    assert stored("brand")[0] != first
    assert admin_browser.post("/o/brand/settings/logo/remove").status_code == 302
    assert stored("brand")[:2] == (None, None)
    assert admin_browser.get("/o/brand/logo.png").status_code == 404
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.object_type == "Organisation")
                                .order_by(AuditEvent.id)).all()
    logo_events = [e for e in events if "logo_width" in e.changes]
    assert [e.changes["logo_width"] for e in logo_events] == [[None, 320], [320, 200], [200, None]]
    assert [e.actor for e in logo_events] == ["Anna Admin"] * 3
    trail = page_text(admin_browser.get("/o/brand/audit"))
    assert "Logo width (pixels)" in trail and "logo_png" not in trail and "logo_sha256" not in trail


def test_the_logo_is_cached_by_its_digest(admin_browser):
    upload(admin_browser, "brand", png(), "a.png")
    digest = stored("brand")[0]
    page = admin_browser.get("/o/brand/").get_data(as_text=True)
    address = f"/o/brand/logo.png?v={digest[:16]}"
    assert f'src="{address}"' in page
    first = admin_browser.get(address)
    assert first.headers["ETag"] == f'"{digest}"'
    assert "immutable" in first.headers["Cache-Control"] and "private" in first.headers["Cache-Control"]
    again = admin_browser.get("/o/brand/logo.png", headers={"If-None-Match": f'"{digest}"'})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["Cache-Control"] == "private, no-cache"


def test_the_navigation_shows_the_logo_with_alt_text_to_every_member(admin_browser, client_as):
    upload(admin_browser, "brand", png(), "a.png")
    viewer = client_as("viewer", db.session.scalar(db.select(Organisation).where(Organisation.slug == "brand")))
    page = viewer.get("/o/brand/initiatives").get_data(as_text=True)
    nav = page.split("<nav", 1)[1].split("</nav>", 1)[0]
    assert 'alt="Logo of Van Dijk Onderdelen B.V."' in nav and "/o/brand/logo.png?v=" in nav
    assert viewer.get("/o/brand/logo.png").status_code == 200
    assert viewer.post("/o/brand/settings/logo/remove").status_code == 403


def test_without_a_logo_the_navigation_has_no_image(admin_browser):
    nav = admin_browser.get("/o/brand/").get_data(as_text=True).split("<nav", 1)[1].split("</nav>", 1)[0]
    assert "<img" not in nav
    assert admin_browser.get("/o/brand/logo.png").status_code == 404


def test_another_organisations_logo_is_a_404(client_as):
    mine, theirs = OrganisationFactory(slug="mine"), OrganisationFactory(slug="theirs")
    set_logo(theirs, png())
    db.session.commit()
    browser = client_as("admin", mine)
    assert browser.get("/o/theirs/logo.png").status_code == 404
    assert upload(browser, "theirs", png(), "x.png").status_code == 404


def _page_images(content: bytes) -> list[int]:
    return [len(page.images) for page in PdfReader(io.BytesIO(content)).pages]


@pytest.mark.parametrize("size", [(900, 150), (150, 900)], ids=["wide", "tall"])
def test_every_report_carries_the_logo_on_its_cover_and_page_headers(admin_browser, size):
    before = _page_images(admin_browser.get("/o/brand/reports/current/roadmap.pdf").data)
    upload(admin_browser, "brand", png(*size), "a.png")
    roadmap = _page_images(admin_browser.get("/o/brand/reports/current/roadmap.pdf").data)
    assert [after - was for after, was in zip(roadmap, before, strict=True)] == [1] * len(roadmap)
    summary = _page_images(admin_browser.get("/o/brand/reports/current/summary.pdf").data)
    assert all(count >= 1 for count in summary)
    organisation = db.session.scalar(db.select(Organisation).where(Organisation.slug == "brand"))
    meeting = MeetingFactory(organisation_id=organisation.id)
    db.session.commit()
    pack = _page_images(admin_browser.get(f"/o/brand/meetings/{meeting.id}/pack.pdf").data)
    assert all(count >= 1 for count in pack)


def test_the_logo_travels_in_the_document_and_round_trips_byte_for_byte():
    from tests.exchange.test_exchange import round_trip, tricky_organisation

    organisation = tricky_organisation()
    set_logo(organisation, jpeg())
    db.session.commit()
    first, second = round_trip(organisation)
    assert first == second
    logo = json.loads(first)["organisation"]["logo"]
    assert base64.b64decode(logo).startswith(b"\x89PNG")
    assert organisation_by_slug("tricky").logo_width == 300


@pytest.mark.parametrize("logo, said", [
    ("not base64!", "organisation.logo: not an image in base64"),
    (base64.b64encode(b"GIF89a....").decode(), "organisation.logo: This file is not a PNG or JPEG image."),
    (17, "organisation.logo: not an image in base64"),
])
def test_a_bad_logo_in_a_document_is_refused_by_its_path(logo, said):
    from tests.exchange.test_exchange import refusals, valid_document

    document = valid_document()
    document["organisation"]["logo"] = logo
    assert any(problem.startswith(said) for problem in refusals(document))


def test_a_document_without_the_logo_key_imports_without_one_and_replacing_keeps_it(client_as):
    from cxroadmap.exchange.document.replace import replace_contents
    from tests.exchange.test_exchange import valid_document

    document = valid_document()
    del document["organisation"]["logo"]
    organisation = import_text(json.dumps(document))
    db.session.commit()
    assert organisation.logo_sha256 is None
    set_logo(organisation, png())
    kept = organisation.logo_sha256
    replace_contents(organisation, json.dumps(document))
    assert organisation.logo_sha256 == kept
    replace_contents(organisation, json.dumps({**document, "organisation": {**document["organisation"], "logo": None}}))
    assert organisation.logo_sha256 is None
