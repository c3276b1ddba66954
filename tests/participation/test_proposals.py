"""Proposals, supports, thresholds and official answers, as residents and officials live them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comuna.audit.models import Event
from comuna.audit.services import verify_chain
from comuna.core.errors import Conflict, DomainError, NotAllowed
from comuna.participation import services
from comuna.participation.models import Commitment, Proposal, Support
from phase_clock import move_to_phase


def test_a_resident_files_a_proposal(proposal, tree):
    assert proposal.sphere == tree["city"] and proposal.status == "published"
    assert Event.objects.filter(action="proposal.created", target_id=str(proposal.pk)).exists()


@pytest.mark.parametrize("who", ["outsider", "newcomer"])
def test_only_verified_residents_of_the_sphere_file_proposals(process, people, who):
    with pytest.raises(NotAllowed) as error:
        services.do_create_proposal(people[who], process, title="A long enough title", body="x" * 40)
    assert error.value.code == "not_resident"
    assert not Proposal.objects.exists()


def test_proposals_only_in_the_proposals_phase(process, people):
    move_to_phase(process, "voting")
    with pytest.raises(DomainError) as error:
        services.do_create_proposal(people["resident"], process, title="A long enough title", body="x" * 40)
    assert error.value.code == "phase_closed"
    assert "not accepted in the current phase" in str(error.value.message)


def test_supports_count_once_per_resident(proposal, people, residents):
    services.do_support(residents[0], proposal)
    with pytest.raises(Conflict) as error:
        services.do_support(residents[0], proposal)
    assert error.value.code == "already_supported"
    proposal.refresh_from_db()
    assert proposal.support_count == 1 == Support.objects.filter(proposal=proposal).count()


def test_threshold_sets_the_answer_due_date(proposal, residents):
    services.do_support(residents[0], proposal)
    proposal.refresh_from_db()
    assert proposal.answer_due is None
    services.do_support(residents[1], proposal)
    proposal.refresh_from_db()
    assert proposal.answer_due == timezone.localdate() + timedelta(days=10)
    assert Event.objects.filter(action="proposal.threshold_reached").count() == 1
    services.do_support(residents[2], proposal)
    assert Event.objects.filter(action="proposal.threshold_reached").count() == 1


def test_support_outside_its_phase_is_refused(proposal, process, residents):
    move_to_phase(process, "implementation")
    with pytest.raises(DomainError) as error:
        services.do_support(residents[0], proposal)
    assert error.value.code == "phase_closed"
    assert not Support.objects.exists()


def test_residents_of_the_sphere_below_support_but_not_outsiders(proposal, people):
    with pytest.raises(NotAllowed):
        services.do_support(people["outsider"], proposal)
    services.do_support(people["resident"], proposal)  # lives in a neighbourhood of the city


def test_editing_stops_at_the_first_support(proposal, people, residents):
    services.do_edit_proposal(people["resident"], proposal, title="Benches along the whole river",
                              body="Put thirty benches along the river walk so older residents can rest.")
    with pytest.raises(NotAllowed):
        services.do_edit_proposal(people["outsider"], proposal, title="Hijacked title here", body="y" * 40)
    services.do_support(residents[0], proposal)
    with pytest.raises(Conflict) as error:
        services.do_edit_proposal(people["resident"], proposal, title="Another title entirely", body="z" * 40)
    assert error.value.code == "has_supports"
    assert Proposal.objects.get().title == "Benches along the whole river"


def test_withdrawn_proposals_take_no_supports(proposal, people, residents):
    services.do_withdraw_proposal(people["resident"], proposal)
    with pytest.raises(Conflict):
        services.do_support(residents[0], proposal)


def test_official_answer_accepts_and_creates_a_commitment(proposal, people):
    with pytest.raises(NotAllowed):
        services.do_answer(people["moderator"], proposal, status="accepted", text="We will do it next spring.")
    with pytest.raises(DomainError) as error:
        services.do_answer(people["official"], proposal, status="maybe", text="We will do it next spring.")
    assert error.value.code == "unknown_answer"
    services.do_answer(people["official"], proposal, status="accepted", text="We will do it next spring.")
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    commitment = Commitment.objects.get(proposal=proposal)
    assert commitment.progress == 0 and commitment.sphere == proposal.sphere
    with pytest.raises(Conflict):
        services.do_answer(people["official"], proposal, status="rejected", text="Changed our minds entirely.")


def test_evaluation_then_final_answer(proposal, people):
    services.do_answer(people["official"], proposal, status="evaluating", text="The parks service is costing it.")
    services.do_answer(people["official"], proposal, status="rejected", text="The riverbank is a flood zone.")
    assert Proposal.objects.get().status == "rejected"
    assert not Commitment.objects.exists()


def test_overdue_answers_are_listed(proposal, residents, people, client):
    for resident in residents[:2]:
        services.do_support(resident, proposal)
    Proposal.objects.update(answer_due=timezone.localdate() - timedelta(days=1))
    assert list(services.overdue_proposals()) == [proposal]
    assert proposal.title in client.get("/proposals/overdue/").content.decode()
    services.do_answer(people["official"], proposal, status="accepted", text="Done at last, sorry for the delay.")
    assert list(services.overdue_proposals()) == []


def test_commitment_progress(proposal, people):
    services.do_answer(people["official"], proposal, status="accepted", text="We will do it next spring.")
    commitment = proposal.commitment
    with pytest.raises(DomainError) as error:
        services.do_update_commitment(people["official"], commitment, progress=120, status="in_progress", note="x")
    assert error.value.code == "bad_progress"
    with pytest.raises(NotAllowed):
        services.do_update_commitment(people["resident"], commitment, progress=50, status="in_progress", note="x")
    services.do_update_commitment(people["official"], commitment, progress=50, status="in_progress",
                                  note="Half the benches are in.")
    commitment.refresh_from_db()
    assert (commitment.progress, commitment.status) == (50, "in_progress")
    assert verify_chain().ok


def test_milestones(proposal, people, signed_in):
    services.do_answer(people["official"], proposal, status="accepted", text="We will do it next spring.")
    client = signed_in(people["official"])
    client.post(f"/commitments/{proposal.commitment.pk}/milestones/", {"title": "Benches ordered"})
    milestone = proposal.commitment.milestones.get()
    client.post(f"/commitments/{proposal.commitment.pk}/milestones/", {"done": milestone.pk})
    milestone.refresh_from_db()
    assert milestone.done_on == timezone.localdate()
    with pytest.raises(Conflict):
        services.do_complete_milestone(people["official"], milestone)
    with pytest.raises(NotAllowed):
        services.do_add_milestone(people["resident"], proposal.commitment, title="Mine")
