"""Amendments: suggested by residents, decided by the author, every version kept and comparable."""

import pytest

from comuna.core.errors import Conflict, DomainError, NotAllowed
from comuna.participation import amendments, services
from comuna.participation.amendments import Piece, word_diff
from comuna.participation.models import Amendment, Proposal

NEW_BODY = "Put thirty benches with backs along the river walk so older residents can rest."


def test_amend_accept_and_compare(proposal, people, residents, signed_in):
    services.do_support(residents[0], proposal)  # editing is closed now; amending is how the text changes
    amendment = amendments.do_amend(residents[1], proposal, title=proposal.title, body=NEW_BODY,
                                    reason="Benches without backs are hard for older people.")
    with pytest.raises(NotAllowed):
        amendments.do_decide_amendment(residents[1], amendment, accept=True)
    amendments.do_decide_amendment(people["resident"], amendment, accept=True, response="Good point, thank you.")
    proposal.refresh_from_db()
    assert proposal.body == NEW_BODY and proposal.support_count == 1
    assert [v.number for v in proposal.versions.all()] == [1, 2]
    page = signed_in(residents[2]).get(f"/proposals/{proposal.pk}/versions/").content.decode()
    assert "<del>twenty</del>" in page and "<ins>thirty</ins>" in page and "<ins> with backs</ins>" in page
    with pytest.raises(Conflict):
        amendments.do_decide_amendment(people["resident"], amendment, accept=False)


def test_rejected_amendment_changes_nothing(proposal, people, residents):
    amendment = amendments.do_amend(residents[1], proposal, title="Benches and bins along the river",
                                    body=NEW_BODY, reason="Bins too.")
    amendments.do_decide_amendment(people["resident"], amendment, accept=False, response="Bins are another matter.")
    assert Proposal.objects.get().title == "Benches along the river"
    assert Amendment.objects.get().status == "rejected"


def test_bad_amendments_are_refused(proposal, people, residents):
    with pytest.raises(DomainError) as error:
        amendments.do_amend(residents[1], proposal, title=proposal.title, body=proposal.body, reason="Same")
    assert error.value.code == "no_change"
    with pytest.raises(DomainError) as error:
        amendments.do_amend(people["resident"], proposal, title=proposal.title, body=NEW_BODY, reason="Mine")
    assert error.value.code == "own_proposal"
    with pytest.raises(NotAllowed):
        amendments.do_amend(people["outsider"], proposal, title=proposal.title, body=NEW_BODY, reason="Outside")
    assert not Amendment.objects.exists()


def test_word_diff_marks_changed_words():
    assert word_diff("one two three", "one 2 three") == [
        Piece("same", "one "), Piece("removed", "two"), Piece("added", "2"), Piece("same", " three")]
    joined_after = "".join(p.text for p in word_diff("a b c", "a x c d") if p.kind != "removed")
    assert joined_after == "a x c d"
