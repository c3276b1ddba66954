"""The `comuna` console command."""

import subprocess
import sys

import pytest

from comuna.cli import main


def test_help_lists_the_commands():
    result = subprocess.run([sys.executable, "-m", "comuna.cli", "--help"], capture_output=True, text=True, check=True)
    for command in ["serve", "demo", "audit", "manage"]:
        assert command in result.stdout


@pytest.mark.django_db
def test_demo_loads_once(capsys):
    from comuna.accounts.models import User
    from comuna.audit.services import verify_chain
    from comuna.spheres.models import Sphere, SphereKind

    assert main(["demo"]) == 0
    spheres, people = Sphere.objects.count(), User.objects.count()
    assert main(["demo"]) == 0
    assert "already there" in capsys.readouterr().out
    assert (Sphere.objects.count(), User.objects.count()) == (spheres, people)
    kinds = set(Sphere.objects.values_list("kind", flat=True))
    assert kinds == set(SphereKind.values)
    network = Sphere.objects.get(kind=SphereKind.NETWORK)
    assert len(set(network.members.values_list("country", flat=True))) == 2
    assert Sphere.objects.filter(kind=SphereKind.MUNICIPALITY, parent__kind=SphereKind.METROPOLITAN_AREA).count() >= 3
    assert verify_chain().ok


def test_manage_passes_options_through(capsys):
    try:
        main(["manage", "help", "--commands"])
    except SystemExit as exit_info:
        assert exit_info.code in (0, None)
    assert "migrate" in capsys.readouterr().out
