"""Citizens' assemblies by lot: LEXIMIN and LEGACY panel selection, infeasible quotas, the verifiable draw.

The usual path (what the `comuna sortition` command and the assemblies app do):

    quotas = read_quotas("categories.csv")                    # or [Quota(category, feature, min, max), ...]
    pool = read_pool("respondents.csv", quotas)               # or pool_from_records(rows, quotas, id_key=...)
    problem = SelectionProblem(pool, tuple(quotas), panel_size)
    distribution = leximin_distribution(problem)              # raises InfeasibleQuotasError with a suggestion
    distribution.probabilities()                              # per volunteer, in pool order
    distribution.stable_text(), distribution.fingerprint()    # publish these before the seed is known
    draw_panel(distribution, seed)                            # the panel; anyone can repeat it
"""

from comuna.choice.sortition.checks import distribution_problems
from comuna.choice.sortition.draw import DistributionError, PanelDistribution, draw_panel
from comuna.choice.sortition.feasibility import InfeasibleQuotasError, explain_infeasibility
from comuna.choice.sortition.legacy import LegacyDrawer, LegacyEstimate, LegacyFailure, estimate_legacy
from comuna.choice.sortition.leximin import LeximinReport, leximin_distribution
from comuna.choice.sortition.pool import Pool, PoolError, Quota, pool_from_records, read_pool, read_quotas
from comuna.choice.sortition.quotas import SelectionProblem

__all__ = [
    "DistributionError", "InfeasibleQuotasError", "LegacyDrawer", "LegacyEstimate", "LegacyFailure",
    "LeximinReport", "PanelDistribution", "Pool", "PoolError", "Quota", "SelectionProblem", "distribution_problems",
    "draw_panel", "estimate_legacy", "explain_infeasibility", "leximin_distribution", "pool_from_records", "read_pool",
    "read_quotas",
]
