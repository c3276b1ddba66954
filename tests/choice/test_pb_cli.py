"""`comuna pb tally` end to end."""

import json

from comuna.cli import main
from shared_data import SHARED_DATA

INSTANCES = SHARED_DATA / "pabulib" / "instances"


def run(capsys, *args):
    code = main(["pb", "tally", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_output_of_mes_add1_is_the_official_swiecie_outcome(capsys):
    path = INSTANCES / "Poland_Swiecie_2023.pb"
    code, out, _ = run(capsys, path, "--rule", "mes", "--completion", "add1", "--json")
    assert code == 0
    data = json.loads(out)
    expected = json.loads((SHARED_DATA / "pabulib" / "expected" / "Poland_Swiecie_2023.pb.json").read_text())
    assert data["winners"] == sorted(expected["mes_add1"])
    assert data["budget"] == 1070000 and isinstance(data["spent"], int) and data["spent"] <= data["budget"]


def test_greedy_and_cardinality_and_decimal_budget(capsys):
    path = INSTANCES / "France_Toulouse_2022_17_-_Mirail-Universite_Reynerie_Bellefontaine.pb"
    code, out, _ = run(capsys, path, "--rule", "greedy", "--json")
    assert code == 0 and json.loads(out) == {"winners": ["182", "183"], "spent": 400000, "budget": 400000}
    code, out, _ = run(capsys, path, "--rule", "mes", "--utility", "cardinality", "--json")
    assert json.loads(out)["winners"] == ["180", "184"]


def test_explain_gives_a_reason_for_every_project(capsys):
    path = INSTANCES / "Netherlands_Assen_2024.pb"
    code, out, _ = run(capsys, path, "--rule", "mes", "--json", "--explain")
    data = json.loads(out)
    assert len(data["explanations"]) == 14
    funded = {e["project_id"] for e in data["explanations"] if e["funded"]}
    assert funded == set(data["winners"])
    assert all(e["reason"] in ("funded", "supporters_money_ran_out") for e in data["explanations"])


def test_malformed_file_exits_2_naming_the_line(capsys, tmp_path):
    bad = tmp_path / "bad.pb"
    bad.write_text("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\na;x\nVOTES\nvoter_id;vote\n")
    code, _, err = run(capsys, bad, "--rule", "greedy", "--json")
    assert code == 2 and "line 6" in err and "cost" in err


def test_completion_needs_mes(capsys):
    code, _, err = run(capsys, INSTANCES / "Netherlands_Assen_2024.pb", "--rule", "greedy", "--completion", "add1")
    assert code == 2 and "completion" in err
