"""Demo data that makes Comuna understandable at first sight (`comuna demo`, loaded once).

Places and populations are real (2021–2023 census figures, rounded); people are invented.
"""

from __future__ import annotations

from importlib import import_module

from django.db import transaction

from comuna.accounts.models import Residency, ResidencyMethod, ResidencyRequest, Role, RoleAssignment, User
from comuna.spheres.cofog import ensure_functions
from comuna.spheres.models import Function, Sphere, SphereKind
from comuna.spheres.services import do_add_network_member, do_create_sphere, do_set_competence

DEMO_PASSWORD = "comuna-demo-2026"

# (slug, kind, en, fr, es, official code, country, population, parent slug)
SPHERES = [
    ("france", SphereKind.NATIONAL, "France", "France", "Francia", "FR", "FR", 68_000_000, None),
    ("occitanie", SphereKind.REGION, "Occitania", "Occitanie", "Occitania", "FRJ", "FR", 6_020_000, "france"),
    ("toulouse-metropole", SphereKind.METROPOLITAN_AREA, "Toulouse Metropole", "Toulouse Métropole",
     "Toulouse Metrópolis", "243100518", "FR", 806_000, "occitanie"),
    ("toulouse", SphereKind.MUNICIPALITY, "Toulouse", "Toulouse", "Tolosa", "31555", "FR", 504_000, "toulouse-metropole"),
    ("blagnac", SphereKind.MUNICIPALITY, "Blagnac", "Blagnac", "Blagnac", "31069", "FR", 25_500, "toulouse-metropole"),
    ("colomiers", SphereKind.MUNICIPALITY, "Colomiers", "Colomiers", "Colomiers", "31149", "FR", 39_900, "toulouse-metropole"),
    ("toulouse-centre", SphereKind.DISTRICT, "Toulouse Centre", "Toulouse Centre", "Toulouse Centro", "", "FR", 82_000, "toulouse"),
    ("toulouse-rive-gauche", SphereKind.DISTRICT, "Toulouse Left Bank", "Toulouse Rive gauche",
     "Toulouse Orilla izquierda", "", "FR", 67_000, "toulouse"),
    ("capitole", SphereKind.NEIGHBOURHOOD, "Capitole", "Capitole", "Capitole", "", "FR", 12_000, "toulouse-centre"),
    ("saint-cyprien", SphereKind.NEIGHBOURHOOD, "Saint-Cyprien", "Saint-Cyprien", "Saint-Cyprien", "", "FR", 22_000,
     "toulouse-rive-gauche"),
    ("blagnac-nord", SphereKind.DISTRICT, "Blagnac North", "Blagnac Nord", "Blagnac Norte", "", "FR", 11_000, "blagnac"),
    ("odyssud", SphereKind.NEIGHBOURHOOD, "Odyssud", "Odyssud", "Odyssud", "", "FR", 4_200, "blagnac-nord"),
    ("colomiers-centre", SphereKind.DISTRICT, "Colomiers Centre", "Colomiers Centre", "Colomiers Centro", "", "FR",
     14_000, "colomiers"),
    ("val-d-aran", SphereKind.NEIGHBOURHOOD, "Val d'Aran", "Val d'Aran", "Val d'Aran", "", "FR", 5_100, "colomiers-centre"),
    ("espana", SphereKind.NATIONAL, "Spain", "Espagne", "España", "ES", "ES", 48_600_000, None),
    ("catalunya", SphereKind.REGION, "Catalonia", "Catalogne", "Cataluña", "ES51", "ES", 8_000_000, "espana"),
    ("amb", SphereKind.METROPOLITAN_AREA, "Barcelona Metropolitan Area", "Métropole de Barcelone",
     "Área Metropolitana de Barcelona", "AMB", "ES", 3_300_000, "catalunya"),
    ("barcelona", SphereKind.MUNICIPALITY, "Barcelona", "Barcelone", "Barcelona", "08019", "ES", 1_660_000, "amb"),
    ("gracia", SphereKind.DISTRICT, "Gràcia", "Gràcia", "Gracia", "06", "ES", 123_000, "barcelona"),
    ("vila-de-gracia", SphereKind.NEIGHBOURHOOD, "Vila de Gràcia", "Vila de Gràcia", "Villa de Gracia", "31", "ES",
     51_000, "gracia"),
]

