"""A seeded database made once per run (migrate + seed take ~10 s), copied for each test, served by gunicorn."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from reliability.loadsite import Database, Server, new_database, prepare, site_env

RESIDENTS = 60


@dataclass
class LiveSite:
    database: Database
    env: dict[str, str]
    seed: dict
    directory: Path

    def server(self, name: str = "server") -> Server:
        return Server(self.env, self.directory / f"{name}.log", workers=3, threads=4)


@pytest.fixture(scope="session")
def load_template(tmp_path_factory):
    directory = tmp_path_factory.mktemp("reliability")
    template = new_database(os.environ.get("DATABASE_URL"), directory, "load_template")
    try:
        yield template, prepare(site_env(template, directory), RESIDENTS, directory / "seed.json")
    finally:
        template.drop()


@pytest.fixture
def live_site(load_template, tmp_path) -> LiveSite:
    template, seed = load_template
    database = new_database(os.environ.get("DATABASE_URL"), tmp_path, "load", template=template)
    try:
        yield LiveSite(database, site_env(database, tmp_path), seed, tmp_path)
    finally:
        database.drop()
