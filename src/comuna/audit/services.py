"""Writing and verifying the audit chain."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from .models import GENESIS_HASH, AuditHead, Event

if TYPE_CHECKING:
    from comuna.spheres.models import Sphere


def actor_reference(user: Any) -> str:
    """A stable pseudonym: the account number, never a name or e-mail."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return f"user:{user.pk}"


def record(
    action: str,
    *,
    actor: Any = None,
    actor_role: str = "",
    sphere: Sphere | None = None,
    target: Any = None,
    data: dict | None = None,
) -> Event:
    """Append one event to the chain, inside the caller's transaction so the action and its record stand or fall
    together."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        event = Event(
            sequence=head.sequence + 1,
            created_at=timezone.now().replace(microsecond=0),
            action=action,
            sphere=sphere,
            actor_ref=actor_reference(actor),
            actor_role=actor_role,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            data=data or {},
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash(head.last_hash)
        event.save()
        head.sequence, head.last_hash = event.sequence, event.hash
        head.save(update_fields=["sequence", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_bad_sequence: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.first_bad_sequence is None


def verify_chain() -> ChainReport:
    """Recompute every hash in order; name the first event that was altered, or where one was removed."""
    prev_hash = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for event in Event.objects.order_by("sequence").iterator(chunk_size=2000):
        if event.sequence != expected_sequence:
            return ChainReport(checked, expected_sequence, f"event {expected_sequence} is missing")
        if event.prev_hash != prev_hash:
            return ChainReport(checked, event.sequence, f"event {event.sequence} does not follow the one before it")
        if event.compute_hash(prev_hash) != event.hash:
            return ChainReport(checked, event.sequence, f"event {event.sequence} was altered")
        prev_hash = event.hash
        expected_sequence += 1
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.sequence != checked:
        return ChainReport(checked, checked + 1, f"event {checked + 1} is missing (the chain ended early)")
    return ChainReport(checked, None, "")
