"""The web app in a real browser (issue 11, "Done when"): what the office and an agency do, on the
server the office runs (``ogi-audit serve``), in Debian's Chromium at 1366×768.

Expected findings come from the CLI: ``ogi-audit audit`` of the same file gives the findings the
pages must show (tests/browser_support.py starts the server and the browser; screenshots of every
page visited go to ``tests/output/web/<test>/``).
"""
from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait

from browser_support import browser, downloads, screens, server  # noqa: F401 (fixtures)
from web_support import ADMIN


def wait(browser, seconds: float = 20) -> WebDriverWait:
    return WebDriverWait(browser, seconds)


def log_in_by_keyboard(browser, server, account: tuple[str, str] = ADMIN) -> None:
    """The login page with keys only: the name field has the focus, Tab to the password, Enter."""
    browser.get(server.url + "/login")
    typing = browser.switch_to.active_element
    assert typing.get_attribute("id") == "name", "the login page does not put the focus on the name"
    typing.send_keys(account[0], Keys.TAB)
    browser.switch_to.active_element.send_keys(account[1], Keys.ENTER)
    wait(browser).until(seen.url_contains("/office/"))


def test_an_office_member_logs_in_with_the_keyboard_alone(browser, server, screens):
    browser.delete_all_cookies()
    browser.get(server.url + "/office/batches")
    assert "/login" in browser.current_url  # no session: the login page, with the way back
    assert screens.shot("login") == []
    log_in_by_keyboard(browser, server)
    assert browser.current_url == server.url + "/office/"
    assert ADMIN[0] in browser.find_element(By.CSS_SELECTOR, "header.site .who").text
    assert screens.shot("dashboard") == []
