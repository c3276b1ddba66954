"""Importing a Pol.is export: a real conversation through the upload page, the API, filling an empty conversation,
and every kind of malformed upload refused with its file, line and reason, nothing written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from comuna.accounts.services import do_create_api_token
from comuna.audit.models import Event as AuditEvent
from comuna.audit.services import actor_reference
from comuna.conversations import imports, services
from comuna.conversations.maps import opinion_map
from comuna.conversations.models import Conversation, MapState, Participant, Statement, Vote, VoteEvent
from comuna.opinion import read_polis_export

POLIS = Path("/work/shared/data/polis")
BREXIT = POLIS / "brexit-consensus"
FILES = ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")

pytestmark = pytest.mark.skipif(not BREXIT.exists(), reason="the Pol.is open data is not on this machine")


def uploads(folder: Path = BREXIT, **replaced: bytes) -> list[SimpleUploadedFile]:
    """The export's four files as uploads; `replaced` swaps a file's content (votes_csv=b"...")."""
    files = []
    for name in FILES:
        content = replaced.get(name.replace("-", "_").replace(".", "_"), (folder / name).read_bytes())
        files.append(SimpleUploadedFile(name, content, content_type="text/csv"))
    return files


def zipped(folder: Path = BREXIT, inside: str = "") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in (*FILES, "stats-history.csv"):
            archive.write(folder / name, arcname=f"{inside}{name}")
    return SimpleUploadedFile("export.zip", buffer.getvalue(), content_type="application/zip")


def nothing_written() -> bool:
    return not (Conversation.objects.exists() or Statement.objects.exists() or Participant.objects.exists()
                or VoteEvent.objects.exists() or AuditEvent.objects.filter(action__startswith="conversations.")
                .exists())


def post_page(client, files, slug="brexit", **fields):
    return client.post("/spheres/city/conversations/import/", {"slug": slug, "files": files, **fields})


def test_an_official_imports_a_real_pol_is_export_through_the_upload_page(signed_in, people):
    client = signed_in(people["official"])
    page = client.get("/spheres/city/conversations/").content.decode()
    assert 'href="/spheres/city/conversations/import/"' in page
    assert 'enctype="multipart/form-data"' in client.get("/spheres/city/conversations/import/").content.decode()

    response = post_page(client, uploads(), follow=False)
    assert response.status_code == 302 and response.url == "/conversations/brexit/"
    conversation = Conversation.objects.get(slug="brexit")
    export = read_polis_export(BREXIT)
    assert conversation.topic == export.summary["topic"]  # no question given: the export's own
    assert Statement.objects.filter(conversation=conversation).count() == len(export.statements) == 50
    assert VoteEvent.objects.filter(conversation=conversation).count() == len(export.votes)
    assert Vote.objects.filter(conversation=conversation).count() == len(export.votes.last_votes())
    # Participants are pseudonymous numbers, Pol.is's own ids, never accounts.
    participants = Participant.objects.filter(conversation=conversation)
    assert not participants.filter(user__isnull=False).exists()
    assert set(participants.values_list("number", flat=True)) == set(export.votes.participant.tolist())
    # The map is computed and stored, with Pol.is's number of groups.
    assert MapState.objects.filter(conversation=conversation).exists()
    assert len(set(opinion_map(conversation).groups().values())) == export.group_count == 2
    event = AuditEvent.objects.get(action="conversations.imported")
    assert event.actor_ref == actor_reference(people["official"]) and event.data["votes"] == len(export.votes)
    assert event.data["statements"] == 50 and event.data["groups"] == 2
    page = client.get(response.url).content.decode()
    assert "Imported: 50 statements" in page and '<svg id="opinion-map"' in page


def test_a_moderator_imports_a_zip_with_a_question_of_their_own(signed_in, people):
    client = signed_in(people["moderator"])
    response = post_page(client, [zipped(inside="brexit-consensus/")], slug="brexit-zip",
                         topic="What should Labour do about Brexit?")
    assert response.status_code == 302
    conversation = Conversation.objects.get(slug="brexit-zip")
    assert conversation.topic == "What should Labour do about Brexit?"
    assert VoteEvent.objects.filter(conversation=conversation).count() == 5312


@pytest.mark.parametrize(("replace", "file", "line", "reason"), [
    ({"votes_csv": b"timestamp,datetime,comment-id,voter,vote\n1,x,0,1,1\n"}, "votes.csv", 1, "missing column"),
    ({"votes_csv": b"timestamp,datetime,comment-id,voter-id,vote\n1500000000000,x,0,1,1\n1500000000001,x,9999,3,1\n"},
     "votes.csv", 3, "statement 9999 is not in comments.csv"),
    ({"votes_csv": b"timestamp,datetime,comment-id,voter-id,vote\n1500000000000,x,0,1,2\n"}, "votes.csv", 2,
     "is not 1 (agree), -1 (disagree) or 0 (pass)"),
    ({"comments_csv": b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe"}, "comments.csv", 1, "not UTF-8 text"),
    ({"votes_csv": b"timestamp,datetime,comment-id,voter-id,vote\n1500000000000,x,0,-4,1\n"}, "votes.csv", 2,
     "out of range"),
])
def test_a_malformed_export_is_refused_on_the_page_with_file_line_and_reason(signed_in, people, replace, file, line,
                                                                             reason):
    client = signed_in(people["official"])
    response = post_page(client, uploads(**replace))
    assert response.status_code == 200
    alert = response.content.decode().split('id="import-errors" role="alert"')[1].split("</div>")[0]
    assert f"{file}, line {line}:" in alert and reason in alert
    assert nothing_written()


def test_files_that_are_not_an_export_are_refused(signed_in, people):
    client = signed_in(people["official"])
    photo = SimpleUploadedFile("photo.png", b"\x89PNG\r\n", content_type="image/png")
    page = post_page(client, [photo]).content.decode()
    assert "“photo.png” is not part of a Pol.is export" in page
    broken = SimpleUploadedFile("export.zip", b"PK\x03\x04 not really a zip", content_type="application/zip")
    page = post_page(client, [broken]).content.decode()
    assert "“export.zip” is not part of a Pol.is export" in page
    page = post_page(client, uploads()[1:]).content.decode()  # comments.csv left out
    assert "comments.csv: the file is missing." in page
    assert nothing_written()


def test_an_export_too_large_is_refused_before_it_is_read(signed_in, people, monkeypatch):
    monkeypatch.setattr(imports, "MAX_IMPORT_BYTES", 100_000)
    client = signed_in(people["official"])
    page = post_page(client, uploads()).content.decode()
    assert "The export is larger than" in page
    page = post_page(client, [zipped()]).content.decode()  # the zip is small, what it holds is not
    assert "The export is larger than" in page
    assert nothing_written()


def test_residents_cannot_import(signed_in, people):
    client = signed_in(people["resident"])
    assert 'conversations/import/' not in client.get("/spheres/city/conversations/").content.decode()
    assert client.get("/spheres/city/conversations/import/").status_code == 404
    assert post_page(client, uploads()).status_code == 404
    assert nothing_written()


def test_the_api_imports_and_refuses_with_a_stable_code(client, people):
    _, token = do_create_api_token(people["official"], "importer")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    lines = (BREXIT / "votes.csv").read_bytes().splitlines(keepends=True)
    bad = uploads(votes_csv=b"".join([lines[0], lines[1].replace(b",0\n", b",7\n"), *lines[2:]]))
    response = client.post("/api/v1/conversations/imports/city", {"slug": "brexit", "files": bad}, **auth)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "malformed_export"
    assert body["details"] == {"file": "votes.csv", "line": 2, "reason": "bad_vote"}
    assert "votes.csv, line 2" in body["message"]
    assert nothing_written()

    response = client.post("/api/v1/conversations/imports/city", {"slug": "brexit", "files": [zipped()]}, **auth)
    assert response.status_code == 201
    assert response.json() == {"slug": "brexit", "topic": read_polis_export(BREXIT).summary["topic"],
                               "statements": 50, "participants": 204, "votes": 5312, "groups": 2}

    _, token = do_create_api_token(people["resident"], "resident")
    response = client.post("/api/v1/conversations/imports/city", {"slug": "other", "files": uploads()},
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_an_empty_conversation_is_filled_and_a_used_one_is_refused(signed_in, people, conversation):
    empty = services.build_conversation(conversation.sphere, actor=people["official"], slug="empty-one",
                                        topic="A question asked elsewhere first?")
    client = signed_in(people["official"])
    assert 'href="/conversations/empty-one/import/"' in client.get("/conversations/empty-one/").content.decode()
    assert "/import/" not in client.get("/conversations/the-square/").content.decode()  # it has statements
    response = client.post("/conversations/empty-one/import/", {"files": [zipped()]})
    assert response.status_code == 302
    empty.refresh_from_db()
    assert empty.topic == "A question asked elsewhere first?"
    assert Statement.objects.filter(conversation=empty).count() == 50
    page = client.post("/conversations/empty-one/import/", {"files": [zipped()]}).content.decode()
    assert "already has statements or votes" in page
    page = client.post("/conversations/the-square/import/", {"files": [zipped()]}).content.decode()
    assert "already has statements or votes" in page
    assert Statement.objects.filter(conversation=conversation).count() == 3
    assert AuditEvent.objects.filter(action="conversations.imported").count() == 1


def test_a_new_statement_after_an_import_takes_the_next_number(people, tree):
    conversation = services.do_import_polis_export(people["official"], tree["city"], uploads(), slug="brexit")
    resident = people["resident"]
    statement = services.do_add_statement(resident, conversation, "A statement written after the import.")
    assert statement.number == max(s.id for s in read_polis_export(BREXIT).statements) + 1
    participant = services.participant_for(resident, conversation)
    assert participant.number == 1 + max(Participant.objects.filter(conversation=conversation, user__isnull=True)
                                         .values_list("number", flat=True))
