"""The conversation in the Pol.is export format (comments.csv, votes.csv, participants-votes.csv, summary.csv),
zipped. Statements waiting for a moderator are not published; hidden ones keep their number and votes but not
their text."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from comuna.opinion import MODERATED_OUT, write_polis_export
from comuna.opinion import Statement as MapStatement

from .maps import opinion_map, vote_batch
from .models import Conversation, Moderation, Statement

FILES = ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")


def published_statements(conversation: Conversation) -> list[MapStatement]:
    rows = []
    for s in Statement.objects.filter(conversation=conversation).select_related("author"):
        if s.moderation == Moderation.HIDDEN:
            rows.append(MapStatement(id=s.number, text="", moderated=MODERATED_OUT,
                                     timestamp=int(s.created_at.timestamp() * 1000)))
        elif s.is_votable(conversation):
            rows.append(MapStatement(id=s.number, text=s.text, author_id=s.author.number if s.author else None,
                                     moderated=int(s.moderation), timestamp=int(s.created_at.timestamp() * 1000)))
    return rows


def export_zip(conversation: Conversation) -> bytes:
    statements = published_statements(conversation)
    votes, _last = vote_batch(conversation)
    groups = opinion_map(conversation).groups()
    summary = {"topic": conversation.topic, "url": conversation.get_absolute_url(),
               "conversation-description": conversation.description}
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        write_polis_export(folder, statements, votes, groups=groups, summary=summary)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in FILES:
                archive.write(Path(folder) / name, arcname=name)
    return buffer.getvalue()
