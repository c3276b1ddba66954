import rules

from comuna.accounts.rules import is_sphere_admin, is_sphere_official

rules.add_perm("representation.run_election", is_sphere_admin)
rules.add_perm("representation.count_election", is_sphere_official)
