"""Participatory-budgeting rules: utilitarian greedy, Method of Equal Shares (+ add1 completions), Phragmén.

The one entry point for the app and the CLI is `tally(instance, rule=..., ...) -> Outcome` (see `explain.py` for
the data shape). Ties are broken by project id in string order, as pabutools does (`ties.py`).
"""

from __future__ import annotations

from fractions import Fraction

from comuna.choice.pabulib import PBInstance
from comuna.choice.pb import explain as ex
from comuna.choice.pb.completion import (
    equal_shares_add1,
    equal_shares_add1_comparison,
    equal_shares_add1_until_overspending,
)
from comuna.choice.pb.election import UTILITIES, Election, build_election, default_utility
from comuna.choice.pb.equal_shares import MESRun, equal_shares
from comuna.choice.pb.explain import Outcome, ProjectExplanation
from comuna.choice.pb.greedy import supporters_and_utility, utilitarian_greedy
from comuna.choice.pb.phragmen import sequential_phragmen

RULES = ("greedy", "mes", "phragmen")
COMPLETIONS = ("add1", "add1-comparison")

__all__ = [
    "COMPLETIONS", "RULES", "UTILITIES", "Outcome", "ProjectExplanation", "build_election", "default_utility",
    "equal_shares", "equal_shares_add1", "equal_shares_add1_comparison", "equal_shares_add1_until_overspending",
    "sequential_phragmen", "tally", "utilitarian_greedy",
]


def tally(instance: PBInstance, rule: str = "mes", utility: str | None = None, completion: str | None = None,
          skip: bool = True, threshold: int = 0) -> Outcome:
    """Compute the outcome of `rule` ("greedy", "mes" or "phragmen") on an instance, with explanations.

    utility: "cost", "cardinality" or "points" (default: points for cumulative/scoring ballots, else cost).
    completion (mes only): "add1" (pabutools' voter_budget_increment=1) or "add1-comparison" (Wieliczka 2023).
    skip / threshold (greedy only): skip projects that do not fit (else stop), minimum number of supporters.
    """
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; choose one of {', '.join(RULES)}")
    if completion is not None and (rule != "mes" or completion not in COMPLETIONS):
        raise ValueError(f"completion {completion!r} applies to rule 'mes' and is one of {', '.join(COMPLETIONS)}")
    election = build_election(instance, utility)
    supporters, _ = supporters_and_utility(election)
    if rule == "greedy":
        return _greedy_outcome(election, supporters, skip, threshold)
    if rule == "phragmen":
        return _phragmen_outcome(election, supporters)
    return _mes_outcome(election, supporters, completion)


def _spent(election: Election, selected: list[int]) -> int | Fraction:
    return sum((election.costs[p] for p in selected), 0)


def _base(election: Election, project: int, supporters: list[int], funded: bool, reason: str,
          message: str, **extra: object) -> ProjectExplanation:
    return ProjectExplanation(project_id=election.project_ids[project], funded=funded, reason=reason,
                              message=message, cost=ex.plain_number(election.costs[project]),
                              supporters=supporters[project], **extra)


def _greedy_outcome(election: Election, supporters: list[int], skip: bool, threshold: int) -> Outcome:
    result = utilitarian_greedy(election, skip=skip, threshold=threshold)
    explanations = []
    for step in result.steps:
        common = {"round": step.rank, "remaining_budget_exact": ex.exact_text(step.remaining_before),
                  "density_exact": ex.exact_text(step.density)}
        remaining = ex.plain_number(step.remaining_before)
        if step.funded:
            reason, message = ex.FUNDED_GREEDY, f"Funded: ranked {step.rank} and fitted in the remaining {remaining}."
        elif step.reason == "below vote threshold":
            reason, message = ex.BELOW_THRESHOLD, f"Not funded: {step.supporters} supporters, below the threshold of {threshold}."
        elif step.reason == "after the stop":
            reason, message = ex.AFTER_STOP, "Not funded: the rule stopped at the first project that did not fit."
        else:
            reason, message = ex.OVER_BUDGET, f"Not funded: its cost is over the remaining budget of {remaining} at its turn (rank {step.rank})."
        explanations.append(_base(election, step.project, supporters, step.funded, reason, message, **common))
    return Outcome("greedy", election.utility, None, [election.project_ids[p] for p in result.selected],
                   election.budget, _spent(election, result.selected), explanations,
                   {"skip": skip, "threshold": threshold})


