"""A person downloads their data and deletes their account; their supports stay counted but anonymous."""

import json

import pytest

from comuna.accounts.models import Residency, User
from comuna.core.errors import DomainError
from comuna.participation import services
from comuna.participation.models import Proposal, Support
from comuna.participation.services import build_process


@pytest.fixture
def proposal(tree, people):
    from datetime import timedelta

    from django.utils import timezone

    process = build_process(tree["city"], actor=people["admin"], slug="p", template="proposals_then_vote",
                            title_en="P", starts_at=timezone.now() - timedelta(days=8))
    return services.do_create_proposal(people["resident"], process, title="Benches along the river",
                                       body="Put twenty benches along the river walk so older residents can rest.")


def test_download_my_data(signed_in, proposal, people):
    response = signed_in(people["resident"]).get("/me/data.json")
    data = json.loads(response.content)
    assert data["account"]["email"] == "resident@example.org"
    assert data["proposals"][0]["title"] == "Benches along the river"
    assert data["residencies"][0]["sphere"] == "hood"


def test_delete_account_keeps_supports_anonymous(signed_in, proposal, people, client):
    services.do_support(people["outsider"].__class__.objects.get(pk=people["resident"].pk), proposal)
    client = signed_in(people["resident"])
    wrong = client.post("/me/delete/", {"confirmation": "someone@else.org"}, follow=True)
    assert "Type your e-mail address to confirm" in wrong.content.decode()
    client.post("/me/delete/", {"confirmation": "resident@example.org"})
    user = User.objects.get(pk=people["resident"].pk)
    assert not user.is_active and "resident" not in user.email and user.display_name == ""
    assert not Residency.objects.filter(user=user).exists()
    assert Support.objects.filter(proposal=proposal).count() == 1 and Proposal.objects.get().support_count == 1
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "resident@example.org" not in page
    assert not client.login(username="resident@example.org", password="a-long-test-password-42")


def test_confirmation_must_match(people):
    from comuna.accounts.privacy import do_delete_account

    with pytest.raises(DomainError):
        do_delete_account(people["resident"], "nope")
    assert User.objects.get(pk=people["resident"].pk).is_active
