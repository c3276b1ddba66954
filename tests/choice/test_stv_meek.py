"""Meek's method on the 2017 Scottish wards: its own invariants at every stage, and the same councillors as an
independent textbook Meek count in floating point (no published Meek count of these wards could be found; see
docs/benchmarks.md, "STV counts")."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from comuna.choice.stv.blt import parse_blt, read_blt
from comuna.choice.stv.meek import count_meek
from comuna.choice.stv.prepared import prepare_ballots
from shared_data import SHARED_DATA

STV_DATA = SHARED_DATA / "stv"
WARDS = json.loads((STV_DATA / "official_2017_results.json").read_text(encoding="utf-8"))
WARD_IDS = [w["blt_file"].split("/")[-1] for w in WARDS]
NANO = Decimal("0.000000001")


def textbook_meek(preferences: list[tuple[int, ...]], weights: list[int], seats: int, size: int) -> list[int]:
    """Meek as first published (Meek 1969; Hill, Wichmann & Woodall 1987) in floats: one exclusion at a time,
    iterate until the total surplus is below 1e-9, exact quota votes / (seats + 1) with 'more than the quota'."""
    hopeful, elected_state, excluded = 0, 1, 2
    status, keep, elected = [hopeful] * size, [1.0] * size, []
    while seats - len(elected) > 0 and status.count(hopeful) > seats - len(elected):
        while True:
            votes = [0.0] * size
            for order, weight in zip(preferences, weights, strict=True):
                remaining = 1.0
                for candidate in order:
                    if keep[candidate]:
                        votes[candidate] += weight * remaining * keep[candidate]
                        remaining *= 1 - keep[candidate]
            quota = sum(votes) / (seats + 1)
            newly = [c for c in range(size) if status[c] == hopeful and votes[c] > quota]
            if newly or sum(votes[c] - quota for c in elected) < 1e-9:
                break
            for c in elected:
                keep[c] *= quota / votes[c]
        if newly:
            for c in sorted(newly, key=lambda c: -votes[c]):
                status[c] = elected_state
                elected.append(c)
            continue
        lowest = min((c for c in range(size) if status[c] == hopeful), key=lambda c: votes[c])
        status[lowest], keep[lowest] = excluded, 0.0
    return elected + [c for c in range(size) if status[c] == hopeful][: seats - len(elected)]


@pytest.fixture(scope="module")
def counts() -> dict[str, tuple]:
    out = {}
    for ward in WARDS:
        election = read_blt(STV_DATA / ward["blt_file"])
        out[ward["blt_file"]] = (election, count_meek(election))
    return out


@pytest.mark.parametrize("ward", WARDS, ids=WARD_IDS)
def test_meek_invariants_at_every_stage(ward: dict, counts: dict) -> None:
    election, result = counts[ward["blt_file"]]
    assert len(result.elected) == election.seats == ward["seats"]
    assert len(set(result.elected)) == len(result.elected)
    state = {c: "hopeful" for c in range(1, len(election.candidates) + 1)}
    for stage in result.stages:
        votes = [Decimal(v) for v in stage.votes]
        held = sum(votes)
        assert held + Decimal(stage.non_transferable_total) == result.valid_votes, f"stage {stage.number}"
        # The quota is the votes still held / (seats + 1), truncated to 9 places, plus 1e-9.
        quota = Decimal(stage.quota)
        assert quota == (held / (election.seats + 1)).quantize(NANO, rounding="ROUND_DOWN") + NANO
        for event in stage.events:
            if event.reason == "reached the quota":
                assert votes[event.candidate - 1] >= quota
            if event.outcome == "excluded":
                assert state[event.candidate] == "hopeful"
        for event in stage.events:
            state[event.candidate] = event.outcome
        keep = [Decimal(k) for k in stage.keep_factors]
        for candidate, factor in enumerate(keep, start=1):
            expected = {"hopeful": factor == 1, "elected": 0 < factor <= 1, "excluded": factor == 0}
            assert expected[state[candidate]], f"stage {stage.number}, candidate {candidate}: {factor}"
        assert stage.iterations >= 1
    assert sorted(c for c, s in state.items() if s == "elected") == sorted(result.elected)


@pytest.mark.parametrize("ward", WARDS, ids=WARD_IDS)
def test_same_councillors_as_an_independent_textbook_meek(ward: dict, counts: dict) -> None:
    election, result = counts[ward["blt_file"]]
    ballots = prepare_ballots(election)
    peer = textbook_meek(ballots.preferences, ballots.weights, election.seats, len(election.candidates))
    assert result.elected == [c + 1 for c in peer]


def test_one_seat_meek_by_hand() -> None:
    # 11 ballots, 1 seat: quota 11 / 2 = 5.5 (+1e-9). Cleo (2) cannot catch Bob (4) even with every surplus, so
    # she is excluded; her papers give Bob 6 and the seat.
    result = count_meek(parse_blt("3 1\n5 1 0\n4 2 0\n2 3 2 0\n0\nAnn\nBob\nCleo\n"))
    first, second = result.stages
    assert first.votes == ["5.000000000", "4.000000000", "2.000000000"]
    assert first.quota == "5.500000001"
    assert [(e.candidate, e.outcome) for e in first.events] == [(3, "excluded")]
    assert second.votes == ["5.000000000", "6.000000000", "0.000000000"]
    assert result.elected == [2]


def test_an_elected_candidate_passes_on_part_of_each_vote() -> None:
    # 2 seats, 10 valid ballots: quota 10 / 3. Ann (7) is elected; her keep factor becomes quota / 7 = 10/21, so
    # 11/21 of each of her 7 ballots (3.67) goes on to Bob, who passes the quota ahead of Cleo (3). Dan withdrew:
    # his ballot counts for its next choice, Cleo.
    result = count_meek(parse_blt("4 2\n-4\n7 1 2 0\n2 3 0\n1 4 3 0\n0\nAnn\nBob\nCleo\nDan\n"))
    assert result.elected == [1, 2]
    assert result.stages[0].votes == ["7.000000000", "0.000000000", "3.000000000", "0.000000000"]
    last = result.stages[-1]
    assert abs(Decimal(last.keep_factors[0]) - Decimal(10) / 21) < Decimal("0.000000002")
    assert last.keep_factors[3] == "0.000000000"
    assert Decimal(last.votes[1]) >= Decimal(last.quota) > Decimal(last.votes[2])
