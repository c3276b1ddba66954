from axe_playwright_python.sync_playwright import Axe

from comuna.demo import DEMO_PASSWORD


def serious(results):
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes) {[n['html'][:120] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def test_services_pages(page, demo, sign_in):
    from comuna.services.models import ServiceRequest
    axe = Axe()
    problems = []
    paths = [f"/services/requests/{r.pk}/" for r in ServiceRequest.objects.all()]
    for path in ["/spheres/toulouse/services/", *paths]:
        page.goto(path)
        problems += [(path, p) for p in serious(axe.run(page))]
        w = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if w > 0: problems.append((path, f"wide {w}"))
    sign_in(page, "admin@demo.comuna.city", DEMO_PASSWORD)
    for path in ["/spheres/toulouse/services/", *paths, "/services/mine/",
                 "/spheres/toulouse/services/desk/", "/spheres/toulouse/services/desk/?status=all", "/spheres/toulouse/services/keys/",
                 "/spheres/toulouse/services/new/", "/spheres/toulouse/services/tls-bulky/questions/",
                 "/spheres/toulouse/services/tls-bulky/report/", "/spheres/toulouse/services/tls-graffiti/report/"]:
        response = page.goto(path)
        if response.status != 200: problems.append((path, response.status))
        problems += [(path, p) for p in serious(axe.run(page))]
        w = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if w > 0: problems.append((path, f"wide {w}"))
    assert problems == []
