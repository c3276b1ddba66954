"""The tie-breaking order of the PB rules.

When two projects are exactly tied (same price per unit of utility in Equal Shares, same score density in greedy,
same load in Phragmén), the one whose project id comes first in plain string order (Python `str` comparison, i.e.
Unicode code points: "10" < "9", "BO.OM.1/24" < "BO.OM.19/24") is taken. This is pabutools 1.2.3's default
(`lexico_tie_breaking`, which sorts on `Project.name`, the pabulib project_id), so outcomes match it exactly.
"""

from __future__ import annotations

from collections.abc import Sequence


def tie_order(project_ids: Sequence[str]) -> list[int]:
    """Project indices from the most to the least favoured in a tie."""
    return sorted(range(len(project_ids)), key=lambda index: project_ids[index])


def tie_rank(project_ids: Sequence[str]) -> list[int]:
    """rank[i]: position of project i in the tie-breaking order (lower wins)."""
    rank = [0] * len(project_ids)
    for position, index in enumerate(tie_order(project_ids)):
        rank[index] = position
    return rank
