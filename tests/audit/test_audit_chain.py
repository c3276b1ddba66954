import pytest
from django.db import connection

from comuna.audit import actions
from comuna.audit.models import AppendOnlyError, Event
from comuna.audit.services import record, verify_chain
from comuna.cli import main


@pytest.fixture
def chain(tree):
    """The tree fixture already wrote one event per sphere and membership; add a few more."""
    for number in range(3):
        record(actions.CODES_ISSUED, sphere=tree["city"], data={"count": number + 1})
    return Event.objects.order_by("sequence")


def test_each_event_chains_to_the_previous_one(chain):
    events = list(chain)
    assert events[0].prev_hash == "0" * 64
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
        assert after.sequence == before.sequence + 1
    assert verify_chain().ok


def test_events_cannot_be_changed_or_deleted_through_the_orm(chain):
    event = chain.first()
    event.data = {"forged": True}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def tamper(sql: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_verify_names_the_first_altered_event(chain, capsys):
    target = chain[4]
    tamper("UPDATE audit_event SET data = %s WHERE id = %s", ['{"count": 99}', target.pk])
    report = verify_chain()
    assert not report.ok
    assert report.first_bad_sequence == target.sequence
    assert "altered" in report.problem
    assert main(["audit", "verify"]) == 1
    assert f"first bad event: {target.sequence}" in capsys.readouterr().err


def test_verify_names_a_removed_event(chain):
    target = chain[2]
    tamper("DELETE FROM audit_event WHERE id = %s", [target.pk])
    report = verify_chain()
    assert report.first_bad_sequence == target.sequence
    assert "missing" in report.problem


def test_verify_notices_the_last_event_removed(chain):
    last = chain.last()
    tamper("DELETE FROM audit_event WHERE id = %s", [last.pk])
    report = verify_chain()
    assert report.first_bad_sequence == last.sequence


def test_cli_verify_passes_on_an_intact_chain(chain, capsys):
    assert main(["audit", "verify"]) == 0
    assert f"{chain.count()} events" in capsys.readouterr().out


def test_events_carry_no_personal_data(people, tree):
    from comuna.accounts.services import do_grant_role

    do_grant_role(tree["city"], "resident@example.org", "moderator", actor=people["admin"])
    event = Event.objects.filter(action=actions.ROLE_GRANTED).get()
    text = str(event.content())
    assert "resident@example.org" not in text and "admin@example.org" not in text
    assert event.actor_ref == f"user:{people['admin'].pk}"


def test_public_audit_page_shows_events_without_names(client, people, tree):
    from comuna.accounts.services import do_grant_role

    do_grant_role(tree["city"], "resident@example.org", "moderator", actor=people["admin"])
    page = client.get("/spheres/city/audit/").content.decode()
    assert "Role granted" in page
    assert "resident@example.org" not in page and "admin@example.org" not in page
    assert people["resident"].display_name not in page


def test_public_api_hides_who_was_given_a_role(client, people, tree):
    from comuna.accounts.services import do_grant_role

    do_grant_role(tree["city"], "resident@example.org", "moderator", actor=people["admin"])
    events = client.get("/api/v1/audit/spheres/city/events").json()["items"]
    granted = next(e for e in events if e["action"] == "role.granted")
    assert granted["data"] == {"role": "moderator"}
    assert f"user:{people['resident'].pk}" not in str(events) and f"user:{people['admin'].pk}" not in str(events)
