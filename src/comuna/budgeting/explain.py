"""Each project's explanation from comuna.choice.pb, in the reader's language (the library gives codes and data)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def explain(item: dict) -> str:
    reason, data = item["reason"], item
    if reason == "funded":
        if data.get("price_per_utility_exact") is not None:
            return _("Funded in round %(round)s: its %(supporters)s supporters paid for it, each at most %(share)s.") % {
                "round": data["round"], "supporters": data["supporters"], "share": data.get("share_exact") or "—"}
        return _("Funded in round %(round)s, with %(supporters)s supporters.") % {
            "round": data["round"], "supporters": data["supporters"]}
    if reason == "funded_cost_free":
        return _("Funded: it costs nothing and has supporters.")
    if reason == "funded_in_order":
        return _("Funded: it was number %(round)s by votes and still fitted in the budget.") % {"round": data["round"]}
    if reason == "supporters_money_ran_out":
        return _("Not funded: its %(supporters)s supporters had %(money)s left between them, less than its cost.") % {
            "supporters": data["supporters"], "money": data.get("supporters_money_exact") or "—"}
    if reason == "no_supporters":
        return _("Not funded: nobody voted for it.")
    if reason == "over_remaining_budget":
        return _("Not funded: when its turn came, only %(left)s was left.") % {
            "left": data.get("remaining_budget_exact") or "—"}
    if reason == "below_vote_threshold":
        return _("Not funded: it had fewer votes than the minimum.")
    if reason == "after_greedy_stopped":
        return _("Not funded: the count stopped at the first project that did not fit.")
    if reason in ("next_purchase_would_overspend", "not_reached"):
        return _("Not funded: the money ran out before its turn.")
    if reason == "not_in_chosen_outcome":
        return _("Not funded: the outcome that funds it lost the final comparison.")
    return _("Not funded.")
