"""Who may do what in participation, as object permissions on the sphere concerned."""

import rules

from comuna.accounts.rules import is_sphere_admin, is_sphere_official

rules.add_perm("participation.create_process", is_sphere_admin)
rules.add_perm("participation.answer_proposal", is_sphere_official)
rules.add_perm("participation.refer_proposal", is_sphere_official)
rules.add_perm("participation.update_commitment", is_sphere_official)
