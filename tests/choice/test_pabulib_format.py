"""The pabulib reader and writer on every real file, on each vote type, and on malformed files."""


import pytest

from comuna.choice.pabulib import PabulibError, dump_pabulib, parse_pabulib, read_pabulib, write_pabulib
from shared_data import SHARED_DATA

INSTANCES = sorted((SHARED_DATA / "pabulib" / "instances").glob("*.pb"))


def vote_lines(path):
    text = path.read_text(encoding="utf-8-sig").splitlines()
    start = next(i for i, line in enumerate(text) if line.strip().upper() == "VOTES")
    return [line for line in text[start + 2:] if line.strip()]


@pytest.mark.parametrize("path", INSTANCES, ids=lambda p: p.stem)
def test_real_file_is_read_completely_and_round_trips(path, tmp_path):
    instance = read_pabulib(path)
    assert instance.n_voters == len(vote_lines(path))
    assert len(instance.projects) == int(instance.meta["num_projects"])
    # every voter's ballot is exactly the vote column of the file
    first = vote_lines(path)[0].split(";")
    assert instance.voter_ids[0] == first[0]
    assert ",".join(instance.ballot(0)) == first[instance.vote_columns.index("vote")]
    out = tmp_path / "again.pb"
    write_pabulib(instance, out)
    assert read_pabulib(out) == instance


def test_all_fields_are_kept():
    instance = read_pabulib(SHARED_DATA / "pabulib" / "instances" / "Poland_Czestochowa_2024_Lisiniec.pb")
    assert instance.vote_type == "cumulative"
    assert instance.meta["max_sum_points"] == "10"
    assert instance.project_columns == ["project_id", "cost", "votes", "score", "name", "selected"]
    assert instance.vote_columns == ["voter_id", "vote", "points", "sex", "voting_method"]
    assert instance.voter_fields["voting_method"][0] == "internet"
    assert instance.ballot(0) == ["339", "338", "337", "532"] and instance.points(0) == [6, 2, 1, 1]
    project = instance.projects[0]
    assert (project.project_id, project.cost, project.fields["score"], project.selected) == ("3", 320000, "2185", True)
    assert sum(p.selected for p in instance.projects) == 5


def test_ordinal_ballot_keeps_its_ranking_and_decimal_costs_are_exact():
    krakow = read_pabulib(SHARED_DATA / "pabulib" / "instances" / "Poland_Krakow_2022_Stare_Miasto.pb")
    assert krakow.vote_type == "ordinal" and krakow.ballot(0) == ["11", "13", "36"] and krakow.points(0) == [3, 2, 1]
    toulouse = read_pabulib(SHARED_DATA / "pabulib" / "instances"
                            / "France_Toulouse_2022_17_-_Mirail-Universite_Reynerie_Bellefontaine.pb")
    assert toulouse.meta["budget"] == "400000.0" and toulouse.budget == 400000 and isinstance(toulouse.budget, int)


def test_choose_one_and_fractional_amounts_round_trip():
    text = ("META\nkey;value\nbudget;10.5\nvote_type;choose-1\nPROJECTS\nproject_id;cost;name\n"
            "a;2.25;First\nb;1/3;Second\nVOTES\nvoter_id;vote;age\n1;a;30\n2;;40\n3;b;None\n")
    instance = parse_pabulib(text)
    assert [p.cost for p in instance.projects] == [pytest.approx(2.25), pytest.approx(1 / 3)]
    assert str(instance.projects[1].cost) == "1/3" and str(instance.budget) == "21/2"
    assert instance.ballot(1) == [] and instance.voter_fields["age"] == ["30", "40", "None"]
    assert parse_pabulib(dump_pabulib(instance)) == instance


GOOD = ("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;10\nb;20\n"
        "VOTES\nvoter_id;vote\n1;a,b\n")

MALFORMED = {
    "no META first": ("PROJECTS\nproject_id;cost\na;1\n", 1, "PROJECTS found where META"),
    "content before META": ("hello\nMETA\n", 1, "before the META"),
    "bad META header": (GOOD.replace("key;value", "k;v"), 2, "key;value"),
    "no budget": (GOOD.replace("budget;100\n", ""), 1, "no 'budget'"),
    "budget not a number": (GOOD.replace("budget;100", "budget;lots"), 1, "not a number"),
    "unknown vote type": (GOOD.replace("vote_type;approval", "vote_type;veto"), 1, "vote_type"),
    "PROJECTS header": (GOOD.replace("project_id;cost", "id;cost"), 6, "project_id"),
    "cost not a number": (GOOD.replace("b;20", "b;twenty"), 8, "cost of project 'b'"),
    "negative cost": (GOOD.replace("b;20", "b;-20"), 8, "negative"),
    "duplicate project": (GOOD.replace("b;20", "a;20"), 8, "appears twice"),
    "wrong field count": (GOOD.replace("b;20", "b;20;x"), 8, "3 fields"),
    "VOTES header": (GOOD.replace("voter_id;vote", "voter;vote"), 10, "voter_id"),
    "unknown project in vote": (GOOD.replace("1;a,b", "1;a,z"), 11, "'z'"),
    "project twice in a ballot": (GOOD.replace("1;a,b", "1;a,a"), 11, "twice on the same ballot"),
    "duplicate voter": (GOOD + "1;a\n", 12, "voter '1' appears twice"),
    "choose-1 with two": (GOOD.replace("approval", "choose-1"), 11, "choose-1"),
    "cumulative without points": (GOOD.replace("approval", "cumulative"), 11, "points"),
    "points mismatch": (GOOD.replace("approval", "cumulative").replace("voter_id;vote", "voter_id;vote;points")
                        .replace("1;a,b", "1;a,b;3"), 11, "1 points for 2 projects"),
    "points not numbers": (GOOD.replace("approval", "cumulative").replace("voter_id;vote", "voter_id;vote;points")
                           .replace("1;a,b", "1;a,b;3,x"), 11, "not numbers"),
    "missing VOTES": (GOOD.split("VOTES")[0], 0, "no VOTES"),
    "section twice": (GOOD + "PROJECTS\n", 12, "appears twice"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_file_names_line_and_reason(name, tmp_path):
    text, line, reason = MALFORMED[name]
    with pytest.raises(PabulibError) as caught:
        parse_pabulib(text)
    assert caught.value.line == line
    assert reason in caught.value.reason
    path = tmp_path / "bad.pb"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PabulibError, match=f"bad.pb, line {line}: " if line else "bad.pb, "):
        read_pabulib(path)


def test_good_reference_text_parses():
    instance = parse_pabulib(GOOD)
    assert instance.ballot(0) == ["a", "b"] and instance.budget == 100
