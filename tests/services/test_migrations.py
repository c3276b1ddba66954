"""The migration to names in three languages keeps every existing service's name (as its English name)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("public_services", "0001_initial")]
AFTER = [("public_services", "0002_service_names_in_three_languages")]


@pytest.mark.django_db(transaction=True)
def test_existing_service_names_become_english_names(tree):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    OldService = old_apps.get_model("public_services", "Service")
    OldService.objects.create(sphere_id=tree["city"].pk, service_code="pothole", name="Pothole")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    service = new_apps.get_model("public_services", "Service").objects.get(service_code="pothole")
    assert (service.name_en, service.name_fr, service.name_es) == ("Pothole", "", "")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
