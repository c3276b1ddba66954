"""Subsidiarity: competent_sphere finds the lowest competent sphere on the origin's chain and says why."""

import pytest
from django.utils import translation

from comuna.core.errors import Conflict, DomainError
from comuna.spheres.models import Function
from comuna.spheres.routing import competent_sphere
from comuna.spheres.services import do_set_competence


@pytest.fixture
def functions(tree):
    return Function.objects.in_bulk(["05", "05.1", "05.2", "08", "08.1", "04.5", "02"])


def test_cofog_is_shipped_in_three_languages(tree):
    divisions = Function.objects.filter(parent__isnull=True)
    assert [d.code for d in divisions] == [f"{n:02d}" for n in range(1, 11)]
    assert Function.objects.filter(parent__isnull=False).count() >= 60
    for function in Function.objects.all():
        assert function.name_en and function.name_fr and function.name_es
    health = Function.objects.get(code="07")
    with translation.override("fr"):
        assert health.name == health.name_fr
    with translation.override("es"):
        assert health.name == health.name_es


def test_lowest_competent_sphere_wins(tree, functions):
    do_set_competence(tree["region"], functions["05.1"], "shared")
    do_set_competence(tree["city"], functions["05.1"], "shared")
    routing = competent_sphere(functions["05.1"], tree["hood"])
    assert routing.sphere == tree["city"]
    assert [s.slug for s in routing.passed_over] == ["hood", "district"]
    assert "City" in routing.reason and "Hood" in routing.reason


def test_origin_itself_when_competent(tree, functions):
    do_set_competence(tree["hood"], functions["08.1"], "shared")
    routing = competent_sphere("08.1", tree["hood"])
    assert routing.sphere == tree["hood"] and routing.passed_over == []
    assert routing.reason.startswith("Hood holds")


def test_division_competence_covers_its_groups(tree, functions):
    do_set_competence(tree["metro"], functions["05"], "shared")
    assert competent_sphere(functions["05.2"], tree["hood"]).sphere == tree["metro"]
    # but a group competence does not cover the whole division
    do_set_competence(tree["city"], functions["08.1"], "shared")
    assert competent_sphere(functions["08"], tree["hood"]).sphere is None


def test_nobody_competent_says_so(tree, functions):
    routing = competent_sphere(functions["04.5"], tree["hood"])
    assert routing.sphere is None and len(routing.passed_over) == 5
    assert "No sphere" in routing.reason


def test_reason_is_translated(tree, functions):
    do_set_competence(tree["city"], functions["05.1"], "shared")
    with translation.override("fr"):
        reason = competent_sphere(functions["05.1"], tree["hood"]).reason
    assert "Ville" in reason and "compétence" in reason


def test_routing_does_not_grow_queries_with_depth(tree, functions, django_assert_max_num_queries):
    do_set_competence(tree["region"], functions["05.1"], "shared")
    with django_assert_max_num_queries(2):
        competent_sphere(functions["05.1"], tree["hood"])


def test_exclusive_above_blocks_below(tree, functions):
    do_set_competence(tree["region"], functions["02"], "exclusive")
    with pytest.raises(Conflict) as error:
        do_set_competence(tree["city"], functions["02"], "shared")
    assert error.value.code == "held_exclusively_above"
    assert not tree["city"].competences.exists()


def test_exclusive_refused_when_held_below(tree, functions):
    do_set_competence(tree["district"], functions["05.1"], "shared")
    with pytest.raises(Conflict) as error:
        do_set_competence(tree["city"], functions["05"], "exclusive")
    assert error.value.code == "held_below"


def test_unknown_function_and_network_origin_are_refused(tree):
    with pytest.raises(DomainError) as error:
        competent_sphere("99.9", tree["hood"])
    assert error.value.code == "unknown_function"
    with pytest.raises(DomainError) as error:
        competent_sphere("05", tree["net"])
    assert error.value.code == "network_not_in_tree"
