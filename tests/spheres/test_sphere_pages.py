from comuna.spheres.models import Function
from comuna.spheres.services import do_set_competence


def test_tree_page_nests_the_spheres(client, tree):
    page = client.get("/spheres/").content.decode()
    assert page.index("Region") < page.index("Metro") < page.index("City") < page.index("Hood")
    assert "Network" in page


def test_sphere_page_shows_competences_children_networks_officials(client, tree, people):
    do_set_competence(tree["city"], Function.objects.get(pk="08"), "shared")
    page = client.get("/spheres/city/").content.decode()
    assert "Recreation, culture and religion" in page
    assert "District" in page and "Network" in page
    assert "official" in page and "Official" in page


def test_sphere_page_answers_who_decides(client, tree):
    do_set_competence(tree["metro"], Function.objects.get(pk="05.1"), "shared")
    page = client.get("/spheres/hood/", {"function": "05.1"}).content.decode()
    assert "the lowest sphere above it that does is Metro" in page
    assert 'href="/spheres/metro/"' in page


def test_sphere_page_with_bad_function_shows_the_form_error(client, tree):
    response = client.get("/spheres/hood/", {"function": "99"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_network_page_lists_members(client, tree):
    page = client.get("/networks/net/").content.decode()
    assert "City" in page and "Town" in page
    assert client.get("/networks/city/").status_code == 404
    assert client.get("/spheres/net/").status_code == 200  # a network's sphere address shows the network


def test_unknown_sphere_is_a_translated_404(client, db):
    response = client.get("/spheres/atlantis/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_pages_do_not_grow_queries_with_the_tree(client, tree, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get("/spheres/")
    with django_assert_max_num_queries(15):
        client.get("/spheres/hood/", {"function": "05.1"})
