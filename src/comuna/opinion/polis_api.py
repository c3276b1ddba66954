"""Read a conversation as raw Pol.is API JSON (votes.json, comments.json, conversation.json).

This is the shape of red-dwarf's test fixtures and of Pol.is's `/api/v3/votes` and `/api/v3/comments`; both the
old key names (pid, tid, mod) and red-dwarf's (participant_id, statement_id, moderated) are accepted. Votes use
the export convention (1 agree, -1 disagree).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import numpy as np

from comuna.opinion.polis_export import PolisExportError
from comuna.opinion.votes import VOTE_VALUES, Statement, VoteBatch


def _milliseconds(value) -> int:
    """Pol.is writes times as epoch milliseconds, as numbers or strings, and red-dwarf's fixtures as ISO text."""
    if value in (None, ""):
        return 0
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return int(datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp() * 1000)


def _field(path: Path, index: int, record: dict, *names: str):
    for name in names:
        if name in record:
            return record[name]
    raise PolisExportError(path, None, f"record {index}: none of the keys {', '.join(names)}")


def read_api_statements(path: Path | str) -> list[Statement]:
    path = Path(path)
    records = json.loads(path.read_text(encoding="utf-8"))
    statements = []
    for index, record in enumerate(records):
        sid = int(_field(path, index, record, "tid", "statement_id"))
        moderated = int(_field(path, index, record, "mod", "moderated"))
        statements.append(Statement(id=sid, text=record.get("txt", ""), moderated=moderated,
                                    is_meta=bool(record.get("is_meta", False)),
                                    timestamp=_milliseconds(record.get("created"))))
    return sorted(statements, key=lambda s: s.id)


def read_api_votes(path: Path | str) -> VoteBatch:
    path = Path(path)
    records = json.loads(path.read_text(encoding="utf-8"))
    participants, statements, values, stamps = [], [], [], []
    for index, record in enumerate(records):
        vote = int(_field(path, index, record, "vote"))
        if vote not in VOTE_VALUES:
            raise PolisExportError(path, None, f"record {index}: vote {vote} is not 1, -1 or 0")
        participants.append(int(_field(path, index, record, "pid", "participant_id")))
        statements.append(int(_field(path, index, record, "tid", "statement_id")))
        values.append(vote)
        stamps.append(_milliseconds(_field(path, index, record, "modified", "created")))
    return VoteBatch(np.array(participants, dtype=np.int64), np.array(statements, dtype=np.int64),
                     np.array(values, dtype=np.int8), np.array(stamps, dtype=np.int64))
