"""Reading quota and volunteer files in both shapes found in the data, and precise errors on bad input."""

from __future__ import annotations

import pytest

from comuna.choice.sortition.pool import PoolError, Quota, pool_from_records, read_pool, read_quotas
from comuna.choice.sortition.quotas import SelectionProblem
from shared_data import SHARED_DATA

DATA = SHARED_DATA / "sortition"


def test_replication_shape_category_feature_min_max():
    quotas = read_quotas(DATA / "example_small_20" / "categories.csv")
    assert quotas == [Quota("gender", "female", 9, 20), Quota("gender", "male", 9, 20),
                      Quota("leaning", "liberal", 9, 20), Quota("leaning", "conservative", 9, 20)]
    pool = read_pool(DATA / "example_small_20" / "respondents.csv", quotas)
    assert pool.size == 200
    assert pool.categories == ("gender", "leaning")
    assert pool.ids[:3] == ("1", "2", "3")
    assert pool.answers[0] == ("female", "conservative")  # first data row of the file


def test_stratification_app_shape_with_name_and_flex_columns_and_addresses():
    quotas = read_quotas(DATA / "stratification-app-example" / "categories.csv")
    assert len(quotas) == 20
    assert quotas[0] == Quota("gender", "Female", 11, 12)
    assert Quota("age_bracket", "0-15", 0, 0) in quotas
    pool = read_pool(DATA / "stratification-app-example" / "candidates.csv", quotas,
                     id_column="nationbuilder_id", address_columns=["primary_address1", "primary_zip"])
    assert pool.size == 150
    assert pool.ids[0] == "p0"
    assert pool.categories == ("gender", "age_bracket", "edu_level", "geo_bucket")
    assert pool.answers[0] == ("Male", "30-44", "Level 4 and above", "South Scotland")
    assert len(set(pool.households)) == 150  # every address differs in this synthetic pool


def test_groups_of_interchangeable_volunteers():
    quotas = read_quotas(DATA / "example_large_200" / "categories.csv")
    pool = read_pool(DATA / "example_large_200" / "respondents.csv", quotas)
    problem = SelectionProblem(pool, tuple(quotas), 200)
    assert sum(len(g) for g in problem.groups) == 2000
    for group in problem.groups:
        assert len({pool.answers[i] for i in group}) == 1
    assert len({pool.answers[g[0]] for g in problem.groups}) == len(problem.groups)


def test_shared_addresses_make_singletons(tmp_path):
    (tmp_path / "q.csv").write_text("category,feature,min,max\ng,a,0,2\ng,b,0,2\n")
    (tmp_path / "r.csv").write_text("g,street\na,1 Main St\na,1 main st\na,2 Main St\nb,3 Main St\n")
    quotas = read_quotas(tmp_path / "q.csv")
    pool = read_pool(tmp_path / "r.csv", quotas, address_columns=["street"])
    assert pool.households[0] == pool.households[1] != pool.households[2]  # case-insensitive match
    problem = SelectionProblem(pool, tuple(quotas), 2)
    assert problem.groups == ((0,), (1,), (2,), (3,))
    assert problem.shared_households == ((0, 1),)
    assert problem.violations([1, 1, 0, 0]) == ["volunteers 1, 2 share an address"]


@pytest.mark.parametrize(("content", "message"), [
    ("category,feature,min\ng,a,1\n", "line 1: expected columns"),
    ("category,feature,min,max\ng,a,3,1\n", "line 2: need 0 <= min <= max"),
    ("category,feature,min,max\ng,a,1,2\ng,a,1,2\n", "line 3: g=a is listed twice"),
    ("category,feature,min,max\ng,a,one,2\n", "line 2: min and max must be whole numbers"),
    ("category,feature,min,max\n", "no quotas"),
])
def test_bad_quota_files_say_where_and_why(tmp_path, content, message):
    path = tmp_path / "categories.csv"
    path.write_text(content)
    with pytest.raises(PoolError, match=message) as error:
        read_quotas(path)
    assert str(path) in str(error.value)


@pytest.mark.parametrize(("content", "message"), [
    ("gender\nfemale\nother\n", r"line 3: g=\'other\' has no quota|line 3: gender='other' has no quota"),
    ("colour\nred\n", "line 1: missing column"),
    ("gender\n", "no volunteers"),
])
def test_bad_volunteer_files_say_where_and_why(tmp_path, content, message):
    quotas = [Quota("gender", "female", 0, 1), Quota("gender", "male", 0, 1)]
    path = tmp_path / "respondents.csv"
    path.write_text(content)
    with pytest.raises(PoolError, match=message):
        read_pool(path, quotas)


def test_duplicate_ids_are_refused(tmp_path):
    path = tmp_path / "respondents.csv"
    path.write_text("id,gender\nx,female\nx,male\n")
    with pytest.raises(PoolError, match="line 3: id 'x' already used on line 2"):
        read_pool(path, [Quota("gender", "female", 0, 1), Quota("gender", "male", 0, 1)], id_column="id")


def test_panel_size_must_fit_the_pool():
    quotas = read_quotas(DATA / "example_small_20" / "categories.csv")
    pool = read_pool(DATA / "example_small_20" / "respondents.csv", quotas)
    with pytest.raises(ValueError, match="between 1 and the pool size 200"):
        SelectionProblem(pool, tuple(quotas), 201)


def test_records_give_the_same_pool_as_the_file():
    import csv

    quotas = read_quotas(DATA / "stratification-app-example" / "categories.csv")
    with open(DATA / "stratification-app-example" / "candidates.csv", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    from_file = read_pool(DATA / "stratification-app-example" / "candidates.csv", quotas,
                          id_column="nationbuilder_id", address_columns=["primary_address1", "primary_zip"])
    from_records = pool_from_records(records, quotas, id_key="nationbuilder_id",
                                     address_keys=["primary_address1", "primary_zip"])
    assert from_records == from_file
    records[4]["gender"] = "unknown"
    with pytest.raises(PoolError, match="record 5: gender='unknown' has no quota"):
        pool_from_records(records, quotas)
