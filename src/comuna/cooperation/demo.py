"""Demo data for this app, called once by comuna.demo.load_demo with the demo spheres by slug.

Toulouse and Barcelona, both members of the network, in a partnership with one project on SDG 11: a budget, a
commitment and a disbursement from Toulouse to Barcelona, and a result with its indicator. The organisation
identifiers are the cities' real registry numbers (INSEE SIREN for Toulouse, DIR3 for Barcelona)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def load_demo(spheres: dict) -> None:
    from comuna.accounts.models import User

    from . import services
    from .models import Role, TransactionKind

    toulouse, barcelona = spheres.get("toulouse"), spheres.get("barcelona")
    if toulouse is None or barcelona is None:
        return
    actor = User.objects.filter(email="admin@demo.comuna.city").first()
    toulouse_org = services.organisation_for(toulouse)
    toulouse_org.iati_ref = "FR-INSEE-213105554"
    toulouse_org.save(update_fields=["iati_ref"])
    barcelona_org = services.organisation_for(barcelona)
    barcelona_org.iati_ref = "ES-DIR3-L01080193"
    barcelona_org.save(update_fields=["iati_ref"])
    partnership = services.build_partnership(
        actor, toulouse, title="Toulouse–Barcelona: participatory neighbourhoods", partner=barcelona_org,
        description="Two cities of the network learn from each other how residents plan their neighbourhoods.",
        since=date(2025, 1, 15))
    project = services.build_project(
        actor, toulouse, title="Participatory planning of public spaces in Gràcia and Saint-Cyprien",
        description="Residents of both neighbourhoods map their public spaces, propose changes and follow the "
                    "works; the two city teams exchange methods and tools.",
        partnership=partnership, partners=[(barcelona_org, Role.IMPLEMENTING)],
        sdg_targets=["11.3", "11.7"], status="2", currency="EUR", planned_start=date(2025, 3, 1),
        planned_end=date(2026, 12, 31), budget=Decimal("120000"),
        sectors=[{"vocabulary": "1", "code": "43030"}], countries=["ES"],
        places=[{"name": "Vila de Gràcia, Barcelona", "lat": 41.4036, "lon": 2.1566}], language="en", local_ref="")
    services.do_add_transaction(actor, project, kind=TransactionKind.COMMITMENT, day=date(2025, 3, 1),
                                value=Decimal("120000"), description="Partnership agreement signed",
                                provider=toulouse_org, receiver=barcelona_org, check=False)
    services.do_add_transaction(actor, project, kind=TransactionKind.DISBURSEMENT, day=date(2025, 6, 30),
                                value=Decimal("60000"), description="First instalment",
                                provider=toulouse_org, receiver=barcelona_org, check=False)
    services.do_add_result(actor, project, title="Public spaces redesigned with residents",
                           indicator="Public spaces redesigned through a participatory process",
                           baseline_year=2024, baseline=Decimal("0"), target=Decimal("6"), actual=Decimal("2"),
                           period_start=date(2025, 3, 1), period_end=date(2026, 12, 31), check=False)
    project.documents.create(title="Memorandum of understanding between Toulouse and Barcelona",
                             url="https://example.org/toulouse-barcelona/memorandum.html", format="text/html",
                             category="A09", language="en")
