"""The open-data exports: public, documented, exact, and the CSV re-imports to the same lines."""

import csv
import io
import json
from decimal import Decimal

from comuna.finance.csvio import COLUMNS
from comuna.finance.services import do_import_budget


def line_tuples(budget):
    return sorted(budget.lines.values_list("code", "direction", "revenue_type", "transfer_from__slug", "function_id",
                                           "economic_type", "label", "planned", "executed"))


def test_the_csv_export_reimports_to_the_same_lines(client, tree, finance_officer, small_budget):
    response = client.get(f"/spheres/city/finance/{small_budget.fiscal_year}.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="city-budget-2025.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == COLUMNS and len(rows) == 9
    assert next(r for r in rows if r["code"] == "R1")["planned"] == "5000000.00"
    assert next(r for r in rows if r["code"] == "R3")["transfer_from"] == "region"
    copy = do_import_budget(tree["town"], 2025, response.content, actor=_superuser())
    assert line_tuples(copy) == line_tuples(small_budget)


def test_a_reimport_of_the_export_changes_nothing(client, tree, finance_officer, small_budget):
    before = line_tuples(small_budget)
    exported = client.get("/spheres/city/finance/2025.csv").content
    do_import_budget(tree["city"], 2025, exported, actor=finance_officer)
    assert line_tuples(small_budget) == before


def test_the_json_export_has_exact_amounts_and_indicators(client, small_budget):
    response = client.get("/spheres/city/finance/2025.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["sphere"] == "city" and data["fiscal_year"] == 2025 and data["currency"] == "EUR"
    assert data["totals"]["expenditure_planned"] == "10000000.00"
    assert data["indicators"]["planned"]["capital_share"] == "0.2000"
    assert data["indicators"]["planned"]["own_source_share"] == "0.6667"
    assert data["indicators"]["executed"]["spending_per_inhabitant"] == "87.0000"
    assert {line["code"] for line in data["lines"]} == {"R1", "R2", "R3", "R4", "E1", "E2", "E3", "E4", "E5"}
    assert all(isinstance(line["planned"], str) for line in data["lines"])
    assert sum(Decimal(line["planned"]) for line in data["lines"] if line["direction"] == "revenue") == 10_000_000


def test_exports_of_unknown_years_are_not_found(client, small_budget):
    assert client.get("/spheres/city/finance/1999.csv").status_code == 404
    assert client.get("/spheres/nowhere/finance/2025.json").status_code == 404


def _superuser():
    from conftest import make_person

    return make_person("super@example.org", superuser=True, mfa=True)
