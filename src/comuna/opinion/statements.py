"""Representative, consensus, group-informed consensus and divisive statements (Pol.is's repness.clj).

Counts per group g and statement c: na agrees, nd disagrees, ns votes seen (passes included). With a pseudo-count
of 1 (Laplace smoothing):
    pa = (na + 1) / (ns + 2)                                   probability a member agrees
    ra = pa / ((Σ_other na + 1) / (Σ_other ns + 2))            how much likelier than everyone else
    pat = one-proportion z (is pa > 1/2?), rat = two-proportion z (is pa > the others' rate?)
and the same with d for disagreement. A statement is representative of a group when both z-scores pass 90%
one-sided significance (z > 1.2816), for agreement or for disagreement. Pol.is's selection: sort those by
ra·rat·pa·pat, put the group's "best agree" statement first, keep 5, agrees before disagrees; with none
significant, keep the single best by test. Consensus: over everyone, pa > 1/2 and pat significant (top 5 by
pa·pat), likewise for disagreement.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Z_90 = 1.2816  # Pol.is's stats/z-sig-90?
PICK = 5


@dataclass(frozen=True)
class RankedStatement:
    statement_id: int
    repful_for: str  # "agree" or "disagree"
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float | None = None
    repness_test: float | None = None
    best_agree: bool = False

    def as_dict(self) -> dict:
        return {key: value for key, value in self.__dict__.items() if value is not None}


def prop_test(successes: np.ndarray, trials: np.ndarray) -> np.ndarray:
    s, n = successes + 1.0, trials + 1.0
    return 2.0 * np.sqrt(n) * (s / n - 0.5)


def two_prop_test(succ_in: np.ndarray, succ_out: np.ndarray, n_in: np.ndarray, n_out: np.ndarray) -> np.ndarray:
    s1, s2, n1, n2 = succ_in + 1.0, succ_out + 1.0, n_in + 1.0, n_out + 1.0
    pi_hat = (s1 + s2) / (n1 + n2)
    denom = np.sqrt(pi_hat * (1 - pi_hat) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / n1 - s2 / n2) / denom
    return np.where(pi_hat == 1, 0.0, z)


def repness_table(agree: np.ndarray, disagree: np.ndarray, seen: np.ndarray) -> dict[str, np.ndarray]:
    """All of Pol.is's per-group statistics at once; inputs are (groups, statements) counts."""
    na, nd, ns = (np.asarray(x, dtype=np.float64) for x in (agree, disagree, seen))
    other_na, other_nd, other_ns = na.sum(0) - na, nd.sum(0) - nd, ns.sum(0) - ns
    pa, pd = (na + 1) / (ns + 2), (nd + 1) / (ns + 2)
    return {
        "na": na, "nd": nd, "ns": ns, "pa": pa, "pd": pd,
        "pat": prop_test(na, ns), "pdt": prop_test(nd, ns),
        "ra": pa / ((other_na + 1) / (other_ns + 2)), "rd": pd / ((other_nd + 1) / (other_ns + 2)),
        "rat": two_prop_test(na, other_na, ns, other_ns), "rdt": two_prop_test(nd, other_nd, ns, other_ns),
    }


def _finalize(t: dict[str, np.ndarray], g: int, c: int, sid: int, best_agree: bool = False) -> RankedStatement:
    agree = t["rat"][g, c] > t["rdt"][g, c]
    k = ("na", "pa", "pat", "ra", "rat") if agree else ("nd", "pd", "pdt", "rd", "rdt")
    return RankedStatement(
        statement_id=sid, repful_for="agree" if agree else "disagree", n_success=int(t[k[0]][g, c]),
        n_trials=int(t["ns"][g, c]), p_success=float(t[k[1]][g, c]), p_test=float(t[k[2]][g, c]),
        repness=float(t[k[3]][g, c]), repness_test=float(t[k[4]][g, c]), best_agree=best_agree)


def _best_agree(t: dict[str, np.ndarray], g: int, candidates: np.ndarray) -> int | None:
    """Pol.is's beats-best-agr?, scanned in statement order: the rule depends on the current best, so it is a scan."""
    na, nd, ra, rat, pa, pat = (t[key][g].tolist() for key in ("na", "nd", "ra", "rat", "pa", "pat"))
    best = None
    for c in candidates.tolist():
        if na[c] == 0 and nd[c] == 0:
            continue
        if best is None:
            if pat[c] > Z_90 or (ra[c] > 1.0 and pa[c] > 0.5):
                best = c
        elif ra[best] > 1.0:
            if ra[c] * rat[c] * pa[c] * pat[c] > ra[best] * rat[best] * pa[best] * pat[best]:
                best = c
        elif pa[c] * pat[c] > pa[best] * pat[best]:
            best = c
    return best


