"""Demo: Toulouse's participatory budget for 2027, in its voting phase, with projects and paper ballots."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from comuna.participation.services import build_process

from .links import project_ref
from .models import Ballot, Budget, Project
from .services import receipt_digest

PROJECTS = [
    ("Shade trees in the Arnaud-Bernard schoolyards", 120_000, "Plant thirty trees so that children have shade."),
    ("Covered bike parking at the metro stations", 80_000, "Two hundred covered, lockable places."),
    ("A repair café in Saint-Cyprien", 30_000, "Tools and a room where volunteers fix what would be thrown away."),
    ("Water fountains along the Garonne", 45_000, "Six fountains on the riverside walks, open all summer."),
    ("A skate park at the Prairie des Filtres", 150_000, "A concrete park designed with the young skaters."),
    ("Books in the languages of the neighbourhood", 25_000, "Library books in Arabic, Spanish, Portuguese and Occitan."),
]


def load_demo(spheres: dict, admin) -> Budget:
    process = build_process(
        spheres["toulouse"], actor=admin, slug="toulouse-budget-2027", template="participatory_budget",
        title_en="Toulouse participatory budget 2027", title_fr="Budget participatif de Toulouse 2027",
        title_es="Presupuesto participativo de Tolosa 2027",
        summary_en="€300,000 for the projects residents choose, shared fairly by the Method of Equal Shares.",
        starts_at=timezone.now() - timedelta(days=66))  # the 21-day vote opened a day ago
    budget = Budget.objects.create(process=process, total=300_000, currency="EUR", ballot_kind="approval", rule="mes",
                                   utility="cost", completion="add1")
    projects = [Project.objects.create(budget=budget, title=title, description=text, cost=cost, status="feasible",
                                       review_note="Checked by the city's technical services.")
                for title, cost, text in PROJECTS]
    rng = random.Random(2027)  # the same paper ballots on every machine
    popularity = [0.55, 0.4, 0.35, 0.5, 0.25, 0.3]
    ballots = []
    for index in range(40):
        chosen, spent = [], 0
        for project, chance in zip(projects, popularity, strict=True):
            if rng.random() < chance and spent + project.cost <= budget.total:
                chosen.append([project.pk, 1])
                spent += project.cost
        if chosen:
            ballots.append(Ballot(budget=budget, choices=chosen, on_paper=True, receipt_digest=receipt_digest(
                f"demo-paper-{index}")))
    Ballot.objects.bulk_create(ballots)
    from comuna.finance.demo import link_demo_projects

    # The city already reserved money on its urban-renewal line for two projects on the ballot.
    link_demo_projects(spheres["toulouse"], [(project_ref(projects[0]), Decimal("120000.00")),
                                             (project_ref(projects[3]), Decimal("45000.00"))])
    return budget
