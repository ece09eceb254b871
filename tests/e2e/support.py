"""Steps several browser tests take the same way."""

from playwright.sync_api import Page, expect

from catalog.models import IndustrySolution
from tests import factories


def fill_merchant_form(page: Page, *, external_id: str, seed: int) -> None:
    """Fill the onboarding form with a valid merchant, all but the settlement card number
    (whose live check the tests look at); ``seed`` makes its codes unique."""
    page.get_by_label("External ID").fill(external_id)
    page.get_by_label("Unified social credit code").fill(factories.make_uscc(seed * 10101))
    page.get_by_label("Legal name").fill("上海示例商贸有限公司")
    page.get_by_label("Short name").fill("示例小店")
    page.get_by_label("Merchant category (MCC)").select_option("5411")
    page.get_by_label("Business address").fill("上海市浦东新区世纪大道100号")
    page.get_by_label("Business scope").fill("日用百货零售")
    page.locator("#id_legal_rep_name").fill("王五")
    page.get_by_label("Legal representative's ID number").fill(factories.make_id_number(seed))
    page.get_by_label("Contact mobile phone").fill("13912345678")
    page.get_by_label("Settlement account name").fill("上海示例商贸有限公司")
    page.locator("#id_settlement_bank_name").fill("中国工商银行")


def subscribe_to_solution(page: Page, *, solution: IndustrySolution, app_label: str) -> None:
    """Subscribe an app to a whole industry solution from the catalog."""
    page.get_by_role("link", name="Catalog", exact=True).click()
    entry = page.locator(f"#solution-{solution.code}")
    entry.get_by_label("App").select_option(label=app_label)
    entry.get_by_role("button", name="Subscribe to the solution").click()
    expect(page.locator(".messages")).to_contain_text("is subscribed to")
