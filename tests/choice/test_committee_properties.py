"""Properties of the committee rules on small random profiles, checked against brute force.

- every rule returns committee_size distinct candidates, and its resolute answer is among its tied answers;
- the rules are anonymous (voter order does not matter) and neutral (renaming candidates renames the result);
- AV elects candidates with at least as many approvals as any loser;
- PAV's committees are exactly the brute-force optimum, and no single swap improves the score;
- seq-Phragmén satisfies proportional justified representation (PJR), Equal Shares and PAV extended justified
  representation (EJR) — theorems from the literature (Sánchez-Fernández et al. 2017; Peters & Skowron 2020;
  Aziz et al. 2017), checked here by exhaustive search.
"""

from fractions import Fraction
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from comuna.choice.committee import RULES, ApprovalProfile, approval_voting_all, pav_all, pav_score

SMALL = settings(derandomize=True, deadline=None, max_examples=120)


@st.composite
def elections(draw, max_candidates=7, max_voters=8, min_voters=0):
    m = draw(st.integers(1, max_candidates))
    ballots = draw(st.lists(st.sets(st.integers(0, m - 1)), min_size=min_voters, max_size=max_voters))
    k = draw(st.integers(1, m))
    return ApprovalProfile.from_ballots(m, ballots), k


@SMALL
@given(elections(), st.sampled_from(sorted(RULES)))
def test_size_and_resolute_among_tied(election, rule_id):
    profile, k = election
    resolute, irresolute = RULES[rule_id]
    committee = resolute(profile, k)
    tied = irresolute(profile, k)
    assert len(committee) == k == len(set(committee))
    assert list(committee) == sorted(committee) and all(0 <= c < profile.num_candidates for c in committee)
    assert committee in tied
    assert tied == sorted(set(tied)) and all(len(c) == k for c in tied)


@SMALL
@given(elections(), st.sampled_from(sorted(RULES)), st.randoms(use_true_random=False))
def test_anonymous_and_neutral(election, rule_id, random):
    profile, k = election
    _, irresolute = RULES[rule_id]
    shuffled_voters = list(profile.ballots)
    random.shuffle(shuffled_voters)
    assert irresolute(ApprovalProfile(profile.num_candidates, tuple(shuffled_voters)), k) == irresolute(profile, k)
    rename = list(profile.candidates)
    random.shuffle(rename)
    renamed = ApprovalProfile.from_ballots(profile.num_candidates, [[rename[c] for c in b] for b in profile.ballots])
    expected = sorted(tuple(sorted(rename[c] for c in committee)) for committee in irresolute(profile, k))
    assert irresolute(renamed, k) == expected


@SMALL
@given(elections())
def test_av_elects_the_most_approved(election):
    profile, k = election
    counts = profile.approval_counts()
    committees = approval_voting_all(profile, k)
    for committee in committees:
        losers = set(profile.candidates) - set(committee)
        assert all(counts[w] >= counts[loser] for w in committee for loser in losers)
    # and every committee with that property is listed
    brute = sorted(
        c for c in combinations(profile.candidates, k)
        if all(counts[w] >= counts[x] for w in c for x in set(profile.candidates) - set(c))
    )
    assert committees == brute


@SMALL
@given(elections())
def test_pav_is_the_exact_optimum(election):
    profile, k = election
    scores = {c: pav_score(profile, c) for c in combinations(profile.candidates, k)}
    best = max(scores.values())
    committees = pav_all(profile, k)
    assert committees == sorted(c for c, s in scores.items() if s == best)
    for committee in committees:
        for out in committee:
            for into in set(profile.candidates) - set(committee):
                swapped = tuple(sorted(set(committee) - {out} | {into}))
                assert pav_score(profile, swapped) <= pav_score(profile, committee)


def _cohesive_groups(profile: ApprovalProfile, k: int):
    """(ell, voters approving every candidate of T) for each candidate set T of size ell <= k."""
    for ell in range(1, k + 1):
        for common in combinations(profile.candidates, ell):
            yield ell, [v for v, b in enumerate(profile.ballots) if b.issuperset(common)]


def _large_enough(size: int, ell: int, profile: ApprovalProfile, k: int) -> bool:
    return size * k >= ell * profile.num_voters


