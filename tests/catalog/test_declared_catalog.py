"""The declared catalog: what the capability plugins declare, with the planned entries no plugin
declares yet and the industry solutions, is one consistent catalog (the catalog app's system
check says the same at every start)."""

import dataclasses
import re

import pytest

from catalog.checks import catalog_problems
from catalog.choices import Industry, Layer
from catalog.planned import PLANNED_CAPABILITIES, PLANNED_PACKS
from catalog.solutions import SOLUTIONS, SolutionSpec
from catalog.sync import DeclaredCatalog, declared_catalog, served_capabilities
from openplatform import plugins
from openplatform.plugins import CapabilitySpec, PackSpec

CJK = re.compile(r"[\u4e00-\u9fff]")
CAPABILITY_CODE = re.compile(r"^[a-z]+(\.[a-z_]+)+$")
SNAKE_CASE = re.compile(r"^[a-z]+(_[a-z0-9]+)*$")

REQUIRED_PACKS = {
    "merchant_basics",
    "payment_basics",
    "face_to_face_payment",
    "membership_card",
    "points",
    "coupons",
    "marketing_risk_control",
    "e_invoice",
    "invoice_titles",
    "customer_insight",
    "enterprise_wealth_fund",
    "merchant_micro_loan",
    "credit_score",
    "consumer_installments",
}
REVIEWED_PACKS = {
    "marketing_risk_control",
    "enterprise_wealth_fund",
    "merchant_micro_loan",
    "credit_score",
    "consumer_installments",
}

DECLARED = declared_catalog()
CAPABILITIES = tuple(DECLARED.capabilities.values())
FUNCTION_PACKS = tuple(DECLARED.packs.values())
INDUSTRY_SOLUTIONS = tuple(DECLARED.solutions.values())
CAPS = DECLARED.capabilities
PACKS = DECLARED.packs
ALL_ENTRIES = (*CAPABILITIES, *FUNCTION_PACKS, *INDUSTRY_SOLUTIONS)


def _entry_id(entry) -> str:
    return entry.code


# ---- consistency ---------------------------------------------------------------------


def test_the_declared_catalog_is_consistent():
    assert catalog_problems(DECLARED, served=served_capabilities()) == []


def test_counts():
    assert len(CAPABILITIES) >= 45
    assert len(FUNCTION_PACKS) >= 14
    assert not REQUIRED_PACKS - set(PACKS)
    assert len(INDUSTRY_SOLUTIONS) == 5


def test_every_layer_has_capabilities_and_packs():
    assert {cap.layer for cap in CAPABILITIES} == set(Layer.values)
    assert {pack.layer for pack in FUNCTION_PACKS} == set(Layer.values)


# ---- who declares what ---------------------------------------------------------------


def test_merchant_info_and_payment_serve_their_capabilities():
    assert served_capabilities() == {
        "merchant.info.query", "payment.trade.precreate", "payment.trade.pay",
        "payment.trade.create", "payment.trade.query", "payment.trade.close",
        "payment.trade.refund", "payment.refund.query", "payment.bill.download"}


def test_each_capability_plugin_declares_what_it_serves_and_packs_of_its_own():
    served = served_capabilities()
    declared = {spec.code for plugin in plugins.capability_plugins()
                for spec in plugin.capabilities}
    assert served <= declared
    by_label = {plugin.label: plugin for plugin in plugins.capability_plugins()}
    assert {pack.code for pack in by_label["payment"].packs} == {
        "payment_basics", "face_to_face_payment"}
    assert {pack.code for pack in by_label["merchant_info"].packs} == {"merchant_basics"}


def test_a_plugins_entry_wins_over_the_planned_one_of_the_same_code():
    planned = {spec.code for spec in (*PLANNED_CAPABILITIES, *PLANNED_PACKS)}
    from_plugins = {spec.code for plugin in plugins.capability_plugins()
                    for spec in (*plugin.capabilities, *plugin.packs)}
    for code in planned & from_plugins:
        entry = DECLARED.capabilities.get(code) or DECLARED.packs[code]
        assert entry not in (*PLANNED_CAPABILITIES, *PLANNED_PACKS)


def test_sandbox_packs_are_declared_packs():
    assert set(plugins.sandbox_packs()) == {"merchant_basics", "payment_basics",
                                            "face_to_face_payment"}
    assert set(plugins.sandbox_packs()) <= set(PACKS)


