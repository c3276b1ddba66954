"""Meetings: called by officials, registration within capacity, minutes, proposals that came from them, iCalendar."""

import threading
from datetime import timedelta

import icalendar
import pytest
from django.db import connection
from django.utils import timezone

from comuna.core.errors import Conflict, DomainError, NotAllowed
from comuna.participation import meetings, services
from comuna.participation.models import Registration


@pytest.fixture
def meeting(process, people):
    start = timezone.now() + timedelta(days=3)
    return meetings.do_create_meeting(people["official"], process, title="Neighbourhood assembly", kind="in_person",
                                      starts_at=start, ends_at=start + timedelta(hours=2), place="Town hall, room 2",
                                      capacity=2, agenda="1. Benches\n2. Buses")


def test_officials_call_meetings_with_valid_details(process, people):
    start = timezone.now()
    with pytest.raises(NotAllowed):
        meetings.do_create_meeting(people["resident"], process, title="Mine", kind="in_person", starts_at=start,
                                   ends_at=start + timedelta(hours=1), place="Home")
    with pytest.raises(DomainError) as error:
        meetings.do_create_meeting(people["official"], process, title="Online", kind="online", starts_at=start,
                                   ends_at=start + timedelta(hours=1))
    assert error.value.code == "url_required"
    with pytest.raises(DomainError) as error:
        meetings.do_create_meeting(people["official"], process, title="Backwards", kind="in_person",
                                   starts_at=start, ends_at=start - timedelta(hours=1), place="Hall")
    assert error.value.code == "ends_before_start"


def test_registration_respects_capacity(meeting, residents):
    meetings.do_register(residents[0], meeting)
    with pytest.raises(Conflict) as error:
        meetings.do_register(residents[0], meeting)
    assert error.value.code == "already_registered"
    meetings.do_register(residents[1], meeting)
    with pytest.raises(Conflict) as error:
        meetings.do_register(residents[2], meeting)
    assert error.value.code == "meeting_full"
    meetings.do_unregister(residents[0], meeting)
    meetings.do_register(residents[2], meeting)
    meeting.refresh_from_db()
    assert meeting.registration_count == 2 == Registration.objects.count()


@pytest.mark.django_db(transaction=True)
def test_last_places_are_not_oversold_under_concurrency(tree, people):
    from comuna.participation.services import build_process
    from conftest import make_person

    process = build_process(tree["city"], actor=people["admin"], slug="p", template="consultation", title_en="P")
    start = timezone.now() + timedelta(days=1)
    meeting = meetings.do_create_meeting(people["official"], process, title="Small room", kind="in_person",
                                         starts_at=start, ends_at=start + timedelta(hours=1), place="Room", capacity=3)
    attendees = [make_person(f"a{i}@example.org") for i in range(8)]
    results: list[str] = []

    def attempt(user):
        try:
            meetings.do_register(user, meeting)
            results.append("ok")
        except Exception as error:  # noqa: BLE001 - every refusal is recorded and checked below
            results.append(getattr(error, "code", type(error).__name__))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in attendees]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    meeting.refresh_from_db()
    assert results.count("ok") == 3 == Registration.objects.count() == meeting.registration_count, results
    assert set(results) <= {"ok", "meeting_full"}, results


def test_minutes_and_linked_proposals(meeting, process, people, client):
    meetings.do_publish_minutes(people["official"], meeting, "We agreed on twenty benches.")
    proposal = services.do_create_proposal(people["resident"], process, title="Benches along the river",
                                           body="Put twenty benches along the river walk, as agreed.", meeting=meeting)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "We agreed on twenty benches." in page and proposal.title in page
    assert "Neighbourhood assembly" in client.get(f"/proposals/{proposal.pk}/").content.decode()


def test_icalendar_export_reads_back(meeting, client):
    response = client.get("/processes/city-decides/meetings.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Neighbourhood assembly"
    assert event.decoded("dtstart") == meeting.starts_at.replace(microsecond=0)
    assert str(event["location"]) == "Town hall, room 2"
    assert str(event["url"]).endswith(f"/meetings/{meeting.pk}/")


def test_register_from_the_page(signed_in, meeting, residents):
    client = signed_in(residents[0])
    page = client.post(f"/meetings/{meeting.pk}/register/", follow=True).content.decode()
    assert "You are registered" in page
    assert client.post(f"/meetings/{meeting.pk}/register/", {"cancel": "1"}, follow=True).status_code == 200
    assert not Registration.objects.exists()
