"""The install flow in a real browser (issue 14, must show 1): headless Chromium (Debian's
chromium and chromium-driver; nothing is downloaded) opens /slack/install, clicks "Add to
Slack", approves on the sandbox's authorize page and lands on the success page; the new
workspace's `/aor help` then works. Screenshots of the three pages are written to the test's
tmp dir and to tests/artifacts/install/ (ignored by git) for a person to look at."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from sandbox import FakeSlack
from tests.utils.installs import workspace
from tests.utils.server import RunningApp

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "install"


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        if os.environ.get("AOR_REQUIRE_BROWSER"):
            pytest.fail(f"AOR_REQUIRE_BROWSER is set but {CHROMIUM} or {CHROMEDRIVER} is missing")
        pytest.skip("the browser test needs Debian's chromium and chromium-driver (.ci/run)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--no-first-run"):
        options.add_argument(flag)
    options.add_argument("--window-size=1000,700")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


def _shot(driver: WebDriver, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    assert driver.save_screenshot(str(path)), f"no screenshot of {name}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, ARTIFACTS / path.name)
    return path


def test_install_in_a_browser_then_aor_help_works(
    browser: WebDriver, fake: FakeSlack, oauth_running: RunningApp, tmp_path: Path
) -> None:
    driver = browser
    fake.oauth.add_team("T0042", name="Gamma Sales")
    fake.add_user("UGAMMA", name="gia", real_name="Gia Gamma", team_id="T0042")
    fake.oauth.sign_in(user_id="UGAMMA", team_id="T0042")

    driver.get(oauth_running.install_url)
    assert "Install the AOR bot" in driver.title
    shots = [_shot(driver, tmp_path, "1-install")]
    driver.find_element(By.ID, "add-to-slack").click()

    page = driver.find_element(By.TAG_NAME, "body").text
    assert "requesting permission to access Gamma Sales" in page
    assert "chat:write" in page
    shots.append(_shot(driver, tmp_path, "2-authorize"))
    driver.find_element(By.ID, "allow").click()

    page = driver.find_element(By.TAG_NAME, "body").text
    assert "The AOR bot is installed in Gamma Sales" in page, page
    assert driver.current_url.startswith(f"{oauth_running.base_url}/slack/oauth_redirect")
    shots.append(_shot(driver, tmp_path, "3-installed"))
    print("screenshots:", *(ARTIFACTS / s.name for s in shots))
    assert all(s.stat().st_size > 1000 for s in shots)

    help_text = workspace(oauth_running, fake, "T0042").command("help", user_id="UGAMMA").json
    assert "`/aor add-task" in help_text["text"]
