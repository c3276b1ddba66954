"""Following and notifications. Fan-out works in batches of followers (one background job per event, never one
per follower), so a sphere followed by 100,000 residents costs a hundred bulk inserts, not 100,000 jobs."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from comuna.core.errors import Conflict, DomainError

from .models import Follow, Notification, Proposal

BATCH = 1000


def do_follow(user, *, sphere=None, process=None, proposal=None) -> Follow:
    if sum(x is not None for x in (sphere, process, proposal)) != 1:
        raise DomainError("follow_one", _("Follow one sphere, process or proposal at a time."))
    try:
        with transaction.atomic():
            return Follow.objects.create(user=user, sphere=sphere, process=process, proposal=proposal)
    except IntegrityError:
        raise Conflict("already_following", _("You already follow this.")) from None


def do_unfollow(user, *, sphere=None, process=None, proposal=None) -> None:
    Follow.objects.filter(user=user, sphere=sphere, process=process, proposal=proposal).delete()


def follow_quietly(user, proposal: Proposal) -> None:
    """Authors and supporters follow the proposal without being asked."""
    Follow.objects.get_or_create(user=user, proposal=proposal)


def follower_ids(proposal: Proposal, *, include_process: bool) -> list[int]:
    """Everyone following the proposal (or, for news about it, its process and sphere), each once."""
    audience = Q(proposal=proposal)
    if include_process:
        audience |= Q(process_id=proposal.process_id) | Q(sphere_id=proposal.sphere_id)
    return list(Follow.objects.filter(audience).values_list("user_id", flat=True).distinct().order_by("user_id"))


@task()
def fan_out(kind: str, proposal_id: int, include_process: bool = False) -> int:
    """Create the notifications for one event, a batch of followers at a time."""
    proposal = Proposal.objects.get(pk=proposal_id)
    users = follower_ids(proposal, include_process=include_process)
    for start in range(0, len(users), BATCH):
        Notification.objects.bulk_create(
            [Notification(user_id=user_id, kind=kind, proposal_id=proposal_id) for user_id in users[start:start + BATCH]])
    return len(users)


def notify(kind: str, proposal: Proposal, *, include_process: bool = False) -> None:
    """Queue the fan-out once the action's transaction has committed."""
    transaction.on_commit(lambda: fan_out.enqueue(kind, proposal.pk, include_process))


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count() if user.is_authenticated else 0


def mark_all_read(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def send_digests(*, batch: int = 500) -> int:
    """One e-mail per person with everything new since their last digest, in batches of people."""
    sent = 0
    while True:
        pending = list(Notification.objects.filter(emailed_at__isnull=True, user__email_digest=True,
                                                   user__is_active=True)
                       .values_list("user_id", flat=True).distinct().order_by("user_id")[:batch])
        if not pending:
            return sent
        notes = (Notification.objects.filter(user_id__in=pending, emailed_at__isnull=True)
                 .select_related("user", "proposal").order_by("user_id", "-created_at"))
        by_user: dict[int, list[Notification]] = defaultdict(list)
        for note in notes:
            by_user[note.user_id].append(note)
        messages = []
        for user_notes in by_user.values():
            user = user_notes[0].user
            with translation.override(user.language or settings.LANGUAGE_CODE):
                subject = _("What changed on Comuna")
                body = render_to_string("participation/digest.txt", {"user": user, "notes": user_notes})
            messages.append(mail.EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
        with mail.get_connection() as connection:
            connection.send_messages(messages)
        Notification.objects.filter(pk__in=[n.pk for notes in by_user.values() for n in notes]).update(
            emailed_at=timezone.now())
        sent += len(messages)

