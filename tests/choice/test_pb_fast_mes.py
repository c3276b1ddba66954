"""The compiled float run of MES that add1 uses: where it says it is sure, it funds what the exact run funds."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from comuna.choice.pabulib import parse_pabulib, read_pabulib
from comuna.choice.pb.completion import _Increments
from comuna.choice.pb.election import build_election
from comuna.choice.pb.fast_mes import funded_projects
from shared_data import SHARED_DATA

from .test_pb_properties import elections


def exact_and_fast(election, money):
    increments = _Increments(election, 1)
    exact = sorted(increments.mes.run(money).selected)
    funded, sure = funded_projects(float(money), *increments._arrays)
    return exact, sorted(increments.zero_cost + funded.tolist()), sure


@settings(max_examples=300)
@given(elections(max_voters=14, max_projects=7), st.sampled_from(["cost", "cardinality"]), st.integers(0, 6),
       st.integers(1, 7))
def test_the_float_run_funds_what_the_exact_run_funds_whenever_it_is_sure(text, utility, extra, denominator):
    election = build_election(parse_pabulib(text), utility)
    money = Fraction(election.budget, election.n_voters) + Fraction(extra, denominator)
    exact, fast, sure = exact_and_fast(election, money)
    if sure:
        assert fast == exact


def test_exact_ties_are_decided_by_the_tie_order_without_falling_back():
    # Two projects of different cost with two supporters each: with cost utilities both cost 1/2 per unit of
    # utility, an exact tie that the float run decides by the tie order (lowest cost first, then id).
    text = ("META\nkey;value\nbudget;6\nvote_type;approval\nPROJECTS\nproject_id;cost\na;4\nb;2\n"
            "VOTES\nvoter_id;vote\n1;a,b\n2;a,b\n")
    election = build_election(parse_pabulib(text), "cost")
    exact, fast, sure = exact_and_fast(election, Fraction(4))
    assert sure and fast == exact == [0, 1]
    exact, fast, sure = exact_and_fast(election, Fraction(5, 2))  # only one of them fits: the tie order picks
    assert sure and fast == exact


def test_real_elections_are_decided_in_float_at_every_add1_step_checked():
    for name in ("Poland_Krakow_2024", "France_Toulouse_2024", "Netherlands_Assen_2024"):
        election = build_election(read_pabulib(SHARED_DATA / "pabulib" / "instances" / f"{name}.pb"))
        increments = _Increments(election, 1)
        for k in (0, 37, 120):
            funded = sorted(increments.funded(k))
            assert funded == sorted(increments.exact(k).selected), (name, k)
