"""Demo elections: one open in Toulouse, one already counted in Barcelona with ballots anyone can recount."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from .elections import count_election
from .models import Ballot, Candidate, Election


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
