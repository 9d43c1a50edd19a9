"""What the browser tests do on every page: log in as a demo user, log out."""

from __future__ import annotations

from playwright.sync_api import expect

PASSWORD = "nastavnik2026"  # every demo account's (webforms.demo.DEMO_PASSWORD)


def login(page, base: str, login_name: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Логин").fill(login_name)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", name="Документы")).to_be_visible()


def logout(page) -> None:
    page.get_by_role("button", name="Выйти").click()
