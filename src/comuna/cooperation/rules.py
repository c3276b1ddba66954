"""Who may do what in cooperation: admins and officials of the sphere concerned."""

import rules

from comuna.accounts.rules import is_sphere_admin, is_sphere_official

rules.add_perm("cooperation.manage", is_sphere_official)
rules.add_perm("cooperation.set_identifier", is_sphere_admin)


@rules.predicate
def is_server_admin(user) -> bool:
    return user.is_authenticated and user.is_superuser


rules.add_perm("cooperation.import_iati", is_server_admin)
