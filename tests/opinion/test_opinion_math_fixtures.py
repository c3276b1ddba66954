"""The opinion maths against Pol.is's own math output (red-dwarf's fixtures: raw API votes + math-pca2.json).

Everything is computed from the raw votes. Where a result depends on the opinion groups, the groups are taken
from Pol.is's output, so the test checks our statistics and selection rules, not the luck of k-means (which
depends on the conversation's history in Pol.is; see docs/opinion.md). One fixture (50ptpt) lacks the votes of
participant 50 that Pol.is counted (its user-vote-counts has 4 for them): PCA-based checks skip it.
"""

from __future__ import annotations

import numpy as np
import pytest

from comuna.opinion.incremental import OpinionMap
from comuna.opinion.pca import statement_extremity
from comuna.opinion.priority import statement_priorities
from comuna.opinion.statements import group_informed_consensus, repness_table, select_representative
from opinion.polis_fixture_data import FIXTURE_NAMES, group_counts, load_fixture

MISSING_VOTES = {"50ptpt-3gp-strict-no-meta"}


@pytest.fixture(scope="module", params=FIXTURE_NAMES)
def fixture_and_map(request):
    fixture = load_fixture(request.param)
    return fixture, OpinionMap.build(fixture.votes, fixture.statements)


def _columns(opinion_map, fixture):
    return [opinion_map.matrix.statement_index[t] for t in fixture.math["tids"]]


def test_moderated_out_statements_are_the_rejected_and_meta_ones(fixture_and_map):
    fixture, opinion_map = fixture_and_map
    ours = sorted(opinion_map.matrix.statement_ids[c] for c in np.flatnonzero(opinion_map._excluded()))
    assert ours == sorted(fixture.math["mod-out"])


def test_vote_counts_per_participant_match(fixture_and_map):
    fixture, opinion_map = fixture_and_map
    counts = dict(zip(opinion_map.matrix.participant_ids, opinion_map.matrix.votes_per_participant.tolist(),
                      strict=True))
    expected = {int(p): c for p, c in fixture.math["user-vote-counts"].items()}
    differing = {p for p, c in expected.items() if counts.get(p) != c}
    assert differing == ({50} if fixture.name in MISSING_VOTES else set())


def test_pca_matches_polis(fixture_and_map):
    fixture, opinion_map = fixture_and_map
    if fixture.name in MISSING_VOTES:
        pytest.skip("the fixture lacks votes Pol.is counted")
    cols = _columns(opinion_map, fixture)
    # Pol.is's maths stores agree as -1: its centre is minus ours.
    np.testing.assert_allclose(-opinion_map.pca.center[cols], fixture.math["pca"]["center"], atol=1e-9)
    for ours, theirs in zip(opinion_map.pca.components, fixture.math["pca"]["comps"], strict=True):
        assert abs(float(np.dot(ours[cols], theirs))) == pytest.approx(1.0, abs=1e-8)  # same axis, either sign
    n_voted = int((np.diag(opinion_map.matrix.N) > 0).sum())
    np.testing.assert_allclose(statement_extremity(opinion_map.pca, n_voted)[cols],
                               fixture.math["pca"]["comment-extremity"], rtol=1e-6)


def test_participant_projection_matches_polis_base_clusters(fixture_and_map):
    fixture, opinion_map = fixture_and_map
    base = fixture.math["base-clusters"]
    if fixture.name in MISSING_VOTES or any(len(m) > 1 for m in base["members"]):
        pytest.skip("only conversations whose base clusters are single participants give positions directly")
    rows = [opinion_map.matrix.participant_index[m[0]] for m in base["members"]]
    ours = opinion_map.projections[rows]
    theirs = np.array([base["x"], base["y"]]).T
    signs = np.sign(np.sum(ours * theirs, axis=0))  # each axis may be flipped
    np.testing.assert_allclose(ours * signs, theirs, atol=1e-5)


def test_consensus_statements_match_polis(fixture_and_map):
    fixture, opinion_map = fixture_and_map
    ours = opinion_map.consensus()
    for direction in ("agree", "disagree"):
        expected = fixture.math["consensus"][direction]
        assert [s.statement_id for s in ours[direction]] == [e["tid"] for e in expected]
        for got, want in zip(ours[direction], expected, strict=True):
            assert (got.n_success, got.n_trials) == (want["n-success"], want["n-trials"])
            assert got.p_test == pytest.approx(want["p-test"])


