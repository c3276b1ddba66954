import pytest

from comuna.accounts import services
from comuna.accounts.models import RoleAssignment
from comuna.audit.models import Event
from comuna.core.errors import Conflict, DomainError, NotAllowed, NotFound


def test_admin_grants_and_revokes_roles_with_audit(people, tree):
    assignment = services.do_grant_role(tree["city"], "Resident@Example.org", "moderator", actor=people["admin"])
    assert people["resident"].has_perm("spheres.change_sphere", tree["city"]) is False
    assert Event.objects.filter(action="role.granted", sphere=tree["city"]).count() == 1
    services.do_revoke_role(assignment, actor=people["admin"])
    assert not RoleAssignment.objects.filter(user=people["resident"]).exists()
    assert Event.objects.filter(action="role.revoked").count() == 1


@pytest.mark.parametrize("who", ["official", "moderator", "resident", "outsider"])
def test_a_role_granted_by_someone_without_the_right_is_refused(people, tree, who):
    events = Event.objects.count()
    with pytest.raises(NotAllowed):
        services.do_grant_role(tree["city"], "newcomer@example.org", "admin", actor=people[who])
    assert not RoleAssignment.objects.filter(user=people["newcomer"]).exists()
    assert Event.objects.count() == events


def test_city_admin_cannot_grant_roles_above_or_beside(people, tree):
    for slug in ["metro", "region", "town", "net"]:
        with pytest.raises(NotAllowed):
            services.do_grant_role(tree[slug], "newcomer@example.org", "official", actor=people["admin"])


def test_bad_grants(people, tree):
    with pytest.raises(DomainError) as error:
        services.do_grant_role(tree["city"], "newcomer@example.org", "king", actor=people["admin"])
    assert error.value.code == "unknown_role"
    with pytest.raises(NotFound):
        services.do_grant_role(tree["city"], "nobody@example.org", "official", actor=people["admin"])
    with pytest.raises(Conflict):
        services.do_grant_role(tree["city"], "official@example.org", "official", actor=people["admin"])


def test_last_admin_cannot_remove_themself(people, tree):
    own = RoleAssignment.objects.get(user=people["admin"], role="admin")
    with pytest.raises(Conflict) as error:
        services.do_revoke_role(own, actor=people["admin"])
    assert error.value.code == "last_admin"


def test_superuser_holds_every_role(tree):
    from conftest import make_person

    root = make_person("root@example.org", superuser=True, mfa=True)
    for slug in ["city", "region", "net"]:
        assert root.has_perm("spheres.manage_roles", tree[slug])
