"""Account flows in a real browser (Debian chromium through Playwright)."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_register_lands_on_dashboard_then_logout_and_login(page):
    page.goto("/accounts/register/")
    page.get_by_label("E-mail").fill("newbie@example.com")
    page.get_by_label("Password", exact=True).fill("Sup3r-Secret")
    page.get_by_label("Confirm password").fill("Sup3r-Secret")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/dashboard$"))
    assert "Welcome" in page.content()
    page.locator("details.usermenu summary").click()
    page.get_by_role("menuitem", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    sign_in(page, "newbie@example.com", "Sup3r-Secret")
    page.wait_for_url(re.compile(r"/dashboard$"))
    assert not page.js_errors


def test_wrong_password_shows_the_neutral_message(page, user):
    sign_in(page, "alice@example.com", "wrong-password")
    assert (
        page.get_by_role("alert")
        .filter(has_text="Invalid email or password")
        .is_visible()
    )


def test_lockout_after_repeated_failures(page, user, password):
    for _ in range(5):
        sign_in(page, "alice@example.com", "wrong-password")
    sign_in(page, "alice@example.com", password)
    assert page.get_by_text("Too many failed sign-in attempts").is_visible()
    assert "/dashboard" not in page.url


def test_password_reset_through_the_mail(
    page, user, smtp_settings, settings, live_server
):
    settings.BASE_URL = live_server.url
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_role("button", name="Send reset link").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    assert len(smtp_settings.messages) == 1
    body = smtp_settings.messages[0].get_payload(decode=True).decode()
    link = re.search(r"(http://\S+/accounts/reset/\S+/)", body).group(1)
    page.goto(link)
    page.get_by_label("New password", exact=True).fill("Brand-N3w-pass")
    page.get_by_label("New password confirmation").fill("Brand-N3w-pass")
    page.get_by_role("button", name="Set new password").click()
    page.get_by_role("heading", name="Your password has been changed").wait_for()
    sign_in(page, "alice@example.com", "Brand-N3w-pass")
    page.wait_for_url(re.compile(r"/dashboard$"))


def test_keyboard_only_login(page, user, password):
    page.goto("/accounts/login/")
    # The e-mail field has autofocus; everything else is reached with Tab.
    page.keyboard.type("alice@example.com")
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dashboard$"))
    # The skip link is the first thing Tab reaches on a fresh page.
    page.goto("/accounts/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to content" in focused


def test_theme_toggle_switches_and_persists(page, user, password):
    sign_in(page, "alice@example.com", password)
    page.wait_for_url(re.compile(r"/dashboard$"))
    before = page.evaluate("document.documentElement.dataset.theme")
    page.get_by_role("button", name="Toggle dark mode").click()
    after = page.evaluate("document.documentElement.dataset.theme")
    assert before != after
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == after


def test_api_explorer_renders_under_the_site_csp(page):
    page.goto("/api/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 8
    assert not page.js_errors
