"""An organisation's logo: an uploaded PNG or JPEG checked and re-encoded so that nothing but its pixels is kept."""

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps

from cxroadmap import uploads
from cxroadmap.errors import DomainError
from cxroadmap.i18n import _

LONGEST_SIDE = 1000  # a larger logo is scaled down to this on its longer side: enough for print, light for pages

_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


@dataclass(frozen=True)
class CleanLogo:
    png: bytes
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.png).hexdigest()


def refuse(message: str) -> DomainError:
    return DomainError({"logo": message})


def clean_logo(data: bytes) -> CleanLogo:
    """The image in data as a fresh PNG of its pixels alone (no metadata, text, colour profile or further
    frames), scaled down to LONGEST_SIDE; DomainError on the field "logo" for anything else. The limits of its weight
    and size, and how it is opened safely, are cxroadmap.uploads'."""
    try:
        pixels = _pixels(uploads.read_image(data, _SIGNATURES))
    except uploads.UploadRefused as refused:
        raise refuse(str(refused)) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise refuse(_("The image cannot be read: the file is damaged or incomplete. Save it again and upload "
                       "it once more.")) from None
    buffer = io.BytesIO()
    pixels.save(buffer, format="PNG", optimize=True)
    return CleanLogo(buffer.getvalue(), *pixels.size)


def _pixels(image: Image.Image) -> Image.Image:
    """A new image holding only image's pixels, upright, in RGB or RGBA, at most LONGEST_SIDE either way."""
    image = ImageOps.exif_transpose(image)  # a photo taken sideways stands up; its EXIF goes below
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if transparent else "RGB")
    if transparent and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    image.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    # Built again from raw pixels, so no info (text, EXIF, ICC profile, gamma) can travel into the PNG.
    return Image.frombytes(image.mode, image.size, image.tobytes())
