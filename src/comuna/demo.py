"""Demo data that makes Comuna understandable at first sight (`comuna demo`, loaded once).

Places and populations are real (2021–2023 census figures, rounded); people are invented.
"""

from __future__ import annotations

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
    return True
