"""The intercity system in Debian's Chromium at phone width: search the policy library, open a policy's diffusion
graph, and read where each member of the network stands on its declaration; no serious axe-core violation."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from browser.pagecheck import serious


def test_search_the_library_follow_the_diffusion_and_read_member_statuses(page, demo):
    axe = Axe()
    page.goto("/policies/")
    page.get_by_label("Words").fill("superblock")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("3 policies found")
    assert serious(axe.run(page)) == []

    page.get_by_role("link", name="Superblocks: streets for people in Saint-Cyprien").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Superblocks: streets for people in Saint-Cyprien")
    expect(page.get_by_role("heading", name="Differences from the original")).to_be_visible()
    page.get_by_role("link", name="Diffusion across cities").click()
    graph = page.get_by_role("group", name=re.compile("Lineage of “Superblocks: streets for people”: 3 policies"))
    expect(graph).to_be_visible()
    expect(graph.locator("rect")).to_have_count(3)
    expect(page.locator("ol.lineage li")).to_have_text([
        re.compile("^Barcelona: Superblocks: streets for people"),
        re.compile("^Toulouse: .*adapted from Barcelona"),
        re.compile("^Blagnac: A superblock around Odyssud.*adapted from Toulouse")])
    assert serious(axe.run(page)) == []

    page.goto("/networks/cities-for-local-democracy/declarations/")
    page.get_by_role("link", name="Declaration on local democracy and public space").click()
    expect(page.get_by_role("status")).to_have_text("2 of 4 members ratified; 2 needed for adoption.")
    table = page.get_by_role("table", name="Member statuses")
    expect(table.get_by_role("row", name=re.compile("^Barcelona Ratified Vote of its residents"))).to_be_visible()
    expect(table.get_by_role("row", name=re.compile("^Toulouse Ratified Decision of its officials"))).to_be_visible()
    expect(table.get_by_role("row", name=re.compile("^Blagnac Not decided yet"))).to_be_visible()
    assert serious(axe.run(page)) == []


def test_peer_learning_dialogue_and_vote_pages_are_accessible(page, demo):
    from comuna.intercity.models import Dialogue, HelpRequest, Ratification

    axe = Axe()
    vote = Ratification.objects.get(method="vote")
    for path in ["/peer-learning/", HelpRequest.objects.get().get_absolute_url(), "/dialogues/",
                 Dialogue.objects.get().get_absolute_url(), f"/ratifications/{vote.pk}/vote/",
                 "/networks/cities-for-local-democracy/declarations/"]:
        assert page.goto(path).status == 200, path
        assert serious(axe.run(page)) == [], path
    page.goto(f"/ratifications/{vote.pk}/vote/")
    expect(page.get_by_role("status")).to_contain_text("Ratified · Residents' vote: 3 yes, 1 no, 0 abstain.")
