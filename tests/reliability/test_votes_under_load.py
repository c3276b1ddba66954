"""Issue 8, item 1: no lost and no double vote under load.

Client processes cast supports (API), ballots (the web form) and opinion votes (API) against gunicorn on loopback,
a quarter of them sent twice at the same moment; every vote they were told was taken is stored exactly once, and
every total the app keeps agrees with the rows. Runs on SQLite, and on PostgreSQL when DATABASE_URL names it.
"""

from __future__ import annotations

from reliability.loadsite import acknowledged_by_kind, comuna, run_load, server_errors, stored


def test_every_acknowledged_vote_is_stored_exactly_once_and_totals_match(live_site):
    seed = live_site.seed
    with live_site.server() as server:
        outcome = run_load(server.address, seed, processes=6, double_rate=0.25, duration=45)

    assert not outcome.errors, f"connections failed: {outcome.errors}"
    assert not [status for status in outcome.statuses if status >= 500], \
        f"{outcome.statuses}\n{server_errors(server.log)}"  # a string: pytest would cut a tuple's repr short
    acked = acknowledged_by_kind(seed, outcome)
    db = stored(live_site.database, seed)
    everyone = [person["id"] for person in seed["residents"]]

    # Supports: each resident's support of each proposal acknowledged once (the twin of a double click is refused)
    # and stored once; each proposal's counter equals its rows.
    supports = [(proposal, user) for user, proposal, _value in acked["support"]]
    assert len(supports) == len(set(supports)), "one support was acknowledged twice"
    assert set(supports) == {(proposal, user) for proposal in seed["proposals"] for user in everyone}
    assert sorted(db.supports) == sorted(supports)
    assert db.support_counts == {proposal: len(everyone) for proposal in seed["proposals"]}

    # Ballots: one per resident, each acknowledged once, one anonymous ballot per voter.
    voters = [user for user, _budget, _value in acked["ballot"]]
    assert sorted(voters) == sorted(everyone)
    assert sorted(db.voters) == sorted(voters) and db.ballots == len(voters)

    # Opinion votes: every acknowledged vote is one event in the history, and the current vote of each person on
    # each statement is the last one they were told was taken.
    assert db.opinion_events == len(acked["opinion"])
    last = {(user, number): value for user, number, value in acked["opinion"]}
    assert set(last) == {(user, number) for user in everyone for number in seed["statements"]}
    assert db.opinions == last

    # The audit chain recorded each support and ballot once, and still verifies.
    assert db.audit["proposal.supported"] == len(supports) and db.audit["pb.ballot_cast"] == len(voters)
    verified = comuna(live_site.env, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
