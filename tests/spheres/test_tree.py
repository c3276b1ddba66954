import pytest

from comuna.core.errors import Conflict, DomainError
from comuna.spheres.models import Sphere, SphereKind
from comuna.spheres.services import do_add_network_member, do_create_sphere, do_move_sphere


def test_paths_follow_the_tree(tree):
    assert tree["hood"].chain_ids() == [tree[k].pk for k in ["hood", "district", "city", "metro", "region"]]
    assert {s.slug for s in tree["city"].descendants()} == {"district", "hood"}


def test_a_sphere_cannot_become_its_own_ancestor(tree):
    region = tree["region"]
    before = Sphere.objects.get(pk=region.pk).path
    with pytest.raises(DomainError) as error:
        do_move_sphere(region, tree["hood"])
    assert error.value.code == "cycle"
    assert "own ancestor" in str(error.value.message)
    with pytest.raises(DomainError) as error:
        do_move_sphere(tree["city"], tree["city"])
    assert error.value.code == "cycle"
    assert Sphere.objects.get(pk=region.pk).path == before and Sphere.objects.get(pk=region.pk).parent is None


def test_moving_a_sphere_moves_its_subtree(tree):
    second_region = do_create_sphere(slug="second", kind=SphereKind.REGION, name_en="Second")
    do_move_sphere(tree["metro"], second_region)
    hood = Sphere.objects.get(slug="hood")
    assert hood.ancestor_ids()[0] == second_region.pk
    assert tree["region"].pk not in hood.chain_ids()


def test_a_wider_sphere_cannot_hang_under_a_narrower_one(tree):
    with pytest.raises(DomainError) as error:
        do_move_sphere(tree["town"], tree["hood"])
    assert error.value.code == "parent_not_wider"


def test_networks_stand_outside_the_tree(tree):
    with pytest.raises(DomainError):
        do_create_sphere(parent=tree["region"], slug="bad-net", kind=SphereKind.NETWORK, name_en="Bad")
    with pytest.raises(DomainError):
        do_create_sphere(parent=tree["net"], slug="bad-child", kind=SphereKind.DISTRICT, name_en="Bad")
    assert set(tree["city"].networks.values_list("slug", flat=True)) == {"net"}


def test_a_sphere_may_belong_to_several_networks(tree):
    second = do_create_sphere(slug="net2", kind=SphereKind.NETWORK, name_en="Second network")
    do_add_network_member(second, tree["city"])
    assert tree["city"].networks.count() == 2
    with pytest.raises(Conflict):
        do_add_network_member(second, tree["city"])
    with pytest.raises(DomainError):
        do_add_network_member(second, tree["net"])
