"""The abcvoting instance reader: real files read completely, wrapped values rejoined, bad input named by line."""

import re

import pytest

from comuna.choice.committee import AbcYamlError, parse_abc_yaml, read_abc_yaml
from shared_data import SHARED_DATA

INSTANCE_DIR = SHARED_DATA / "pabulib" / "abc-instances"


def test_reads_every_entry_of_a_real_file():
    path = INSTANCE_DIR / "instanceL0000.abc.yaml"
    text = path.read_text()
    instance = read_abc_yaml(path)
    assert len(instance.expected) == text.count("- rule_id:")
    assert instance.committee_size == int(re.search(r"^committeesize: (\d+)$", text, re.M).group(1))
    assert instance.profile.num_candidates == int(re.search(r"^num_cand: (\d+)$", text, re.M).group(1))
    first_ballots = re.search(r"^profile: \[\[(\d+), (\d+)\]", text, re.M).groups()
    assert instance.profile.ballots[0] == frozenset(map(int, first_ballots))
    # rsd is random, so abcvoting stores no result for it: an empty value reads as None
    assert instance.expected_for("rsd", resolute=True) is None
    assert instance.expected_for("seqphragmen", resolute=True) == ((1, 3, 4),)


def test_wrapped_results_are_rejoined():
    # the `trivial` rule returns every committee: C(num_cand, committeesize) of them, written over several lines
    from math import comb

    instance = read_abc_yaml(INSTANCE_DIR / "instanceL0000.abc.yaml")
    trivial = instance.expected_for("trivial", resolute=False)
    assert len(trivial) == comb(instance.profile.num_candidates, instance.committee_size)
    assert len(set(trivial)) == len(trivial)


def test_escaped_line_break_in_description():
    instance = read_abc_yaml(INSTANCE_DIR / "instanceL0002.abc.yaml")
    assert instance.description.endswith("num_voters=8, num_cand=6")
    assert "\\" not in instance.description


def test_empty_ballots_are_kept():
    text = "profile: [[], [0, 1]]\nnum_cand: 2\ncommitteesize: 1\ncompute:\n"
    instance = parse_abc_yaml(text)
    assert instance.profile.ballots == (frozenset(), frozenset({0, 1}))
    assert instance.expected == ()


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("profile: [[0, 5]]\nnum_cand: 3\ncommitteesize: 1\n", 1, "outside 0..2"),
        ("profile: [[0]]\ncommitteesize: 1\n", 1, "missing key 'num_cand'"),
        ("profile: [[0]]\nnum_cand: 2\ncommitteesize: 1\ncompute:\n- rule_id: av\n  result: [[0]\n", 6, "not a literal"),
        ("profile: [[0]]\nnum_cand: 2\ncommitteesize: one two\n", 3, "not a literal"),
        ("profile: [[0]]\nnum_cand: 2\ncommitteesize: 1\ncompute:\n- rule_id: av\n  resolute: yes\n", 5,
         "exactly rule_id, result and resolute"),
        ("profile: [[0]]\nnum_cand: 2\nnum_cand: 3\ncommitteesize: 1\n", 3, "appears twice"),
        ("profile: [[0]]\n   num_cand: 2\n", 2, "unexpected indentation"),
    ],
)
def test_bad_input_names_line_and_reason(text, line, reason):
    with pytest.raises(AbcYamlError) as raised:
        parse_abc_yaml(text, source="bad.abc.yaml")
    assert raised.value.line == line
    assert reason in str(raised.value)
    assert str(raised.value).startswith(f"bad.abc.yaml:{line}: ")
