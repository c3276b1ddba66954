"""The opinion map of a conversation: `comuna.opinion` fed from the database, kept as a pickled blob.

`opinion_map(conversation)` returns a map that includes every vote cast so far: it loads the stored map, folds in
the votes cast since (`update()`, when they are few) or rebuilds it from all votes (when there is no stored map or
many votes arrived), passes on added or moderated statements (`set_statements()`), and stores the result.
The statement ids and participant ids the map speaks are the numbers within the conversation.
"""

from __future__ import annotations

import pickle

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from comuna.opinion import MODERATED_OUT, MapOptions, OpinionMap, VoteBatch
from comuna.opinion import Statement as MapStatement

from .models import Conversation, MapState, Statement, VoteEvent

OPTIONS = MapOptions(seed=0)
# Above this many new votes a rebuild is both cheaper and closer to the optimum than folding them in.
UPDATE_LIMIT = 500


def map_statements(conversation: Conversation) -> list[MapStatement]:
    """Every statement, as the maths sees it: waiting for a moderator or hidden counts as moderated out."""
    statements = Statement.objects.filter(conversation=conversation).select_related("author")
    return [MapStatement(id=s.number, text=s.text, author_id=s.author.number if s.author else None,
                         moderated=int(s.moderation) if s.is_votable(conversation) else MODERATED_OUT,
                         timestamp=int(s.created_at.timestamp() * 1000))
            for s in statements]


def vote_batch(conversation: Conversation, after_id: int = 0) -> tuple[VoteBatch, int]:
    """The votes cast after event `after_id`, in the order cast, and the last event id."""
    rows = list(VoteEvent.objects.filter(conversation=conversation, id__gt=after_id).order_by("id")
                .values_list("id", "participant__number", "statement__number", "value", "created_at"))
    if not rows:
        return VoteBatch.from_votes([]), after_id
    ids, participants, statements, values, moments = zip(*rows, strict=True)
    stamps = np.array([int(moment.timestamp() * 1000) for moment in moments], dtype=np.int64)
    stamps = np.maximum.accumulate(stamps)  # the order cast is the order that counts
    return VoteBatch(np.array(participants, dtype=np.int64), np.array(statements, dtype=np.int64),
                     np.array(values, dtype=np.int8), stamps), ids[-1]


def build_map(conversation: Conversation) -> tuple[OpinionMap, int]:
    votes, last_id = vote_batch(conversation)
    return OpinionMap.build(votes, map_statements(conversation), OPTIONS), last_id


def opinion_map(conversation: Conversation) -> OpinionMap:
    """The conversation's map with every vote so far (see the module's docstring)."""
    version = Conversation.objects.filter(pk=conversation.pk).values_list("statements_version", flat=True).first()
    state = MapState.objects.filter(conversation=conversation).first()
    latest = VoteEvent.objects.filter(conversation=conversation).aggregate(last=Max("id"))["last"] or 0
    if state is not None and state.last_event_id == latest and state.statements_version == version:
        return pickle.loads(state.blob)
    if state is None or latest - state.last_event_id > UPDATE_LIMIT:
        opinion_map_, last_id = build_map(conversation)
        _store(conversation, state, opinion_map_, last_id, version, rebuilt=True)
        return opinion_map_
    opinion_map_ = pickle.loads(state.blob)
    if state.statements_version != version:
        opinion_map_.set_statements(map_statements(conversation))
    batch, last_id = vote_batch(conversation, state.last_event_id)
    opinion_map_.update(batch)
    _store(conversation, state, opinion_map_, last_id, version, rebuilt=False)
    return opinion_map_


def _store(conversation: Conversation, state: MapState | None, opinion_map_: OpinionMap, last_id: int,
           version: int, rebuilt: bool) -> None:
    """Save the map unless another request already stored a newer one (first writer wins, nothing is lost: the
    votes are in the database and the next reader folds them in)."""
    blob = pickle.dumps(opinion_map_, protocol=pickle.HIGHEST_PROTOCOL)
    now = timezone.now()
    if state is None:
        try:
            with transaction.atomic():
                MapState.objects.create(conversation=conversation, blob=blob, last_event_id=last_id,
                                        statements_version=version, built_at=now, updated_at=now)
        except IntegrityError:
            pass
        return
    changes = {"blob": blob, "last_event_id": last_id, "statements_version": version, "updated_at": now}
    if rebuilt:
        changes["built_at"] = now
    MapState.objects.filter(pk=state.pk, last_event_id=state.last_event_id,
                            statements_version=state.statements_version).update(**changes)


def forget_map(conversation: Conversation) -> None:
    MapState.objects.filter(conversation=conversation).delete()
