"""Attachments: images and PDFs only, recognised by their content; images are re-encoded, which drops hidden
metadata such as the GPS position a phone writes into a photo."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from comuna.core.errors import Conflict, DomainError, NotAllowed

from .models import Attachment, Proposal, ProposalStatus

MAX_BYTES = 5 * 1024 * 1024
MAX_PER_PROPOSAL = 5
MAX_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "WEBP": ("image/webp", ".webp")}


def _clean_image(raw: bytes) -> tuple[bytes, str, str]:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # refuse decompression bombs
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(raw)) as image:
            kind = image.format
            if kind not in IMAGE_FORMATS:
                raise DomainError("bad_file_type", _("Attach a JPEG, PNG or WebP image, or a PDF."))
            upright = ImageOps.exif_transpose(image)  # keep the photo the right way up once EXIF is gone
            out = io.BytesIO()
            upright.save(out, format=kind)  # written without EXIF or text chunks
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError):
        raise DomainError("bad_file", _("This file is neither a readable image nor a PDF, whatever its name says.")) from None
    content_type, suffix = IMAGE_FORMATS[kind]
    return out.getvalue(), content_type, suffix


def _check_pdf(raw: bytes) -> None:
    if not raw.startswith(b"%PDF-") or b"%%EOF" not in raw[-2048:]:
        raise DomainError("bad_file", _("This PDF is incomplete or damaged."))


@transaction.atomic
def do_attach(user, proposal: Proposal, name: str, raw: bytes) -> Attachment:
    if proposal.author_id != user.pk:
        raise NotAllowed("not_author", _("Only the author can add files to a proposal."))
    if proposal.status != ProposalStatus.PUBLISHED:
        raise Conflict("not_open", _("This proposal is no longer open."))
    if len(raw) > MAX_BYTES:
        raise DomainError("file_too_large", _("Files can be at most 5 MB."), size=len(raw))
    if not raw:
        raise DomainError("empty_file", _("The file is empty."))
    if proposal.attachments.count() >= MAX_PER_PROPOSAL:
        raise Conflict("too_many_files", _("A proposal can have at most %(max)d files.") % {"max": MAX_PER_PROPOSAL})
    stem = Path(name).stem[:80] or "file"
    if raw.startswith(b"%PDF-"):
        _check_pdf(raw)
        content, content_type, suffix = raw, "application/pdf", ".pdf"
    else:
        content, content_type, suffix = _clean_image(raw)
    attachment = Attachment(proposal=proposal, name=f"{stem}{suffix}", content_type=content_type, size=len(content))
    attachment.file.save(f"{stem}{suffix}", ContentFile(content), save=False)
    attachment.save()
    return attachment
