"""Every abcvoting test instance: our AV, PAV, seq-Phragmén and Equal Shares give abcvoting's expected committees.

The `compute:` entries list, for a resolute rule, the committees abcvoting accepts as its single answer and, for
an irresolute rule, exactly the set of tied winning committees.
"""

from functools import cache
from pathlib import Path

import pytest

from comuna.choice.committee import RULES, AbcInstance, read_abc_yaml
from shared_data import SHARED_DATA

INSTANCE_DIR = SHARED_DATA / "pabulib" / "abc-instances"
INSTANCE_FILES = sorted(INSTANCE_DIR.glob("*.abc.yaml"))


@cache
def _instance(path: Path) -> AbcInstance:
    return read_abc_yaml(path)


def test_all_instances_are_present():
    assert len(INSTANCE_FILES) == 480


@pytest.mark.parametrize("rule_id", sorted(RULES))
@pytest.mark.parametrize("path", INSTANCE_FILES, ids=lambda p: p.name.split(".")[0])
def test_rule_matches_abcvoting(path, rule_id):
    instance = _instance(path)
    accepted = instance.expected_for(rule_id, resolute=True)
    expected = instance.expected_for(rule_id, resolute=False)
    assert accepted and expected, f"{path.name} lacks expected results for {rule_id}"
    resolute, irresolute = RULES[rule_id]
    chosen = resolute(instance.profile, instance.committee_size)
    committees = irresolute(instance.profile, instance.committee_size)
    assert chosen in accepted
    assert committees == sorted(expected)
    # for AV and PAV our documented tie-break picks the lexicographically first tied committee
    if rule_id in ("av", "pav"):
        assert chosen == committees[0]
