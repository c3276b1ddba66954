"""Meetings of a process (in person, online, door to door): registration within capacity, agenda, minutes, iCalendar."""

from __future__ import annotations

from datetime import datetime

import icalendar
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from comuna.accounts.models import Role
from comuna.accounts.services import check_perm
from comuna.audit import actions
from comuna.audit.services import record
from comuna.core.errors import Conflict, DomainError

from .models import Meeting, MeetingKind, Process, Registration


@transaction.atomic
def do_create_meeting(official, process: Process, *, title: str, kind: str, starts_at: datetime, ends_at: datetime,
                      place: str = "", url: str = "", capacity: int | None = None, agenda: str = "") -> Meeting:
    check_perm(official, "participation.answer_proposal", process.sphere,
               _("Only officials of %(sphere)s can call meetings.") % {"sphere": process.sphere.name})
    if kind not in MeetingKind.values:
        raise DomainError("unknown_kind", _("A meeting is in person, online or door to door."))
    if ends_at <= starts_at:
        raise DomainError("ends_before_start", _("A meeting must end after it starts."))
    if kind == MeetingKind.ONLINE and not url:
        raise DomainError("url_required", _("Give the link to join an online meeting."))
    if kind != MeetingKind.ONLINE and not place.strip():
        raise DomainError("place_required", _("Say where the meeting takes place."))
    meeting = Meeting.objects.create(process=process, title=title.strip()[:200], kind=kind, starts_at=starts_at,
                                     ends_at=ends_at, place=place.strip(), url=url, capacity=capacity,
                                     agenda=agenda.strip())
    record(actions.MEETING_CALLED, actor=official, actor_role=Role.OFFICIAL, sphere=process.sphere, target=meeting,
           data={"kind": kind, "starts_at": starts_at.isoformat()})
    return meeting


@transaction.atomic
def do_register(user, meeting: Meeting) -> Registration:
    """A place if one is left; the meeting row is locked so two last-minute registrations cannot both get it."""
    if not user.is_authenticated:
        raise DomainError("not_authenticated", _("Sign in to register."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.ends_at <= timezone.now():
        raise Conflict("meeting_over", _("This meeting is over."))
    if meeting.capacity is not None and meeting.registration_count >= meeting.capacity:
        raise Conflict("meeting_full", _("This meeting is full."))
    try:
        with transaction.atomic():
            registration = Registration.objects.create(meeting=meeting, user=user)
    except IntegrityError:
        raise Conflict("already_registered", _("You are already registered for this meeting.")) from None
    Meeting.objects.filter(pk=meeting.pk).update(registration_count=F("registration_count") + 1)
    return registration


@transaction.atomic
def do_unregister(user, meeting: Meeting) -> None:
    deleted, _rows = Registration.objects.filter(meeting=meeting, user=user).delete()
    if not deleted:
        raise Conflict("not_registered", _("You are not registered for this meeting."))
    Meeting.objects.filter(pk=meeting.pk).update(registration_count=F("registration_count") - 1)


@transaction.atomic
def do_publish_minutes(official, meeting: Meeting, minutes: str) -> Meeting:
    check_perm(official, "participation.answer_proposal", meeting.process.sphere,
               _("Only officials of %(sphere)s can publish minutes.") % {"sphere": meeting.process.sphere.name})
    if not minutes.strip():
        raise DomainError("empty_minutes", _("The minutes are empty."))
    meeting.minutes = minutes.strip()
    meeting.save(update_fields=["minutes"])
    record(actions.MINUTES_PUBLISHED, actor=official, actor_role=Role.OFFICIAL, sphere=meeting.process.sphere,
           target=meeting)
    return meeting


def to_icalendar(meetings, *, base_url: str, name: str) -> bytes:
    """An iCalendar file (RFC 5545) that calendar apps can import or subscribe to."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Comuna//participation//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        event = icalendar.Event()
        event.add("uid", f"meeting-{meeting.pk}@comuna")
        event.add("dtstamp", meeting.created_at)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("summary", meeting.title)
        event.add("location", meeting.place or meeting.url)
        event.add("description", meeting.agenda)
        event.add("url", base_url + meeting.get_absolute_url())
        calendar.add_component(event)
    return calendar.to_ical()
