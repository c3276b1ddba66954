"""Uploaded images and PDFs, recognised by their content whatever their name says. Images are re-encoded, which
drops hidden metadata such as the GPS position a phone writes into a photo."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import DomainError

MAX_PIXELS = 40_000_000  # larger images are refused as decompression bombs
JPEG, PNG, WEBP = "JPEG", "PNG", "WEBP"
MEDIA_TYPES = {JPEG: ("image/jpeg", ".jpg"), PNG: ("image/png", ".png"), WEBP: ("image/webp", ".webp")}


def reencode_image(raw: bytes, formats: frozenset[str] | set[str], *, wrong_type: str,
                   unreadable: str) -> tuple[bytes, str, str]:
    """The image in `raw` written afresh, without EXIF or text chunks and the right way up; returns the bytes, the
    media type and the file suffix. A readable image of another format is refused with `wrong_type`, anything
    else with `unreadable` (both already translated)."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(raw)) as image:
            kind = image.format
            if kind not in formats:
                raise DomainError("bad_file_type", wrong_type)
            upright = ImageOps.exif_transpose(image)  # keep the photo the right way up once EXIF is gone
            out = io.BytesIO()
            upright.save(out, format=kind)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError):
        raise DomainError("bad_file", unreadable) from None
    content_type, suffix = MEDIA_TYPES[kind]
    return out.getvalue(), content_type, suffix


def is_pdf(raw: bytes) -> bool:
    return raw.startswith(b"%PDF-")


def check_pdf(raw: bytes) -> None:
    """A PDF must at least begin and end as one: a cut-off upload is refused."""
    if not is_pdf(raw) or b"%%EOF" not in raw[-2048:]:
        raise DomainError("bad_file", _("This PDF is incomplete or damaged."))
