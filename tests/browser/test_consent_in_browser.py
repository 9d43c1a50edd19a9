"""A clerk and a director take a consent through its life in a real browser (the
teacher's hand-signed original filed as a scan)."""

from __future__ import annotations

import io
import zipfile

from playwright.sync_api import expect

from tests.browser.pages import login, logout
from tests.helpers.scans import png


def test_cyrillic_font_is_available(page):
    page.set_content("<p id=t style='font-family:sans-serif'>Фамилия</p>")
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#t"})["nodeId"]
    cdp.send("CSS.enable")
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    assert fonts[0]["familyName"] in ("Liberation Sans", "DejaVu Sans"), fonts


def test_consent_from_form_to_signed_copy(demo, page, live_server, tmp_path):
    login(page, live_server, "clerk")
    page.get_by_role("link", name="Создать документ").click()
    page.get_by_role("link", name="Согласие педагога на назначение наставником").click()

    page.get_by_label("Дата согласия").fill("")
    page.get_by_label("Дополнительные сведения").fill("Готова вести группу & <молодых>")
    page.get_by_role("button", name="Создать черновик").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "«Педагог, дающий согласие»: Поле обязательно для заполнения.")
    expect(page.get_by_label("Дополнительные сведения")).to_have_value(
        "Готова вести группу & <молодых>")  # what was typed is kept

    page.get_by_label("Педагог, дающий согласие").select_option(
        label="Седых Ирина Павловна, учитель (русский язык)")
    page.get_by_label("Дата согласия").fill("2026-11-20")
    page.get_by_role("button", name="Создать черновик").click()
    expect(page.get_by_text("Черновик документа создан.")).to_be_visible()
    page.get_by_role("button", name="Отправить на согласование").click()
    expect(page.locator(".state").first).to_have_text("На согласовании")
    logout(page)

    login(page, live_server, "director")
    page.get_by_role("link", name="Очередь на согласование").click()
    page.get_by_role("link", name="Согласие на назначение наставником: Седых Ирина Павловна"
                     ).click()
    page.get_by_role("button", name="Согласовать (поставить визу)").click()
    expect(page.locator(".state").first).to_have_text("Согласован")
    # issue 9: the consent is the teacher's, signed by hand; the clerk files its scan
    expect(page.get_by_label("Пароль для подписи")).to_have_count(0)
    doc_url = page.url
    logout(page)

    login(page, live_server, "clerk")
    page.goto(doc_url)
    scan = tmp_path / "скан.png"
    scan.write_bytes(png())
    page.get_by_label("Скан подписанного от руки экземпляра").set_input_files(str(scan))
    page.get_by_role("button", name="Загрузить скан").click()
    expect(page.locator(".state").first).to_have_text("Подписан")
    page.screenshot(path=str(tmp_path / "signed.png"), full_page=True)

    with page.expect_download() as info:
        page.get_by_role("link", name="Согласие № 3-с").first.click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename.startswith("Согласие № 3-с от ")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    xml = zipfile.ZipFile(io.BytesIO(path.read_bytes())).read("word/document.xml").decode()
    assert "Готова вести группу &amp; &lt;молодых&gt;" in xml