def select_representative(t: dict[str, np.ndarray], statement_ids: np.ndarray,
                          excluded: np.ndarray) -> list[list[RankedStatement]]:
    """Representative statements of each group, in Pol.is's order (see module docstring)."""
    order = np.argsort(statement_ids, kind="stable")
    order = order[~excluded[order]]
    passes = ((t["rat"] > Z_90) & (t["pat"] > Z_90)) | ((t["rdt"] > Z_90) & (t["pdt"] > Z_90))
    result = []
    for g in range(t["na"].shape[0]):
        best_agree_c = _best_agree(t, g, order)
        sufficient = order[passes[g, order]]
        best_agree = None if best_agree_c is None else _finalize(t, g, best_agree_c, int(statement_ids[best_agree_c]),
                                                                 best_agree=True)
        if len(sufficient) == 0:
            if best_agree is not None:
                result.append([best_agree])
                continue
            tests = np.maximum(t["rat"][g, order], t["rdt"][g, order])
            if len(order) == 0:
                result.append([])
                continue
            c = int(order[np.argmax(tests)])  # first maximum, as Pol.is's strict > scan
            result.append([_finalize(t, g, c, int(statement_ids[c]))])
            continue
        if best_agree is not None:
            sufficient = sufficient[sufficient != best_agree_c]
        agree_side = t["rat"][g, sufficient] > t["rdt"][g, sufficient]
        metric = np.where(agree_side,
                          t["ra"][g, sufficient] * t["rat"][g, sufficient] * t["pa"][g, sufficient] * t["pat"][g, sufficient],
                          t["rd"][g, sufficient] * t["rdt"][g, sufficient] * t["pd"][g, sufficient] * t["pdt"][g, sufficient])
        ranked = sufficient[np.argsort(-metric, kind="stable")]  # stable, like Pol.is's sort-by
        chosen = ([best_agree] if best_agree is not None else []) + [
            _finalize(t, g, int(c), int(statement_ids[c])) for c in ranked[: PICK]]
        chosen = chosen[:PICK]
        result.append([s for s in chosen if s.repful_for == "agree"] + [s for s in chosen if s.repful_for != "agree"])
    return result


def select_consensus(agree: np.ndarray, disagree: np.ndarray, seen: np.ndarray, statement_ids: np.ndarray,
                     excluded: np.ndarray) -> dict[str, list[RankedStatement]]:
    """Pol.is's consensus statements over all participants: top 5 for agreement and for disagreement."""
    order = np.argsort(statement_ids, kind="stable")
    order = order[~excluded[order]]
    na, nd, ns = (np.asarray(x, dtype=np.float64)[order] for x in (agree, disagree, seen))
    out: dict[str, list[RankedStatement]] = {}
    for direction, n in (("agree", na), ("disagree", nd)):
        p = (n + 1) / (ns + 2)
        z = prop_test(n, ns)
        keep = np.flatnonzero((p > 0.5) & (z > Z_90))
        keep = keep[np.argsort(-(p * z)[keep], kind="stable")][:PICK]
        out[direction] = [RankedStatement(int(statement_ids[order[i]]), direction, int(n[i]), int(ns[i]), float(p[i]),
                                          float(z[i])) for i in keep]
    return out


def group_informed_consensus(agree: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """Pol.is's group-aware consensus: Π over groups of (agrees + 1) / (seen + 2), per statement.

    High only when every group, however small, tends to agree: a statement one group rejects scores low."""
    return np.prod((np.asarray(agree, dtype=np.float64) + 1) / (np.asarray(seen, dtype=np.float64) + 2), axis=0)


def divisiveness(agree: np.ndarray, disagree: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """How far apart the groups stand on each statement: the largest gap between two groups' smoothed net
    agreement (pa - pd), from 0 (all groups alike) to 2 (one group all agree, another all disagree).

    Pol.is has no published divisiveness measure; this one uses the same smoothed probabilities as repness so a
    statement seen by few members of a group cannot look divisive."""
    ns = np.asarray(seen, dtype=np.float64)
    net = (np.asarray(agree) - np.asarray(disagree)) / (ns + 2)
    return net.max(axis=0) - net.min(axis=0)
