"""Citizens' assemblies: real volunteer pools, LEXIMIN probabilities published before the seed, a draw anyone can
redo, and infeasible quotas explained."""

import csv
from datetime import timedelta

import pytest
from django.utils import timezone

from comuna.choice import sortition
from comuna.core.errors import Conflict, DomainError, NotAllowed
from comuna.representation import assemblies
from comuna.representation.models import Assembly, Volunteer
from shared_data import SHARED_DATA

SMALL = SHARED_DATA / "sortition" / "example_small_20"


def quota_lines(path) -> str:
    return "\n".join(f"{q.category}; {q.feature}; {q.min}; {q.max}" for q in sortition.read_quotas(path))


@pytest.fixture
def assembly(tree, people):
    now = timezone.now()
    return assemblies.do_create_assembly(
        people["admin"], tree["city"], slug="climate-assembly", title="Climate assembly", panel_size=20,
        quota_lines=quota_lines(SMALL / "categories.csv"), recruitment_closes_at=now + timedelta(days=1),
        draw_at=now + timedelta(days=2), seed_source="The national lottery draw of next Saturday")


def fill_from_file(assembly, path):
    """The real pool of 200 volunteers, as if each had answered the form."""
    from comuna.accounts.models import User

    categories = list(assemblies.categories_of(assembly))
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    users = User.objects.bulk_create([User(email=f"vol{i}@example.org") for i in range(len(rows))])
    Volunteer.objects.bulk_create([Volunteer(assembly=assembly, user=user, answers={c: row[c] for c in categories})
                                   for user, row in zip(users, rows, strict=True)])
    Assembly.objects.filter(pk=assembly.pk).update(recruitment_closes_at=timezone.now() - timedelta(minutes=1),
                                                   draw_at=timezone.now() - timedelta(seconds=1))
    assembly.refresh_from_db()


def test_published_leximin_gives_everyone_one_in_ten_and_the_draw_can_be_redone(assembly, people, client):
    fill_from_file(assembly, SMALL / "respondents.csv")
    with pytest.raises(NotAllowed):
        assemblies.do_publish_distribution(people["resident"], assembly)
    assemblies.do_publish_distribution(people["official"], assembly)
    probabilities = [p for _, p in assemblies.probabilities(assembly)]
    assert len(probabilities) == 200 and min(probabilities) == pytest.approx(0.1, abs=5e-4)
    assert sum(probabilities) == pytest.approx(20)
    panel = assemblies.do_draw(people["official"], assembly, "12 19 23 31 44 + 7")
    assert len(panel) == 20
    # Anyone: take the published distribution and the seed, redo the draw.
    published = client.get("/assemblies/climate-assembly/distribution.json").json()
    redone = sortition.draw_panel(sortition.PanelDistribution.from_json(published), "12 19 23 31 44 + 7")
    assert redone == panel
    drawn = Volunteer.objects.filter(pk__in=[int(n) for n in panel])
    for quota in assembly.quotas.all():
        count = sum(v.answers[quota.category] == quota.feature for v in drawn)
        assert quota.minimum <= count <= quota.maximum, quota
    with pytest.raises(Conflict):
        assemblies.do_draw(people["official"], assembly, "another seed")
    page = client.get("/assemblies/climate-assembly/").content.decode()
    assert page.count("✔") == 20 and assembly.fingerprint in page


def test_infeasible_quotas_are_named_in_the_readers_language(tree, people):
    from django.utils import translation

    now = timezone.now()
    impossible = assemblies.do_create_assembly(
        people["admin"], tree["city"], slug="impossible", title="Impossible", panel_size=20,
        quota_lines=quota_lines(SMALL / "categories.csv").replace("female; 9;", "female; 15;").replace(
            "gender; male; 9;", "gender; male; 15;"),  # 15 women and 15 men on a panel of 20
        recruitment_closes_at=now + timedelta(days=1), draw_at=now + timedelta(days=2), seed_source="x")
    fill_from_file(impossible, SMALL / "respondents.csv")
    with translation.override("fr"), pytest.raises(DomainError) as error:
        assemblies.do_publish_distribution(people["official"], impossible)
    assert error.value.code == "infeasible_quotas"
    assert "ne peuvent pas être respectés ensemble" in str(error.value.message)
    assert impossible.distribution is None


def test_volunteering(assembly, people):
    categories = assemblies.categories_of(assembly)
    answers = {category: features[0] for category, features in categories.items()}
    with pytest.raises(DomainError) as error:
        assemblies.do_volunteer(people["resident"], assembly, {})
    assert error.value.code == "missing_answer"
    assemblies.do_volunteer(people["resident"], assembly, answers)
    with pytest.raises(Conflict):
        assemblies.do_volunteer(people["resident"], assembly, answers)
    with pytest.raises(NotAllowed):
        assemblies.do_volunteer(people["outsider"], assembly, answers)


def test_draw_waits_for_the_published_distribution_and_the_announced_time(assembly, people):
    with pytest.raises(Conflict) as error:
        assemblies.do_draw(people["official"], assembly, "seed")
    assert error.value.code == "no_distribution"
    with pytest.raises(Conflict) as error:
        assemblies.do_publish_distribution(people["official"], assembly)
    assert error.value.code == "recruitment_open"


def test_bad_quota_lines_name_the_line(tree, people):
    now = timezone.now()
    with pytest.raises(DomainError) as error:
        assemblies.do_create_assembly(people["admin"], tree["city"], slug="bad", title="Bad", panel_size=5,
                                      quota_lines="Age; 16-29; 1; 2\nGender; woman; three; 4",
                                      recruitment_closes_at=now, draw_at=now + timedelta(days=1), seed_source="x")
    assert error.value.details == {"line": 2}
    assert not Assembly.objects.filter(slug="bad").exists()


def test_drawn_members_are_invited_by_email(assembly, people):
    from django.core import mail

    fill_from_file(assembly, SMALL / "respondents.csv")
    assemblies.do_publish_distribution(people["official"], assembly)
    mail.outbox.clear()
    panel = assemblies.do_draw(people["official"], assembly, "seed for the invitations")
    assert assemblies.invite_members(assembly) == 20
    invited = {message.to[0] for message in mail.outbox}
    drawn = set(Volunteer.objects.filter(pk__in=[int(n) for n in panel]).values_list("user__email", flat=True))
    assert drawn <= invited and "Climate assembly" in mail.outbox[0].subject
