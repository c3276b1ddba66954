"""Local policies go out to the followers of their sphere when saved or deleted, once the transaction commits (so
the activity carries the policy's indicators and documents, saved after the policy row, and nothing is sent for a
change that was rolled back). Several saves in one transaction make one activity."""

from __future__ import annotations

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from . import bridge

_pending = threading.local()


def _policy_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    from .services import is_local

    if raw or not is_local(instance) or instance.sphere_id is None or not bridge.available():
        return
    waiting: dict = _pending.__dict__.setdefault("policies", {})
    queued = {entry[1] for entry in transaction.get_connection().run_on_commit}
    if instance.pk in waiting and waiting[instance.pk][1] in queued:  # already going out with this commit
        waiting[instance.pk] = (waiting[instance.pk][0] or created, waiting[instance.pk][1])
        return

    def announce() -> None:
        from .services import announce_policy

        was_created = waiting.pop(instance.pk, (created, None))[0]
        policy = sender.objects.filter(pk=instance.pk).select_related("sphere").first()
        if policy is not None:
            announce_policy(policy, "Create" if was_created else "Update")

    waiting[instance.pk] = (created, announce)
    transaction.on_commit(announce, robust=True)  # a federation failure never undoes or breaks the local action


def _policy_deleted(sender, instance, **kwargs) -> None:
    from .services import announce_deletion, is_local

    if is_local(instance) and instance.sphere_id is not None and bridge.available():
        pk, sphere = instance.pk, instance.sphere
        transaction.on_commit(lambda: announce_deletion(pk, sphere), robust=True)


def connect() -> None:
    model = bridge.policy_model()
    if model is not None:
        post_save.connect(_policy_saved, sender=model, dispatch_uid="federation.policy_saved")
        post_delete.connect(_policy_deleted, sender=model, dispatch_uid="federation.policy_deleted")
