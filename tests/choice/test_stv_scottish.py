"""The Scottish count (SSI 2007/42) against the official 2017 results, checked by hand on small elections, with
the bookkeeping of every stage balanced to the last 1e-5 of a vote."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from comuna.choice.stv.blt import parse_blt, read_blt
from comuna.choice.stv.scottish import count_scottish
from shared_data import SHARED_DATA

STV_DATA = SHARED_DATA / "stv"
WARDS = json.loads((STV_DATA / "official_2017_results.json").read_text(encoding="utf-8"))
WARD_IDS = [w["blt_file"].split("/")[-1] for w in WARDS]


@pytest.fixture(scope="module")
def counts() -> dict[str, object]:
    return {ward["blt_file"]: count_scottish(read_blt(STV_DATA / ward["blt_file"])) for ward in WARDS}


@pytest.mark.parametrize("ward", WARDS, ids=WARD_IDS)
def test_same_councillors_quota_and_number_of_counts_as_the_official_result(ward: dict, counts: dict) -> None:
    result = counts[ward["blt_file"]]
    assert result.valid_votes == ward["valid_poll_official"]
    assert int(result.quota) == ward["quota_official"]
    assert sorted(result.elected) == sorted(ward["official_elected_blt_indices"])
    assert len(result.stages) == ward["official_number_of_counts"]
    assert {result.candidates[c - 1] for c in result.elected} == {
        ward["candidate_names_blt"][c - 1] for c in ward["official_elected_blt_indices"]}


@pytest.mark.parametrize("ward", WARDS, ids=WARD_IDS)
def test_every_stage_accounts_for_every_vote(ward: dict, counts: dict) -> None:
    result = counts[ward["blt_file"]]
    valid = Decimal(result.valid_votes)
    quota = Decimal(result.quota)
    previous = [Decimal(0)] * len(result.candidates)
    for stage in result.stages:
        votes = [Decimal(v) for v in stage.votes]
        changes = [Decimal(v) for v in stage.changes]
        held = sum(votes) + Decimal(stage.non_transferable_total) + Decimal(stage.rounding_loss_total)
        assert held == valid, f"stage {stage.number}"
        assert [p + c for p, c in zip(previous, changes, strict=True)] == votes
        if stage.kind == "surplus":
            given = -changes[stage.subject - 1]
            received = sum(c for c in changes if c > 0)
            assert votes[stage.subject - 1] == quota
            assert given == received + Decimal(stage.non_transferable) + Decimal(stage.rounding_loss)
            assert Decimal(0) <= Decimal(stage.rounding_loss) < Decimal("0.00001") * result.valid_votes
        if stage.kind == "exclusion":
            assert votes[stage.subject - 1] == 0
            assert stage.rounding_loss == "0.00000"
        previous = votes
    elected_at = [e.candidate for s in result.stages for e in s.events if e.outcome == "elected"]
    assert elected_at == result.elected
    assert len(result.elected) == result.seats


def test_weighted_inclusive_gregory_with_truncated_transfer_values_by_hand() -> None:
    # 12 ballots, 2 seats: quota 12 // 3 + 1 = 5. Ann has 7: surplus 2, each paper goes on at 2/7 = 0.28571 (not
    # 0.285714...): Bob gets 4 x 0.28571, Cleo 3 x 0.28571, and 0.00003 is lost to truncation.
    election = parse_blt("3 2\n4 1 2 0\n3 1 3 0\n3 3 0\n2 2 0\n0\nAnn\nBob\nCleo\nHand count\n")
    result = count_scottish(election)
    assert result.quota == "5"
    first, surplus, exclusion = result.stages
    assert first.votes == ["7.00000", "2.00000", "3.00000"]
    assert [e.candidate for e in first.events] == [1]
    assert surplus.kind == "surplus" and surplus.subject == 1
    assert surplus.votes == ["5.00000", "3.14284", "3.85713"]
    assert surplus.rounding_loss == "0.00003"
    # Bob has fewest: his 4 papers from Ann (1.14284) and his own 2 name nobody else. Cleo alone is left for the
    # last seat and is elected without a further transfer (rule 52).
    assert exclusion.kind == "exclusion" and exclusion.subject == 2
    assert exclusion.non_transferable == "3.14284"
    assert exclusion.votes == ["5.00000", "0.00000", "3.85713"]
    assert result.elected == [1, 3]
    assert exclusion.events[-1].reason.endswith("(rule 52)")


def test_exclusion_tie_is_broken_by_the_most_recent_stage_where_they_differed() -> None:
    # Stage 1: Ann 5, Bob 3, Cleo 2, Dan 1 -> Dan excluded, his paper goes to Cleo: Bob and Cleo tie on 3.
    # At stage 1 Cleo had fewer, so Cleo is excluded (rule 51(2)(a)), then Bob; Ann is left for the seat.
    election = parse_blt("4 1\n5 1 0\n3 2 0\n2 3 0\n1 4 3 0\n0\nAnn\nBob\nCleo\nDan\n")
    result = count_scottish(election)
    excluded = [s.subject for s in result.stages if s.kind == "exclusion"]
    assert excluded == [4, 3, 2]
    assert "stage 1" in result.stages[2].tie_break
    assert result.elected == [1]


def test_a_tie_at_every_stage_is_decided_by_a_reproducible_lot() -> None:
    election = parse_blt("3 1\n2 1 0\n2 2 0\n4 3 0\n0\nAnn\nBob\nCleo\n")
    outcomes = set()
    for seed in range(12):
        result = count_scottish(election, tie_seed=seed)
        assert "by lot" in result.stages[1].tie_break
        assert count_scottish(election, tie_seed=seed).stages[1].subject == result.stages[1].subject
        outcomes.add(result.stages[1].subject)
    assert outcomes == {1, 2}  # the lot can fall either way


def test_the_count_ends_when_every_seat_is_filled() -> None:
    # Quota 21 // 3 + 1 = 8: Ann (10) and Bob (9) both elected at stage 1; their surpluses are never transferred.
    election = parse_blt("3 2\n10 1 3 0\n9 2 3 0\n2 3 0\n0\nAnn\nBob\nCleo\n")
    result = count_scottish(election)
    assert result.elected == [1, 2]
    assert len(result.stages) == 1  # both seats filled at stage 1: no transfer is needed


def test_surpluses_in_order_of_size() -> None:
    election = parse_blt("4 3\n10 1 4 0\n9 2 4 0\n4 3 0\n3 4 0\n0\nAnn\nBob\nCleo\nDan\n")
    result = count_scottish(election)  # quota 26 // 4 + 1 = 7
    assert [s.subject for s in result.stages if s.kind == "surplus"][:2] == [1, 2]


def test_withdrawn_candidates_and_unreadable_preferences() -> None:
    # Bob withdrew: his first preferences go to the next choice. A ballot with an equal ranking stops there, and
    # one with only Bob on it is invalid.
    election = parse_blt("3 1\n-2\n4 2 3 0\n3 1 0\n2 1 2=3 0\n1 2 0\n0\nAnn\nBob\nCleo\n")
    result = count_scottish(election)
    assert result.valid_votes == 9 and result.invalid_ballots == 1
    assert result.stages[0].votes == ["5.00000", "0.00000", "4.00000"]
    assert result.elected == [1]


def test_the_result_sheet_is_plain_json() -> None:
    result = count_scottish(read_blt(STV_DATA / WARDS[0]["blt_file"]))
    again = json.loads(json.dumps(result.to_dict()))
    assert again["elected"] == result.elected
    assert len(again["stages"]) == len(result.stages)
    assert set(again["stages"][0]) >= {"votes", "changes", "non_transferable", "events", "quota"}
