"""The shipped catalog (capabilities/catalog_data.py) is pure, consistent data.

These tests need no Django: run them with ``-p no:django`` if settings are unavailable.
"""

import ast
import dataclasses
import re
from pathlib import Path

import pytest

from catalog import catalog_data
from catalog.catalog_data import (
    CAPABILITIES,
    FUNCTION_PACKS,
    INDUSTRY_SOLUTIONS,
    CapabilitySpec,
    FunctionPackSpec,
    IndustrySolutionSpec,
    validate_catalog,
)

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

CAPS = {cap.code: cap for cap in CAPABILITIES}
PACKS = {pack.code: pack for pack in FUNCTION_PACKS}
ALL_ENTRIES = (*CAPABILITIES, *FUNCTION_PACKS, *INDUSTRY_SOLUTIONS)


def _entry_id(entry) -> str:
    return entry.code


# ---- consistency ---------------------------------------------------------------------


def test_shipped_catalog_is_consistent():
    assert validate_catalog() == []


def test_counts():
    assert len(CAPABILITIES) >= 45
    assert len(FUNCTION_PACKS) >= 14
    assert not REQUIRED_PACKS - set(PACKS)
    assert len(INDUSTRY_SOLUTIONS) == 5


def test_every_layer_has_capabilities_and_packs():
    assert {cap.layer for cap in CAPABILITIES} == set(catalog_data.LAYERS)
    assert {pack.layer for pack in FUNCTION_PACKS} == set(catalog_data.LAYERS)


def test_every_capability_prefix_is_used():
    prefixes = {cap.code.split(".", 1)[0] for cap in CAPABILITIES}
    assert prefixes == set(catalog_data.CAPABILITY_PREFIXES)


# ---- statuses ------------------------------------------------------------------------


def test_merchant_info_and_payment_are_the_available_capabilities():
    available = {cap.code for cap in CAPABILITIES if cap.status == "available"}
    assert available == {
        "merchant.info.query", "payment.trade.precreate", "payment.trade.pay",
        "payment.trade.create", "payment.trade.query", "payment.trade.close",
        "payment.trade.refund", "payment.refund.query", "payment.bill.download"}
    assert {cap.status for cap in CAPABILITIES} == {"available", "planned"}


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
    assert sorted(industries) == sorted(catalog_data.INDUSTRIES)
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


# ---- the module itself ---------------------------------------------------------------


def test_specs_are_frozen():
    for entry in (CAPABILITIES[0], FUNCTION_PACKS[0], INDUSTRY_SOLUTIONS[0]):
        with pytest.raises(dataclasses.FrozenInstanceError):
            entry.code = "changed"  # type: ignore[misc]


def test_collections_are_tuples_so_the_data_cannot_be_mutated():
    assert isinstance(CAPABILITIES, tuple)
    assert isinstance(FUNCTION_PACKS, tuple)
    assert isinstance(INDUSTRY_SOLUTIONS, tuple)
    for pack in FUNCTION_PACKS:
        assert isinstance(pack.capabilities, tuple)
    for solution in INDUSTRY_SOLUTIONS:
        assert isinstance(solution.packs, tuple)


def test_module_does_not_import_django():
    tree = ast.parse(Path(catalog_data.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= {"__future__", "dataclasses", "re", "typing"}


def test_allowed_values_match_the_model_choices():
    """The data module mirrors capabilities.choices; skipped where Django is not installed."""
    pytest.importorskip("django")
    from catalog.choices import CapabilityStatus, Industry, Layer

    assert set(catalog_data.LAYERS) == set(Layer.values)
    assert set(catalog_data.STATUSES) == set(CapabilityStatus.values)
    assert set(catalog_data.INDUSTRIES) == set(Industry.values)


# ---- validate_catalog finds problems -------------------------------------------------


def _cap(code="merchant.info.query", layer="basic", status="available"):
    return CapabilitySpec(code, f"Name {code}", f"名称{code}", layer, "Does it.", "执行。", status)


def _pack(code="merchant_basics", capabilities=("merchant.info.query",), layer="basic"):
    return FunctionPackSpec(
        code, f"Pack {code}", f"功能包{code}", layer, "Lets the app do it.", "允许应用执行。",
        capabilities, False, 1_000, 10,
    )  # fmt: skip


def _solution(code="retail", packs=("merchant_basics",), industry="retail"):
    return IndustrySolutionSpec(
        code, f"Solution {code}", f"方案{code}", industry, "For shops.", "面向门店。", packs
    )


def test_validate_accepts_a_minimal_catalog():
    assert validate_catalog((_cap(),), (_pack(),), (_solution(),)) == []


@pytest.mark.parametrize(
    ("capabilities", "packs", "solutions", "expected"),
    [
        pytest.param(
            (_cap(), _cap()), (_pack(),), (_solution(),), "duplicate capability code",
            id="duplicate-capability",
        ),
        pytest.param(
            (_cap(),), (_pack(), _pack()), (_solution(),), "duplicate function pack code",
            id="duplicate-pack",
        ),
        pytest.param(
            (_cap(),), (_pack(),), (_solution(), _solution()), "duplicate industry solution",
            id="duplicate-solution",
        ),
        pytest.param(
            (_cap(),), (_pack(capabilities=("merchant.info.query", "nope.x")),),
            (_solution(),), "unknown capability 'nope.x'",
            id="unknown-capability",
        ),
        pytest.param(
            (_cap(),), (_pack(),), (_solution(packs=("merchant_basics", "ghost")),),
            "unknown pack 'ghost'",
            id="unknown-pack",
        ),
        pytest.param(
            (_cap(layer="cloud"),), (_pack(),), (_solution(),), "unknown layer 'cloud'",
            id="bad-capability-layer",
        ),
        pytest.param(
            (_cap(),), (_pack(layer="x"),), (_solution(),), "unknown layer 'x'",
            id="bad-pack-layer",
        ),
        pytest.param(
            (_cap(status="beta"),), (_pack(),), (_solution(),), "unknown status 'beta'",
            id="bad-status",
        ),
        pytest.param(
            (_cap(), _cap("store.create")), (_pack(),), (_solution(),),
            "'store.create' is in no function pack",
            id="orphan-capability",
        ),
        pytest.param(
            (_cap(),), (_pack(),), (_solution(industry="bakery"),), "unknown industry",
            id="bad-industry",
        ),
        pytest.param(
            (_cap("Merchant.Info"),), (_pack(capabilities=("Merchant.Info",)),),
            (_solution(),), "not dotted lower-case",
            id="bad-capability-code",
        ),
    ],
)  # fmt: skip
def test_validate_reports_problems(capabilities, packs, solutions, expected):
    problems = validate_catalog(capabilities, packs, solutions)
    assert any(expected in problem for problem in problems), problems
