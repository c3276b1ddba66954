from datetime import timedelta

import pytest
from django.utils import timezone

from comuna.participation.services import build_process


@pytest.fixture
def process(tree, people):
    """The city's process, in its proposals phase (information ended a day ago), threshold of 2 supports."""
    return build_process(tree["city"], actor=people["admin"], slug="city-decides", template="proposals_then_vote",
                         title_en="City decides", title_fr="La ville décide", support_threshold=2, answer_days=10,
                         starts_at=timezone.now() - timedelta(days=8))


@pytest.fixture
def residents(tree):
    from conftest import make_person

    return [make_person(f"r{i}@example.org", residency=tree["hood"]) for i in range(4)]


@pytest.fixture
def proposal(process, people):
    from comuna.participation.services import do_create_proposal

    return do_create_proposal(people["resident"], process, title="Benches along the river",
                              body="Put twenty benches along the river walk so older residents can rest.")
