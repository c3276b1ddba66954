"""Publishing activities and delivering them: each (activity, inbox) is a Delivery row, POSTed signed, retried with
exponential backoff by `comuna manage deliver_activities` (run it from cron or a timer), or right after the
transaction commits when COMUNA_FEDERATION_DELIVER_NOW is set (tests, small installations)."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from comuna.spheres.models import Sphere

from . import conf, transport
from .actors import absolute, key_id, private_key
from .models import Delivery, OutboxActivity
from .signatures import signed_post_headers

logger = logging.getLogger("comuna.federation")
LEASE = timedelta(minutes=10)
PERMANENT_STATUSES = range(400, 500)
RETRY_STATUSES = {408, 429}


def new_activity_id() -> tuple[uuid.UUID, str]:
    key = uuid.uuid4()
    return key, absolute(reverse("federation:activity", args=[key]))


def publish(sphere: Sphere, activity_uuid: uuid.UUID, activity: dict, inboxes: Iterable[str], *,
            public: bool = True) -> OutboxActivity:
    """Store the activity in the sphere's outbox and queue one delivery per distinct inbox."""
    stored = OutboxActivity.objects.create(sphere=sphere, uuid=activity_uuid, activity_type=activity["type"],
                                           payload=activity, public=public)
    Delivery.objects.bulk_create([Delivery(activity=stored, inbox=inbox) for inbox in sorted(set(inboxes))])
    if conf.deliver_now():
        transaction.on_commit(lambda: deliver_activity(stored.pk))
    return stored


def deliver_activity(activity_pk: int) -> None:
    for delivery in Delivery.objects.filter(activity_id=activity_pk, delivered_at=None, failed=False):
        attempt(delivery)


def attempt(delivery: Delivery) -> bool:
    """POST once; record the outcome. True when delivered."""
    activity = delivery.activity
    body = json.dumps(activity.payload).encode()
    delivery.attempts += 1
    try:
        headers = signed_post_headers(delivery.inbox, body, key_id=key_id(activity.sphere),
                                      private_key=private_key(activity.sphere))
        status = transport.post(delivery.inbox, body, headers)
        error = "" if 200 <= status < 300 else f"http_{status}"
    except transport.FetchError as problem:
        status, error = 0, problem.code
    if not error:
        delivery.delivered_at = timezone.now()
    elif status in PERMANENT_STATUSES and status not in RETRY_STATUSES or delivery.attempts >= conf.MAX_DELIVERY_ATTEMPTS:
        delivery.failed = True
    else:
        delivery.next_attempt_at = timezone.now() + timedelta(minutes=2 ** delivery.attempts)
    delivery.last_error = error
    delivery.save(update_fields=["attempts", "delivered_at", "failed", "next_attempt_at", "last_error"])
    if error:
        logger.warning("Delivery %s to %s failed: %s", delivery.pk, transport.check_host(delivery.inbox), error)
    return not error


def deliver_due(limit: int = 200) -> tuple[int, int]:
    """Attempt every delivery that is due; answers (delivered, attempted). Each row is leased first, so two
    runners at once do not POST the same activity twice."""
    now = timezone.now()
    delivered = attempted = 0
    due = Delivery.objects.filter(delivered_at=None, failed=False, next_attempt_at__lte=now).order_by("id")
    for delivery in due.select_related("activity", "activity__sphere")[:limit]:
        leased = Delivery.objects.filter(pk=delivery.pk, next_attempt_at=delivery.next_attempt_at).update(
            next_attempt_at=now + LEASE)
        if not leased:
            continue
        attempted += 1
        delivered += attempt(delivery)
    return delivered, attempted
