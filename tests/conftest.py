"""Shared fixtures: a small tree of spheres, named people with roles, and clients signed in as them."""

from __future__ import annotations

import pytest
from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, max_examples=60, print_blob=True)
hypothesis_settings.load_profile("ci")

PASSWORD = "a-long-test-password-42"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # the authenticator app's secret for everyone given two-factor here


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache: each test starts fresh."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def tree(db):
    """region > metro > city > district > neighbourhood, a second city, and a network of both cities."""
    from comuna.spheres.cofog import ensure_functions
    from comuna.spheres.models import SphereKind
    from comuna.spheres.services import do_add_network_member, do_create_sphere

    ensure_functions()

    region = do_create_sphere(slug="region", kind=SphereKind.REGION, name_en="Region", name_fr="Région", name_es="Región")
    metro = do_create_sphere(parent=region, slug="metro", kind=SphereKind.METROPOLITAN_AREA, name_en="Metro")
    city = do_create_sphere(parent=metro, slug="city", kind=SphereKind.MUNICIPALITY, name_en="City",
                            name_fr="Ville", name_es="Ciudad", population=100_000)
    district = do_create_sphere(parent=city, slug="district", kind=SphereKind.DISTRICT, name_en="District")
    hood = do_create_sphere(parent=district, slug="hood", kind=SphereKind.NEIGHBOURHOOD, name_en="Hood")
    town = do_create_sphere(parent=metro, slug="town", kind=SphereKind.MUNICIPALITY, name_en="Town")
    network = do_create_sphere(slug="net", kind=SphereKind.NETWORK, name_en="Network", name_fr="Réseau", name_es="Red")
    do_add_network_member(network, city)
    do_add_network_member(network, town)
    return {"region": region, "metro": metro, "city": city, "district": district, "hood": hood, "town": town,
            "net": network}


def make_person(email: str, *, roles=(), residency=None, superuser=False, mfa=False):
    from allauth.account.models import EmailAddress

    from comuna.accounts.models import Residency, RoleAssignment, User

    user = User.objects.create_user(email, PASSWORD, display_name=email.split("@")[0], is_superuser=superuser)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    for sphere, role in roles:
        RoleAssignment.objects.create(user=user, sphere=sphere, role=role)
    if residency is not None:
        Residency.objects.create(user=user, sphere=residency, method="manual")
    if mfa:
        give_mfa(user)
    return user


def give_mfa(user):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET})


@pytest.fixture
def people(tree):
    from comuna.accounts.models import Role

    return {
        "admin": make_person("admin@example.org", roles=[(tree["city"], Role.ADMIN)], mfa=True),
        "official": make_person("official@example.org", roles=[(tree["city"], Role.OFFICIAL)], mfa=True),
        "moderator": make_person("moderator@example.org", roles=[(tree["city"], Role.MODERATOR)], mfa=True),
        "resident": make_person("resident@example.org", residency=tree["hood"]),
        "outsider": make_person("outsider@example.org", residency=tree["town"]),
        "newcomer": make_person("newcomer@example.org"),
    }


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in
