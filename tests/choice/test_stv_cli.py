"""`comuna stv count`, end to end through the console entry point."""

from __future__ import annotations

import json

import pytest

from comuna.cli import main
from shared_data import SHARED_DATA

STV_DATA = SHARED_DATA / "stv"
WARDS = json.loads((STV_DATA / "official_2017_results.json").read_text(encoding="utf-8"))
WARD = next(w for w in WARDS if w["blt_file"].endswith("glasgow_2017_ward19.blt"))


@pytest.mark.parametrize("method", ["scottish", "meek"])
def test_count_prints_elected_quota_and_stages_as_json(capsys, method: str) -> None:
    code = main(["stv", "count", str(STV_DATA / WARD["blt_file"]), "--method", method, "--json"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert sorted(result["elected"]) == WARD["official_elected_blt_indices"]
    assert result["method"] == method
    assert len(result["stages"]) >= 1
    assert {"number", "kind", "votes", "changes", "non_transferable", "events"} <= set(result["stages"][0])
    if method == "scottish":
        assert result["quota"] == str(WARD["quota_official"])
        assert len(result["stages"]) == WARD["official_number_of_counts"]


def test_count_without_json_prints_a_readable_summary(capsys) -> None:
    assert main(["stv", "count", str(STV_DATA / WARD["blt_file"])]) == 0
    out = capsys.readouterr().out
    assert f"quota {WARD['quota_official']}" in out
    assert out.strip().splitlines()[-1].startswith("Elected: ")


def test_a_malformed_file_is_refused_naming_the_line(capsys, tmp_path) -> None:
    bad = tmp_path / "bad.blt"
    bad.write_text("3 1\n2 1 2 0\n1 1 7 0\n0\nA\nB\nC\n", encoding="utf-8")
    assert main(["stv", "count", str(bad), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "line 3" in captured.err and "candidate 7 does not exist" in captured.err


def test_a_missing_file_is_an_error_not_a_traceback(capsys, tmp_path) -> None:
    assert main(["stv", "count", str(tmp_path / "nope.blt")]) == 2
    assert "cannot read" in capsys.readouterr().err
