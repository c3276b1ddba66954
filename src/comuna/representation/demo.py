"""Demo elections: one open in Toulouse, one already counted in Barcelona with ballots anyone can recount."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from .elections import count_election
from .models import Assembly, AssemblyQuota, Ballot, Candidate, Election, Volunteer


def load_demo(spheres: dict, official) -> None:
    now = timezone.now()
    toulouse = Election.objects.create(
        sphere=spheres["toulouse"], slug="capitole-council-2026", title="Capitole neighbourhood council 2026",
        seats=3, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=13),
        tie_seed="Loto draw of 2026-12-12")
    barcelona = Election.objects.create(
        sphere=spheres["barcelona"], slug="gracia-youth-council-2026", title="Gràcia youth council 2026",
        seats=2, opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=6),
        tie_seed="ONCE draw of 2026-11-15")
    for election, names in ((toulouse, ["Inès Martin", "Karim Benali", "Louise Garcia", "Marc Dupuy", "Nadia Roux",
                                         "Paul Lefèvre"]),
                            (barcelona, ["Aina Puig", "Biel Soler", "Carla Vidal", "David Ruiz"])):
        Candidate.objects.bulk_create([Candidate(election=election, name=name, number=number)
                                       for number, name in enumerate(names, start=1)])
    rng = random.Random(2026)  # fixed: the demo's counted result is the same on every machine
    popular = [1, 3, 2, 4]
    ballots = []
    for index in range(120):
        ranking = sorted(popular, key=lambda n: rng.random() * (1 + popular.index(n)))[: rng.randint(1, 4)]
        ballots.append(Ballot(election=barcelona, rankings=ranking, receipt_digest=f"demo{index:060d}"))
    Ballot.objects.bulk_create(ballots)
    count_election(barcelona, actor=official)
    load_assembly(spheres)


ASSEMBLY_QUOTAS = [("Gender", "Woman", 5, 7), ("Gender", "Man", 5, 7), ("Age", "16-34", 3, 5),
                   ("Age", "35-59", 4, 6), ("Age", "60+", 3, 5), ("District", "Centre", 4, 8),
                   ("District", "Left Bank", 4, 8)]


def load_assembly(spheres: dict) -> Assembly:
    """Toulouse's climate assembly: 60 volunteers have answered; the officials now prepare the public draw."""
    from comuna.accounts.models import User

    now = timezone.now()
    assembly = Assembly.objects.create(
        sphere=spheres["toulouse"], slug="toulouse-climate-assembly", title="Toulouse climate assembly",
        purpose="Twelve residents chosen by lot propose how the city reaches carbon neutrality by 2040.",
        panel_size=12, recruitment_closes_at=now - timedelta(days=1), draw_at=now - timedelta(minutes=5),
        seed_source="The EuroMillions numbers of the draw before the announced date")
    AssemblyQuota.objects.bulk_create([AssemblyQuota(assembly=assembly, category=c, feature=f, minimum=lo, maximum=hi)
                                       for c, f, lo, hi in ASSEMBLY_QUOTAS])
    rng = random.Random(40)
    users = User.objects.bulk_create([User(email=f"volunteer{i:02d}@demo.comuna.city", display_name=f"Volunteer {i}")
                                      for i in range(60)])
    Volunteer.objects.bulk_create([
        Volunteer(assembly=assembly, user=user, answers={
            "Gender": rng.choice(["Woman", "Man"]), "Age": rng.choice(["16-34", "35-59", "35-59", "60+"]),
            "District": rng.choice(["Centre", "Left Bank"])}) for user in users])
    return assembly
