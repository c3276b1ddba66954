"""Reading and writing the Pol.is export format, on the six real conversations and on broken copies."""

from __future__ import annotations

import csv
import shutil

import numpy as np
import pytest

from comuna.opinion.polis_export import PolisExportError, read_polis_export, write_polis_export
from comuna.opinion.votes import Statement, Vote, VoteBatch
from opinion.polis_fixture_data import CONVERSATIONS, polis_path


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_reads_every_conversation_and_its_last_votes(name):
    export = read_polis_export(polis_path(name))
    with (polis_path(name) / "votes.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(export.votes) == len(rows)
    assert export.group_count == len({g for g in export.groups.values() if g is not None})
    # participants-votes.csv holds Pol.is's final matrix: our last votes must agree with every cell of it.
    last = export.votes.last_votes()
    cells = {(p, s): v for p, s, v in zip(last.participant.tolist(), last.statement.tolist(), last.value.tolist(),
                                          strict=True)}
    with (polis_path(name) / "participants-votes.csv").open() as handle:
        reader = csv.DictReader(handle)
        statement_columns = [c for c in reader.fieldnames if c.isdigit()]
        checked = mismatched = 0
        for row in reader:
            for column in statement_columns:
                if row[column] != "":
                    checked += 1
                    mismatched += cells.get((int(row["participant"]), int(column))) != int(float(row[column]))
    assert checked > 0
    assert mismatched / checked < 0.001, f"{mismatched} of {checked} cells differ"


def test_a_later_vote_replaces_an_earlier_one():
    votes = VoteBatch.from_votes([Vote(1, 10, 1, 200), Vote(1, 10, -1, 100), Vote(1, 11, 0, 50), Vote(2, 10, 1, 10)])
    last = votes.last_votes()
    got = sorted(zip(last.participant.tolist(), last.statement.tolist(), last.value.tolist(), strict=True))
    assert got == [(1, 10, 1), (1, 11, 0), (2, 10, 1)]


def _copy(tmp_path, name="brexit-consensus"):
    target = tmp_path / name
    shutil.copytree(polis_path(name), target)
    return target


def _rewrite(path, transform):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(transform(lines)), encoding="utf-8")


def test_missing_column_is_refused_with_file_and_line(tmp_path):
    folder = _copy(tmp_path)
    _rewrite(folder / "votes.csv", lambda lines: [lines[0].replace("voter-id", "voter")] + lines[1:])
    with pytest.raises(PolisExportError) as caught:
        read_polis_export(folder)
    assert caught.value.path.name == "votes.csv" and caught.value.line == 1
    assert "voter-id" in caught.value.reason


def test_unknown_statement_is_refused_with_its_line(tmp_path):
    folder = _copy(tmp_path)
    _rewrite(folder / "votes.csv", lambda lines: lines[:5] + ["1500000000000,x,9999,3,1\n"] + lines[5:])
    with pytest.raises(PolisExportError) as caught:
        read_polis_export(folder)
    assert (caught.value.path.name, caught.value.line) == ("votes.csv", 6)
    assert "9999" in str(caught.value) and "comments.csv" in caught.value.reason


def test_bad_vote_value_is_refused_with_its_line(tmp_path):
    folder = _copy(tmp_path)
    _rewrite(folder / "votes.csv", lambda lines: lines[:3] + [lines[3].rsplit(",", 1)[0] + ",2\n"] + lines[4:])
    with pytest.raises(PolisExportError) as caught:
        read_polis_export(folder)
    assert (caught.value.line, "'vote'" in caught.value.reason) == (4, True)


def test_missing_file_is_refused(tmp_path):
    folder = _copy(tmp_path)
    (folder / "comments.csv").unlink()
    with pytest.raises(PolisExportError, match="comments.csv: file is missing"):
        read_polis_export(folder)


def test_line_numbers_count_multiline_comments(tmp_path):
    folder = tmp_path / "conv"
    folder.mkdir()
    (folder / "comments.csv").write_text('comment-id,moderated,comment-body\n0,1,"two\nlines"\n1,7,bad\n')
    (folder / "votes.csv").write_text("timestamp,comment-id,voter-id,vote\n")
    with pytest.raises(PolisExportError) as caught:
        read_polis_export(folder)
    assert caught.value.line == 4 and "moderated" in caught.value.reason


def test_write_then_read_gives_the_same_conversation(tmp_path):
    original = read_polis_export(polis_path("brexit-consensus"))
    groups = {p: g for p, g in original.groups.items() if g is not None}
    write_polis_export(tmp_path / "out", original.statements, original.votes, groups, {"topic": "Brexit"})
    again = read_polis_export(tmp_path / "out")
    assert [(s.id, s.text, s.moderated, s.author_id) for s in again.statements] == \
        [(s.id, s.text, s.moderated, s.author_id) for s in original.statements]
    for field in ("participant", "statement", "value", "timestamp"):
        assert np.array_equal(np.sort(getattr(again.votes, field)), np.sort(getattr(original.votes, field)))
    assert {p: g for p, g in again.groups.items() if g is not None} == groups
    assert again.summary["topic"] == "Brexit" and again.group_count == original.group_count


def test_written_counts_follow_the_format(tmp_path):
    statements = [Statement(0, "a", author_id=7, moderated=1), Statement(1, "b", moderated=-1)]
    votes = VoteBatch.from_votes([Vote(7, 0, 1, 1000), Vote(7, 0, -1, 2000), Vote(8, 1, 0, 1500)])
    write_polis_export(tmp_path, statements, votes, {7: 0})
    comments = list(csv.DictReader((tmp_path / "comments.csv").open()))
    assert (comments[0]["agrees"], comments[0]["disagrees"]) == ("1", "1")  # both of 7's votes, as Pol.is counts
    rows = {r["participant"]: r for r in csv.DictReader((tmp_path / "participants-votes.csv").open())}
    assert (rows["7"]["group-id"], rows["7"]["0"], rows["7"]["n-comments"], rows["7"]["n-disagree"]) == ("0", "-1", "1", "1")
    assert rows["8"]["group-id"] == "" and rows["8"]["1"] == "0"
