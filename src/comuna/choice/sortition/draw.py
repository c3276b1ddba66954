"""The published distribution over panels, and the draw anyone can repeat from a public seed.

Published distribution (JSON, format "comuna-sortition-distribution/1"):

    {"format": "comuna-sortition-distribution/1", "algorithm": "leximin", "panel_size": k,
     "volunteers": [id, ...],                 # every volunteer, in the order of the respondents file
     "groups": [[index, ...], ...],           # interchangeable volunteers (0-based indices into "volunteers")
     "total": T,                              # the weights below add up to T
     "compositions": [{"counts": [c_0, c_1, ...], "weight": w}, ...]}

A composition says how many members of each group sit on the panel; it is chosen with probability w / T, and
then its c_g members of group g are chosen uniformly among the group. Volunteer i of group g is therefore
selected with probability Σ w·c_g / (T·|g|), computed exactly from the published integers. When no two
volunteers are interchangeable, every group has one member and the compositions are the panels themselves.

The stable text of a distribution is `json.dumps(..., sort_keys=True, separators=(",", ":"),
ensure_ascii=False)` encoded in UTF-8; its SHA-256 is the fingerprint announced with it, before the seed.

The draw, from a seed string S (e.g. lottery numbers announced in advance), with exact integer arithmetic:

1. r = SHA-256(UTF-8 of S) read as a big-endian 256-bit integer, so u = r / 2^256 is uniform in [0, 1);
   position = floor(u·T) = (r·T) >> 256. The composition is the first, in published order, whose running total
   of weights exceeds position.
2. A stream of uniform integers: block j (j = 1, 2, ...) is SHA-256(UTF-8 of S + "/" + decimal j) as a 256-bit
   integer. A uniform integer below m takes the next block b and accepts it when b < 2^256 - (2^256 mod m),
   returning b mod m (otherwise it takes the next block): exactly uniform.
3. For each group in published order with 0 < c_g < |g|: a partial Fisher–Yates shuffle of the group's members
   (in published order): for j = 0 .. c_g - 1, swap position j with position j + (uniform integer below
   |g| - j); the first c_g are chosen. Groups with c_g = |g| send all their members; c_g = 0, none.
4. The panel is the chosen volunteers, listed in the order of "volunteers".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

FORMAT = "comuna-sortition-distribution/1"
DEFAULT_TOTAL = 10**12


class DistributionError(ValueError):
    """A published distribution that is malformed or inconsistent."""


@dataclass(frozen=True)
class PanelDistribution:
    volunteers: tuple[str, ...]
    groups: tuple[tuple[int, ...], ...]
    compositions: tuple[tuple[int, ...], ...]
    weights: tuple[int, ...]
    total: int
    panel_size: int
    algorithm: str = "leximin"

    def __post_init__(self) -> None:
        self._check()

    def _check(self) -> None:
        members = sorted(index for group in self.groups for index in group)
        if members != list(range(len(self.volunteers))):
            raise DistributionError("the groups must partition the volunteers")
        if len(self.compositions) != len(self.weights) or not self.compositions:
            raise DistributionError("need one weight per composition, and at least one composition")
        if any(weight <= 0 for weight in self.weights) or sum(self.weights) != self.total:
            raise DistributionError(f"the weights must be positive and add up to total={self.total}")
        for number, counts in enumerate(self.compositions):
            if len(counts) != len(self.groups):
                raise DistributionError(f"composition {number} has {len(counts)} counts for {len(self.groups)} groups")
            if any(not 0 <= c <= len(g) for c, g in zip(counts, self.groups, strict=True)):
                raise DistributionError(f"composition {number} takes more members than a group has")
            if sum(counts) != self.panel_size:
                raise DistributionError(f"composition {number} has {sum(counts)} members, not {self.panel_size}")

    @classmethod
    def from_weights(cls, volunteers: Sequence[str], groups: Sequence[Sequence[int]],
                     compositions: Sequence[Sequence[int]], probabilities: Sequence[float], panel_size: int,
                     algorithm: str = "leximin", total: int = DEFAULT_TOTAL) -> PanelDistribution:
        """Round float probabilities to integer weights (largest remainder) and put compositions in canonical
        order (ascending counts); compositions that round to weight zero are dropped."""
        merged: dict[tuple[int, ...], float] = {}
        for counts, probability in zip(compositions, probabilities, strict=True):
            key = tuple(int(c) for c in counts)
            merged[key] = merged.get(key, 0.0) + max(0.0, float(probability))
        mass = sum(merged.values())
        scaled = {key: value * total / mass for key, value in merged.items()}
        weights = {key: int(value) for key, value in scaled.items()}
        short = total - sum(weights.values())
        for key in sorted(scaled, key=lambda key: (weights[key] - scaled[key], key))[:short]:
            weights[key] += 1
        ordered = sorted(key for key, weight in weights.items() if weight > 0)
        return cls(tuple(volunteers), tuple(tuple(g) for g in groups), tuple(ordered),
                   tuple(weights[key] for key in ordered), total, panel_size, algorithm)

    def exact_probabilities(self) -> list[Fraction]:
        """Each volunteer's selection probability, exactly, in the order of `volunteers`."""
        result = [Fraction(0)] * len(self.volunteers)
        for g, group in enumerate(self.groups):
            selected = sum(weight * counts[g] for counts, weight in zip(self.compositions, self.weights, strict=True))
            share = Fraction(selected, self.total * len(group))
            for index in group:
                result[index] = share
        return result

    def probabilities(self) -> list[float]:
        return [float(p) for p in self.exact_probabilities()]

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "algorithm": self.algorithm,
            "panel_size": self.panel_size,
            "volunteers": list(self.volunteers),
            "groups": [list(group) for group in self.groups],
            "total": self.total,
            "compositions": [{"counts": list(counts), "weight": weight}
                             for counts, weight in zip(self.compositions, self.weights, strict=True)],
        }

    def stable_text(self) -> str:
        return json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def fingerprint(self) -> str:
        return hashlib.sha256(self.stable_text().encode("utf-8")).hexdigest()

    @classmethod
    def from_json(cls, data: dict) -> PanelDistribution:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise DistributionError(f"not a published distribution: the format must be {FORMAT!r}")
        try:
            return cls(
                volunteers=tuple(str(v) for v in data["volunteers"]),
                groups=tuple(tuple(int(i) for i in group) for group in data["groups"]),
                compositions=tuple(tuple(int(c) for c in item["counts"]) for item in data["compositions"]),
                weights=tuple(int(item["weight"]) for item in data["compositions"]),
                total=int(data["total"]),
                panel_size=int(data["panel_size"]),
                algorithm=str(data.get("algorithm", "leximin")),
            )
        except (KeyError, TypeError, ValueError) as error:
            if isinstance(error, DistributionError):
                raise
            raise DistributionError(f"malformed published distribution: {error!r}") from error


