"""Demo data for the intercity system, called once by comuna.demo.load_demo with the demo spheres by slug.

Barcelona's superblocks, adopted by Toulouse and adapted again by Blagnac from Toulouse's version (a lineage of
three); a joint declaration of the network, amended by Toulouse, ratified by Toulouse's officials and by a vote of
Barcelona's residents that has ended and been applied, so the declaration is adopted (quorum: half the members);
a peer-learning exchange and a dialogue between Toulouse and Occitania."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

SUPERBLOCKS_PROBLEM = (
    "Cars take most of the street space in dense neighbourhoods: noise, air pollution and no room for children to "
    "play or for neighbours to meet.")
SUPERBLOCKS_MEASURES = (
    "Group nine blocks into a superblock. Through traffic goes round it; inside, streets become calm spaces with a "
    "speed limit of 10 km/h, trees, benches and play areas, designed with the residents of each superblock.")
DECLARATION = (
    "We, the cities of the network, commit to let residents decide on the public spaces of their neighbourhoods, "
    "to publish what we decide and why, and to learn from each other's policies.")


def load_demo(spheres: dict) -> None:
    from comuna.accounts.models import Residency, ResidencyMethod, User
    from comuna.spheres.models import Function

    from . import declarations, services
    from .services import PolicyInput

    barcelona, toulouse, blagnac = spheres.get("barcelona"), spheres.get("toulouse"), spheres.get("blagnac")
    network = spheres.get("cities-for-local-democracy")
    if None in (barcelona, toulouse, blagnac, network):
        return
    users = {user.email.split("@")[0]: user for user in User.objects.filter(email__endswith="@demo.comuna.city")}
    bernat, omar, nuria = users.get("barcelona"), users.get("official"), users.get("network")
    streets = Function.objects.filter(code="06.2").first()

    original = services.do_publish_policy(barcelona, PolicyInput(
        title="Superblocks: streets for people", problem=SUPERBLOCKS_PROBLEM, measures=SUPERBLOCKS_MEASURES,
        function=streets, sdg_targets=["11.2", "11.6", "11.7", "3.9"], languages=["ca", "es", "en"],
        contact="superilles@bcn.example",
        indicators=[{"name": "NO2 concentration in Sant Antoni", "baseline": "45", "value": "33", "unit": "µg/m³",
                     "year": 2022},
                    {"name": "Public space for pedestrians", "baseline": "0", "value": "33000", "unit": "m²",
                     "year": 2023}],
        documents=[{"title": "Superblock model: evaluation", "url": "https://example.org/superblocks-evaluation"}]),
        actor=bernat, check=False)
    toulouse_policy = services.do_adopt_policy(original, toulouse, PolicyInput(
        title="Superblocks: streets for people in Saint-Cyprien", problem=SUPERBLOCKS_PROBLEM,
        measures="Group four blocks into a superblock around Place Intérieure Saint-Cyprien. Through traffic goes "
                 "round it; inside, streets become calm spaces with a speed limit of 20 km/h, trees and benches, "
                 "designed with the residents.",
        adaptation="Toulouse's blocks are smaller and narrower than Barcelona's grid: four blocks, not nine, and "
                   "20 km/h so that buses can still cross.",
        function=streets, sdg_targets=["11.2", "11.7"], languages=["fr", "en"], contact="mobilite@toulouse.example",
        indicators=[{"name": "Cars a day on Rue de la République", "baseline": "9000", "value": "5200", "unit": "cars",
                     "year": 2025}]), actor=omar, check=False)
    services.do_adopt_policy(toulouse_policy, blagnac, PolicyInput(
        title="A superblock around Odyssud", problem=SUPERBLOCKS_PROBLEM,
        measures="One superblock of four blocks around the Odyssud cultural centre, closed to through traffic on "
                 "weekends first, then all week after a year.",
        adaptation="Blagnac starts with weekends only, then decides with residents after a year's trial.",
        function=streets, sdg_targets=["11.7"], languages=["fr"], contact="ville@blagnac.example"),
        actor=None, check=False)

    declaration = declarations.do_create_declaration(
        network, title="Declaration on local democracy and public space", text=DECLARATION, actor=nuria, check=False)
    amendment = declarations.do_propose_amendment(
        declaration, toulouse, text=DECLARATION + " Each city reports every year on what its residents decided.",
        reason="A yearly report makes the commitment visible to residents.", actor=omar, check=False)
    declarations.do_decide_amendment(amendment, accept=True, response="Agreed: thank you.", actor=nuria,
                                     check=False)
    declarations.do_open_ratification(declaration, quorum_share=50, actor=nuria, check=False)
    declarations.do_decide_ratification(declaration, toulouse, decision="ratify",
                                        note="Municipal council of 12 March: adopted.", actor=omar, check=False)

    # Barcelona lets its residents decide: a two-week vote, now over and applied.
    start = timezone.now() - timedelta(days=16)
    ratification = declarations.do_call_vote(declaration, barcelona, days=14, starts_at=start, actor=bernat,
                                             check=False)
    ratification.process.phases.update(starts_at=timezone.now() - timedelta(days=1), ends_at=timezone.now()
                                       + timedelta(days=1))
    gracia = spheres.get("vila-de-gracia") or barcelona
    voters = [users["jordi"]] if "jordi" in users else []
    for name, choice in (("montse", "yes"), ("pau", "yes"), ("aina", "no")):
        voter = User.objects.create_user(f"{name}@demo.comuna.city", None, display_name=name.capitalize())
        Residency.objects.create(user=voter, sphere=gracia, method=ResidencyMethod.MANUAL)
        declarations.do_cast_vote(ratification, voter, choice)
    for voter in voters:
        declarations.do_cast_vote(ratification, voter, "yes")
    ratification.process.phases.update(starts_at=start, ends_at=start + timedelta(days=14))
    declarations.close_due_votes(declaration=declaration)

    colomiers = spheres.get("colomiers")
    if colomiers is not None:
        request = services.HelpRequest.objects.create(
            sphere=colomiers, title="Running our first participatory budget",
            details="Colomiers wants residents to vote on 5% of the investment budget next spring and asks how to "
                    "review project feasibility with a small team.")
        offer = services.MentorOffer.objects.create(
            request=request, sphere=toulouse, status="accepted", decided_at=timezone.now(),
            message="Toulouse has run three editions; our team can share its review checklist.")
        request.status = "matched"
        request.save(update_fields=["status"])
        services.ExchangeSession.objects.create(offer=offer, sphere=toulouse, held_on=date.today() - timedelta(days=7),
                                                notes="Went through the feasibility checklist and the ballot design.")
    occitanie = spheres.get("occitanie")
    if occitanie is not None:
        dialogue = services.Dialogue.objects.create(title="Night buses between Toulouse and the region's towns",
                                                    started_by=toulouse)
        dialogue.spheres.set([toulouse, occitanie])
        services.DialogueMessage.objects.create(
            dialogue=dialogue, sphere=toulouse, author=omar,
            body="Residents' proposals ask for night buses to Blagnac and Colomiers; regional lines are the region's "
                 "competence. Can we plan them together?")
        services.DialogueMessage.objects.create(
            dialogue=dialogue, sphere=occitanie, is_position=True,
            body="The region will study two night lines with Toulouse Metropole and report by June.")
