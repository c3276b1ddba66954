"""Edge cases and bad input for the committee rules: empty elections, unapproved candidates, precise errors."""

from fractions import Fraction
from itertools import combinations

import pytest

from comuna.choice.committee import RULES, ApprovalProfile, pav_score, sequential_phragmen


@pytest.mark.parametrize(
    ("num_candidates", "ballots", "error", "message"),
    [
        (0, [], ValueError, "at least one candidate"),
        (3, [[0], [3]], ValueError, "ballot 1: candidate 3 is outside 0..2"),
        (3, [[-1]], ValueError, "ballot 0: candidate -1"),
        (3, [["a"]], TypeError, "ballot 0: candidate 'a' is not an int"),
        (3, [[True]], TypeError, "is not an int"),
        (2.0, [], TypeError, "num_candidates must be an int"),
    ],
)
def test_bad_profiles_are_rejected(num_candidates, ballots, error, message):
    with pytest.raises(error, match=message):
        ApprovalProfile.from_ballots(num_candidates, ballots)


@pytest.mark.parametrize("rule_id", sorted(RULES))
@pytest.mark.parametrize("size", [0, 4, -1])
def test_committee_size_out_of_range(rule_id, size):
    profile = ApprovalProfile.from_ballots(3, [[0, 1]])
    for rule in RULES[rule_id]:
        with pytest.raises(ValueError, match=r"committee_size must be between 1 and the number of candidates \(3\)"):
            rule(profile, size)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_no_voters_means_every_committee_ties(rule_id):
    profile = ApprovalProfile.from_ballots(4, [])
    resolute, irresolute = RULES[rule_id]
    assert resolute(profile, 2) == (0, 1)
    assert irresolute(profile, 2) == list(combinations(range(4), 2))


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_unapproved_candidates_fill_the_last_seats(rule_id):
    # only candidates 3 and 1 are approved; the third seat goes to an unapproved candidate (0 first, resolute)
    profile = ApprovalProfile.from_ballots(5, [[3], [3], [1], []])
    resolute, irresolute = RULES[rule_id]
    assert resolute(profile, 3) == (0, 1, 3)
    assert irresolute(profile, 3) == [(0, 1, 3), (1, 2, 3), (1, 3, 4)]


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_whole_field_elected(rule_id):
    profile = ApprovalProfile.from_ballots(3, [[0], [0, 2]])
    resolute, irresolute = RULES[rule_id]
    assert resolute(profile, 3) == (0, 1, 2)
    assert irresolute(profile, 3) == [(0, 1, 2)]


def test_pav_score_is_an_exact_scaled_integer():
    # k = 3: scale lcm(1, 2, 3) = 6; a voter with 3 winners scores 6 + 3 + 2, one with 1 winner scores 6
    profile = ApprovalProfile.from_ballots(4, [[0, 1, 2], [0], [3]])
    assert pav_score(profile, (0, 1, 2)) == 11 + 6


def test_phragmen_start_state_is_checked():
    profile = ApprovalProfile.from_ballots(3, [[0], [1]])
    with pytest.raises(ValueError, match="start_loads has 1 entries for 2 voters"):
        sequential_phragmen(profile, 2, start_loads=[Fraction(0)])
    with pytest.raises(ValueError, match="start committee has 3 members, more than 2 seats"):
        sequential_phragmen(profile, 2, start_committee=[0, 1, 2])
    # a voter who starts with unspent budget (negative load) is served first
    assert sequential_phragmen(profile, 1, start_loads=[Fraction(0), Fraction(-1, 2)]) == (1,)
    assert sequential_phragmen(profile, 1) == (0,)
