"""
Every kind of public page loads cleanly in Chromium: no console errors, no
uncaught script errors, nothing blocked by the Content Security Policy, and
no serious or critical accessibility violations found by axe-core.
"""

from pathlib import Path

import pytest

from tests.browser.conftest import PHONE

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")


def _first_clinic(page):
    page.goto("/clinics/")
    return page.locator("#results [data-clinic] h3 a").first.get_attribute("href")


def _report(page):
    return _first_clinic(page) + "report/"


def _compare(page):
    page.goto("/clinics/")
    first, second = page.locator("#results [data-clinic]").evaluate_all(
        "cards => cards.map(card => card.dataset.clinic)"
    )[:2]
    return f"/clinics/compare/?clinic={first}&clinic={second}"


# Each page is (test id, URL or a function of a page that finds the URL).
PAGES = [
    pytest.param("/", id="home"),
    pytest.param("/clinics/?route=iv&max_price=500", id="directory-filtered"),
    pytest.param("/clinics/?near=78701&radius=100&route=kap", id="directory-empty"),
    pytest.param("/clinics/find/?where=Miami+Beach", id="home-place-not-listed"),
    pytest.param(_first_clinic, id="clinic"),
    pytest.param("/clinics/in/tx/", id="state"),
    pytest.param(_compare, id="compare"),
    pytest.param("/guides/", id="guide-index"),
    pytest.param("/guides/how-effective-is-ketamine/", id="guide"),
    pytest.param(_report, id="report-a-problem"),
    pytest.param("/about/", id="about"),
    pytest.param("/privacy/", id="privacy"),
]


def open_page(page, where):
    url = where(page) if callable(where) else where
    # Only what this page load reports counts, not the lookup above.
    page.console_errors.clear()
    page.page_errors.clear()
    page.csp_violations.clear()
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    page.wait_for_load_state("networkidle")
    return url


@pytest.mark.parametrize("where", PAGES)
def test_page_loads_without_errors(page, where):
    url = open_page(page, where)
    assert page.csp_violations == [], f"CSP blocked something on {url}"
    assert page.console_errors == [], f"console errors on {url}"
    assert page.page_errors == [], f"uncaught script errors on {url}"


def format_violations(violations):
    lines = []
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
        more = len(violation["nodes"]) - len(targets)
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']}"
            f" ({violation['helpUrl']})\n    on: {', '.join(targets)}"
            + (f" and {more} more" if more > 0 else "")
        )
    return "\n".join(lines)


def assert_no_serious_violations(page, where):
    url = open_page(page, where)
    # Playwright evaluates this through the DevTools protocol, so the site's
    # script-src policy (no 'unsafe-inline', no 'unsafe-eval') does not apply
    # and the CSP stays on; no `bypass_csp` needed.
    page.evaluate(AXE_SOURCE)
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, f"axe-core found on {url}:\n{format_violations(serious)}"
    assert page.csp_violations == []


@pytest.mark.parametrize("where", PAGES)
def test_no_serious_accessibility_violations(page, where):
    assert_no_serious_violations(page, where)


# Pages whose layout changes most on a small screen (stacked price table, folded
# filters, comparison with short labels that stay put, a guide's stacked table).
@pytest.mark.parametrize(
    "where",
    [
        PAGES[1],
        PAGES[2],
        PAGES[4],
        pytest.param("/guides/ketamine-therapy-cost/", id="guide-with-a-table"),
    ],
)
def test_no_serious_accessibility_violations_on_a_phone(new_page, where):
    assert_no_serious_violations(new_page(viewport=PHONE), where)


def test_htmx_keeps_working_under_the_csp(page):
    page.goto("/clinics/")
    before = page.locator("#results [data-clinic]").evaluate_all(
        "cards => cards.map(card => card.dataset.clinic)"
    )
    page.evaluate("window.__noReload = 1")

    with page.expect_response(lambda response: "route=kap" in response.url) as answer:
        page.get_by_label("Ketamine-assisted psychotherapy", exact=True).check()
    assert answer.value.request.headers.get("hx-request") == "true"
    page.wait_for_url("**/clinics/?*route=kap*")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")

    after = page.locator("#results [data-clinic]").evaluate_all(
        "cards => cards.map(card => card.dataset.clinic)"
    )
    assert page.evaluate("window.__noReload") == 1, "the page was reloaded instead of swapped"
    assert after and after != before, "the results did not change"
    assert page.csp_violations == []
    assert page.console_errors == []
    assert page.page_errors == []
