import pytest

HEADER = "code;direction;revenue_type;transfer_from;function;economic_type;label;planned;executed\n"

# A small budget of the city (population 100,000) whose indicators are worked out by hand in test_indicators.
SMALL = HEADER + (
    "R1;revenue;own_taxes;;;;Property tax;5 000 000,00;4 800 000,00\n"
    "R2;revenue;fees;;;;Canteen fees;1000000.00;900000\n"
    "R3;revenue;transfers;region;;;Regional grant;3.000.000,00;3000000\n"
    "R4;revenue;borrowing;;;;New loans;1,000,000.00;500000\n"
    "E1;expenditure;;;09.1;personnel;Teachers' assistants;4000000;3900000\n"
    "E2;expenditure;;;09.1;investment;New school;2000000;1000000\n"
    "E3;expenditure;;;01.7;interest;Interest;500000;500000\n"
    "E4;expenditure;;;01.7;debt_repayment;Loan principal;1500000;1500000\n"
    "E5;expenditure;;;08;goods_services;Libraries;2000000;1800000\n"
)


@pytest.fixture
def header():
    return HEADER


@pytest.fixture
def small_csv():
    return SMALL


@pytest.fixture
def finance_officer(tree):
    from comuna.accounts.models import Role
    from conftest import make_person

    return make_person("finance@example.org", roles=[(tree["city"], Role.FINANCE_OFFICER)], mfa=True)


@pytest.fixture
def small_budget(tree, finance_officer):
    from comuna.finance.services import do_import_budget

    return do_import_budget(tree["city"], 2025, SMALL.encode(), actor=finance_officer)
