"""The participation pages run a bounded number of SQL queries: the same with 5 proposals and comments as with 50.

A query per proposal listed or per comment shown (an N+1) would make the counts differ. The figures themselves
are in bench/participation_pages.py and docs/benchmarks.md.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comuna.participation.models import Comment, Proposal
from comuna.participation.services import do_comment, do_create_proposal, do_support
from comuna.spheres.models import Function


def grow(process, proposal, residents, *, proposals: int, comments: int) -> None:
    """Bring the process to `proposals` proposals and `proposal` to `comments` comments (a third are replies, some
    to replies), with supports, from several authors and on several functions."""
    functions = list(Function.objects.filter(parent__isnull=False).order_by("code")[:7])
    have = process.proposals.count()
    for i in range(have, proposals):
        author = residents[i % len(residents)]
        new = do_create_proposal(author, process, title=f"Garden number {i} by the river",
                                 body=f"A shared garden, number {i}, tended by the neighbours of the river walk.",
                                 function=functions[i % len(functions)] if i % 3 else None, place=f"Quay {i}")
        do_support(residents[(i + 1) % len(residents)], new)
    have = Comment.objects.filter(proposal=proposal).count()
    for i in range(have, comments):
        parent = None
        if i % 3 == 2:
            parent = Comment.objects.filter(proposal=proposal).order_by("-pk").first()
        do_comment(residents[i % len(residents)], proposal, f"Comment {i}: yes, and with shade.", parent)


def page_urls(process, proposal) -> dict[str, str]:
    return {
        "process page": f"/processes/{process.slug}/",
        "process page by supports": f"/processes/{process.slug}/?order=supports",
        "proposal page": f"/proposals/{proposal.pk}/",
        "proposal page, most discussed first": f"/proposals/{proposal.pk}/?order=discussed",
        "search page": "/search/?q=garden",
        "search page, no words": "/search/",
        "API search": "/api/v1/participation/proposals?q=garden",
        "API proposals of the process": f"/api/v1/participation/processes/{process.slug}/proposals?order=supports",
    }


def query_counts(client, urls: dict[str, str]) -> dict[str, int]:
    counts = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(queries)
    return counts


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_queries_do_not_grow_with_proposals_and_comments(client, process, proposal, residents, people, who):
    if who == "resident":  # signed in, the proposal page also shows reply forms under every comment
        client.force_login(people["resident"], backend="django.contrib.auth.backends.ModelBackend")
    urls = page_urls(process, proposal)

    grow(process, proposal, residents, proposals=5, comments=5)
    query_counts(client, urls)  # warm-up: caches filled on a first request do not count
    small = query_counts(client, urls)
    assert Proposal.objects.filter(process=process).count() == 5
    assert Comment.objects.filter(proposal=proposal).count() == 5

    grow(process, proposal, residents, proposals=50, comments=50)
    large = query_counts(client, urls)
    assert Proposal.objects.filter(process=process).count() == 50
    assert Comment.objects.filter(proposal=proposal, parent__isnull=False).count() >= 16
    proposal.refresh_from_db()
    assert proposal.comment_count == 50

    assert large == small


def test_pages_show_the_data(client, process, proposal, residents):
    """The counts above are of pages that really list the proposals and comments."""
    grow(process, proposal, residents, proposals=50, comments=50)
    page = client.get(f"/processes/{process.slug}/").content.decode()
    assert page.count('href="/proposals/') >= 20
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert len(re.findall(r'id="comment-\d+"', page)) >= 30  # all 50, or a page of threads with their replies
    page = client.get("/search/?q=garden").content.decode()
    assert "49 proposals found" in page or "50 proposals found" in page
