"""Writing then reading a BLT file gives back the same election: on every real ward and on a file with every quirk."""

from __future__ import annotations

import json

import pytest

from comuna.choice.stv.blt import Ballot, Election, format_blt, parse_blt, read_blt, write_blt
from shared_data import SHARED_DATA

STV_DATA = SHARED_DATA / "stv"
WARDS = json.loads((STV_DATA / "official_2017_results.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("ward", WARDS, ids=[w["blt_file"].split("/")[-1] for w in WARDS])
def test_every_ward_survives_a_round_trip(ward: dict, tmp_path) -> None:
    election = read_blt(STV_DATA / ward["blt_file"])
    copy = tmp_path / "copy.blt"
    write_blt(election, copy)
    assert read_blt(copy) == election


def test_equal_rankings_skips_withdrawals_and_spaces_survive() -> None:
    election = Election(
        candidates=("Ann  Smith", "Bob", "Carla Díaz"), seats=2,
        ballots=(Ballot(5, ((1,), (2, 3))), Ballot(1, ((3,), (), (1,))), Ballot(2, ())),
        withdrawn=frozenset({2}), title="By-election, Ward 3",
    )
    assert parse_blt(format_blt(election)) == election


def test_a_name_with_a_double_quote_cannot_be_written() -> None:
    election = Election(candidates=('Ann "Nan" Smith',), seats=1, ballots=())
    with pytest.raises(ValueError, match="double quote"):
        format_blt(election)