NETWORK = ("cities-for-local-democracy", "Cities for Local Democracy", "Villes pour la démocratie locale",
           "Ciudades por la Democracia Local")
NETWORK_MEMBERS = ["toulouse", "blagnac", "colomiers", "barcelona"]

# (sphere, COFOG code, kind): what each sphere is competent for.
COMPETENCES = [
    ("france", "02", "exclusive"), ("france", "03.1", "shared"), ("espana", "02", "exclusive"),
    ("occitanie", "04.5", "shared"), ("occitanie", "09.2", "shared"), ("catalunya", "07", "shared"),
    ("toulouse-metropole", "05.1", "shared"), ("toulouse-metropole", "06.3", "shared"),
    ("toulouse-metropole", "04.5", "shared"), ("amb", "05.1", "shared"), ("amb", "04.5", "shared"),
    ("toulouse", "08", "shared"), ("toulouse", "06.2", "shared"), ("toulouse", "09.1", "shared"),
    ("blagnac", "08", "shared"), ("colomiers", "08", "shared"), ("barcelona", "08", "shared"),
    ("barcelona", "06.2", "shared"), ("toulouse-centre", "06.4", "shared"), ("gracia", "06.4", "shared"),
]

# (e-mail, public name, [(sphere, role)], residency sphere or None)
PEOPLE = [
    ("admin@demo.comuna.city", "Ana Admin", [("occitanie", Role.ADMIN), ("toulouse", Role.ADMIN)], None),
    ("official@demo.comuna.city", "Omar Official", [("toulouse", Role.OFFICIAL)], None),
    ("moderator@demo.comuna.city", "Maria Moderator", [("toulouse", Role.MODERATOR)], None),
    ("mediator@demo.comuna.city", "Malik Mediator", [("toulouse-metropole", Role.MEDIATOR)], None),
    ("finance@demo.comuna.city", "Fatou Finance", [("toulouse", Role.FINANCE_OFFICER)], None),
    ("network@demo.comuna.city", "Nuria Network", [("cities-for-local-democracy", Role.ADMIN)], None),
    ("barcelona@demo.comuna.city", "Bernat Official", [("barcelona", Role.ADMIN)], None),
    ("lea@demo.comuna.city", "Léa", [], "capitole"),
    ("jordi@demo.comuna.city", "Jordi", [], "vila-de-gracia"),
    ("amina@demo.comuna.city", "Amina", [], "saint-cyprien"),
    ("hugo@demo.comuna.city", "Hugo", [], "capitole"),
    ("sam@demo.comuna.city", "Sam", [], None),
]


def demo_present() -> bool:
    return Sphere.objects.filter(slug="toulouse").exists()


@transaction.atomic
def load_demo() -> bool:
    """Load the demo once; return False (changing nothing) if it is already there."""
    if demo_present():
        return False
    from allauth.account.models import EmailAddress

    ensure_functions()
    spheres: dict[str, Sphere] = {}
    for slug, kind, en, fr, es, code, country, population, parent in SPHERES:
        spheres[slug] = do_create_sphere(
            parent=spheres.get(parent), slug=slug, kind=kind, name_en=en, name_fr=fr, name_es=es,
            official_code=code, country=country, population=population,
        )
    slug, en, fr, es = NETWORK
    network = do_create_sphere(slug=slug, kind=SphereKind.NETWORK, name_en=en, name_fr=fr, name_es=es)
    spheres[slug] = network
    for member in NETWORK_MEMBERS:
        do_add_network_member(network, spheres[member])
    functions = Function.objects.in_bulk([code for _, code, _ in COMPETENCES])
    for sphere_slug, code, kind in COMPETENCES:
        do_set_competence(spheres[sphere_slug], functions[code], kind)
    for email, name, roles, home in PEOPLE:
        user = User.objects.create_user(email, DEMO_PASSWORD, display_name=name)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        for sphere_slug, role in roles:
            RoleAssignment.objects.create(user=user, sphere=spheres[sphere_slug], role=role)
        if home:
            Residency.objects.create(user=user, sphere=spheres[home], method=ResidencyMethod.MANUAL)
    sam = User.objects.get(email="sam@demo.comuna.city")
    ResidencyRequest.objects.create(user=sam, sphere=spheres["toulouse"],
                                    message="I moved to Rue de Metz last month and rent a flat there.")
    load_participation(spheres)
    for app in ("cooperation", "finance", "services", "conversations", "intercity"):
        import_module(f"comuna.{app}.demo").load_demo(spheres)
    from comuna.budgeting.demo import load_demo as load_budget
    from comuna.representation.demo import load_demo as load_elections

    load_budget(spheres, User.objects.get(email="admin@demo.comuna.city"))
    load_elections(spheres, User.objects.get(email="barcelona@demo.comuna.city"))
    return True


