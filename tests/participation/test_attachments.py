"""Attachments are recognised by content, size-limited, stripped of hidden metadata and served with care."""

import io

import pytest
from PIL import Image

from comuna.core.errors import Conflict, DomainError, NotAllowed
from comuna.participation import attachments
from comuna.participation.models import Attachment

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def photo_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "green")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (43.0, 36.0, 16.0)}  # GPS IFD: where the photo was taken
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photo_is_kept_without_its_gps_position(proposal, people):
    raw = photo_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif()  # the upload does carry metadata
    item = attachments.do_attach(people["resident"], proposal, "IMG_0001.jpeg", raw)
    assert item.content_type == "image/jpeg" and item.name == "IMG_0001.jpg"
    stored = Image.open(item.file.open("rb"))
    assert stored.size == (40, 30) and not stored.getexif()


def test_pdf_is_accepted(proposal, people):
    item = attachments.do_attach(people["resident"], proposal, "plan.pdf", PDF)
    assert item.content_type == "application/pdf" and item.size == len(PDF)


@pytest.mark.parametrize(("name", "raw", "code"), [
    ("photo.png", b"MZ\x90\x00\x03 this is a Windows program", "bad_file"),
    ("plan.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\n", "bad_file"),
    ("page.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "bad_file"),
    ("empty.png", b"", "empty_file"),
    ("huge.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024) + b"%%EOF", "file_too_large"),
])
def test_disguised_broken_or_oversized_files_are_refused(proposal, people, name, raw, code):
    with pytest.raises(DomainError) as error:
        attachments.do_attach(people["resident"], proposal, name, raw)
    assert error.value.code == code
    assert not Attachment.objects.exists()


def test_gif_is_not_among_the_accepted_images(proposal, people):
    out = io.BytesIO()
    Image.new("P", (4, 4)).save(out, format="GIF")
    with pytest.raises(DomainError) as error:
        attachments.do_attach(people["resident"], proposal, "anim.gif", out.getvalue())
    assert error.value.code == "bad_file_type"


def test_only_the_author_attaches_and_within_the_limit(proposal, people):
    with pytest.raises(NotAllowed):
        attachments.do_attach(people["outsider"], proposal, "plan.pdf", PDF)
    for index in range(attachments.MAX_PER_PROPOSAL):
        attachments.do_attach(people["resident"], proposal, f"plan{index}.pdf", PDF)
    with pytest.raises(Conflict):
        attachments.do_attach(people["resident"], proposal, "one-more.pdf", PDF)


def test_served_with_its_type_and_no_sniffing(client, signed_in, proposal, people, process):
    item = attachments.do_attach(people["resident"], proposal, "photo.jpg", photo_with_gps())
    response = client.get(f"/attachments/{item.pk}/")
    assert response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"
    process.is_private = True
    process.save()
    assert client.get(f"/attachments/{item.pk}/").status_code == 404
    assert signed_in(people["resident"]).get(f"/attachments/{item.pk}/").status_code == 200


def test_upload_from_the_page(signed_in, proposal, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(people["resident"])
    page = client.post(f"/proposals/{proposal.pk}/attach/",
                       {"file": SimpleUploadedFile("evil.png", b"GIF89a<?php system($_GET['c']); ?>")},
                       follow=True).content.decode()
    assert "neither a readable image nor a PDF" in page and not Attachment.objects.exists()
    client.post(f"/proposals/{proposal.pk}/attach/", {"file": SimpleUploadedFile("plan.pdf", PDF)})
    assert Attachment.objects.get().name == "plan.pdf"
