"""Joint declarations: drafting with amendments and versions, ratification by officials or by a residents' vote,
quorum and adoption, remote members, and every refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from comuna.audit.models import Event
from comuna.core.errors import Conflict, DomainError, NotAllowed, NotFound
from comuna.intercity import declarations as d
from comuna.intercity.models import (
    Declaration,
    DeclarationAmendment,
    Ratification,
    RemoteMember,
    VoteReceipt,
    VoteTally,
)

pytestmark = pytest.mark.django_db
TEXT = "We, cities of the network, commit to let residents decide on the public spaces of their neighbourhoods."


@pytest.fixture
def draft(tree, officials):
    return d.do_create_declaration(tree["net"], title="Declaration on local democracy", text=TEXT,
                                   actor=officials["net"])


@pytest.fixture
def open_declaration(draft, officials):
    return d.do_open_ratification(draft, quorum_count=2, actor=officials["net"])


def events(action: str) -> int:
    return Event.objects.filter(action=action).count()


def test_the_drafting_group_creates_a_declaration_with_its_first_version(draft, tree):
    assert draft.status == "drafting" and draft.versions.get().number == 1
    assert events("intercity.declaration_created") == 1


def test_only_networks_draft_and_only_their_officials(tree, officials, people):
    with pytest.raises(DomainError) as refused:
        d.do_create_declaration(tree["city"], title="T", text=TEXT, actor=officials["city"])
    assert refused.value.code == "not_a_network"
    for person in (officials["city"], people["resident"]):
        with pytest.raises(NotAllowed) as refused:
            d.do_create_declaration(tree["net"], title="T", text=TEXT, actor=person)
        assert refused.value.code == "forbidden"
    assert not Declaration.objects.exists()


def test_a_member_proposes_an_amendment_and_accepting_it_makes_a_new_version(draft, tree, officials):
    amendment = d.do_propose_amendment(draft, tree["town"], text=TEXT + " We publish every decision.",
                                       reason="Transparency matters.", actor=officials["town"])
    assert events("intercity.amendment_proposed") == 1
    d.do_decide_amendment(amendment, accept=True, response="", actor=officials["net"])
    draft.refresh_from_db()
    assert draft.text.endswith("We publish every decision.")
    assert [v.number for v in draft.versions.all()] == [1, 2]
    assert draft.versions.get(number=2).amendment == amendment
    with pytest.raises(Conflict) as refused:
        d.do_decide_amendment(amendment, accept=False, response="Changed our mind", actor=officials["net"])
    assert refused.value.code == "already_decided"


def test_amendments_from_outside_the_network_or_without_a_role_are_refused(draft, tree, officials, people):
    with pytest.raises(NotAllowed) as refused:
        d.do_propose_amendment(draft, tree["elsewhere"], text=TEXT + " More.", reason="Because.",
                               actor=officials["elsewhere"])
    assert refused.value.code == "not_a_member"
    with pytest.raises(NotAllowed) as refused:
        d.do_propose_amendment(draft, tree["town"], text=TEXT + " More.", reason="Because.",
                               actor=people["resident"])
    assert refused.value.code == "forbidden"
    with pytest.raises(NotAllowed):  # an official of the city cannot speak for the town
        d.do_propose_amendment(draft, tree["town"], text=TEXT + " More.", reason="Because.",
                               actor=officials["city"])
    with pytest.raises(DomainError) as refused:
        d.do_propose_amendment(draft, tree["town"], text=TEXT, reason="Because.", actor=officials["town"])
    assert refused.value.code == "amendment_unchanged"
    assert not DeclarationAmendment.objects.exists()


def test_an_outdated_amendment_cannot_be_accepted_and_a_rejection_is_explained(draft, tree, officials):
    first = d.do_propose_amendment(draft, tree["town"], text=TEXT + " One.", reason="First change.", actor=officials["town"])
    second = d.do_propose_amendment(draft, tree["city"], text=TEXT + " Two.", reason="Second change.",
                                    actor=officials["city"])
    d.do_decide_amendment(first, accept=True, response="", actor=officials["net"])
    with pytest.raises(Conflict) as refused:
        d.do_decide_amendment(second, accept=True, response="", actor=officials["net"])
    assert refused.value.code == "amendment_outdated"
    with pytest.raises(DomainError) as refused:
        d.do_decide_amendment(second, accept=False, response="", actor=officials["net"])
    assert refused.value.code == "response_required"
    with pytest.raises(NotAllowed):
        d.do_decide_amendment(second, accept=False, response="Not now.", actor=officials["town"])
    d.do_decide_amendment(second, accept=False, response="Outdated, please redo.", actor=officials["net"])
    assert DeclarationAmendment.objects.get(pk=second.pk).status == "rejected"


@pytest.mark.parametrize("quorum,code", [({}, "quorum_required"), ({"quorum_count": 3}, "quorum_invalid"),
                                         ({"quorum_count": 1, "quorum_share": 50}, "quorum_required"),
                                         ({"quorum_share": 0}, "quorum_invalid")])
def test_ratification_needs_a_valid_quorum(draft, officials, quorum, code):
    with pytest.raises(DomainError) as refused:
        d.do_open_ratification(draft, actor=officials["net"], **quorum)
    assert refused.value.code == code
    draft.refresh_from_db()
    assert draft.status == "drafting" and not Ratification.objects.exists()


def test_opening_ratification_lists_every_member_and_freezes_the_text(open_declaration, tree, officials):
    statuses = d.member_statuses(open_declaration)
    assert [(r.sphere, r.decision) for r in statuses["members"]] == [(tree["city"], "pending"),
                                                                     (tree["town"], "pending")]
    assert statuses["needed"] == 2 and events("intercity.ratification_opened") == 1
    with pytest.raises(Conflict) as refused:
        d.do_propose_amendment(open_declaration, tree["town"], text=TEXT + " Late.", reason="Late.",
                               actor=officials["town"])
    assert refused.value.code == "not_drafting"
    with pytest.raises(Conflict) as refused:
        d.do_open_ratification(open_declaration, quorum_count=1, actor=officials["net"])
    assert refused.value.code == "already_open"


def test_officials_ratify_and_the_declaration_is_adopted_at_quorum(open_declaration, tree, officials):
    d.do_decide_ratification(open_declaration, tree["city"], decision="ratify", note="Council vote 31-10.",
                             actor=officials["city"])
    open_declaration.refresh_from_db()
    assert open_declaration.status == "ratifying"
    d.do_decide_ratification(open_declaration, tree["town"], decision="ratify", actor=officials["town"])
    open_declaration.refresh_from_db()
    assert open_declaration.status == "adopted" and open_declaration.adopted_at is not None
    assert events("intercity.ratification_decided") == 2 and events("intercity.declaration_adopted") == 1


def test_double_ratification_is_refused_and_changes_nothing(open_declaration, tree, officials):
    d.do_decide_ratification(open_declaration, tree["city"], decision="reject", actor=officials["city"])
    with pytest.raises(Conflict) as refused:
        d.do_decide_ratification(open_declaration, tree["city"], decision="ratify", actor=officials["city"])
    assert refused.value.code == "already_decided"
    assert Ratification.objects.get(sphere=tree["city"]).decision == "reject"


def test_ratifying_before_it_opens_by_a_non_member_or_without_permission_is_refused(draft, tree, officials, people):
    with pytest.raises(Conflict) as refused:
        d.do_decide_ratification(draft, tree["city"], decision="ratify", actor=officials["city"])
    assert refused.value.code == "not_open"
    d.do_open_ratification(draft, quorum_share=50, actor=officials["net"])
    with pytest.raises(NotAllowed) as refused:
        d.do_decide_ratification(draft, tree["elsewhere"], decision="ratify", actor=officials["elsewhere"])
    assert refused.value.code == "not_a_member"
    with pytest.raises(NotAllowed) as refused:
        d.do_decide_ratification(draft, tree["city"], decision="ratify", actor=people["resident"])
    assert refused.value.code == "forbidden"
    with pytest.raises(DomainError) as refused:
        d.do_decide_ratification(draft, tree["city"], decision="maybe", actor=officials["city"])
    assert refused.value.code == "decision_unknown"
    assert not Ratification.objects.exclude(decision="pending").exists()


def test_a_share_quorum_counts_members(draft, tree, officials):
    d.do_open_ratification(draft, quorum_share=50, actor=officials["net"])
    d.do_decide_ratification(draft, tree["town"], decision="ratify", actor=officials["town"])
    draft.refresh_from_db()
    assert draft.status == "adopted"


# --- Residents' vote ---------------------------------------------------------------------------------------------

@pytest.fixture
def voting(open_declaration, tree, officials):
    return d.do_call_vote(open_declaration, tree["city"], days=7, actor=officials["city"])


def test_calling_a_vote_opens_a_participation_process_with_a_voting_phase(voting, tree):
    process = voting.process
    assert process.sphere == tree["city"] and process.allows("vote")
    assert [p.kind for p in process.phases.all()] == ["voting"]
    assert voting.method == "vote" and events("intercity.ratification_vote_called") == 1


def test_while_residents_vote_officials_cannot_decide_nor_call_a_second_vote(voting, open_declaration, tree,
                                                                            officials):
    with pytest.raises(Conflict) as refused:
        d.do_decide_ratification(open_declaration, tree["city"], decision="ratify", actor=officials["city"])
    assert refused.value.code == "vote_under_way"
    with pytest.raises(Conflict) as refused:
        d.do_call_vote(open_declaration, tree["city"], days=7, actor=officials["city"])
    assert refused.value.code == "vote_under_way"


def test_vote_length_is_bounded(open_declaration, tree, officials):
    with pytest.raises(DomainError) as refused:
        d.do_call_vote(open_declaration, tree["city"], days=0, actor=officials["city"])
    assert refused.value.code == "vote_length"
    assert Ratification.objects.get(sphere=tree["city"]).process is None


def test_residents_vote_once_secretly_and_outsiders_cannot(voting, people):
    from conftest import make_person

    d.do_cast_vote(voting, people["resident"], "yes")
    with pytest.raises(Conflict) as refused:
        d.do_cast_vote(voting, people["resident"], "no")
    assert refused.value.code == "already_voted"
    with pytest.raises(NotAllowed) as refused:
        d.do_cast_vote(voting, people["outsider"], "no")
    assert refused.value.code == "not_resident"
    with pytest.raises(DomainError) as refused:
        d.do_cast_vote(voting, make_person("x@example.org", residency=voting.sphere), "perhaps")
    assert refused.value.code == "choice_unknown"
    tally = VoteTally.objects.get(ratification=voting)
    assert (tally.yes, tally.no, tally.abstain) == (1, 0, 0)
    assert {f.name for f in VoteReceipt._meta.get_fields()} == {"id", "ratification", "user"}
    cast = Event.objects.filter(action="intercity.ratification_vote_cast")
    assert cast.count() == 1 and cast.get().actor_ref == "" and "yes" not in str(cast.get().data)


def test_when_the_vote_ends_its_result_is_applied_once(voting, open_declaration, people, tree):
    from conftest import make_person

    d.do_cast_vote(voting, people["resident"], "yes")
    d.do_cast_vote(voting, make_person("second@example.org", residency=tree["city"]), "yes")
    d.do_cast_vote(voting, make_person("third@example.org", residency=tree["district"]), "no")
    assert d.close_due_votes() == 0
    later = timezone.now() + timedelta(days=8)
    assert d.close_due_votes(now=later) == 1
    assert d.close_due_votes(now=later) == 0
    voting.refresh_from_db()
    assert voting.decision == "ratify" and voting.method == "vote" and "2 yes, 1 no" in voting.note
    assert events("intercity.ratification_decided") == 1


def test_a_closed_vote_refuses_ballots_and_is_applied_lazily_on_read(voting, open_declaration, people):
    voting.process.phases.update(starts_at=timezone.now() - timedelta(days=8),
                                 ends_at=timezone.now() - timedelta(days=1))
    statuses = d.member_statuses(open_declaration)  # reading applies the result
    city = next(r for r in statuses["members"] if r.pk == voting.pk)
    assert city.decision == "abstain"  # nobody voted: a tie abstains
    with pytest.raises(Conflict) as refused:
        d.do_cast_vote(voting, people["resident"], "yes")
    assert refused.value.code == "vote_closed"


def test_the_management_command_applies_ended_votes(voting, capsys):
    voting.process.phases.update(starts_at=timezone.now() - timedelta(days=8),
                                 ends_at=timezone.now() - timedelta(days=1))
    call_command("close_ratification_votes")
    assert "1 vote(s) applied." in capsys.readouterr().out
    voting.refresh_from_db()
    assert voting.is_decided


def test_voting_when_no_vote_was_called_is_refused(open_declaration, tree, people):
    ratification = Ratification.objects.get(sphere=tree["city"])
    with pytest.raises(NotFound) as refused:
        d.do_cast_vote(ratification, people["resident"], "yes")
    assert refused.value.code == "no_vote"


# --- Remote members (through federation) ---------------------------------------------------------------------

def test_a_remote_member_counts_towards_the_quorum(draft, tree, officials):
    member = d.do_add_remote_member(tree["net"], uri="https://lyon.example/federation/spheres/lyon", label="Lyon",
                                    actor=officials["net"])
    d.do_open_ratification(draft, quorum_count=3, actor=officials["net"])
    assert d.member_statuses(draft)["total"] == 3
    d.do_decide_ratification(draft, tree["city"], decision="ratify", actor=officials["city"])
    d.do_decide_ratification(draft, tree["town"], decision="ratify", actor=officials["town"])
    when = timezone.now() - timedelta(hours=1)
    ratification = d.record_remote_ratification(draft, "Lyon", member.uri, "ratify", when)
    assert ratification.method == "remote" and ratification.decided_at == when
    draft.refresh_from_db()
    assert draft.status == "adopted"
    with pytest.raises(Conflict) as refused:
        d.record_remote_ratification(draft, "Lyon", member.uri, "reject", when)
    assert refused.value.code == "already_decided"
    data = d.declaration_as_dict(draft)
    assert data["status"] == "adopted" and data["quorum"]["ratified"] == 3
    assert {m["label"]: m["decision"] for m in data["members"]} == {"City": "ratify", "Town": "ratify",
                                                                    "Lyon": "ratify"}


def test_a_remote_actor_that_is_not_a_member_cannot_ratify(open_declaration, tree, officials):
    with pytest.raises(NotAllowed) as refused:
        d.record_remote_ratification(open_declaration, "Intruder", "https://evil.example/a", "ratify", None)
    assert refused.value.code == "not_a_member"
    member = d.do_add_remote_member(tree["net"], uri="https://lyon.example/a", label="Lyon", actor=officials["net"])
    assert Ratification.objects.filter(remote_member=member, declaration=open_declaration).exists()
    with pytest.raises(DomainError) as refused:
        d.record_remote_ratification(open_declaration, "Lyon", member.uri, "yes please", None)
    assert refused.value.code == "decision_unknown"
    with pytest.raises(Conflict):
        d.do_add_remote_member(tree["net"], uri="https://lyon.example/a", label="Lyon", actor=officials["net"])
    with pytest.raises(NotAllowed):
        d.do_add_remote_member(tree["net"], uri="https://x.example/a", label="X", actor=officials["city"])
    assert RemoteMember.objects.count() == 1


def test_remote_ratification_of_a_draft_is_refused(draft, tree, officials):
    member = d.do_add_remote_member(tree["net"], uri="https://lyon.example/a", label="Lyon", actor=officials["net"])
    with pytest.raises(Conflict) as refused:
        d.record_remote_ratification(draft, "Lyon", member.uri, "ratify", None)
    assert refused.value.code == "not_open"


def test_the_drafting_group_revises_the_text_as_a_new_version_until_ratification_opens(draft, officials):
    version = d.do_revise_declaration(draft, title="Declaration on local democracy", text=TEXT + " Revised.",
                                      actor=officials["net"])
    assert version.number == 2 and events("intercity.declaration_revised") == 1
    with pytest.raises(NotAllowed):
        d.do_revise_declaration(draft, title="Hijacked", text=TEXT + " Hijacked text.", actor=officials["town"])
    d.do_open_ratification(draft, quorum_count=1, actor=officials["net"])
    with pytest.raises(Conflict) as refused:
        d.do_revise_declaration(draft, title="Late", text=TEXT + " Too late now.", actor=officials["net"])
    assert refused.value.code == "not_drafting"
    assert [v.text.endswith("Revised.") for v in draft.versions.all()] == [False, True]
