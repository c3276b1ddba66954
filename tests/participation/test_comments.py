import pytest

from comuna.core.errors import Conflict, DomainError
from comuna.participation import services
from comuna.participation.models import Comment
from comuna.participation.selectors import comment_threads
from phase_clock import move_to_phase


def test_threads_with_replies_and_official_marks(proposal, people, residents):
    first = services.do_comment(residents[0], proposal, "Yes, and some shade too.")
    reply = services.do_comment(residents[1], proposal, "Trees would give shade.", parent=first)
    services.do_comment(residents[2], proposal, "Trees take years.", parent=reply)
    official = services.do_comment(people["official"], proposal, "We are checking the budget.")
    assert official.is_official and not first.is_official
    threads = comment_threads(proposal).threads
    assert [t["comment"] for t in threads] == [official, first]
    assert threads[1]["replies"][0]["comment"] == reply
    assert threads[1]["replies"][0]["replies"][0]["comment"].body == "Trees take years."
    proposal.refresh_from_db()
    assert proposal.comment_count == 4


def test_sorting_by_agreement_and_discussion(proposal, residents):
    quiet = services.do_comment(residents[0], proposal, "Quiet comment.")
    popular = services.do_comment(residents[1], proposal, "Popular comment.")
    services.do_comment(residents[2], proposal, "A reply.", parent=quiet)
    for resident in residents[:3]:
        services.do_vote_comment(resident, popular, 1)
    assert comment_threads(proposal, "agreed").threads[0]["comment"] == popular
    assert comment_threads(proposal, "discussed").threads[0]["comment"] == quiet


def test_comment_votes_change_sides_but_never_double(proposal, residents):
    comment = services.do_comment(residents[0], proposal, "Benches need backs.")
    services.do_vote_comment(residents[1], comment, 1)
    with pytest.raises(Conflict):
        services.do_vote_comment(residents[1], comment, 1)
    services.do_vote_comment(residents[1], comment, -1)
    comment.refresh_from_db()
    assert (comment.agree_count, comment.disagree_count) == (0, 1)


def test_empty_comments_and_closed_phases_are_refused(proposal, process, residents):
    with pytest.raises(DomainError):
        services.do_comment(residents[0], proposal, "   ")
    move_to_phase(process, "information")
    with pytest.raises(DomainError) as error:
        services.do_comment(residents[0], proposal, "Too early")
    assert error.value.code == "phase_closed"
    assert not Comment.objects.exists()


def test_threads_are_paginated_with_their_replies(proposal, residents, client):
    first = services.do_comment(residents[0], proposal, "The very first comment.")
    for index in range(35):
        services.do_comment(residents[index % 4], proposal, f"Later comment {index}")
    services.do_comment(residents[1], proposal, "A reply to the first.", parent=first)
    newest = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Later comment 34" in newest and "The very first comment." not in newest
    oldest = client.get(f"/proposals/{proposal.pk}/", {"page": 2}).content.decode()
    assert "The very first comment." in oldest and "A reply to the first." in oldest


def test_the_api_pages_comments_and_never_shows_a_hidden_comments_text(proposal, residents, client):
    from comuna.participation.models import Comment

    author = residents[0]
    comments = [Comment.objects.create(proposal=proposal, author=author, body=f"comment {i}") for i in range(55)]
    Comment.objects.filter(pk=comments[1].pk).update(hidden=True)
    first = client.get(f"/api/v1/participation/proposals/{proposal.pk}/comments").json()
    assert first["count"] == 55 and len(first["items"]) == 50
    assert [item["body"] for item in first["items"][:3]] == ["comment 0", "", "comment 2"]
    assert first["items"][1]["hidden"] is True
    second = client.get(f"/api/v1/participation/proposals/{proposal.pk}/comments?page=2").json()
    assert [item["body"] for item in second["items"]] == [f"comment {i}" for i in range(50, 55)]
