"""Shared loading for the opinion tests: the Pol.is math fixtures and the six exported conversations."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from comuna.opinion.polis_api import read_api_statements, read_api_votes
from comuna.opinion.votes import Statement, VoteBatch
from shared_data import SHARED_DATA

POLIS = SHARED_DATA / "polis"
FIXTURES = POLIS / "polis-math-fixtures"
FIXTURE_NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) if FIXTURES.exists() else []
CONVERSATIONS = sorted(p.name for p in POLIS.iterdir() if (p / "votes.csv").exists()) if POLIS.exists() else []


@dataclass
class MathFixture:
    name: str
    statements: list[Statement]
    votes: VoteBatch
    math: dict

    def polis_groups(self) -> dict[int, int]:
        """Participant → group as Pol.is's math output has it (group clusters of base clusters)."""
        base = self.math["base-clusters"]
        members = dict(zip(base["id"], base["members"], strict=True))
        return {p: g["id"] for g in self.math["group-clusters"] for b in g["members"] for p in members[b]}


def load_fixture(name: str) -> MathFixture:
    folder = FIXTURES / name
    return MathFixture(name, read_api_statements(folder / "comments.json"), read_api_votes(folder / "votes.json"),
                       json.loads((folder / "math-pca2.json").read_text()))


def group_counts(matrix, groups: dict[int, int], columns: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(agree, disagree, seen) per group over the given matrix columns, counted straight from the vote matrix."""
    k = max(groups.values()) + 1
    values, voted = matrix.values[:, columns], matrix.voted[:, columns]
    agree, disagree, seen = (np.zeros((k, len(columns)), dtype=np.int64) for _ in range(3))
    for pid, g in groups.items():
        row = matrix.participant_index.get(pid)
        if row is None:
            continue
        agree[g] += values[row] == 1
        disagree[g] += (values[row] == -1) & (voted[row] == 1)
        seen[g] += voted[row] == 1
    return agree, disagree, seen


def polis_path(name: str) -> Path:
    return POLIS / name
