"""Demo data for this app, called once by comuna.demo.load_demo with the demo spheres by slug.

A conversation in Toulouse about the Saint-Cyprien market square, voted on by 40 synthetic participants (no
accounts) in two camps, drawn with a fixed seed: the map shows two groups and the statements everyone shares.
No real conversation's data is copied. Also a few tension reports and a mediation case for the mediators.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

SLUG = "saint-cyprien-market-square"
TOPIC = "How should the Saint-Cyprien market square be used?"
DESCRIPTION = ("The market square in Saint-Cyprien is being redesigned. Tell the city what matters to you: vote on "
               "each statement, add your own, and see where the neighbourhood stands.")

# (text, which camp favours it: "market", "garden" or None when nearly everyone agrees, "nobody" when nearly
# everyone disagrees)
STATEMENTS = [
    ("The square should keep its market every morning, not only on Sundays.", "market"),
    ("Cars should be able to park on the square outside market hours.", "market"),
    ("Food trucks in the evening would bring life and money to the neighbourhood.", "market"),
    ("Shopkeepers around the square need delivery access at all hours.", "market"),
    ("Café terraces should be allowed to take more of the square.", "market"),
    ("Half of the square should become a shaded garden with trees.", "garden"),
    ("The square should be car-free every day.", "garden"),
    ("Children need a play area on the square more than parking spaces.", "garden"),
    ("Evening events should end by 10 pm so neighbours can sleep.", "garden"),
    ("Benches and free water fountains matter more than new terraces.", "garden"),
    ("The square must stay easy to cross with a wheelchair or a pushchair.", None),
    ("Neighbours should be asked before any change to the square.", None),
    ("The square needs more shade in summer.", None),
    ("The square is fine as it is and nothing should change.", "nobody"),
]
PARTICIPANTS = 40
SEED = 2026


def _vote(rng: random.Random, camp: str, favoured: str | None) -> int:
    if favoured is None:
        chances = (0.9, 0.05)
    elif favoured == "nobody":
        chances = (0.05, 0.9)
    elif favoured == camp:
        chances = (0.85, 0.1)
    else:
        chances = (0.1, 0.8)
    draw = rng.random()
    return 1 if draw < chances[0] else -1 if draw < chances[0] + chances[1] else 0


def load_conversation(spheres: dict):
    """The Saint-Cyprien conversation with its synthetic votes; returns it (the map is built and stored)."""
    from comuna.accounts.models import User

    from . import services
    from .maps import opinion_map
    from .models import Participant, Vote, VoteEvent

    toulouse = spheres["toulouse"]
    official = User.objects.filter(email="official@demo.comuna.city").first()
    conversation = services.build_conversation(toulouse, actor=official, slug=SLUG, topic=TOPIC,
                                               description=DESCRIPTION)
    statements = services.seed_statements(conversation, [text for text, _camp in STATEMENTS])
    rng = random.Random(SEED)
    start = timezone.now() - timedelta(days=6)
    votes, events = [], []
    for number in range(PARTICIPANTS):
        camp = "market" if number % 2 == 0 else "garden"
        participant = Participant.objects.create(conversation=conversation, number=number,
                                                 created_at=start + timedelta(hours=3 * number))
        for index, statement in enumerate(statements):
            moment = participant.created_at + timedelta(minutes=index)
            value = _vote(rng, camp, STATEMENTS[index][1])
            votes.append(Vote(conversation=conversation, statement=statement, participant=participant, value=value,
                              created_at=moment, updated_at=moment))
            events.append(VoteEvent(conversation=conversation, statement=statement, participant=participant,
                                    value=value, created_at=moment))
    Vote.objects.bulk_create(votes)
    VoteEvent.objects.bulk_create(events)
    opinion_map(conversation)
    return conversation


TENSIONS = [
    # sphere, category, severity, days ago, place, description
    ("saint-cyprien", "public_space", 3, 3, "Place Saint-Cyprien",
     "Arguments every evening between café owners and residents about noise and terraces on the square."),
    ("saint-cyprien", "public_space", 4, 10, "Place Saint-Cyprien",
     "A petition against the car-free plan is circulating and posters were torn down twice this week."),
    ("capitole", "neighbours", 2, 17, "Rue du Taur",
     "Recurring disputes over bins left on the pavement between two buildings."),
    ("toulouse", "authorities", 3, 30, "",
     "Residents of the left bank say nobody answers their complaints about the market square works."),
]


def load_demo(spheres: dict) -> None:
    from comuna.accounts.models import User

    from .models import CaseNote, MediationCase, TensionReport

    conversation = load_conversation(spheres)
    lea = User.objects.filter(email="lea@demo.comuna.city").first()
    mediator = User.objects.filter(email="mediator@demo.comuna.city").first()
    now = timezone.now()
    reports = []
    for slug, category, severity, days, place, text in TENSIONS:
        report = TensionReport.objects.create(sphere=spheres[slug], category=category, severity=severity,
                                              description=text, place=place, author=lea if days == 17 else None,
                                              created_at=now - timedelta(days=days), updated_at=now - timedelta(days=days))
        reports.append(report)
    case = MediationCase.objects.create(
        sphere=spheres["toulouse"], title="The future of the Saint-Cyprien market square", opened_by=mediator,
        summary="Café owners, market traders and residents disagree on how the square should be used.")
    TensionReport.objects.filter(pk__in=[reports[0].pk, reports[1].pk]).update(case=case, status="escalated")
    case.parties.create(name="Association of Saint-Cyprien traders", organisation="Traders' association",
                        position="Keep the market and delivery access.")
    case.parties.create(name="Saint-Cyprien residents' collective", position="A shaded, car-free square.")
    case.sessions.create(held_on=(now - timedelta(days=2)).date(), place="Maison de quartier Saint-Cyprien",
                         summary="First meeting: both sides agreed to map the neighbourhood's views in a conversation.")
    CaseNote.objects.create(case=case, author=mediator,
                            text="The traders' spokesperson asked that his name stay out of the minutes.")
    conversation.case = case
    conversation.save(update_fields=["case"])
