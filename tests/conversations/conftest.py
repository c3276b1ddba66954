import pytest

from conftest import make_person


@pytest.fixture
def conversation(tree, people):
    from comuna.conversations import services

    conversation = services.build_conversation(tree["city"], actor=people["official"], slug="the-square",
                                               topic="How should the square be used?")
    services.seed_statements(conversation, ["More trees on the square.", "Parking on the square.",
                                            "Ask the neighbours first."])
    return conversation


@pytest.fixture
def strict(tree, people):
    from comuna.conversations import services

    return services.build_conversation(tree["city"], actor=people["official"], slug="strict-one",
                                       topic="A strictly moderated question?", strict_moderation=True)


@pytest.fixture
def mediator(tree):
    from comuna.accounts.models import Role

    return make_person("mediator@example.org", roles=[(tree["metro"], Role.MEDIATOR)], mfa=True)


@pytest.fixture
def demo_like(tree):
    """The demo's Saint-Cyprien conversation (40 synthetic participants, two camps) in the test city."""
    from comuna.conversations.demo import load_conversation

    return load_conversation({"toulouse": tree["city"]})