_SPACE = 1 << 256


def _digest_integer(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big")


def _uniform_integers(seed: str) -> Iterator[int]:
    """Blocks 1, 2, ... of the seed's stream (step 2 of the module documentation)."""
    block = 0
    while True:
        block += 1
        yield _digest_integer(f"{seed}/{block}")


def _uniform_below(bound: int, stream: Iterator[int]) -> int:
    limit = _SPACE - _SPACE % bound
    while True:
        value = next(stream)
        if value < limit:
            return value % bound


def choose_composition(distribution: PanelDistribution, seed: str) -> int:
    """Index of the composition chosen by the seed (step 1)."""
    position = (_digest_integer(seed) * distribution.total) >> 256
    running = 0
    for number, weight in enumerate(distribution.weights):
        running += weight
        if position < running:
            return number
    raise AssertionError("the weights add up to the total, so some composition is chosen")


def draw_panel(distribution: PanelDistribution, seed: str) -> list[str]:
    """The panel (volunteer ids, in file order) that the seed selects from the distribution."""
    if not seed:
        raise ValueError("the seed must not be empty")
    counts = distribution.compositions[choose_composition(distribution, seed)]
    stream = _uniform_integers(seed)
    chosen: list[int] = []
    for group, count in zip(distribution.groups, counts, strict=True):
        members = list(group)
        if count == len(members):
            chosen.extend(members)
            continue
        for j in range(count):
            other = j + _uniform_below(len(members) - j, stream)
            members[j], members[other] = members[other], members[j]
        chosen.extend(members[:count])
    return [distribution.volunteers[index] for index in sorted(chosen)]
