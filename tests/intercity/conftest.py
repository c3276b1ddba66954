"""Officials of the member cities, of the network and of a sphere outside it, and helpers to build policies."""

from __future__ import annotations

import pytest


@pytest.fixture
def officials(tree, people):
    from comuna.accounts.models import Role
    from comuna.spheres.models import SphereKind
    from comuna.spheres.services import do_create_sphere
    from conftest import make_person

    tree["elsewhere"] = do_create_sphere(slug="elsewhere", kind=SphereKind.MUNICIPALITY, name_en="Elsewhere")
    return {
        "city": people["official"],
        "town": make_person("town@example.org", roles=[(tree["town"], Role.OFFICIAL)], mfa=True),
        "net": make_person("net@example.org", roles=[(tree["net"], Role.OFFICIAL)], mfa=True),
        "region": make_person("region@example.org", roles=[(tree["region"], Role.OFFICIAL)], mfa=True),
        "elsewhere": make_person("elsewhere@example.org", roles=[(tree["elsewhere"], Role.OFFICIAL)], mfa=True),
        "no_mfa": make_person("nomfa@example.org", roles=[(tree["town"], Role.OFFICIAL)]),
    }


def policy_input(**overrides):
    from comuna.intercity.services import PolicyInput

    values = {"title": "Superblocks for calmer streets",
              "problem": "Through traffic fills residential streets with noise and fumes.",
              "measures": "Close inner streets of a block of nine to through traffic and plant trees.",
              "sdg_targets": ["11.2", "3.9"], "languages": ["en", "es"], "contact": "urbanism@example.org",
              "indicators": [{"name": "Nitrogen dioxide", "baseline": "45", "value": "33", "unit": "µg/m³",
                              "year": "2024"}],
              "documents": [{"title": "Evaluation", "url": "https://example.org/evaluation.pdf"}]}
    values.update(overrides)
    return PolicyInput(**values)


@pytest.fixture
def published(tree, officials):
    from comuna.intercity.services import do_publish_policy
    from comuna.spheres.models import Function

    return do_publish_policy(tree["city"], policy_input(function=Function.objects.get(code="04.5")),
                             actor=officials["city"])
