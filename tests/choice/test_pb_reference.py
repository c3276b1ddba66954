"""Every rule against the outcomes pabutools 1.2.3 recorded for the 17 real elections, and the official outcomes of
the three real Equal Shares elections."""

import json

import pytest

from comuna.choice.pabulib import read_pabulib
from comuna.choice.pb import tally
from shared_data import SHARED_DATA

INSTANCES = sorted((SHARED_DATA / "pabulib" / "instances").glob("*.pb"))
_cache: dict = {}


def load(path):
    if path not in _cache:
        _cache[path] = read_pabulib(path)
    return _cache[path]


def expected(path):
    return json.loads((SHARED_DATA / "pabulib" / "expected" / f"{path.name}.json").read_text())


CASES = [
    ("greedy_utilitarian", "greedy", None, None),
    ("mes", "mes", None, None),
    ("mes_cardinality_sat", "mes", "cardinality", None),
    ("mes_add1", "mes", None, "add1"),
]

PARAMS = [
    pytest.param(path, key, rule, utility, completion, id=f"{path.stem}-{key}")
    for path in INSTANCES for key, rule, utility, completion in CASES
    if key in expected(path)
]


@pytest.mark.parametrize(("path", "key", "rule", "utility", "completion"), PARAMS)
def test_same_winners_as_pabutools(path, key, rule, utility, completion):
    reference = expected(path)
    outcome = tally(load(path), rule=rule, utility=utility, completion=completion)
    assert sorted(outcome.winners) == sorted(reference[key])
    assert outcome.spent <= outcome.budget


def official(path):
    return sorted(p.project_id for p in load(path).projects if p.selected)


@pytest.mark.parametrize(("name", "completion"), [
    ("Netherlands_Assen_2024", "add1"),
    ("Poland_Swiecie_2023", "add1"),
    ("Poland_Wieliczka_2023_Green_Budget", "add1-comparison"),
])
def test_official_equal_shares_elections(name, completion):
    path = SHARED_DATA / "pabulib" / "instances" / f"{name}.pb"
    instance = load(path)
    assert instance.meta["rule"] == f"equalshares/{completion}"
    outcome = tally(instance, rule="mes", completion=completion)
    assert sorted(outcome.winners) == official(path)


def test_wieliczka_is_not_plain_add1_and_equal_shares_wins_its_comparison():
    path = SHARED_DATA / "pabulib" / "instances" / "Poland_Wieliczka_2023_Green_Budget.pb"
    assert sorted(tally(load(path), rule="mes", completion="add1").winners) != official(path)
    details = tally(load(path), rule="mes", completion="add1-comparison").details
    assert details["chosen"] == "equal shares"
    assert details["voters_preferring_equal_shares"] > details["voters_preferring_greedy"]
