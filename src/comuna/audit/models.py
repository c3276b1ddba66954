"""An append-only, hash-chained log of governance actions.

Each event's hash covers its own content and the previous event's hash, so altering or removing any event breaks
every hash after it; `comuna audit verify` finds the first break. Events hold no personal data: the actor is a
pseudonymous reference and `data` carries identifiers and public facts only.
"""

from __future__ import annotations

import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64
# Keys of `data` that point at a person: kept in the chain for accountability, never published.
PRIVATE_KEYS = frozenset({"person"})


class AuditHead(models.Model):
    """A single row, locked while an event is appended, that holds the chain's tip."""

    sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)


class AppendOnlyError(RuntimeError):
    pass


class Event(models.Model):
    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("time"))
    action = models.CharField(_("action"), max_length=64, db_index=True)
    sphere = models.ForeignKey(
        "spheres.Sphere", verbose_name=_("sphere"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="audit_events",
    )
    actor_ref = models.CharField(_("actor"), max_length=64, blank=True)
    actor_role = models.CharField(_("actor's role"), max_length=32, blank=True)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target"), max_length=64, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def content(self) -> dict:
        """What the hash covers: every field but the hashes themselves."""
        return {
            "sequence": self.sequence,
            "created_at": self.created_at.isoformat(),
            "action": self.action,
            "sphere": self.sphere_id,
            "actor": self.actor_ref,
            "role": self.actor_role,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "data": self.data,
        }

    def public_data(self) -> dict:
        return {key: value for key, value in self.data.items() if key not in PRIVATE_KEYS}

    def compute_hash(self, prev_hash: str) -> str:
        canonical = json.dumps(self.content(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")
