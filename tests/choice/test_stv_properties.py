"""Properties of the BLT writer/reader and of both counts on many small random elections (Hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from comuna.choice.stv.blt import Ballot, Election, format_blt, parse_blt
from comuna.choice.stv.meek import count_meek
from comuna.choice.stv.scottish import count_scottish

NAME = st.text(alphabet="abcXYZ é#-()'", min_size=0, max_size=12)


@st.composite
def elections(draw, *, quirks: bool) -> Election:
    size = draw(st.integers(2, 6))
    seats = draw(st.integers(1, size))
    ballots = []
    for _ in range(draw(st.integers(0, 25))):
        order = draw(st.permutations(range(1, size + 1)))[: draw(st.integers(1 if not quirks else 0, size))]
        rankings = [(c,) for c in order]
        if quirks and len(rankings) >= 2 and draw(st.booleans()):
            rankings[0:2] = [rankings[0] + rankings[1]]  # an equal ranking
        if quirks and draw(st.booleans()):
            rankings.insert(draw(st.integers(0, len(rankings))), ())  # a skipped preference
        ballots.append(Ballot(draw(st.integers(1, 9)), tuple(rankings)))
    withdrawn = frozenset(draw(st.sets(st.integers(1, size), max_size=size - seats))) if quirks else frozenset()
    return Election(candidates=tuple(draw(NAME) for _ in range(size)), seats=seats, ballots=tuple(ballots),
                    withdrawn=withdrawn, title=draw(NAME))


@given(elections(quirks=True))
def test_any_election_survives_a_blt_round_trip(election: Election) -> None:
    assert parse_blt(format_blt(election)) == election


@given(elections(quirks=True), st.integers(0, 3))
def test_scottish_count_accounts_for_every_vote_and_fills_the_seats(election: Election, seed: int) -> None:
    result = count_scottish(election, tie_seed=seed)
    standing = len(election.candidates) - len(election.withdrawn)
    assert len(result.elected) == min(election.seats, standing)
    assert not set(result.elected) & election.withdrawn
    for stage in result.stages:
        total = sum(Decimal(v) for v in stage.votes)
        total += Decimal(stage.non_transferable_total) + Decimal(stage.rounding_loss_total)
        assert total == result.valid_votes
        assert Decimal(stage.rounding_loss) >= 0 and Decimal(stage.non_transferable) >= 0
    assert result.to_dict()["elected"] == result.elected


@given(elections(quirks=True), st.integers(0, 3))
def test_meek_count_keeps_its_invariants(election: Election, seed: int) -> None:
    result = count_meek(election, tie_seed=seed)
    standing = len(election.candidates) - len(election.withdrawn)
    assert len(result.elected) == min(election.seats, standing)
    assert not set(result.elected) & election.withdrawn
    for stage in result.stages:
        held = sum(Decimal(v) for v in stage.votes)
        assert held + Decimal(stage.non_transferable_total) == result.valid_votes
        assert all(0 <= Decimal(k) <= 1 for k in stage.keep_factors)
