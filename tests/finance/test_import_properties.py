"""Whatever the file, an import is all or nothing: refused files change nothing and name lines that exist;
accepted files are stored exactly, to the cent."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comuna.finance.models import BudgetLine
from comuna.finance.services import InvalidBudgetFile, do_import_budget

GOOD_AMOUNTS = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2)
BAD_AMOUNTS = st.sampled_from(["12,34.5", "abc", "-1", "1,234", "", "0.125", "1 2"])
GOOD_FUNCTIONS = st.sampled_from(["01", "09", "09.1", "10.7"])
BAD_FUNCTIONS = st.sampled_from(["99", "9.1", "", "11.1"])


@st.composite
def budget_rows(draw):
    rows = []
    for index in range(draw(st.integers(min_value=1, max_value=8))):
        bad = draw(st.sampled_from(["none"] * 6 + ["amount", "function", "code", "type"]))
        if bad == "code" and not rows:
            bad = "none"
        code = rows[-1][0] if bad == "code" else f"L{index}"  # a duplicate of the line before
        amount = draw(BAD_AMOUNTS) if bad == "amount" else str(draw(GOOD_AMOUNTS))
        function = draw(BAD_FUNCTIONS) if bad == "function" else draw(GOOD_FUNCTIONS)
        kind = "wages" if bad == "type" else draw(st.sampled_from(["personnel", "investment", "interest"]))
        rows.append((code, f"expenditure;;;{function};{kind};Line {index};{amount};0", bad))
    return rows


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=budget_rows())
def test_an_import_is_all_or_nothing(tree, finance_officer, header, rows):
    before = list(BudgetLine.objects.order_by("pk").values_list("pk", "code", "planned"))
    text = header + "".join(f"{code};{rest}\n" for code, rest, _ in rows)
    try:
        budget = do_import_budget(tree["city"], 2025, text.encode(), actor=finance_officer)
    except InvalidBudgetFile as refused:
        assert list(BudgetLine.objects.order_by("pk").values_list("pk", "code", "planned")) == before
        assert all(2 <= problem.line <= len(rows) + 1 for problem in refused.problems)
        flagged = {problem.line for problem in refused.problems}
        assert flagged == {line for line, (_, _, bad) in enumerate(rows, start=2) if bad != "none"}
        return
    assert all(bad == "none" for _, _, bad in rows)
    stored = dict(budget.lines.values_list("code", "planned"))
    assert stored == {code: Decimal(rest.split(";")[6]) for code, rest, _ in rows}