def test_merchant_basics_pack():
    pack = PACKS["merchant_basics"]
    assert "merchant.info.query" in pack.capabilities
    assert pack.layer == "basic"
    assert pack.requires_review is False
    assert CAPS["merchant.info.query"].layer == "basic"


# ---- packs ---------------------------------------------------------------------------


def test_finance_and_risk_packs_require_review_and_the_rest_do_not():
    reviewed = {pack.code for pack in FUNCTION_PACKS if pack.requires_review}
    assert reviewed == REVIEWED_PACKS
    for pack in FUNCTION_PACKS:
        if pack.layer == "finance":
            assert pack.requires_review, pack.code


def test_payment_trades_are_in_the_payment_packs():
    f2f = set(PACKS["face_to_face_payment"].capabilities)
    basics = set(PACKS["payment_basics"].capabilities)
    assert {"payment.trade.precreate", "payment.trade.pay"} <= f2f
    assert "payment.trade.create" in basics
    shared = {"payment.trade.query", "payment.trade.refund", "payment.refund.query"}
    assert shared <= f2f & basics


def test_quotas_are_realistic():
    for pack in FUNCTION_PACKS:
        assert pack.default_daily_quota > 0, pack.code
        assert 0 < pack.default_per_second_quota <= 1_000, pack.code
        # a day has 86,400 seconds: the per-second cap must bite before the daily one is silly
        assert pack.default_per_second_quota * 86_400 >= pack.default_daily_quota, pack.code
    assert PACKS["payment_basics"].default_daily_quota == 1_000_000
    assert PACKS["payment_basics"].default_per_second_quota == 200
    assert PACKS["merchant_basics"].default_daily_quota == 100_000
    assert PACKS["merchant_basics"].default_per_second_quota == 20
    assert PACKS["membership_card"].default_daily_quota == 200_000
    assert PACKS["enterprise_wealth_fund"].default_daily_quota == 20_000


def test_a_capability_may_be_in_several_packs():
    holders = [p.code for p in FUNCTION_PACKS if "payment.trade.query" in p.capabilities]
    assert {"payment_basics", "face_to_face_payment"} <= set(holders)


# ---- industry solutions --------------------------------------------------------------


def test_one_solution_per_industry():
    industries = [solution.industry for solution in INDUSTRY_SOLUTIONS]
    assert sorted(industries) == sorted(Industry.values)
    assert set(industries) == {"retail", "pharmacy", "mother_baby", "hotel", "hospital"}


@pytest.mark.parametrize("solution", INDUSTRY_SOLUTIONS, ids=_entry_id)
def test_solution_bundles_three_to_seven_packs(solution):
    assert 3 <= len(solution.packs) <= 7
    assert set(solution.packs) <= set(PACKS)


def test_pharmacy_uses_member_tags_and_mother_baby_uses_micro_loans():
    by_industry = {solution.industry: solution for solution in INDUSTRY_SOLUTIONS}
    assert "member_tags" in by_industry["pharmacy"].packs
    assert "merchant_micro_loan" in by_industry["mother_baby"].packs
    pharmacy = by_industry["pharmacy"].description
    for series in ("condition", "customer value", "brand", "price band", "price sensitivity"):
        assert series in pharmacy


# ---- codes and texts -----------------------------------------------------------------


@pytest.mark.parametrize("cap", CAPABILITIES, ids=_entry_id)
def test_capability_code_format(cap):
    assert CAPABILITY_CODE.match(cap.code)
    assert len(cap.code) <= 64


@pytest.mark.parametrize("entry", (*FUNCTION_PACKS, *INDUSTRY_SOLUTIONS), ids=_entry_id)
def test_pack_and_solution_codes_are_snake_case(entry):
    assert SNAKE_CASE.match(entry.code)


@pytest.mark.parametrize("entry", ALL_ENTRIES, ids=_entry_id)
def test_texts_are_filled_in_and_chinese_is_chinese(entry):
    for field in ("code", "name", "name_zh", "description", "description_zh"):
        value = getattr(entry, field)
        assert value.strip(), field
        assert value == value.strip(), field
    assert CJK.search(entry.name_zh)
    assert CJK.search(entry.description_zh)
    assert not CJK.search(entry.name)
    assert not CJK.search(entry.description)
    assert len(entry.name) <= 120 and len(entry.name_zh) <= 120


