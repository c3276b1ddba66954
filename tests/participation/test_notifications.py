"""Following, notifications built in batches, and e-mail digests. Notifications are queued when the action's
transaction commits; tests run inside a transaction, so they let those callbacks run explicitly."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comuna.core.errors import Conflict
from comuna.participation import notifications, services
from comuna.participation.models import Follow, Notification


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_authors_and_supporters_follow_and_hear_the_answer(proposal, people, residents, committed):
    services.do_support(residents[0], proposal)
    with committed():
        services.do_answer(people["official"], proposal, status="accepted", text="We will do it next spring.")
    heard = set(Notification.objects.filter(kind="answered").values_list("user_id", flat=True))
    assert heard == {people["resident"].pk, residents[0].pk}


def test_nothing_is_sent_for_an_action_that_failed(proposal, people, committed):
    with committed() as callbacks:
        with pytest.raises(Exception):  # noqa: B017 - any refusal will do
            services.do_answer(people["resident"], proposal, status="accepted", text="Self-approved, sure.")
    assert callbacks == [] and not Notification.objects.exists()


def test_sphere_followers_hear_of_new_proposals_once(process, people, residents, tree, committed):
    notifications.do_follow(residents[0], sphere=tree["city"])
    notifications.do_follow(residents[0], process=process)
    with pytest.raises(Conflict):
        notifications.do_follow(residents[0], process=process)
    with committed():
        services.do_create_proposal(people["resident"], process, title="Night buses on weekends",
                                    body="Run buses until 2am on Fridays and Saturdays for shift workers.")
    assert Notification.objects.filter(user=residents[0], kind="new_proposal").count() == 1


def test_fan_out_is_batched_not_one_query_per_follower(proposal, tree):
    from comuna.accounts.models import User

    users = User.objects.bulk_create([User(email=f"f{i}@example.org") for i in range(2500)])
    Follow.objects.bulk_create([Follow(user=u, sphere=tree["city"]) for u in users])
    with CaptureQueriesContext(connection) as queries:
        count = notifications.fan_out.call("new_proposal", proposal.pk, True)
    assert count == 2500 + 1  # the followers of the sphere, and the author, who follows the proposal
    assert Notification.objects.filter(kind="new_proposal").count() == 2501
    # a few statements per thousand followers (SQLite caps the parameters of one INSERT), never one per follower
    assert len(queries) <= 2 + 2501 // 100, [q["sql"][:80] for q in queries]


def test_digest_sends_one_mail_per_person_in_their_language(proposal, people, residents, committed):
    residents[0].language = "fr"
    residents[0].save()
    services.do_support(residents[0], proposal)
    with committed():
        services.do_answer(people["official"], proposal, status="accepted", text="We will do it next spring.")
    mail.outbox.clear()
    call_command("send_digests")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people["resident"].email, residents[0].email])
    french = next(m for m in mail.outbox if m.to == [residents[0].email])
    assert "Réponse officielle" in french.body and proposal.title in french.body
    mail.outbox.clear()
    call_command("send_digests")
    assert mail.outbox == []


def test_notifications_page_and_badge(signed_in, proposal, people, committed):
    with committed():
        services.do_answer(people["official"], proposal, status="accepted", text="We will do it next spring.")
    client = signed_in(people["resident"])
    page = client.get("/me/notifications/").content.decode()
    assert "Official answer" in page and proposal.title in page
    assert '<span class="badge">1</span>' in client.get("/").content.decode()
    client.post("/me/notifications/")
    assert 'class="badge"' not in client.get("/").content.decode()


def test_follow_from_the_page(signed_in, process, residents):
    client = signed_in(residents[0])
    client.post(f"/follow/process/{process.pk}/")
    assert Follow.objects.filter(user=residents[0], process=process).exists()
    client.post(f"/follow/process/{process.pk}/", {"stop": "1"})
    assert not Follow.objects.filter(user=residents[0], process=process).exists()
    assert client.post(f"/follow/planet/{process.pk}/").status_code == 404


def test_digest_can_be_turned_off(signed_in, proposal, people, committed):
    client = signed_in(people["resident"])
    client.post("/me/preferences/", {"language": "es"})  # the unticked box turns the digest off
    with committed():
        services.do_answer(people["official"], proposal, status="accepted", text="We will do it next spring.")
    mail.outbox.clear()
    call_command("send_digests")
    assert mail.outbox == []
    people["resident"].refresh_from_db()
    assert people["resident"].language == "es"
