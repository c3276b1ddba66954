"""Demo data: Toulouse's budget for 2025 (adopted and executed) and 2026 (adopted, partly executed), and 2025 for
Blagnac and Colomiers, so that the peer comparison shows something. Amounts are invented but of the right order
(a city of 500,000 spends about €1bn a year) with plausible shares; they go through the same CSV reader as an
import."""

from __future__ import annotations

from decimal import Decimal

from .csvio import COLUMNS
from .models import BudgetLine, BudgetStatus
from .services import link_project, read_budget_file, write_budget

M = Decimal(1_000_000)

# (code, direction, revenue type, transfer from, function, economic type, label, € millions in 2025)
TOULOUSE = [
    ("R-TF", "revenue", "own_taxes", "", "", "", "Property taxes (taxe foncière)", "402.5"),
    ("R-THRS", "revenue", "own_taxes", "", "", "", "Tax on second homes", "13.8"),
    ("R-DMTO", "revenue", "own_taxes", "", "", "", "Property transfer duties", "52.4"),
    ("R-SERV", "revenue", "fees", "", "", "", "Canteens, nurseries, culture and sport fees", "96.2"),
    ("R-DOM", "revenue", "fees", "", "", "", "Parking and public space occupation", "24.7"),
    ("R-DGF", "revenue", "transfers", "france", "", "", "General operating grant of the State (DGF)", "108.3"),
    ("R-AC", "revenue", "transfers", "toulouse-metropole", "", "", "Compensation payment from the metropole", "148.9"),
    ("R-DSC", "revenue", "transfers", "toulouse-metropole", "", "", "Community solidarity grant", "21.6"),
    ("R-REG", "revenue", "transfers", "occitanie", "", "", "Regional grants for school and sports facilities", "13.2"),
    ("R-CAF", "revenue", "other", "", "", "", "Family allowance fund payments for nurseries", "31.5"),
    ("R-CESS", "revenue", "other", "", "", "", "Sales of land and buildings", "18.0"),
    ("E-ADM-P", "expenditure", "", "", "01.1", "personnel", "Administration staff", "121.4"),
    ("E-ADM-G", "expenditure", "", "", "01.1", "goods_services", "Buildings, energy and information systems", "46.8"),
    ("E-INT", "expenditure", "", "", "01.7", "interest", "Interest on debt", "21.9"),
    ("E-REMB", "expenditure", "", "", "01.7", "debt_repayment", "Repayment of loan principal", "77.6"),
    ("E-POL-P", "expenditure", "", "", "03.1", "personnel", "Municipal police", "28.3"),
    ("E-POL-G", "expenditure", "", "", "03.1", "goods_services", "Video protection and police equipment", "6.1"),
    ("E-ECO", "expenditure", "", "", "04.1", "current_transfers", "Support to local trade and employment", "8.2"),
    ("E-PARC-P", "expenditure", "", "", "05.4", "personnel", "Parks and gardens staff", "34.6"),
    ("E-PARC-G", "expenditure", "", "", "05.4", "goods_services", "Upkeep of parks and trees", "12.3"),
    ("E-PARC-I", "expenditure", "", "", "05.4", "investment", "New parks and tree planting", "24.8"),
    ("E-URB-I", "expenditure", "", "", "06.2", "investment", "Neighbourhood renewal works", "58.7"),
    ("E-ECL-G", "expenditure", "", "", "06.4", "goods_services", "Street lighting energy and upkeep", "14.2"),
    ("E-ECL-I", "expenditure", "", "", "06.4", "investment", "LED street lighting", "9.6"),
    ("E-SANTE", "expenditure", "", "", "07.4", "goods_services", "Public health and vaccination centres", "8.9"),
    ("E-SPORT-P", "expenditure", "", "", "08.1", "personnel", "Sports facilities staff", "39.7"),
    ("E-SPORT-G", "expenditure", "", "", "08.1", "goods_services", "Swimming pools and gymnasiums running costs", "18.4"),
    ("E-SPORT-I", "expenditure", "", "", "08.1", "investment", "Swimming pool renovation", "34.1"),
    ("E-CULT-P", "expenditure", "", "", "08.2", "personnel", "Libraries, museums and theatres staff", "59.8"),
    ("E-CULT-G", "expenditure", "", "", "08.2", "goods_services", "Cultural programmes", "24.6"),
    ("E-CULT-T", "expenditure", "", "", "08.2", "current_transfers", "Grants to cultural associations", "29.5"),
    ("E-CULT-I", "expenditure", "", "", "08.2", "investment", "New neighbourhood library", "39.2"),
    ("E-ECOLE-P", "expenditure", "", "", "09.1", "personnel", "School and canteen staff", "131.2"),
    ("E-ECOLE-G", "expenditure", "", "", "09.1", "goods_services", "School meals and supplies", "54.7"),
    ("E-ECOLE-I", "expenditure", "", "", "09.1", "investment", "New and renovated schools", "71.3"),
    ("E-CRECHE-P", "expenditure", "", "", "10.4", "personnel", "Nursery staff", "69.5"),
    ("E-CRECHE-G", "expenditure", "", "", "10.4", "goods_services", "Nursery running costs", "15.2"),
    ("E-CCAS", "expenditure", "", "", "10.7", "current_transfers", "Grant to the social action centre (CCAS)", "44.8"),
    ("E-AGES", "expenditure", "", "", "10.2", "current_transfers", "Services for older residents", "10.1"),
]

