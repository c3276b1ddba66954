"""Importing a budget CSV: every problem named by line and column, nothing half-written, replacements audited."""

from decimal import Decimal

import pytest

from comuna.audit.models import Event
from comuna.core.errors import Conflict, NotAllowed
from comuna.finance.models import Budget, BudgetLine, ProjectLink
from comuna.finance.services import InvalidBudgetFile, do_import_budget, link_project


def snapshot():
    return (list(Budget.objects.values_list("pk", "fiscal_year", "status", "currency")),
            list(BudgetLine.objects.order_by("pk").values_list("pk", "code", "planned", "executed", "label")),
            Event.objects.count())


def problems_of(sphere, actor, text, year=2025):
    with pytest.raises(InvalidBudgetFile) as caught:
        do_import_budget(sphere, year, text.encode() if isinstance(text, str) else text, actor=actor)
    return [(p.line, p.column, p.message) for p in caught.value.problems]


def test_a_good_file_is_imported_whole_and_audited(tree, small_budget):
    lines = {line.code: line for line in small_budget.lines.all()}
    assert len(lines) == 9
    assert lines["R1"].planned == Decimal("5000000.00") and lines["R1"].executed == Decimal("4800000.00")
    assert lines["R3"].transfer_from == tree["region"] and lines["R3"].planned == Decimal("3000000.00")
    assert lines["R4"].planned == Decimal("1000000.00")
    assert lines["E1"].function_id == "09.1" and lines["E1"].economic_type == "personnel"
    event = Event.objects.get(action="finance.budget_imported")
    assert event.sphere == tree["city"] and event.data["lines"] == 9
    assert event.data["planned_expenditure"] == "10000000.00" and event.actor_role == "finance_officer"


BAD_ROWS = [
    ("E9;expenditure;;;09.1;personnel;Bad amount;12,34.5;0\n", "planned", "does not group thousands"),
    ("E9;expenditure;;;09.1;personnel;Bad amount;abc;0\n", "planned", "is not a number"),
    ("E9;expenditure;;;09.1;personnel;Ambiguous;1,234;0\n", "planned", "ambiguous"),
    ("E9;expenditure;;;09.1;personnel;Negative;-100;0\n", "planned", "cannot be negative"),
    ("E9;expenditure;;;09.1;personnel;Negative executed;100;-1\n", "executed", "cannot be negative"),
    ("E9;expenditure;;;99.9;personnel;Unknown function;100;0\n", "function", "“99.9” is not a COFOG"),
    ("E9;expenditure;;;;personnel;No function;100;0\n", "function", "need a COFOG function"),
    ("E9;expenditure;;;09.1;salaries;Unknown economic type;100;0\n", "economic_type", "“salaries” is not an economic"),
    ("R9;revenue;lottery;;;;Unknown revenue type;100;0\n", "revenue_type", "“lottery” is not a revenue type"),
    ("R9;revenue;own_taxes;region;;;Tax from a region;100;0\n", "transfer_from", "only transfers"),
    ("R9;revenue;transfers;atlantis;;;Grant;100;0\n", "transfer_from", "no sphere “atlantis”"),
    ("R9;revenue;fees;;09.1;;Fees with a function;100;0\n", "function", "revenue lines have no COFOG"),
    ("X9;spending;;;09.1;personnel;Bad direction;100;0\n", "direction", "neither revenue nor expenditure"),
    ("E1;expenditure;;;09.1;personnel;Duplicated code;100;0\n", "code", "already used on line 6"),
    (";expenditure;;;09.1;personnel;No code;100;0\n", "code", "code is empty"),
    ("E9;expenditure;;;09.1;personnel;;100;0\n", "label", "label is empty"),
    ("E9;expenditure;;;09.1;personnel;Missing planned;;0\n", "planned", "no amount given"),
    ("E9;expenditure;;;09.1;personnel;Too few fields;100\n", "", "8 fields where the header names 9"),
]


@pytest.mark.parametrize(("row", "column", "message"), BAD_ROWS)
def test_every_bad_row_is_named_by_line_and_column_and_nothing_changes(tree, finance_officer, small_csv, row,
                                                                        column, message):
    before = snapshot()
    problems = problems_of(tree["city"], finance_officer, small_csv + row)
    assert len(problems) == 1, problems
    line, found_column, text = problems[0]
    assert line == 11 and found_column == column and message in text
    assert snapshot() == before


@pytest.mark.parametrize(("row", "column", "message"), BAD_ROWS[:6])
def test_a_bad_row_does_not_touch_the_year_already_imported(tree, finance_officer, small_budget, small_csv, row,
                                                            column, message):
    before = snapshot()
    problems = problems_of(tree["city"], finance_officer, small_csv.replace("Libraries;2000000", "Libraries;2500000")
                           + row)
    assert [(p[0], p[1]) for p in problems] == [(11, column)]
    assert snapshot() == before
    assert BudgetLine.objects.get(code="E5").planned == Decimal("2000000.00")


def test_every_problem_of_a_file_is_listed_at_once(tree, finance_officer, header):
    text = header + ("A;revenue;own_taxes;;;;Tax;abc;0\n"
                     "B;expenditure;;;77;personnel;Thing;10;0\n"
                     "A;expenditure;;;09;investment;Other thing;1.234;0\n")
    problems = problems_of(tree["city"], finance_officer, text)
    assert [(p[0], p[1]) for p in problems] == [(2, "planned"), (3, "function"), (4, "code"), (4, "planned")]
    assert "already used on line 2" in problems[2][2]


