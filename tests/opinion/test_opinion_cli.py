"""`comuna opinion map DIR --json` on a real export and on a broken one."""

from __future__ import annotations

import json
import shutil

from comuna.cli import main
from comuna.opinion.incremental import OpinionMap
from comuna.opinion.polis_export import read_polis_export
from opinion.polis_fixture_data import polis_path


def test_map_prints_groups_consensus_and_representatives(capsys):
    folder = polis_path("brexit-consensus")
    assert main(["opinion", "map", str(folder), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"groups", "consensus", "representative"}
    export = read_polis_export(folder)
    expected = OpinionMap.build(export.votes, export.statements)
    assert printed["groups"] == {str(p): g for p, g in expected.groups().items()}
    consensus = expected.consensus()
    assert printed["consensus"] == [s.statement_id for s in consensus["agree"] + consensus["disagree"]]
    assert set(printed["representative"]) == {str(g) for g in range(expected.group_count)}
    assert all(1 <= len(ids) <= 5 for ids in printed["representative"].values())
    known = {s.id for s in export.statements}
    assert set(printed["consensus"]) <= known


def test_broken_export_exits_2_with_file_and_line(tmp_path, capsys):
    folder = tmp_path / "conv"
    shutil.copytree(polis_path("brexit-consensus"), folder)
    votes = (folder / "votes.csv").read_text().splitlines(keepends=True)
    (folder / "votes.csv").write_text("".join(votes[:2] + ["1500000000000,x,0,3,7\n"] + votes[2:]))
    assert main(["opinion", "map", str(folder), "--json"]) == 2
    assert "votes.csv:3" in capsys.readouterr().err
