"""The BLT reader on the real Scottish ward files and on the quirks of hand-written files; malformed files are
refused with the line and the reason."""

from __future__ import annotations

import json

import pytest

from comuna.choice.stv.blt import Ballot, BltFormatError, parse_blt, read_blt
from shared_data import SHARED_DATA

STV_DATA = SHARED_DATA / "stv"
WARDS = json.loads((STV_DATA / "official_2017_results.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("ward", WARDS, ids=[w["blt_file"].split("/")[-1] for w in WARDS])
def test_real_ward_files_read_as_published(ward: dict) -> None:
    election = read_blt(STV_DATA / ward["blt_file"])
    assert list(election.candidates) == ward["candidate_names_blt"]
    assert election.seats == ward["seats"]
    assert election.ballot_count == ward["valid_poll_official"]
    assert election.title  # every ward file carries its ward name as the title


QUIRKY = """\
# a comment line, then a blank line

4 2
-3
3 1 2 0     # three identical ballots
1 2=4 1 0
2 4 - 2 0
1 0
0
"Ann Smith" "Bob Jones"
"Carla   Díaz"
Dev Patel
"Ward 1 # North"
"""


def test_quirks_of_real_files_are_understood() -> None:
    election = parse_blt(QUIRKY)
    assert election.candidates == ("Ann Smith", "Bob Jones", "Carla   Díaz", "Dev Patel")
    assert election.seats == 2
    assert election.withdrawn == frozenset({3})
    assert election.title == "Ward 1 # North"  # a '#' inside quotes is text, not a comment
    assert election.ballots == (
        Ballot(3, ((1,), (2,))),
        Ballot(1, ((2, 4), (1,))),
        Ballot(2, ((4,), (), (2,))),
        Ballot(1, ()),
    )
    assert election.ballot_count == 7


def test_withdrawn_candidates_after_the_seats_and_a_missing_title() -> None:
    election = parse_blt("3 1 -2\n1 1 3 0\n0\nA\nB\nC\n")
    assert election.withdrawn == frozenset({2})
    assert election.title == ""


MALFORMED = [
    ("", 1, "empty"),
    ("3\n", 1, "'candidates seats'"),
    ("3 4\n0\n", 1, "seats must be between 1 and 3"),
    ("3 1\n2 1 2\n0\nA\nB\nC\n", 2, "must end with 0"),
    ("3 1\n\n1 1 2 0\n2 1 9 0\n0\nA\nB\nC\n", 4, "candidate 9 does not exist"),
    ("3 1\n1 1 2 1 0\n0\nA\nB\nC\n", 2, "candidate 1 is ranked more than once"),
    ("3 1\n1 1 x 0\n0\nA\nB\nC\n", 2, "'x'"),
    ("3 1\n0 1 2 0\n0\nA\nB\nC\n", 2, "weight"),
    ("3 1\n1.5 1 2 0\n0\nA\nB\nC\n", 2, "weight"),
    ("3 1\n1 1 2 0\n", 2, "closing line '0'"),
    ("3 1\n1 1 2 0\n0\n\"A\"\n\"B\"\n", 5, "expected 3 candidate names"),
    ("3 1\n1 1 2 0\n0\nA\nB\nC\nTitle\nExtra\n", 8, "unexpected text after the title"),
    ("3 1\n1 1 2 0\n0\n\"A\n", 4, "quoted name is not closed"),
    ("3 1 -4\n1 1 0\n0\nA\nB\nC\n", 1, "withdrawn candidate 4 does not exist"),
    ("3 1 x\n", 1, "'candidates seats'"),
]


@pytest.mark.parametrize(("text", "line", "reason"), MALFORMED)
def test_malformed_files_are_refused_with_line_and_reason(text: str, line: int, reason: str) -> None:
    with pytest.raises(BltFormatError) as caught:
        parse_blt(text, source="bad.blt")
    assert caught.value.line == line
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"bad.blt, line {line}: ")


def test_a_file_that_is_not_utf8_names_its_line(tmp_path) -> None:
    path = tmp_path / "latin1.blt"
    path.write_bytes("2 1\n1 1 0\n0\nA\n\"Ren\xe9e\"\n".encode("latin-1"))
    with pytest.raises(BltFormatError) as caught:
        read_blt(path)
    assert caught.value.line == 5