@pytest.mark.parametrize(("text", "line", "column", "message"), [
    ("code;direction;label;planned\nA;revenue;Tax;1\n", 1, "revenue_type, function, economic_type",
     "missing column"),
    ("code;direction;revenue_type;function;economic_type;label;planned;colour\n", 1, "colour", "unknown column"),
    ("", 1, "", "empty"),
    ("code;direction;revenue_type;function;economic_type;label;planned\n", 2, "", "no budget lines"),
    (b"code;direction;revenue_type;function;economic_type;label;planned\nA;revenue;own_taxes;;;Imp\xf4t;1\n", 2, "",
     "not UTF-8"),
])
def test_files_that_are_not_budgets_are_refused_with_a_reason(tree, finance_officer, text, line, column, message):
    before = snapshot()
    problems = problems_of(tree["city"], finance_officer, text)
    assert problems[0][0] == line and problems[0][1] == column and message in problems[0][2]
    assert snapshot() == before


def test_comma_separated_files_with_quoted_european_amounts_are_read(tree, finance_officer):
    text = ("code,direction,revenue_type,function,economic_type,label,planned,executed\n"
            'A,revenue,own_taxes,,,"Tax, property","1 234,56",\n'
            'B,expenditure,,09,investment,School,"1,234,567.89","0,5"\n')
    budget = do_import_budget(tree["city"], 2024, text.encode("utf-8-sig"), actor=finance_officer)
    lines = {line.code: line for line in budget.lines.all()}
    assert lines["A"].planned == Decimal("1234.56") and lines["A"].executed == Decimal("0.00")
    assert lines["A"].label == "Tax, property"
    assert lines["B"].planned == Decimal("1234567.89") and lines["B"].executed == Decimal("0.50")


def test_a_reimport_replaces_that_year_only_and_is_audited(tree, finance_officer, small_budget, header, small_csv):
    other = do_import_budget(tree["city"], 2026, small_csv.encode(), actor=finance_officer)
    kept_pk = small_budget.lines.get(code="E1").pk
    text = header + ("E1;expenditure;;;09.1;personnel;Teachers' assistants;4100000;0\n"
                     "N1;revenue;own_taxes;;;;New tax;4100000;0\n")
    budget = do_import_budget(tree["city"], 2025, text.encode(), actor=finance_officer, status="draft")
    assert budget.pk == small_budget.pk and budget.status == "draft"
    assert sorted(budget.lines.values_list("code", flat=True)) == ["E1", "N1"]
    assert budget.lines.get(code="E1").pk == kept_pk and budget.lines.get(code="E1").planned == Decimal("4100000")
    assert other.lines.count() == 9
    event = Event.objects.get(action="finance.budget_replaced")
    assert event.data["lines"] == 2 and event.data["removed"] == 8 and event.data["fiscal_year"] == 2025


def test_a_reimport_that_drops_a_line_funding_a_project_is_refused(tree, finance_officer, small_budget, header):
    link_project(small_budget.lines.get(code="E2"), "city-pb-2025/7", Decimal("150000"))
    before = snapshot()
    with pytest.raises(Conflict, match="E2"):
        do_import_budget(tree["city"], 2025, (header + "E1;expenditure;;;09.1;personnel;Staff;1;0\n").encode(),
                         actor=finance_officer)
    assert snapshot() == before and ProjectLink.objects.count() == 1


@pytest.mark.parametrize("who", ["resident", "official", "moderator", "outsider"])
def test_only_finance_officers_and_admins_import(tree, people, small_csv, who):
    with pytest.raises(NotAllowed):
        do_import_budget(tree["city"], 2025, small_csv.encode(), actor=people[who])
    assert not Budget.objects.exists()


def test_admins_of_the_sphere_or_above_import(tree, people, small_csv):
    do_import_budget(tree["district"], 2025, small_csv.encode(), actor=people["admin"])
    assert Event.objects.get(action="finance.budget_imported").actor_role == "admin"


def test_a_finance_officer_without_two_factor_authentication_cannot_import(tree, small_csv):
    from comuna.accounts.models import Role
    from conftest import make_person

    officer = make_person("nomfa@example.org", roles=[(tree["city"], Role.FINANCE_OFFICER)])
    with pytest.raises(NotAllowed):
        do_import_budget(tree["city"], 2025, small_csv.encode(), actor=officer)


@pytest.mark.parametrize(("year", "currency", "status", "code"), [
    (1800, "EUR", "adopted", "bad_year"), (2025, "euro", "adopted", "bad_currency"),
    (2025, "EUR", "voted", "bad_status"),
])
def test_bad_budget_details_are_refused(tree, finance_officer, small_csv, year, currency, status, code):
    from comuna.core.errors import DomainError

    with pytest.raises(DomainError) as caught:
        do_import_budget(tree["city"], year, small_csv.encode(), actor=finance_officer, currency=currency,
                         status=status)
    assert caught.value.code == code and not Budget.objects.exists()


def test_networks_have_no_budget(tree, small_csv):
    from comuna.core.errors import DomainError
    from conftest import make_person

    admin = make_person("root@example.org", superuser=True, mfa=True)
    with pytest.raises(DomainError, match="network"):
        do_import_budget(tree["net"], 2025, small_csv.encode(), actor=admin)
