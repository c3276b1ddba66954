"""The finance pages, the import desk, a line's projects, the API, and the demo's two years of Toulouse."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from comuna.core.errors import Conflict, DomainError
from comuna.finance.models import Budget, BudgetLine, ProjectLink
from comuna.finance.services import link_project


def test_the_finance_page_shows_breakdowns_indicators_and_accessible_charts(client, small_budget):
    response = client.get("/spheres/city/finance/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Budget 2025 of City" in html
    assert html.count('role="img"') == 3 and html.count("<title id=") == 3
    for chart in ("revenue-chart", "spending-chart", "economic-chart"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
    assert "<caption>Revenue by type (EUR)</caption>" in html
    assert "Own-source revenue share" in html and "66.7 %" in html and "20.0 %" in html and "87.0 %" in html
    assert "<script" not in html.split("<main")[1]
    assert "5,000,000.00" in html and "Property tax" in html
    assert "No sphere of the same kind" in html


def test_a_sphere_without_budget_says_so(client, tree):
    response = client.get("/spheres/town/finance/")
    assert response.status_code == 200 and b"No budget has been published here yet." in response.content
    assert client.get("/spheres/city/finance/2025/").status_code == 404


def test_the_import_page_lists_every_problem_and_imports_nothing(signed_in, finance_officer, tree, header):
    client = signed_in(finance_officer)
    page = client.get("/spheres/city/finance/import/")
    assert page.status_code == 200 and b"<code>economic_type</code>" in page.content
    bad = header + "E1;expenditure;;;42;personnel;Staff;12,34.5;0\n"
    response = client.post("/spheres/city/finance/import/", {
        "fiscal_year": 2025, "status": "adopted", "currency": "EUR",
        "file": SimpleUploadedFile("budget.csv", bad.encode(), "text/csv")})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<td>2</td><td>function</td><td>“42” is not a COFOG division or group code</td>" in html
    assert "<td>2</td><td>planned</td><td>“12,34.5” does not group thousands by three digits</td>" in html
    assert "Nothing was changed" in html and not Budget.objects.exists()


def test_the_import_page_imports_a_good_file(signed_in, finance_officer, small_csv):
    client = signed_in(finance_officer)
    response = client.post("/spheres/city/finance/import/", {
        "fiscal_year": 2025, "status": "adopted", "currency": "eur",
        "file": SimpleUploadedFile("budget.csv", small_csv.encode(), "text/csv")}, follow=True)
    assert response.redirect_chain[-1][0] == "/spheres/city/finance/2025/"
    assert b"was imported: 9 lines" in response.content
    assert Budget.objects.get().currency == "EUR"


@pytest.mark.parametrize("who", ["resident", "official", None])
def test_residents_and_others_cannot_import(client, signed_in, people, small_csv, who):
    if who:
        client = signed_in(people[who])
    assert client.get("/spheres/city/finance/import/").status_code in (302, 403)
    response = client.post("/spheres/city/finance/import/", {
        "fiscal_year": 2025, "status": "adopted", "currency": "EUR",
        "file": SimpleUploadedFile("budget.csv", small_csv.encode(), "text/csv")})
    assert response.status_code in (302, 403) and not Budget.objects.exists()


def test_the_import_link_shows_only_to_finance_officers(client, signed_in, people, finance_officer, small_budget):
    assert b"/finance/import/" not in client.get("/spheres/city/finance/").content
    assert b"/finance/import/" not in signed_in(people["resident"]).get("/spheres/city/finance/").content
    assert b"/finance/import/" in signed_in(finance_officer).get("/spheres/city/finance/").content


def test_projects_are_linked_to_expenditure_lines_and_shown_on_the_line(client, small_budget):
    school = small_budget.lines.get(code="E2")
    link_project(school, "city-pb-2025/12", Decimal("1500000.00"))
    link_project(school, "city-pb-2025/13", "499 999,99")
    with pytest.raises(Conflict, match="already linked"):
        link_project(school, "city-pb-2025/12", Decimal("1"))
    with pytest.raises(Conflict, match="would exceed"):
        link_project(school, "city-pb-2025/14", Decimal("0.02"))
    with pytest.raises(DomainError, match="expenditure lines"):
        link_project(small_budget.lines.get(code="R1"), "city-pb-2025/15", Decimal("1"))
    for amount in (Decimal("0"), Decimal("-3"), Decimal("0.001"), "abc"):
        with pytest.raises(DomainError):
            link_project(school, "city-pb-2025/16", amount)
    with pytest.raises(DomainError):
        link_project(school, "  ", Decimal("1"))
    assert ProjectLink.objects.count() == 2
    html = client.get(school.get_absolute_url()).content.decode()
    assert "city-pb-2025/12" in html and "1,500,000.00" in html and "1,999,999.99" in html


def test_the_api_lists_budgets_and_gives_one_with_lines_and_indicators(client, small_budget):
    listing = client.get("/api/v1/finance/spheres/city/budgets")
    assert listing.status_code == 200
    assert listing.json() == [{"sphere": "city", "fiscal_year": 2025, "currency": "EUR", "status": "adopted",
                               "revenue_planned": "10000000.00", "expenditure_planned": "10000000.00"}]
    detail = client.get("/api/v1/finance/spheres/city/budgets/2025").json()
    assert detail["indicators"]["planned"]["debt_service_share"] == "0.2222"
    assert len(detail["lines"]) == 9 and detail["lines"][0]["planned"].count(".") == 1
    missing = client.get("/api/v1/finance/spheres/city/budgets/2030")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_the_open_data_page_documents_the_columns(client, db):
    html = client.get("/finance/open-data/").content.decode()
    assert "/spheres/<wbr>&lt;sphere&gt;/<wbr>finance/<wbr>&lt;year&gt;.csv" in html and "<code>transfer_from</code>" in html


def test_the_demo_has_two_years_of_toulouse_and_peers_for_blagnac(client, db):
    from comuna.demo import load_demo

    assert load_demo()
    years = dict(Budget.objects.filter(sphere__slug="toulouse").values_list("fiscal_year", "status"))
    assert years == {2025: "adopted", 2026: "adopted"}
    toulouse_2025 = Budget.objects.get(sphere__slug="toulouse", fiscal_year=2025)
    from comuna.finance.selectors import summary

    s = summary(toulouse_2025)
    assert Decimal(900_000_000) < s["totals"]["expenditure_planned"] < Decimal(1_300_000_000)
    assert s["totals"]["revenue_planned"] == s["totals"]["expenditure_planned"]
    assert Decimal("0.85") < s["indicators"]["planned"]["execution_rate"] < Decimal("0.95")
    partly = summary(Budget.objects.get(sphere__slug="toulouse", fiscal_year=2026))
    assert Decimal("0.4") < partly["indicators"]["planned"]["execution_rate"] < Decimal("0.8")
    assert BudgetLine.objects.filter(project_links__isnull=False).distinct().count() == 1
    from comuna.budgeting.links import describe_projects
    from comuna.finance.models import ProjectLink

    refs = list(ProjectLink.objects.values_list("project_ref", flat=True))
    assert len(refs) == 2 and set(describe_projects(refs)) == set(refs)  # real projects of the demo's PB
    html = client.get("/spheres/blagnac/finance/2025/").content.decode()
    assert "Compared with similar spheres" in html and "Colomiers" in html and 'id="peer-chart"' in html
    assert client.get("/spheres/toulouse/finance/").status_code == 200
    assert client.get("/spheres/toulouse/finance/2026.json").status_code == 200


def test_each_bar_of_a_chart_has_its_figure_in_words_and_in_the_table(client, small_budget):
    from comuna.finance.charts import WIDTH, bar_chart

    html = client.get("/spheres/city/finance/2025/").content.decode()
    assert "<title>Own-source taxes — Planned: 5,000,000</title>" in html
    assert "<title>Education — Executed: 4,900,000</title>" in html
    assert "<tr><th scope=\"row\">Education</th><td>6,000,000</td><td>4,900,000</td></tr>" in html
    chart = bar_chart("c", "T", [{"name": "a", "p": Decimal(3)}, {"name": "b", "p": Decimal("1.5")},
                                 {"name": "c", "p": None}], [("p", "P")])
    widths = [group["bars"][0]["width"] for group in chart["groups"]]
    assert widths == [WIDTH - 2, (WIDTH - 2) // 2, 0] and chart["width"] <= 358  # fits a 390 px phone
