"""Elections: candidates, one secret ranked ballot per resident, the count by comuna.choice.stv, BLT export."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comuna.accounts.models import Role
from comuna.accounts.selectors import is_resident
from comuna.accounts.services import check_perm
from comuna.audit.actions import BALLOT_CAST, ELECTION_COUNTED, ELECTION_CREATED
from comuna.audit.services import record
from comuna.choice import stv
from comuna.core.errors import Conflict, DomainError, NotAllowed

from .models import Ballot, Candidate, CountMethod, Election, Participation


@transaction.atomic
def do_create_election(admin, sphere, *, slug: str, title: str, seats: int, candidates: list[str],
                       opens_at: datetime, closes_at: datetime, tie_seed: str,
                       method: str = CountMethod.SCOTTISH) -> Election:
    check_perm(admin, "representation.run_election", sphere,
               _("Only an admin of %(sphere)s can call an election.") % {"sphere": sphere.name})
    names = [name.strip() for name in candidates if name.strip()]
    if len(set(names)) != len(names):
        raise DomainError("duplicate_candidate", _("Each candidate must appear once."))
    if not 1 <= seats < len(names):
        raise DomainError("bad_seats", _("There must be more candidates than seats, and at least one seat."))
    if closes_at <= opens_at:
        raise DomainError("closes_before_opening", _("Voting must close after it opens."))
    if method not in CountMethod.values:
        raise DomainError("unknown_method", _("Count by the Scottish rules or by Meek's method."))
    if Election.objects.filter(slug=slug).exists():
        raise Conflict("slug_taken", _("The short name “%(slug)s” is already used.") % {"slug": slug[:80]})
    election = Election.objects.create(sphere=sphere, slug=slug, title=title, seats=seats, method=method,
                                       opens_at=opens_at, closes_at=closes_at, tie_seed=tie_seed)
    Candidate.objects.bulk_create([Candidate(election=election, name=name, number=index)
                                   for index, name in enumerate(names, start=1)])
    record(ELECTION_CREATED, actor=admin, actor_role=Role.ADMIN, sphere=sphere, target=election,
           data={"seats": seats, "candidates": len(names), "method": method, "tie_seed": tie_seed})
    return election


def check_ranking(election: Election, ranking: list[int]) -> list[int]:
    """Candidate numbers in order of preference: each at most once, at least one."""
    numbers = set(election.candidates.values_list("number", flat=True))
    if not ranking:
        raise DomainError("empty_ballot", _("Rank at least one candidate."))
    if len(set(ranking)) != len(ranking):
        raise DomainError("repeated_candidate", _("Each candidate can be ranked only once."))
    unknown = [n for n in ranking if n not in numbers]
    if unknown:
        raise DomainError("unknown_candidate", _("There is no candidate number %(number)s.") % {"number": unknown[0]})
    return ranking


def receipt_digest(receipt: str) -> str:
    return hashlib.sha256(receipt.encode()).hexdigest()


@transaction.atomic
def do_cast_ballot(user, election: Election, ranking: list[int]) -> str:
    """Store the ballot and, separately, that this person voted; returns the receipt the voter keeps."""
    if not user.is_authenticated:
        raise NotAllowed("not_authenticated", _("Sign in to vote."))
    if not election.is_open():
        raise DomainError("voting_closed", _("Voting is not open for this election."))
    if not is_resident(user, election.sphere):
        raise NotAllowed("not_resident", _("Only verified residents of %(sphere)s can vote in this election.")
                         % {"sphere": election.sphere.name})
    ranking = check_ranking(election, ranking)
    try:
        with transaction.atomic():
            Participation.objects.create(election=election, user=user)
    except IntegrityError:
        raise Conflict("already_voted", _("You have already voted in this election.")) from None
    receipt = secrets.token_hex(8)
    Ballot.objects.create(election=election, rankings=ranking, receipt_digest=receipt_digest(receipt))
    record(BALLOT_CAST, sphere=election.sphere, target=election)  # no actor: the audit log must not link voter and time
    return receipt


def ballot_counted(election: Election, receipt: str) -> bool:
    return Ballot.objects.filter(election=election, receipt_digest=receipt_digest(receipt.strip().lower())).exists()


def as_stv_election(election: Election) -> stv.Election:
    """The ballots as the library's election, identical rankings grouped (order of ballots does not matter)."""
    grouped: dict[tuple[int, ...], int] = {}
    for ranking in election.ballots.values_list("rankings", flat=True).iterator(chunk_size=5000):
        key = tuple(ranking)
        grouped[key] = grouped.get(key, 0) + 1
    ballots = tuple(stv.Ballot(weight=weight, rankings=tuple((n,) for n in ranking))
                    for ranking, weight in sorted(grouped.items()))
    names = tuple(election.candidates.values_list("name", flat=True))
    return stv.Election(candidates=names, seats=election.seats, ballots=ballots, title=election.title)


@transaction.atomic
def do_count(official, election: Election) -> dict:
    check_perm(official, "representation.count_election", election.sphere,
               _("Only officials of %(sphere)s can count this election.") % {"sphere": election.sphere.name})
    return count_election(election, actor=official)


def count_election(election: Election, *, actor) -> dict:
    """The count itself, once permission is settled (the demo loader calls it directly)."""
    if election.closes_at > timezone.now():
        raise Conflict("still_open", _("The count starts once voting has closed."))
    if election.result is not None:
        raise Conflict("already_counted", _("This election has already been counted."))
    if not election.ballots.exists():
        raise DomainError("no_ballots", _("No ballots were cast."))
    counter = stv.count_meek if election.method == CountMethod.MEEK else stv.count_scottish
    result = counter(as_stv_election(election), tie_seed=election.tie_seed).to_dict()
    election.result, election.counted_at = result, timezone.now()
    election.save(update_fields=["result", "counted_at"])
    record(ELECTION_COUNTED, actor=actor, actor_role=Role.OFFICIAL, sphere=election.sphere, target=election,
           data={"elected": result["elected"], "quota": result["quota"]})
    return result


def blt_of(election: Election) -> str:
    """The anonymised ballots in BLT format, so anyone can recount with another program."""
    return stv.format_blt(as_stv_election(election))