# Share of the planned amount executed in a full year, by revenue or economic type.
EXECUTED_2025 = {"own_taxes": "0.987", "fees": "0.962", "transfers": "1.000", "other": "0.912",
                 "borrowing": "0.804", "personnel": "0.991", "goods_services": "0.948", "interest": "0.976",
                 "current_transfers": "0.993", "investment": "0.781", "debt_repayment": "1.000"}
# 2026 is adopted and executed up to the autumn.
GROWTH_2026 = {"investment": "1.062", "interest": "1.045", "debt_repayment": "1.031"}
EXECUTED_2026 = {"own_taxes": "0.712", "fees": "0.694", "transfers": "0.751", "other": "0.588",
                 "borrowing": "0.450", "personnel": "0.742", "goods_services": "0.668", "interest": "0.705",
                 "current_transfers": "0.733", "investment": "0.468", "debt_repayment": "0.750"}

# Smaller neighbours: (slug, factor on Toulouse's amounts, factor on own-source taxes, factor on investment)
NEIGHBOURS = [("blagnac", Decimal("0.0625"), Decimal("1.35"), Decimal("1.25")),
              ("colomiers", Decimal("0.0790"), Decimal("0.92"), Decimal("0.88"))]


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def _csv(lines: list[tuple], scale: Decimal, executed: dict[str, str], growth: dict[str, str] | None = None,
         taxes: Decimal = Decimal(1), investment: Decimal = Decimal(1)) -> bytes:
    """The budget as CSV, borrowing set so that the budget balances."""
    rows, revenue, spending = [], Decimal(0), Decimal(0)
    for code, direction, revenue_type, transfer_from, function, economic_type, label, millions in lines:
        kind = revenue_type or economic_type
        planned = Decimal(millions) * M * scale * Decimal((growth or {}).get(kind, "1.021" if growth else "1"))
        planned *= taxes if kind == "own_taxes" else investment if kind == "investment" else 1
        planned = planned.quantize(Decimal("0.01"))
        if direction == "revenue":
            revenue += planned
        else:
            spending += planned
        rows.append((code, direction, revenue_type, transfer_from, function, economic_type, label, planned,
                     planned * Decimal(executed[kind])))
    borrowing = max(spending - revenue, Decimal(0))
    rows.append(("R-EMP", "revenue", "borrowing", "", "", "", "New loans", borrowing,
                 borrowing * Decimal(executed["borrowing"])))
    text = ";".join(COLUMNS) + "\n"
    for *fields, planned, done in rows:
        text += ";".join([*fields, _money(planned), _money(done)]) + "\n"
    return text.encode()


def load_demo(spheres: dict) -> None:
    toulouse = spheres["toulouse"]
    write_budget(toulouse, 2025, read_budget_file(_csv(TOULOUSE, Decimal(1), EXECUTED_2025)), actor=None,
                 currency="EUR", status=BudgetStatus.ADOPTED)
    write_budget(toulouse, 2026, read_budget_file(_csv(TOULOUSE, Decimal(1), EXECUTED_2026,
                                                                      GROWTH_2026)),
                               actor=None, currency="EUR", status=BudgetStatus.ADOPTED)
    for slug, scale, taxes, investment in NEIGHBOURS:
        write_budget(spheres[slug], 2025, read_budget_file(_csv(TOULOUSE, scale, EXECUTED_2025, None, taxes,
                                                                  investment)),
                     actor=None, currency="EUR", status=BudgetStatus.ADOPTED)


def link_demo_projects(sphere, funded: list[tuple[str, Decimal]]) -> None:
    """Called by the budgeting demo once its projects exist: fund them from the newest urban-renewal line."""
    renewal = BudgetLine.objects.filter(budget__sphere=sphere, code="E-URB-I").order_by("-budget__fiscal_year")[0]
    for ref, amount in funded:
        link_project(renewal, ref, amount)