def load_participation(spheres: dict[str, Sphere]) -> None:
    """Toulouse's open process, with supported, answered and referred proposals, and a commitment under way."""
    from datetime import timedelta

    from django.utils import timezone

    from comuna.participation import services as participation
    from comuna.participation.models import Support

    people = {u.email.split("@")[0]: u for u in User.objects.all()}
    admin, official = people["admin"], people["official"]
    # Ten days ago, so the seven-day information phase is over and proposals are open.
    started = timezone.now() - timedelta(days=10)
    toulouse = participation.build_process(
        spheres["toulouse"], actor=admin, slug="toulouse-decides-2026", template="proposals_then_vote",
        title_en="Toulouse decides 2026", title_fr="Toulouse décide 2026", title_es="Tolosa decide 2026",
        summary_en="Propose what Toulouse should do next year; proposals with 3 supports get an official answer.",
        summary_fr="Proposez ce que Toulouse devrait faire l’an prochain ; avec 3 soutiens, une réponse officielle est due.",
        summary_es="Proponga qué debería hacer Tolosa el año que viene; con 3 apoyos se debe una respuesta oficial.",
        support_threshold=3, answer_days=30, starts_at=started)
    participation.build_process(
        spheres["toulouse-metropole"], actor=admin, slug="metropole-en-commun", template="consultation",
        title_en="Metropole in common", title_fr="Métropole en commun", title_es="Metrópolis en común",
        support_threshold=50, starts_at=started)
    from comuna.participation.models import Meeting

    assembly_start = (timezone.now() + timedelta(days=6)).replace(hour=18, minute=30, second=0, microsecond=0)
    Meeting.objects.create(process=toulouse, title="Capitole neighbourhood assembly", kind="in_person",
                           starts_at=assembly_start, ends_at=assembly_start + timedelta(hours=2),
                           place="Salle du Sénéchal, 17 rue de Rémusat", capacity=80,
                           agenda="1. The shared garden\n2. Night buses\n3. Your proposals")
    functions = Function.objects.in_bulk(["08.1", "05.1", "09.1", "06.2"])
    lea, amina = people["lea"], people["amina"]
    garden = participation.do_create_proposal(
        lea, toulouse, title="A shared garden on Place Saint-Sernin", function=functions["06.2"],
        place="Place Saint-Sernin",
        body="Turn the unused corner of the square into a garden tended by neighbours, with a tool shed and benches.")
    pool = participation.do_create_proposal(
        amina, toulouse, title="Open the Saint-Cyprien pool on Sunday evenings", function=functions["08.1"],
        body="Families who work during the week have nowhere to swim on Sunday evenings; open the pool until 21:00.")
    participation.do_create_proposal(
        lea, toulouse, title="Compost bins in every courtyard of the old town", function=functions["05.1"],
        body="Waste collection is the Metropole's: compost bins in the courtyards would cut the bins' weight by a third.")
    participation.do_comment(amina, garden, "Yes! The school next door could look after one of the beds.")
    for supporter in (lea, amina, people["hugo"]):
        Support.objects.create(proposal=garden, user=supporter)
    garden.support_count = 3
    garden.answer_due = timezone.localdate() + timedelta(days=30)
    garden.save(update_fields=["support_count", "answer_due"])
    participation.do_support(lea, pool)
    participation.apply_answer(official, garden, status="accepted",
                               text="The garden fits the square's renovation: the parks service will build it in spring.")
    participation.apply_commitment_update(official, garden.commitment, progress=40, status="in_progress",
                                          note="Design agreed with the neighbours; the soil is being prepared.")