def test_representative_statements_match_polis_given_its_groups(fixture_and_map):
    fixture, opinion_map = fixture_and_map
    cols = _columns(opinion_map, fixture)
    agree, disagree, seen = group_counts(opinion_map.matrix, fixture.polis_groups(), cols)
    table = repness_table(agree, disagree, seen)
    chosen = select_representative(table, np.array(fixture.math["tids"]), opinion_map._excluded()[cols])
    for g, statements in enumerate(chosen):
        expected = fixture.math["repness"][str(g)]
        assert [(s.statement_id, s.repful_for) for s in statements] == [(e["tid"], e["repful-for"]) for e in expected]
        for got, want in zip(statements, expected, strict=True):
            assert (got.n_success, got.n_trials) == (want["n-success"], want["n-trials"])
            assert got.repness == pytest.approx(want["repness"])
            assert got.repness_test == pytest.approx(want["repness-test"], rel=1e-6)
            assert got.best_agree == bool(want.get("best-agree", False))


def test_group_informed_consensus_matches_polis_given_its_groups(fixture_and_map):
    fixture, opinion_map = fixture_and_map
    agree, _, seen = group_counts(opinion_map.matrix, fixture.polis_groups(), _columns(opinion_map, fixture))
    expected = [fixture.math["group-aware-consensus"][str(t)] for t in fixture.math["tids"]]
    np.testing.assert_allclose(group_informed_consensus(agree, seen), expected, rtol=1e-12)


def test_comment_priorities_match_polis_given_its_participants(fixture_and_map):
    """Pol.is computes priorities from its in-map participants' votes and the statements' extremity."""
    fixture, opinion_map = fixture_and_map
    if fixture.name in MISSING_VOTES:
        pytest.skip("the fixture lacks votes Pol.is counted")
    cols = _columns(opinion_map, fixture)
    everyone = {p: 0 for p in fixture.math["in-conv"]}
    agree, disagree, seen = group_counts(opinion_map.matrix, everyone, cols)
    n_voted = int((np.diag(opinion_map.matrix.N) > 0).sum())
    meta = np.isin(fixture.math["tids"], fixture.math["meta-tids"])
    ours = statement_priorities(agree[0], disagree[0], seen[0], statement_extremity(opinion_map.pca, n_voted)[cols],
                                meta)
    expected = np.array([fixture.math["comment-priorities"][str(t)] for t in fixture.math["tids"]])
    np.testing.assert_allclose(ours, expected, rtol=1e-6)


def test_end_to_end_where_the_groups_coincide():
    """From the raw votes to representative statements, no Pol.is output used: on 50ptpt our groups are Pol.is's
    (ARI 1 on the participants both place), and so are the representative statements of every group."""
    from comuna.opinion.clusters import adjusted_rand_index

    fixture = load_fixture("50ptpt-3gp-strict-no-meta")
    opinion_map = OpinionMap.build(fixture.votes, fixture.statements)
    ours, theirs = opinion_map.groups(), fixture.polis_groups()
    common = sorted(set(ours) & set(theirs))
    assert len(common) >= 0.9 * len(theirs)
    assert adjusted_rand_index([ours[p] for p in common], [theirs[p] for p in common]) == pytest.approx(1.0)
    polis_group_of = {ours[p]: theirs[p] for p in common}
    for g, chosen in opinion_map.representative().items():
        expected = fixture.math["repness"][str(polis_group_of[g])]
        assert [(s.statement_id, s.repful_for) for s in chosen] == [(e["tid"], e["repful-for"]) for e in expected]


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_given_polis_base_clusters_the_group_step_finds_polis_groups(name):
    """The group step alone: Pol.is's base clusters in (positions and sizes, in its order), and out come Pol.is's
    number of groups and its groups, base cluster for base cluster, with Pol.is's own start (as our updates run).
    So where end-to-end groups differ, the difference is in the base clusters, which carry Pol.is's history."""
    from comuna.opinion.clusters import adjusted_rand_index

    fixture = load_fixture(name)
    base = fixture.math["base-clusters"]
    opinion_map = OpinionMap()
    opinion_map._rng = np.random.default_rng(0)
    opinion_map.base_centers = np.column_stack([base["x"], base["y"]])
    opinion_map._choose_groups(np.array(base["count"], dtype=np.float64), restarts=0)
    polis_group = {b: g["id"] for g in fixture.math["group-clusters"] for b in g["members"]}
    assert len(set(opinion_map.group_of_base.tolist())) == len(fixture.math["group-clusters"])
    assert adjusted_rand_index(opinion_map.group_of_base, [polis_group[b] for b in base["id"]]) == pytest.approx(1.0)