def test_chinese_names_use_the_platforms_terms():
    names = {pack.code: pack.name_zh for pack in FUNCTION_PACKS}
    assert names["face_to_face_payment"] == "当面付"
    assert names["membership_card"] == "会员卡"
    assert names["points"] == "积分"
    assert names["coupons"] == "优惠券"
    assert names["marketing_risk_control"] == "营销风控"
    assert names["e_invoice"] == "电子发票"
    assert names["invoice_titles"] == "发票抬头"
    assert names["consumer_installments"] == "消费分期"


# ---- the declarations themselves ----------------------------------------------------


def test_specs_are_frozen():
    for entry in (CAPABILITIES[0], FUNCTION_PACKS[0], INDUSTRY_SOLUTIONS[0]):
        with pytest.raises(dataclasses.FrozenInstanceError):
            entry.code = "changed"  # type: ignore[misc]


def test_collections_are_tuples_so_the_data_cannot_be_mutated():
    for collection in (PLANNED_CAPABILITIES, PLANNED_PACKS, SOLUTIONS):
        assert isinstance(collection, tuple)
    for pack in FUNCTION_PACKS:
        assert isinstance(pack.capabilities, tuple)
    for solution in INDUSTRY_SOLUTIONS:
        assert isinstance(solution.packs, tuple)


# ---- catalog_problems finds problems -------------------------------------------------


def _cap(code="merchant.info.query", layer="basic"):
    return CapabilitySpec(code=code, name=f"Name {code}", name_zh=f"名称{code}", layer=layer,
                          description="Does it.", description_zh="执行。")


def _pack(code="merchant_basics", capabilities=("merchant.info.query",), layer="basic",
          per_second=10):
    return PackSpec(code=code, name=f"Pack {code}", name_zh=f"功能包{code}", layer=layer,
                    description="Lets the app do it.", description_zh="允许应用执行。",
                    capabilities=capabilities, default_daily_quota=1_000,
                    default_per_second_quota=per_second)


def _solution(code="retail", packs=("merchant_basics",), industry="retail"):
    return SolutionSpec(code=code, name=f"Solution {code}", name_zh=f"方案{code}",
                        industry=industry, description="For shops.", description_zh="面向门店。",
                        packs=packs)


def _catalog(capabilities=None, packs=None, solutions=None, duplicates=()) -> DeclaredCatalog:
    return DeclaredCatalog(
        capabilities={spec.code: spec for spec in capabilities or (_cap(),)},
        packs={spec.code: spec for spec in packs or (_pack(),)},
        solutions={spec.code: spec for spec in solutions or (_solution(),)},
        duplicates=list(duplicates))


def test_a_minimal_catalog_has_no_problems():
    assert catalog_problems(_catalog(), served={"merchant.info.query"}) == []


@pytest.mark.parametrize(
    ("catalog", "served", "expected"),
    [
        pytest.param(_catalog(duplicates=["pack merchant_basics"]), set(),
                     "pack merchant_basics is declared by two plugins", id="duplicate"),
        pytest.param(_catalog(packs=(_pack(capabilities=("merchant.info.query", "nope.x")),)),
                     set(), "unknown capability 'nope.x'", id="unknown-capability"),
        pytest.param(_catalog(solutions=(_solution(packs=("merchant_basics", "ghost")),)),
                     set(), "unknown pack 'ghost'", id="unknown-pack"),
        pytest.param(_catalog(capabilities=(_cap(layer="cloud"),)), set(),
                     "unknown layer 'cloud'", id="bad-capability-layer"),
        pytest.param(_catalog(packs=(_pack(layer="x"),)), set(), "unknown layer 'x'",
                     id="bad-pack-layer"),
        pytest.param(_catalog(capabilities=(_cap(), _cap("store.create"))), set(),
                     "'store.create' is in no pack", id="orphan-capability"),
        pytest.param(_catalog(solutions=(_solution(industry="bakery"),)), set(),
                     "unknown industry", id="bad-industry"),
        pytest.param(_catalog(capabilities=(_cap("Merchant.Info"),),
                              packs=(_pack(capabilities=("Merchant.Info",)),)), set(),
                     "not dotted lower-case", id="bad-capability-code"),
        pytest.param(_catalog(packs=(_pack(per_second=5_000),)), set(),
                     "more calls per second than per day", id="bad-quota"),
        pytest.param(_catalog(), {"merchant.info.query", "ghost.api"},
                     "a view serves 'ghost.api', which no plugin declares", id="undeclared-view"),
    ],
)
def test_catalog_problems_names_each_problem(catalog, served, expected):
    problems = catalog_problems(catalog, served=served)
    assert any(expected in problem for problem in problems), problems