def _phragmen_outcome(election: Election, supporters: list[int]) -> Outcome:
    result = sequential_phragmen(election)
    by_project = {r.project: r for r in result.rounds}
    explanations = []
    for project in range(election.n_projects):
        if project in by_project:
            r = by_project[project]
            explanations.append(_base(election, project, supporters, True, ex.FUNDED,
                                      f"Funded in round {r.round}: its supporters' load reached {float(r.load):.6g}.",
                                      round=r.round, load_exact=ex.exact_text(r.load)))
        elif election.costs[project] > election.budget:
            explanations.append(_base(election, project, supporters, False, ex.OVER_BUDGET,
                                      "Not funded: it costs more than the whole budget."))
        elif project == result.stopped_by:
            explanations.append(_base(election, project, supporters, False, ex.WOULD_OVERSPEND,
                                      f"Not funded: it came next in round {result.stop_round} but did not fit in the "
                                      "remaining budget, so the rule stopped.", round=result.stop_round))
        else:
            explanations.append(_base(election, project, supporters, False, ex.NOT_REACHED,
                                      "Not funded: the rule stopped before its supporters could buy it."))
    return Outcome("phragmen", "cardinality", None, [election.project_ids[p] for p in result.selected],
                   election.budget, _spent(election, result.selected), explanations)


def _mes_outcome(election: Election, supporters: list[int], completion: str | None) -> Outcome:
    details: dict[str, object] = {}
    chosen_selected: list[int] | None = None
    if completion is None:
        run = equal_shares(election)
    elif completion == "add1":
        add1 = equal_shares_add1(election)
        run = add1.run
        details.update(increments=add1.increments, stopped_because=add1.stopped_because, mes_runs=add1.runs)
    else:
        comparison = equal_shares_add1_comparison(election)
        run = comparison.add1.run
        chosen_selected = comparison.selected
        details.update(increments=comparison.add1.increments, mes_runs=comparison.add1.runs,
                       compared_with="greedy", chosen=comparison.chosen,
                       voters_preferring_equal_shares=comparison.prefer_equal_shares,
                       voters_preferring_greedy=comparison.prefer_greedy,
                       greedy_winners=[election.project_ids[p] for p in comparison.greedy_selected])
    details["money_per_voter_exact"] = ex.exact_text(run.budget_per_voter)
    details["money_per_voter"] = float(run.budget_per_voter)
    explanations = _mes_explanations(election, supporters, run)
    selected = run.selected
    if chosen_selected is not None and chosen_selected != run.selected:
        selected = chosen_selected
        explanations = _greedy_outcome(election, supporters, True, 0).explanations
        for item in explanations:
            item.message = "Greedy outcome chosen by the comparison step. " + item.message
    return Outcome("mes", election.utility, completion, [election.project_ids[p] for p in selected],
                   election.budget, _spent(election, selected), explanations, details)


def _mes_explanations(election: Election, supporters: list[int], run: MESRun) -> list[ProjectExplanation]:
    rounds = {r.project: r for r in run.rounds}
    free = set(run.zero_cost)
    unsupported = set(run.unsupported)
    out = []
    for project in range(election.n_projects):
        if project in rounds:
            r = rounds[project]
            share = r.rho * election.multiplier[project]
            message = (f"Funded in round {r.round}: {r.paid_full_share} supporters paid {float(share):.6g} each "
                       f"per point of support, {r.paid_all_remaining} paid all the money they had left.")
            out.append(_base(election, project, supporters, True, ex.FUNDED, message, round=r.round,
                             price_per_utility_exact=ex.exact_text(r.rho), price_per_utility=float(r.rho),
                             share_exact=ex.exact_text(share), paid_full_share=r.paid_full_share,
                             paid_all_remaining=r.paid_all_remaining))
        elif project in free:
            out.append(_base(election, project, supporters, True, ex.FUNDED_FREE,
                             "Funded before the first round: it costs nothing and has supporters."))
        elif project in unsupported:
            out.append(_base(election, project, supporters, False, ex.NO_SUPPORTERS,
                             "Not funded: no voter supports it (with this utility, a cost-free project counts as "
                             "no support)."))
        else:
            round_number, money = run.unaffordable[project]
            message = (f"Not funded: from round {round_number} its supporters had {float(money):.6g} left in "
                       f"total, less than its cost of {float(election.costs[project]):.6g}.")
            out.append(_base(election, project, supporters, False, ex.UNAFFORDABLE, message, round=round_number,
                             supporters_money_exact=ex.exact_text(money), supporters_money=float(money)))
    return out