def satisfies_ejr(profile: ApprovalProfile, committee: tuple[int, ...], k: int) -> bool:
    """No large enough ell-cohesive group in which every voter approves fewer than ell winners (exhaustive)."""
    winners = set(committee)
    for ell, group in _cohesive_groups(profile, k):
        # the worst sub-group is made of exactly the voters with fewer than ell approved winners
        unhappy = [v for v in group if len(profile.ballots[v] & winners) < ell]
        if unhappy and _large_enough(len(unhappy), ell, profile, k):
            return False
    return True


def satisfies_pjr(profile: ApprovalProfile, committee: tuple[int, ...], k: int) -> bool:
    """Every ell-cohesive group jointly approves at least ell winners (exhaustive over sub-groups)."""
    winners = set(committee)
    n = profile.num_voters
    for ell, group in _cohesive_groups(profile, k):
        if not _large_enough(len(group), ell, profile, k):
            continue
        size = -(-ell * n // k)  # the smallest group that is large enough is the hardest to satisfy
        for subgroup in combinations(group, size):
            if len(winners & frozenset().union(*(profile.ballots[v] for v in subgroup))) < ell:
                return False
    return True


@SMALL
@given(elections(min_voters=1))
def test_equal_shares_and_pav_satisfy_ejr(election):
    profile, k = election
    for rule_id in ("equal-shares", "pav"):
        resolute, irresolute = RULES[rule_id]
        for committee in irresolute(profile, k):
            assert satisfies_ejr(profile, committee, k), (rule_id, committee)


@SMALL
@given(elections(min_voters=1, max_voters=7))
def test_sequential_phragmen_satisfies_pjr(election):
    profile, k = election
    _, irresolute = RULES["seqphragmen"]
    for committee in irresolute(profile, k):
        assert satisfies_pjr(profile, committee, k), committee


def test_ejr_checker_catches_av_violation():
    # three voters approve {0, 1, 3, 4}, one approves {2}. With 4 seats the lone voter is n/k of the electorate,
    # a 1-cohesive group, so a committee without 2 violates EJR and PJR; with 2 seats the voter is below n/k.
    profile = ApprovalProfile.from_ballots(5, [[0, 1, 3, 4]] * 3 + [[2]])
    assert satisfies_ejr(profile, (0, 1), 2)
    assert not satisfies_ejr(profile, (0, 1, 3, 4), 4)
    assert not satisfies_pjr(profile, (0, 1, 3, 4), 4)
    assert (0, 1, 3, 4) in approval_voting_all(profile, 4)
    assert all(2 in c for c in RULES["equal-shares"][1](profile, 4))


def test_price_per_voter_is_exact():
    from comuna.choice.committee.equal_shares import price_per_voter

    assert price_per_voter([Fraction(1, 3)] * 3) == Fraction(1, 3)
    assert price_per_voter([Fraction(1, 10), Fraction(1), Fraction(1)]) == Fraction(9, 20)
    assert price_per_voter([Fraction(1, 3), Fraction(1, 3)]) is None


def test_ejr_checker_looks_at_the_unhappy_part_of_a_group():
    # voters 0 and 2 both approve candidate 4; voter 0 is well served, but voter 2 alone is n/k of the electorate
    # and approves no winner: EJR (and PJR) fail even though the whole group {0, 2} contains a happy voter.
    profile = ApprovalProfile.from_ballots(6, [[0, 1, 2, 4, 5], [0, 1, 2, 3], [4]])
    assert not satisfies_ejr(profile, (0, 1, 2), 3)
    assert not satisfies_pjr(profile, (0, 1, 2), 3)
    assert satisfies_ejr(profile, RULES["equal-shares"][0](profile, 3), 3)


@settings(derandomize=True, deadline=None, max_examples=25)
@given(elections(max_candidates=11, max_voters=40))
def test_pav_branch_and_bound_matches_brute_force_on_medium_profiles(election):
    # larger than the profiles above, so the bounds and the candidate reordering actually prune
    profile, k = election
    scores = {c: pav_score(profile, c) for c in combinations(profile.candidates, k)}
    best = max(scores.values())
    assert pav_all(profile, k) == sorted(c for c, s in scores.items() if s == best)
