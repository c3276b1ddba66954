"""Divisive and group-informed consensus statements, moderation, priorities and the next statement to show."""

from __future__ import annotations

import numpy as np
import pytest

from comuna.opinion import MODERATED_OUT, OpinionMap, Statement, Vote
from comuna.opinion.priority import statement_priorities


def _two_camps() -> list[Vote]:
    """40 people in two camps of 20: opposite on statements 0-3, all agree on 4, mixed on 5-7."""
    votes, stamp = [], 0
    rng = np.random.default_rng(3)
    for p in range(40):
        camp = 1 if p < 20 else -1
        for s in range(8):
            if s < 4:
                value = camp if s % 2 == 0 else -camp
            elif s == 4:
                value = 1
            else:
                value = int(rng.choice([-1, 0, 1]))
            stamp += 1
            votes.append(Vote(p, s, value, stamp))
    return votes


@pytest.fixture()
def camps():
    return OpinionMap.build(_two_camps(), [Statement(s, f"statement {s}") for s in range(8)])


def test_two_camps_are_the_two_groups(camps):
    groups = camps.groups()
    assert camps.group_count == 2
    assert len({groups[p] for p in range(20)}) == 1 and len({groups[p] for p in range(20, 40)}) == 1
    assert groups[0] != groups[20]


def test_divisive_and_common_ground(camps):
    assert set(camps.divisive(limit=4)) == {0, 1, 2, 3}
    assert next(iter(camps.group_informed_consensus())) == 4
    assert [s.statement_id for s in camps.consensus()["agree"]][:1] == [4]


def test_each_camp_is_represented_by_its_own_side(camps):
    groups = camps.groups()
    chosen = camps.representative()
    first = {(s.statement_id, s.repful_for) for s in chosen[groups[0]] if s.statement_id < 4}
    second = {(s.statement_id, s.repful_for) for s in chosen[groups[20]] if s.statement_id < 4}
    assert first and first <= {(0, "agree"), (2, "agree"), (1, "disagree"), (3, "disagree")}
    assert second and second <= {(0, "disagree"), (2, "disagree"), (1, "agree"), (3, "agree")}


def test_moderating_a_statement_out_removes_it_everywhere(camps):
    camps.set_statements([Statement(4, "statement 4", moderated=MODERATED_OUT)])
    assert 4 not in camps.group_informed_consensus()
    assert 4 not in [s.statement_id for s in camps.consensus()["agree"]]
    assert all(s.statement_id != 4 for chosen in camps.representative().values() for s in chosen)
    camps.update([Vote(99, 0, 1, 10**6)])
    seen = set()
    rng = np.random.default_rng(0)
    for _ in range(50):
        seen.add(camps.next_statement(99, rng))
    assert 4 not in seen and 0 not in seen and seen <= set(range(1, 8))


def test_next_statement_is_reproducible_and_none_when_all_voted(camps):
    draws = [camps.next_statement(500, np.random.default_rng(7)) for _ in range(2)]
    assert draws[0] == draws[1]
    assert camps.next_statement(0) is None  # participant 0 voted on everything


def test_priority_formula_by_hand():
    # 6 agree, 2 disagree, 2 pass of 10; extremity 1.5: p_agree = 7/12, p_pass = 3/12,
    # importance = (1 - 3/12)(1.5 + 1)(7/12), newness = 1 + 8·2^(-2); priority = (importance · newness)².
    expected = ((1 - 3 / 12) * 2.5 * (7 / 12) * (1 + 8 * 2**-2)) ** 2
    got = statement_priorities(np.array([6]), np.array([2]), np.array([10]), np.array([1.5]), np.array([False]))
    assert got[0] == pytest.approx(expected)
    meta = statement_priorities(np.array([6]), np.array([2]), np.array([10]), np.array([1.5]), np.array([True]))
    assert meta[0] == pytest.approx(49.0)
