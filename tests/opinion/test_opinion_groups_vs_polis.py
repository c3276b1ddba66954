"""Opinion groups computed from the raw votes of six real Pol.is conversations, against Pol.is's own groups.

summary.csv gives Pol.is's group count and participants-votes.csv each participant's `group-id`. We require the
same number of groups and an adjusted Rand index of at least 0.9 on the participants both maps place. Where we
fall short the test is marked xfail(strict=True) with the reason (docs/opinion.md shows the figures): it will
fail loudly the day it starts passing, so the mark cannot hide an improvement or a regression elsewhere.
"""

from __future__ import annotations

import pytest

from comuna.opinion.clusters import adjusted_rand_index
from comuna.opinion.incremental import OpinionMap
from comuna.opinion.polis_export import read_polis_export
from opinion.polis_fixture_data import CONVERSATIONS, polis_path

# Measured with the default seed; docs/opinion.md explains each.
KNOWN_SHORTFALLS: dict[str, str] = {
    "brexit-consensus": "ARI 0.88: same 2 groups, the boundary differs; Pol.is grouped 8 participants with fewer "
                        "than 7 votes (an older entry rule its sticky in-conv kept)",
    "vtaiwan.uberx": "ARI 0.88: same 2 groups over a continuum; where Pol.is put the boundary depends on the "
                     "order its updates came in (its partition is not a k-means fixed point of the final map)",
    "football-concussions": "Pol.is shows 2 groups over 1434 participants, 842 of them with fewer than 7 votes "
                            "(an older entry rule); on the participants with 7 votes the silhouette prefers 4",
    "scoop-hivemind.ubi": "Pol.is shows 4 groups; the silhouette prefers 2 (0.62 against 0.39 for 4), even on "
                          "Pol.is's own participants: its group-k smoother or an older version kept 4",
}


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=KNOWN_SHORTFALLS[n])) if n in KNOWN_SHORTFALLS else n
    for n in CONVERSATIONS
])
def test_same_groups_as_polis(name):
    export = read_polis_export(polis_path(name))
    opinion_map = OpinionMap.build(export.votes, export.statements)
    ours = opinion_map.groups()
    theirs = {p: g for p, g in export.groups.items() if g is not None}
    common = sorted(set(ours) & set(theirs))
    assert len(common) >= 0.4 * len(theirs)
    assert opinion_map.group_count == export.group_count
    assert adjusted_rand_index([ours[p] for p in common], [theirs[p] for p in common]) >= 0.9


def test_adjusted_rand_index_known_values():
    assert adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0]) == pytest.approx(1.0)
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)
    # Hubert & Arabie's example value, checked against the formula by hand: 3 items agree pairwise of 6 pairs
    assert adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) == pytest.approx(0.24242424, abs=1e-7)
