"""Issue 6's "done when": the demo shows a policy adopted by two cities and a declaration ratified by some members,
one of them by a residents' vote whose process is closed and applied."""

from __future__ import annotations

import pytest

from comuna.intercity.models import Declaration, Policy

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_lineage_of_three_and_a_declaration_ratified_by_a_residents_vote(client):
    from comuna.demo import load_demo
    from comuna.intercity.services import lineage

    assert load_demo()
    original = Policy.objects.get(sphere__slug="barcelona", parent=None)
    graph = lineage(original)
    assert [node["policy"].sphere.slug for node in graph["nodes"]] == ["barcelona", "toulouse", "blagnac"]
    declaration = Declaration.objects.get(network__slug="cities-for-local-democracy")
    assert declaration.status == "adopted" and declaration.versions.count() == 2
    decided = {r.sphere.slug: (r.decision, r.method) for r in declaration.ratifications.select_related("sphere")}
    assert decided == {"toulouse": ("ratify", "officials"), "barcelona": ("ratify", "vote"),
                       "blagnac": ("pending", ""), "colomiers": ("pending", "")}
    vote = declaration.ratifications.get(sphere__slug="barcelona")
    assert not vote.process.allows("vote") and "3 yes, 1 no" in vote.note
    page = client.get(declaration.get_absolute_url()).content.decode()
    assert "2 of 4 members ratified; 2 needed for adoption." in page and "Vote of its residents" in page
    assert client.get(f"/policies/{original.pk}/diffusion/").status_code == 200
