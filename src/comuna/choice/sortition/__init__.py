"""Citizens' assemblies by lot: LEXIMIN and LEGACY panel selection, infeasible quotas, the verifiable draw."""
