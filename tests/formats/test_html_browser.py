"""The HTML report in headless Chromium: it renders, filters, and no injected script runs.

Needs the Debian packages ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them);
skipped with a message where they are absent. The page is opened from a file; Chromium is
started with its background networking off, and the page itself loads nothing.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claimgraph.formats import FormatOptions, render
from tests.formats.report_samples import ATTR_PAYLOAD, SCRIPT_PAYLOAD, sample_report

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
        reason=f"headless browser test needs {CHROMIUM} and {CHROMEDRIVER} "
        "(apt-get install chromium chromium-driver)",
    ),
]

webdriver = pytest.importorskip("selenium.webdriver")


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    with tempfile.TemporaryDirectory(prefix="claimgraph-chromium-") as profile:
        for argument in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1280,1000",
            f"--user-data-dir={profile}",
        ):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        try:
            yield browser
        finally:
            browser.quit()


def _open(driver: Any, tmp_path: Path, html: str) -> list[dict[str, Any]]:
    """Open ``html`` from a file; return the console entries logged while loading."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get_log("browser")  # drop what earlier tests left
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    driver.get(page.as_uri())
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
    logs: list[dict[str, Any]] = driver.get_log("browser")
    return logs


def _visible_rows(driver: Any) -> int:
    from selenium.webdriver.common.by import By

    rows = driver.find_elements(By.CSS_SELECTOR, "#claims-table tbody tr")
    return sum(1 for row in rows if row.is_displayed())


@pytest.fixture
def report_page(driver: Any, tmp_path: Path) -> list[dict[str, Any]]:
    return _open(driver, tmp_path, render(sample_report(), "html", FormatOptions()))


def test_page_renders_and_our_script_runs(driver: Any, report_page: list[dict[str, Any]]) -> None:
    from selenium.webdriver.common.by import By

    report = sample_report()
    # set by the page's own script as its last step: the CSP hash lets it run
    assert driver.execute_script("return document.documentElement.dataset.cgReady") == "1"
    nodes = driver.find_elements(By.CSS_SELECTOR, "svg.graph g.node")
    assert len(nodes) == len(report.claims) + len(report.sources) + 1  # + undefined s-missing
    assert driver.find_element(By.CSS_SELECTOR, "svg.graph").is_displayed()
    assert _visible_rows(driver) == len(report.claims)
    assert driver.find_element(By.ID, "claim-count").text == "7 of 7 claims"
    assert len(driver.find_elements(By.CSS_SELECTOR, "article.source")) == len(report.sources)


def test_no_injected_script_runs(driver: Any, report_page: list[dict[str, Any]]) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    assert driver.execute_script("return window.__pwned") is None
    assert driver.title == "claimgraph report"
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert  # noqa: B018 - the property raises when there is no alert
    assert driver.find_elements(By.TAG_NAME, "img") == []
    # the payloads are on the page as text
    body = driver.find_element(By.TAG_NAME, "body").text
    assert SCRIPT_PAYLOAD in body
    assert ATTR_PAYLOAD in body
    # nothing was blocked or failed: a CSP violation or a script error is logged as SEVERE
    severe = [entry for entry in report_page if entry["level"] == "SEVERE"]
    assert severe == []


def test_filter_by_status(driver: Any, report_page: list[dict[str, Any]]) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, "#claim-filter button[data-status='broken']").click()
    assert _visible_rows(driver) == 2
    assert driver.find_element(By.ID, "claim-count").text == "2 of 7 claims"
    faded = driver.find_elements(By.CSS_SELECTOR, "svg.graph g.node.filtered")
    assert len(faded) == 5
    driver.find_element(By.CSS_SELECTOR, "#claim-filter button[data-status='supported']").click()
    assert _visible_rows(driver) == 2
    driver.find_element(By.CSS_SELECTOR, "#claim-filter button[data-status='all']").click()
    assert _visible_rows(driver) == 7
    search = driver.find_element(By.ID, "claim-search")
    search.send_keys("magnesium")  # "magnésium" (c-unverified) is another word
    assert _visible_rows(driver) == 4


def test_selecting_a_node_shows_its_details_as_text(
    driver: Any, report_page: list[dict[str, Any]]
) -> None:
    from selenium.webdriver.common.by import By

    node = driver.find_element(By.CSS_SELECTOR, "svg.graph g.node[data-key='c6']")
    node.click()
    details = driver.find_element(By.ID, "cg-details")
    assert details.find_element(By.TAG_NAME, "h3").text == "c-payload"
    assert ATTR_PAYLOAD in details.text
    assert "s-missing" in details.text
    nodes = driver.find_elements(By.CSS_SELECTOR, "svg.graph g.node")
    faded = driver.find_elements(By.CSS_SELECTOR, "svg.graph g.node.faded")
    assert len(faded) == len(nodes) - 2  # all but c-payload and the s-missing it cites
    assert driver.execute_script("return window.__pwned") is None
    node.click()  # again: back to the whole graph
    assert driver.find_elements(By.CSS_SELECTOR, "svg.graph g.node.faded") == []


def test_the_csp_blocks_a_script_that_got_in(driver: Any, tmp_path: Path) -> None:
    # defence in depth: were a script element ever to slip through escaping, it would not run
    html = render(sample_report(), "html", FormatOptions())
    injected = html.replace("</main>", "<script>window.__pwned = 'inline'</script></main>")
    logs = _open(driver, tmp_path, injected)
    assert driver.execute_script("return window.__pwned") is None
    assert any("Content Security Policy" in entry["message"] for entry in logs)
    # the page's own script still ran
    assert driver.execute_script("return document.documentElement.dataset.cgReady") == "1"


def test_bundled_example_report(
    driver: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report of the bundled example renders cleanly.

    ``CLAIMGRAPH_SCREENSHOT=docs/report.png`` also saves the screenshot the docs show.
    """
    import os

    from selenium.webdriver.common.by import By

    from claimgraph.cli import main

    root = Path(__file__).parents[2]
    monkeypatch.setenv("CLAIMGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    output = tmp_path / "example.html"
    args = ["check", str(root / "claims.json"), str(root / "sources.json"), "--offline"]
    assert main([*args, "--format", "html", "--output", str(output)]) in (0, 1)
    logs = _open(driver, tmp_path, output.read_text(encoding="utf-8"))
    assert [entry for entry in logs if entry["level"] == "SEVERE"] == []
    assert driver.execute_script("return document.documentElement.dataset.cgReady") == "1"
    claims = json.loads((root / "claims.json").read_text(encoding="utf-8"))["claims"]
    assert _visible_rows(driver) == len(claims)
    screenshot = os.environ.get("CLAIMGRAPH_SCREENSHOT")
    if screenshot:
        driver.set_window_size(1280, 1350)
        driver.execute_script("window.scrollTo(0, 0)")
        driver.find_element(By.CSS_SELECTOR, "svg.graph g.node[data-kind='claim']")
        driver.save_screenshot(str(root / screenshot))
