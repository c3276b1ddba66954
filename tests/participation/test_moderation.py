"""Reports hide content after the process's threshold; moderators hide, restore or block, with reasons, audited."""

import pytest

from comuna.audit.models import Event
from comuna.core.errors import Conflict, DomainError, NotAllowed
from comuna.participation import moderation, services
from comuna.participation.models import Block, Comment, Proposal


def test_enough_reports_hide_a_proposal_pending_review(proposal, residents, process, client):
    process.hide_after_reports = 2
    process.save()
    moderation.do_report(residents[0], proposal, "spam")
    with pytest.raises(Conflict):
        moderation.do_report(residents[0], proposal, "offensive")
    assert not Proposal.objects.get().hidden
    moderation.do_report(residents[1], proposal, "offensive", "Insults a neighbour by name.")
    assert Proposal.objects.get().hidden
    assert Event.objects.filter(action="moderation.auto_hidden").count() == 1
    assert "Benches along the river" not in client.get("/processes/city-decides/").content.decode()
    assert "hidden while moderators review" in client.get(f"/proposals/{proposal.pk}/").content.decode()


def test_moderator_restores_with_a_reason(proposal, residents, people, process):
    process.hide_after_reports = 1
    process.save()
    moderation.do_report(residents[0], proposal, "spam")
    with pytest.raises(NotAllowed):
        moderation.do_moderate(people["official"], proposal, "restore", "It is fine.")
    with pytest.raises(DomainError) as error:
        moderation.do_moderate(people["moderator"], proposal, "restore", "")
    assert error.value.code == "reason_required"
    moderation.do_moderate(people["moderator"], proposal, "restore", "A real proposal, not spam.")
    assert not Proposal.objects.get().hidden
    assert Event.objects.filter(action="moderation.decided").get().data == {"decision": "restore"}


def test_blocking_an_author_stops_them_taking_part(proposal, residents, people):
    comment = services.do_comment(residents[0], proposal, "Buy cheap watches at example.com")
    moderation.do_moderate(people["moderator"], comment, "block", "Advertising, again.")
    assert Comment.objects.get().hidden
    assert Block.objects.filter(user=residents[0], sphere=proposal.sphere).exists()
    with pytest.raises(NotAllowed) as error:
        services.do_comment(residents[0], proposal, "Still here")
    assert error.value.code == "blocked"
    with pytest.raises(NotAllowed):
        services.do_support(residents[0], proposal)


def test_hidden_comment_shows_a_placeholder(proposal, residents, people, client, signed_in):
    comment = services.do_comment(residents[0], proposal, "Something rude")
    moderation.do_moderate(people["moderator"], comment, "hide", "Insulting.")
    assert "Something rude" not in client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Something rude" in signed_in(people["moderator"]).get(f"/proposals/{proposal.pk}/").content.decode()


def test_moderation_queue_page(signed_in, proposal, residents, people):
    moderation.do_report(residents[0], proposal, "spam")
    page = signed_in(people["moderator"]).get("/spheres/city/moderation/").content.decode()
    assert "Benches along the river" in page
    assert signed_in(people["resident"]).get("/spheres/city/moderation/").status_code == 403


def test_report_and_moderate_from_the_pages(signed_in, proposal, people, residents):
    signed_in(residents[0]).post(f"/report/proposal/{proposal.pk}/", {"reason": "spam"})
    assert Proposal.objects.get().report_count == 1
    signed_in(people["moderator"]).post(f"/moderate/proposal/{proposal.pk}/", {"action": "hide",
                                                                             "reason": "Duplicate of another."})
    assert Proposal.objects.get().hidden
    assert signed_in(people["moderator"]).post(f"/report/nothing/{proposal.pk}/", {"reason": "spam"}).status_code == 404


def test_honeypot_stops_bots_on_writes_and_sign_up(signed_in, proposal, residents, client):
    response = signed_in(residents[0]).post(f"/proposals/{proposal.pk}/comments/",
                                            {"body": "Great idea", "website": "http://spam.example"})
    assert response.status_code == 400
    assert not Comment.objects.exists()
    from django.test import Client

    bot = Client()
    response = bot.post("/accounts/signup/", {"email": "bot@example.org", "password1": "correct horse battery",
                                             "password2": "correct horse battery", "website": "x"})
    assert response.status_code == 400
    from comuna.accounts.models import User

    assert not User.objects.filter(email="bot@example.org").exists()
    assert 'name="website"' in bot.get("/accounts/signup/").content.decode()
