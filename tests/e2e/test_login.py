"""Signing in with a real browser: a wrong password is refused with the same message as an unknown user,
the right one opens the dashboard with the user's name and role in the sidebar, and sign-out returns to
the login page."""
from talenta import accounts
from talenta.demo import DEMO_PASSWORD

from .conftest import sign_in, wait_ready


def test_sign_in_refused_then_accepted_then_sign_out(anon_page, server):
    page = anon_page
    page.goto(server.url + "/")
    page.get_by_role("heading", name="Masuk ke Talenta").wait_for()
    assert page.locator("[data-testid='stSidebar']").get_by_text("Periode").count() == 0   # nothing before sign-in
    assert DEMO_PASSWORD in page.locator("[data-testid='stAlert']").filter(has_text="data demo sintetis").inner_text()     # the demo database says so

    error = page.locator("[data-testid='stAlertContentError']")
    sign_in(page, "komite", "bukan-kata-sandinya")
    error.wait_for()
    wrong_password = error.inner_text()
    sign_in(page, "tidak-ada-orangnya", "bukan-kata-sandinya")
    wait_ready(page)
    unknown_user = error.inner_text()
    assert wrong_password == unknown_user == accounts.WRONG

    sign_in(page, "komite", DEMO_PASSWORD)
    page.get_by_role("heading", name="Ringkasan Manajemen Talenta 2025").wait_for()
    sidebar = page.locator("[data-testid='stSidebar']")
    assert "Anggota Komite Talenta (demo)" in sidebar.inner_text() and "Komite Talenta" in sidebar.inner_text()
    assert sidebar.get_by_role("link", name="Impor Data").count() == 0          # not a komite page
    assert sidebar.get_by_role("link", name="Kalibrasi").count() == 1
    sidebar.get_by_role("button", name="Keluar").click()
    page.get_by_role("heading", name="Masuk ke Talenta").wait_for()
    page.get_by_text("Anda sudah keluar.").wait_for()
    wait_ready(page)
    # signed out, no menu of the role that left (review 12, L7: the sidebar kept it beside the login form)
    assert page.get_by_role("link", name="Kalibrasi").count() == 0
    assert page.get_by_role("link", name="Ringkasan").count() == 0


def test_opd_account_sees_only_its_opd_on_the_pool_heatmap(page, server, browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    tab = ctx.new_page()
    tab.set_default_timeout(30000)
    try:
        tab.goto(server.url + "/talent-pool")
        tab.get_by_role("heading", name="Masuk ke Talenta").wait_for()
        sign_in(tab, "opd", DEMO_PASSWORD)
        tab.get_by_role("heading", name="Talent Pool 2025").wait_for()
        wait_ready(tab)
        # the heatmap of the first tab (the other tabs' charts may be drawn first on a loaded machine)
        heat = tab.get_by_role("tabpanel").first.locator(".js-plotly-plot").first
        heat.locator(".hm").first.wait_for(state="attached")
        assert heat.locator(".ytick text").all_text_contents() == ["Dinas Kesehatan"]
    finally:
        ctx.close()
