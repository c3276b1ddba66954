"""Independent checks of a published distribution against the pool and quotas it claims to serve."""

from __future__ import annotations

from comuna.choice.sortition.draw import PanelDistribution
from comuna.choice.sortition.quotas import SelectionProblem


def distribution_problems(problem: SelectionProblem, distribution: PanelDistribution) -> list[str]:
    """Everything wrong with `distribution` for `problem`; empty when every panel it can produce is valid.

    Checks the volunteers and panel size, that each group's members really are interchangeable (same answers,
    nobody sharing an address inside a group of several), and that every composition meets every quota, the
    panel size and the one-per-household rule, whichever members of each group are drawn.
    """
    pool = problem.pool
    if tuple(distribution.volunteers) != pool.ids:
        return ["the published volunteers are not the pool's volunteers (in file order)"]
    if distribution.panel_size != problem.panel_size:
        return [f"the panel size is {distribution.panel_size}, not {problem.panel_size}"]
    problems: list[str] = []
    household_size: dict[int, int] = {}
    for household in pool.households:
        household_size[household] = household_size.get(household, 0) + 1
    for number, group in enumerate(distribution.groups):
        if len({pool.answers[i] for i in group}) > 1:
            problems.append(f"group {number} mixes volunteers with different answers")
        if len(group) > 1 and any(household_size[pool.households[i]] > 1 for i in group):
            problems.append(f"group {number} holds a volunteer who shares an address")
    if problems:
        return problems
    # Re-express each composition on the problem's own groups; the members drawn inside a group don't matter.
    for number, counts in enumerate(distribution.compositions):
        per_volunteer_group = [0] * len(problem.groups)
        for group, count in zip(distribution.groups, counts, strict=True):
            if count:
                per_volunteer_group[int(problem.group_of[group[0]])] += count
        for reason in problem.violations(per_volunteer_group):
            problems.append(f"composition {number}: {reason}")
    return problems
