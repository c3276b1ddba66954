"""Opinion maps (Pol.is-style): pure Python/NumPy, no Django.

The conversations app needs only what is exported here:

- `OpinionMap.build(votes, statements, options)`: the map from scratch; `map.update(votes)`: fold in new votes;
  `map.set_statements(statements)`: new statements or moderation changes;
- results: `groups()`, `positions()`, `representative()`, `consensus()`, `group_informed_consensus()`,
  `divisive()`, `priorities()`, `next_statement(participant_id, rng)`, `summary()` (the CLI's JSON);
- `read_polis_export(folder)` / `write_polis_export(folder, statements, votes, groups, summary)`, raising
  `PolisExportError(path, line, reason)` on malformed input.

Votes are `Vote(participant_id, statement_id, vote, timestamp_ms)` with 1 agree, -1 disagree, 0 pass (or a
`VoteBatch` of NumPy arrays for bulk loads). See docs/opinion.md for the maths and how it compares with Pol.is.
"""

from comuna.opinion.incremental import MapOptions, OpinionMap
from comuna.opinion.polis_export import PolisExport, PolisExportError, read_polis_export, write_polis_export
from comuna.opinion.statements import RankedStatement
from comuna.opinion.votes import (
    AGREE,
    DISAGREE,
    MODERATED_IN,
    MODERATED_OUT,
    PASS,
    UNMODERATED,
    Statement,
    Vote,
    VoteBatch,
)

__all__ = [
    "AGREE", "DISAGREE", "MODERATED_IN", "MODERATED_OUT", "PASS", "UNMODERATED",
    "MapOptions", "OpinionMap", "PolisExport", "PolisExportError", "RankedStatement", "Statement", "Vote",
    "VoteBatch", "read_polis_export", "write_polis_export",
]
