"""`comuna sortition select` and `comuna sortition verify`, end to end through the console entry point."""

from __future__ import annotations

import json

import pytest

from comuna.cli import main
from shared_data import SHARED_DATA

DATA = SHARED_DATA / "sortition"
SMALL = ["--categories", str(DATA / "example_small_20" / "categories.csv"),
         "--respondents", str(DATA / "example_small_20" / "respondents.csv"), "--size", "20"]
STRAT = ["--categories", str(DATA / "stratification-app-example" / "categories.csv"),
         "--respondents", str(DATA / "stratification-app-example" / "candidates.csv"), "--size", "22",
         "--id-column", "nationbuilder_id", "--address-columns", "primary_address1,primary_zip"]
SEED = "Lottery of 2026-11-26: 4 8 15 16 23 42"


def run(capsys, argv: list[str]) -> tuple[int, dict]:
    code = main(argv)
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_select_leximin_prints_probabilities_panel_and_distribution(capsys, tmp_path):
    code, result = run(capsys, ["sortition", "select", *STRAT, "--algorithm", "leximin", "--seed", SEED, "--json"])
    assert code == 0
    assert result["volunteers"][:2] == ["p0", "p1"] and len(result["probabilities"]) == 150
    assert sum(result["probabilities"]) == pytest.approx(22)
    assert result["minimum_probability"] == pytest.approx(1 / 11, abs=5e-4)
    assert len(result["panel"]) == 22
    assert result["distribution"]["format"] == "comuna-sortition-distribution/1"
    published = tmp_path / "result.json"
    published.write_text(json.dumps(result))
    code, verified = run(capsys, ["sortition", "verify", "--published", str(published), "--seed", SEED, *STRAT])
    assert code == 0 and verified["verified"]
    assert verified["panel"] == result["panel"]
    assert verified["quota_problems"] == []


def test_verify_catches_a_swapped_panel_member_and_a_wrong_seed(capsys, tmp_path):
    code, result = run(capsys, ["sortition", "select", *SMALL, "--seed", SEED, "--json"])
    assert code == 0
    outsider = next(v for v in result["volunteers"] if v not in result["panel"])
    forged = dict(result, panel=sorted(result["panel"][1:] + [outsider], key=int))
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(forged))
    code, verified = run(capsys, ["sortition", "verify", "--published", str(path), "--seed", SEED])
    assert code == 1 and verified["matches_published_panel"] is False and not verified["verified"]
    path.write_text(json.dumps(result))
    code, verified = run(capsys, ["sortition", "verify", "--published", str(path), "--seed", SEED + "!"])
    assert code == 1 and verified["panel"] != result["panel"]


def test_select_legacy_estimates_probabilities(capsys):
    code, result = run(capsys, ["sortition", "select", *SMALL, "--algorithm", "legacy", "--draws", "2000",
                                "--seed", "s", "--json"])
    assert code == 0
    assert result["draws"] == 2000 and sum(result["probabilities"]) == pytest.approx(20)
    assert len(result["panel"]) == 20 and "distribution" not in result


def test_infeasible_quotas_exit_with_the_conflict(capsys, tmp_path):
    categories = tmp_path / "categories.csv"
    categories.write_text("category,feature,min,max\ngender,female,15,20\ngender,male,9,20\n"
                          "leaning,liberal,0,20\nleaning,conservative,0,20\n")
    argv = ["sortition", "select", "--categories", str(categories),
            "--respondents", str(DATA / "example_small_20" / "respondents.csv"), "--size", "20", "--json"]
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 1
    result = json.loads(captured.out)
    assert result["error"] == "infeasible_quotas"
    assert {(c["feature"], c["bound"]) for c in result["conflict"]} == {("female", "min"), ("male", "min")}
    assert "cannot be met together" in captured.err


def test_bad_input_is_an_error_with_the_file(capsys, tmp_path):
    categories = tmp_path / "categories.csv"
    categories.write_text("category,feature,min,max\ngender,female,3,1\n")
    code = main(["sortition", "select", "--categories", str(categories),
                 "--respondents", str(DATA / "example_small_20" / "respondents.csv"), "--size", "20"])
    assert code == 2
    assert "categories.csv, line 2" in capsys.readouterr().err
