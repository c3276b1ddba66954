"""Attachments: images and PDFs only, recognised by their content; images are re-encoded, which drops hidden
metadata such as the GPS position a phone writes into a photo."""

from __future__ import annotations

from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from comuna.core.errors import Conflict, DomainError, NotAllowed
from comuna.core.images import JPEG, PNG, WEBP, check_pdf, is_pdf, reencode_image

from .models import Attachment, Proposal, ProposalStatus

MAX_BYTES = 5 * 1024 * 1024
MAX_PER_PROPOSAL = 5
IMAGE_FORMATS = frozenset({JPEG, PNG, WEBP})


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
    if is_pdf(raw):
        check_pdf(raw)
        content, content_type, suffix = raw, "application/pdf", ".pdf"
    else:
        content, content_type, suffix = reencode_image(
            raw, IMAGE_FORMATS, wrong_type=_("Attach a JPEG, PNG or WebP image, or a PDF."),
            unreadable=_("This file is neither a readable image nor a PDF, whatever its name says."))
    attachment = Attachment(proposal=proposal, name=f"{stem}{suffix}", content_type=content_type, size=len(content))
    attachment.file.save(f"{stem}{suffix}", ContentFile(content), save=False)
    attachment.save()
    return attachment
