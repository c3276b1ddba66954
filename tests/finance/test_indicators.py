"""Indicators of a small budget, worked out by hand; exact Decimal arithmetic; the peers and their median."""

from decimal import Decimal as D

import pytest

from comuna.finance import indicators as ind
from comuna.finance.selectors import comparison, peers_of, summary


def test_indicators_of_the_small_budget_match_the_hand_computation(small_budget):
    s = summary(small_budget)
    planned, executed = s["indicators"]["planned"], s["indicators"]["executed"]
    # Revenue 10,000,000 of which borrowing 1,000,000: current revenue 9,000,000; own source 5,000,000 + 1,000,000.
    assert planned["own_source_share"] == D(6) / D(9)
    # Investment 2,000,000 of 10,000,000 spent.
    assert planned["capital_share"] == D("0.2")
    # Interest 500,000 + principal 1,500,000 over current revenue 9,000,000.
    assert planned["debt_service_share"] == D(2) / D(9)
    # 10,000,000 over 100,000 inhabitants.
    assert planned["spending_per_inhabitant"] == D(100)
    # Executed: own 4,800,000 + 900,000 over 4,800,000 + 900,000 + 3,000,000.
    assert executed["own_source_share"] == D(5_700_000) / D(8_700_000)
    assert executed["capital_share"] == D(1_000_000) / D(8_700_000)
    assert executed["debt_service_share"] == D(2_000_000) / D(8_700_000)
    # Spending executed 3,900,000 + 1,000,000 + 500,000 + 1,500,000 + 1,800,000 = 8,700,000 of 10,000,000.
    assert planned["execution_rate"] == D("0.87")
    assert s["revenue_execution_rate"] == D(9_200_000) / D(10_000_000)
    divisions = {d["code"]: d for d in s["divisions"]}
    assert list(divisions) == ["01", "08", "09"]
    assert divisions["09"]["planned"] == D(6_000_000) and divisions["09"]["per_inhabitant"] == D(60)
    assert divisions["09"]["execution_rate"] == D(4_900_000) / D(6_000_000)
    assert divisions["01"]["per_inhabitant"] == D(20) and divisions["01"]["execution_rate"] == D(1)
    assert divisions["08"]["per_inhabitant_executed"] == D(18)
    revenue = {r["code"]: r["planned"] for r in s["revenue"]}
    assert revenue == {"own_taxes": D(5_000_000), "fees": D(1_000_000), "transfers": D(3_000_000),
                       "borrowing": D(1_000_000)}


def line(direction="expenditure", revenue_type="", function="09", economic="goods_services", planned="0",
         executed="0"):
    return ind.Line(direction, revenue_type, function, economic, D(planned), D(executed))


def test_amounts_add_up_exactly_without_float_drift():
    lines = [line(planned="0.1"), line(planned="0.2")]
    assert ind.expenditure(lines) == D("0.3")
    assert 0.1 + 0.2 != 0.3  # what floats would have given
    many = [line(planned="0.01", executed="0.01")] * 1000
    assert ind.expenditure(many) == D("10.00") and ind.execution_rate(many) == D(1)


def test_a_share_of_nothing_is_unknown_not_zero():
    assert ind.own_source_share([]) is None
    assert ind.capital_share([line(direction="revenue", revenue_type="fees", function="", planned="5")]) is None
    assert ind.per_inhabitant_by_division([line(planned="5")], None) is None
    assert ind.execution_rate([line(planned="0")]) is None


def test_groups_count_in_their_division():
    lines = [line(function="09.1", planned="3"), line(function="09.2", planned="4"), line(function="10", planned="1")]
    assert ind.by_division(lines) == {"09": D(7), "10": D(1)}


@pytest.mark.parametrize(("values", "middle"), [
    ([], None), ([D(3)], D(3)), ([D(3), D(1)], D(2)), ([D(5), None, D(1), D(3)], D(3)),
    ([D("0.1"), D("0.2"), D("0.4"), D("0.3")], D("0.25")),
])
def test_median(values, middle):
    assert ind.median(values) == middle


@pytest.mark.parametrize(("population", "other", "peer"), [
    (100_000, 50_000, True), (100_000, 200_000, True), (100_000, 49_999, False), (100_000, 200_001, False),
    (100_000, None, False), (None, 100_000, False),
])
def test_peers_are_within_a_factor_of_two(population, other, peer):
    assert ind.are_peers(population, other) is peer


def test_comparison_with_spheres_of_similar_size(tree, small_budget, small_csv, header):
    from comuna.finance.services import read_budget_file, write_budget
    from comuna.spheres.models import SphereKind
    from comuna.spheres.services import do_create_sphere

    def sphere(slug, population, kind=SphereKind.MUNICIPALITY):
        return do_create_sphere(parent=tree["metro"], slug=slug, kind=kind, name_en=slug.title(),
                                population=population)

    def budget(sphere, text, year=2025):
        return write_budget(sphere, year, read_budget_file(text.encode()), actor=None, currency="EUR",
                            status="adopted")

    # Two peers: investment 1,000 of 10,000 (10 %) and 3,000 of 10,000 (30 %): median 20 %.
    budget(sphere("peer-a", 60_000), header + "E;expenditure;;;09;investment;I;1000;0\n"
                                               "F;expenditure;;;09;personnel;P;9000;0\n")
    budget(sphere("peer-b", 190_000), header + "E;expenditure;;;09;investment;I;3000;0\n"
                                                "F;expenditure;;;09;personnel;P;7000;0\n")
    budget(sphere("too-big", 250_000), small_csv)
    budget(sphere("other-year", 100_000), small_csv, year=2024)
    budget(do_create_sphere(slug="same-size-region", kind=SphereKind.REGION, name_en="R", population=100_000),
           small_csv)
    assert [b.sphere.slug for b in peers_of(small_budget)] == ["peer-a", "peer-b"]
    result = comparison(small_budget, summary(small_budget)["indicators"]["planned"])
    capital = next(row for row in result["table"] if row["key"] == "capital_share")
    assert capital["own"] == D("0.2") and capital["peers"] == [D("0.1"), D("0.3")] and capital["median"] == D("0.2")
    spending = next(row for row in result["table"] if row["key"] == "spending_per_inhabitant")
    assert spending["median"] == (D(10_000) / 60_000 + D(10_000) / 190_000) / 2
