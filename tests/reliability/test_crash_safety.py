"""Issue 8, item 2: the server killed with SIGKILL in the middle of the load loses no acknowledged vote.

gunicorn's master and workers are killed at once (their process group) while client processes are voting; after a
restart every vote a client was told was taken is in the database, nothing is counted twice, the audit chain
verifies and the server takes votes again. Runs on SQLite (WAL) and on PostgreSQL when DATABASE_URL names it.
"""

from __future__ import annotations

import json
import signal
import time

from reliability.loadsite import acknowledged_by_kind, comuna, request_once, run_load, stored


def test_votes_acknowledged_before_a_sigkill_survive_it_and_the_audit_chain_verifies(live_site):
    seed, database = live_site.seed, live_site.database
    server = live_site.server("before-kill").start()

    def kill_in_the_middle() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and database.count("SELECT COUNT(*) FROM participation_support") < 40:
            time.sleep(0.05)
        server.kill(signal.SIGKILL)

    try:
        outcome = run_load(server.address, seed, processes=6, double_rate=0.25, duration=45, during=kill_in_the_middle)
    finally:
        server.kill()

    acked = acknowledged_by_kind(seed, outcome)
    intended = len(seed["residents"]) * (len(seed["proposals"]) + 1 + len(seed["statements"]))
    assert acked["support"] and outcome.errors, "the kill must fall in the middle of the load"
    assert len(outcome.acknowledged) < intended, "the load was over before the kill"

    with live_site.server("after-restart") as restarted:
        db = stored(database, seed)
        supports = {(proposal, user) for user, proposal, _value in acked["support"]}
        assert supports <= set(db.supports), "an acknowledged support was lost"
        assert len(db.supports) == len(set(db.supports))
        for proposal in seed["proposals"]:
            assert db.support_counts[proposal] == sum(1 for p, _user in db.supports if p == proposal)
        voters = {user for user, _budget, _value in acked["ballot"]}
        assert voters <= set(db.voters), "an acknowledged ballot was lost"
        assert db.ballots == len(db.voters) == len(set(db.voters))
        opinions = {(user, number) for user, number, _value in acked["opinion"]}
        assert opinions <= set(db.opinions), "an acknowledged opinion vote was lost"
        assert db.opinion_events >= len(acked["opinion"])
        assert db.audit["proposal.supported"] == len(db.supports) and db.audit["pb.ballot_cast"] == db.ballots

        verified = comuna(live_site.env, "audit", "verify")
        assert verified.returncode == 0, verified.stderr

        # The restarted server takes votes again.
        person = seed["residents"][0]
        status, body = request_once(restarted.address, "POST", f"/api/v1/conversations/{seed['conversation']}/votes",
                                    json.dumps({"statement": seed["statements"][0], "vote": 1}).encode(),
                                    {"Authorization": f"Bearer {person['token']}", "Content-Type": "application/json"})
        assert status == 201, body
