"""Screening against the negative list: on submission, on every list change, and nightly."""

import dataclasses
import importlib
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from governance import screening, services
from governance.choices import ActionKind, ActionState, EntryCategory, EntryKind
from governance.models import GovernanceAction, NegativeListEntry
from governance.normalise import entry_value
from governance.screening import NegativeListIndex, screen_merchant
from governance.selectors import actions_on
from merchants.choices import MerchantState
from merchants.models import Merchant
from merchants.services.lifecycle import merchant_submit
from merchants.services.onboarding import MerchantInput, merchant_create, merchant_update
from openplatform.audit.models import AuditEvent
from openplatform.data import pii
from tests import factories

# "DUCHANG" in full-width letters, spelt out so that no reader mistakes it for ASCII.
FULL_WIDTH_DUCHANG = "\uff24\uff35\uff23\uff28\uff21\uff2e\uff27"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _eager_tasks(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    cache.delete(screening.VERSION_CACHE_KEY)


def entry(kind, value, *, category=EntryCategory.GAMBLING, **fields):
    """An entry row made directly (no re-screen); tests of the hooks go through the service."""
    stored, display = entry_value(kind, value)
    return NegativeListEntry.objects.create(kind=kind, value=stored, display_value=display,
                                            category=category, source="test", **fields)


def add(kind, value, *, category=EntryCategory.GAMBLING, **fields):
    return services.negative_list_entry_add(actor=None, kind=kind, value=value,
                                            category=category, source="bulletin", **fields)


def screen(merchant):
    return screen_merchant(merchant, NegativeListIndex.build())


# --- The engine ------------------------------------------------------------------------------


def exact_cases():
    id_number, account = factories.make_id_number(), factories.make_bank_account()
    uscc = factories.make_uscc()
    return [
        (EntryKind.USCC, uscc, {"uscc": uscc}, "uscc"),
        (EntryKind.ID_NUMBER, id_number, {"id_number": id_number}, "legal_rep_id_number"),
        (EntryKind.BANK_ACCOUNT, account, {"account": account}, "settlement_account"),
        (EntryKind.PHONE, "+86 139 0000 1111", {"contact_phone": "13900001111"},
         "contact_phone"),
        (EntryKind.DOMAIN, "https://Bet.Example/", {"website": "bet.example"}, "website"),
        (EntryKind.INDUSTRY, "7995", {"mcc": "7995"}, "mcc"),
    ]


def merchant_with(fields, **extra):
    fields = dict(fields)
    id_number, account = fields.pop("id_number", None), fields.pop("account", None)
    merchant = factories.make_merchant(**fields, **extra)
    if id_number:
        merchant.seal_legal_rep_id_number(id_number)
    if account:
        merchant.seal_settlement_account(account)
    merchant.save()
    return merchant


@pytest.mark.parametrize("kind, value, fields, field", exact_cases())
def test_every_exact_kind_hits_its_field(kind, value, fields, field):
    listed = entry(kind, value)
    result = screen(merchant_with(fields))
    assert result.outcome == screening.HARD_HIT
    assert [(hit.entry_id, hit.kind, hit.field) for hit in result.hits] == [
        (listed.pk, kind, field)]
    assert result.decisive_hit.reason_code == "negative_list.gambling"


@pytest.mark.parametrize("kind, value, fields, field", exact_cases())
def test_every_exact_kind_misses_other_merchants(kind, value, fields, field):
    entry(kind, value)
    assert screen(factories.make_merchant(website="shop.example")).outcome == screening.CLEAN


def test_a_domain_entry_hits_its_sub_domains_but_not_look_alikes():
    entry(EntryKind.DOMAIN, "bet.example")
    assert screen(factories.make_merchant(website="www.bet.example")).hits[0].field == "website"
    assert screen(factories.make_merchant(website="a.b.bet.example")).outcome == "hard_hit"
    assert screen(factories.make_merchant(website="goodbet.example")).outcome == "clean"
    assert screen(factories.make_merchant(website="bet.example.cn")).outcome == "clean"


@pytest.mark.parametrize("name", ["賭 場娱乐", FULL_WIDTH_DUCHANG, "Du Chang", "du-chang",
                                  "DuChang Club", "澳门【赌场】"])
def test_evasion_variants_of_a_keyword_hit_the_name(name):
    entry(EntryKind.KEYWORD, "赌场")
    entry(EntryKind.KEYWORD, "duchang")
    result = screen(factories.make_merchant(legal_name=name))
    assert result.outcome == screening.HARD_HIT
    assert result.decisive_hit.field == "legal_name"


@pytest.mark.parametrize("field", ["legal_name", "short_name"])
def test_a_keyword_in_a_name_is_a_hard_hit(field):
    entry(EntryKind.KEYWORD, "赌场")
    result = screen(factories.make_merchant(**{field: "皇冠賭場"}))
    assert (result.outcome, result.decisive_hit.field) == (screening.HARD_HIT, field)


def test_a_keyword_only_in_the_business_scope_is_a_near_miss():
    entry(EntryKind.KEYWORD, "赌场")
    result = screen(factories.make_merchant(business_scope="反賭場宣传咨询"))
    assert result.outcome == screening.NEAR_MISS
    assert result.decisive_hit.field == "business_scope"


def test_a_keyword_misses_unrelated_text():
    entry(EntryKind.KEYWORD, "赌场")
    assert screen(factories.make_merchant(legal_name="赌 客栈", business_scope="场地出租"))\
        .outcome == screening.CLEAN


@pytest.mark.parametrize("kind, value, fields, field", [
    *exact_cases(), (EntryKind.KEYWORD, "赌场", {"legal_name": "赌场"}, "legal_name")])
def test_expired_entries_miss(kind, value, fields, field):
    entry(kind, value, expires_at=timezone.now() - timedelta(minutes=1))
    assert screen(merchant_with(fields)).outcome == screening.CLEAN


def test_an_entry_that_expires_after_the_index_was_built_stops_matching():
    entry(EntryKind.KEYWORD, "赌场", expires_at=timezone.now() + timedelta(hours=1))
    index = NegativeListIndex.build()
    merchant = factories.make_merchant(legal_name="赌场")
    assert screen_merchant(merchant, index).outcome == screening.HARD_HIT
    later = timezone.now() + timedelta(hours=2)
    assert screen_merchant(merchant, index, now=later).outcome == screening.CLEAN


@pytest.mark.parametrize("uscc", ["", "91310000000000000X", "not-a-code"])
def test_a_missing_or_invalid_uscc_is_unlicensed(uscc):
    result = screen(factories.make_merchant(uscc=uscc))
    assert result.outcome == screening.HARD_HIT
    assert result.decisive_hit.reason_code == "unlicensed"
    assert result.decisive_hit.category == EntryCategory.UNLICENSED


def test_the_gravest_hard_hit_decides():
    entry(EntryKind.PHONE, "13900001111", category=EntryCategory.FRAUD)
    entry(EntryKind.KEYWORD, "毒品", category=EntryCategory.DRUGS)
    entry(EntryKind.KEYWORD, "赌场", category=EntryCategory.GAMBLING)
    merchant = factories.make_merchant(contact_phone="13900001111", short_name="毒品",
                                       business_scope="赌场")
    assert screen(merchant).decisive_hit.reason_code == "negative_list.drugs"


def test_the_index_is_rebuilt_only_when_the_list_changes(django_assert_num_queries):
    entry(EntryKind.KEYWORD, "赌场")
    first = screening.current_index()
    with django_assert_num_queries(1):  # the version's fingerprint, no rebuild
        assert screening.current_index() is first
    screening.bump_negative_list_version()
    assert screening.current_index() is not first


def test_a_new_entry_changes_the_version_even_without_the_cache_token():
    first = screening.current_index()
    entry(EntryKind.KEYWORD, "赌场")  # made directly: no bump
    assert screening.current_index() is not first
    assert screen_merchant(factories.make_merchant(legal_name="赌场"),
                           screening.current_index()).outcome == screening.HARD_HIT


# --- Screening on submission -----------------------------------------------------------------


def submit(merchant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        merchant_submit(merchant=merchant, actor=None)
    merchant.refresh_from_db()
    return merchant


def test_a_clean_merchant_goes_active(django_capture_on_commit_callbacks):
    merchant = submit(factories.make_merchant(), django_capture_on_commit_callbacks)
    assert merchant.state == MerchantState.ACTIVE
    screened = AuditEvent.objects.get(action="governance.merchant_screened")
    assert screened.after == {"outcome": "clean", "hits": []}
    assert [event.action for event in AuditEvent.objects.order_by("created_at", "id")][-4:] == [
        "merchant.submitted", "merchant.screening_started", "governance.merchant_screened",
        "merchant.activated"]


def test_a_hard_hit_rejects_with_a_readable_reason_and_no_entry_value(
        django_capture_on_commit_callbacks):
    listed = entry(EntryKind.PHONE, "13900001111")
    merchant = submit(factories.make_merchant(contact_phone="13900001111"),
                      django_capture_on_commit_callbacks)
    assert merchant.state == MerchantState.REJECTED
    assert merchant.rejection_reason_code == "negative_list.gambling"
    assert "Gambling" in merchant.rejection_reason_message
    assert "contact phone" in merchant.rejection_reason_message
    assert "13900001111" not in merchant.rejection_reason_message
    hits = AuditEvent.objects.get(action="governance.merchant_screened").after["hits"]
    assert hits == [{"entry_id": str(listed.pk), "kind": "phone", "category": "gambling",
                     "field": "contact_phone", "hard": True}]


def test_a_digest_hit_names_the_field_but_never_the_number(django_capture_on_commit_callbacks):
    id_number = factories.make_id_number()
    entry(EntryKind.ID_NUMBER, id_number, category=EntryCategory.FRAUD)
    merchant = submit(merchant_with({"id_number": id_number}),
                      django_capture_on_commit_callbacks)
    assert merchant.rejection_reason_code == "negative_list.fraud"
    assert "legal representative ID number" in merchant.rejection_reason_message
    for secret in (id_number, pii.digest_id_number(id_number), pii.mask_id_number(id_number)):
        assert secret not in merchant.rejection_reason_message


def test_a_near_miss_lands_in_manual_review(django_capture_on_commit_callbacks):
    entry(EntryKind.KEYWORD, "赌场")
    merchant = submit(factories.make_merchant(business_scope="反赌场宣传"),
                      django_capture_on_commit_callbacks)
    assert merchant.state == MerchantState.MANUAL_REVIEW
    referred = AuditEvent.objects.get(action="merchant.referred_to_review")
    assert "business scope" in referred.reason


@pytest.mark.parametrize("uscc", ["", "91310000000000000X"])
def test_a_merchant_without_a_valid_uscc_is_rejected_as_unlicensed(
        uscc, django_capture_on_commit_callbacks):
    merchant = submit(factories.make_merchant(uscc=uscc), django_capture_on_commit_callbacks)
    assert merchant.state == MerchantState.REJECTED
    assert merchant.rejection_reason_code == "unlicensed"


def test_a_uscc_already_live_elsewhere_is_rejected_not_stuck(django_capture_on_commit_callbacks):
    uscc = factories.make_uscc()
    factories.make_merchant(uscc=uscc, state=MerchantState.ACTIVE)
    merchant = submit(factories.make_merchant(uscc=uscc), django_capture_on_commit_callbacks)
    assert merchant.state == MerchantState.REJECTED
    assert merchant.rejection_reason_code == "uscc_already_live"


def test_the_screening_task_does_nothing_for_a_merchant_already_screened():
    from governance.tasks import screen_merchant_task

    merchant = factories.make_merchant(state=MerchantState.ACTIVE)
    assert screen_merchant_task.delay(merchant.pk).get() is None
    assert not AuditEvent.objects.exists()


# --- Re-screening live merchants -------------------------------------------------------------


def live(**fields):
    return factories.make_merchant(state=MerchantState.ACTIVE, **fields)


def added(kind, value, callbacks, **fields):
    with callbacks(execute=True):
        return add(kind, value, **fields)


@pytest.mark.parametrize("category", ["pornography", "gambling", "drugs", "sanctions"])
def test_adding_an_entry_suspends_a_live_merchant(category, django_capture_on_commit_callbacks):
    merchant = live(contact_phone="13900001111")
    added(EntryKind.PHONE, "13900001111", django_capture_on_commit_callbacks, category=category)
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.SUSPENDED
    action = actions_on(target=merchant).get()
    assert (action.kind, action.reason_code) == (ActionKind.SUSPEND, f"negative_list.{category}")
    assert "13900001111" not in action.reason


@pytest.mark.parametrize("category", ["fraud", "unlicensed", "other"])
def test_adding_an_entry_orders_a_live_merchant_to_rectify(
        category, django_capture_on_commit_callbacks):
    merchant = live(legal_name="速发理财咨询有限公司")
    added(EntryKind.KEYWORD, "速發理財", django_capture_on_commit_callbacks, category=category)
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.RECTIFYING
    action = actions_on(target=merchant).get()
    assert (action.kind, action.reason_code) == (ActionKind.RECTIFY, f"negative_list.{category}")
    assert action.deadline is not None


@pytest.mark.parametrize("kind, value, fields, field", exact_cases())
def test_adding_an_exact_entry_acts_only_on_the_merchants_it_hits(
        kind, value, fields, field, django_capture_on_commit_callbacks):
    hit = merchant_with(fields, state=MerchantState.ACTIVE)
    bystander = live(website="shop.example")
    entry_row = added(kind, value, django_capture_on_commit_callbacks)
    assert services.rescreen_for_entry(entry_id=entry_row.pk) == 0  # already acted on
    hit.refresh_from_db()
    bystander.refresh_from_db()
    assert (hit.state, bystander.state) == (MerchantState.SUSPENDED, MerchantState.ACTIVE)


def test_a_parent_domain_entry_suspends_a_sub_domain_merchant(django_capture_on_commit_callbacks):
    merchant = live(website="www.bet.example")
    added(EntryKind.DOMAIN, "bet.example", django_capture_on_commit_callbacks)
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.SUSPENDED


def test_a_near_miss_on_a_live_merchant_is_warned_once(django_capture_on_commit_callbacks):
    merchant = live(business_scope="反赌场宣传")
    listed = added(EntryKind.KEYWORD, "赌场", django_capture_on_commit_callbacks)
    warning = actions_on(target=merchant).get()
    assert (warning.kind, warning.reason_code) == (ActionKind.WARNING, "negative_list.gambling")
    services.governance_action_acknowledge(action=warning, actor=None)
    assert services.rescreen_for_entry(entry_id=listed.pk) == 0
    assert services.rescreen_all() == 0
    assert actions_on(target=merchant).count() == 1
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.ACTIVE


def test_rescreening_twice_opens_one_action():
    merchant = live(short_name="赌场")
    listed = entry(EntryKind.KEYWORD, "赌场", category=EntryCategory.FRAUD)
    assert services.rescreen_for_entry(entry_id=listed.pk) == 1
    assert services.rescreen_for_entry(entry_id=listed.pk) == 0
    assert services.rescreen_all() == 0
    assert actions_on(target=merchant).count() == 1


def test_a_suspended_merchant_is_not_touched():
    merchant = factories.make_merchant(state=MerchantState.SUSPENDED, short_name="赌场")
    listed = entry(EntryKind.KEYWORD, "赌场")
    assert services.rescreen_for_entry(entry_id=listed.pk) == 0
    assert services.merchant_rescreen_live(merchant=merchant,
                                           index=screening.current_index()) is None
    assert not GovernanceAction.objects.exists()


def test_a_reinstated_merchant_is_not_suspended_again_for_the_same_entry():
    merchant = live(short_name="赌场")
    listed = entry(EntryKind.KEYWORD, "赌场")
    assert services.rescreen_for_entry(entry_id=listed.pk) == 1
    services.governance_reinstate(target=merchant, actor=None, reason_code="false_positive",
                                  reason="A restaurant called 赌场 by its owner's family.")
    assert services.rescreen_all() == 0
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.ACTIVE


def test_a_gambling_hit_on_a_rectifying_merchant_suspends_it():
    merchant = factories.make_merchant(state=MerchantState.RECTIFYING, short_name="赌场")
    listed = entry(EntryKind.KEYWORD, "赌场")
    assert services.rescreen_for_entry(entry_id=listed.pk) == 1
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.SUSPENDED


def test_a_fraud_hit_on_a_rectifying_merchant_is_a_warning():
    merchant = factories.make_merchant(state=MerchantState.RECTIFYING, short_name="速发")
    listed = entry(EntryKind.KEYWORD, "速发", category=EntryCategory.FRAUD)
    assert services.rescreen_for_entry(entry_id=listed.pk) == 1
    assert actions_on(target=merchant).get().kind == ActionKind.WARNING


def test_updating_an_entry_rescreens(django_capture_on_commit_callbacks):
    merchant = live(short_name="赌场")
    listed = entry(EntryKind.KEYWORD, "赌场", expires_at=timezone.now() - timedelta(days=1))
    assert services.rescreen_all() == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.negative_list_entry_update(entry=listed, actor=None, category="gambling",
                                            source="renewed bulletin", expires_at=None)
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.SUSPENDED


def test_an_expired_entry_rescreens_nobody():
    live(short_name="赌场")
    listed = entry(EntryKind.KEYWORD, "赌场", expires_at=timezone.now() - timedelta(days=1))
    assert services.rescreen_for_entry(entry_id=listed.pk) == 0
    assert services.rescreen_for_entry(entry_id=listed.pk + 1000) == 0


def test_rescreen_all_finds_hits_of_every_kind_in_batches(settings):
    settings.SCREENING_BATCH_SIZE = 2
    uscc = factories.make_uscc()
    entry(EntryKind.USCC, uscc, category=EntryCategory.SANCTIONS)
    entry(EntryKind.INDUSTRY, "7995")
    entry(EntryKind.KEYWORD, "速发", category=EntryCategory.FRAUD)
    sanctioned, casino, fraud = live(uscc=uscc), live(mcc="7995"), live(short_name="速發")
    clean = [live() for _ in range(3)]
    assert services.rescreen_all() == 3
    states = dict(Merchant.objects.values_list("pk", "state"))
    assert states[sanctioned.pk] == states[casino.pk] == MerchantState.SUSPENDED
    assert states[fraud.pk] == MerchantState.RECTIFYING
    assert {states[merchant.pk] for merchant in clean} == {MerchantState.ACTIVE}
    assert services.rescreen_all() == 0


def test_the_nightly_task_rescreens_everyone():
    from governance.tasks import rescreen_all_task

    live(mcc="7995")
    entry(EntryKind.INDUSTRY, "7995")
    assert rescreen_all_task.delay().get() == 1


# --- Accountability --------------------------------------------------------------------------


def test_an_isv_with_too_many_suspended_merchants_is_warned_once(settings):
    settings.ISV_ACCOUNTABILITY_SHARE = 0.1
    settings.ISV_ACCOUNTABILITY_MIN_MERCHANTS = 5
    isv = factories.make_isv()
    for _ in range(9):
        live(isv=isv)
    first, second = live(isv=isv, short_name="赌场一"), live(isv=isv, short_name="赌场二")
    listed = entry(EntryKind.KEYWORD, "赌场")
    services.merchant_rescreen_live(merchant=first, index=screening.current_index())
    assert not actions_on(target=isv).exists()  # 1 of 11: not more than a tenth
    assert services.rescreen_for_entry(entry_id=listed.pk) == 1  # second: 2 of 11
    second.refresh_from_db()
    assert second.state == MerchantState.SUSPENDED
    warning = actions_on(target=isv).get()
    assert (warning.kind, warning.reason_code, warning.state) == (
        ActionKind.WARNING, "accountability.negative_list_share", ActionState.OPEN)
    third = live(isv=isv, short_name="赌场三")
    services.merchant_rescreen_live(merchant=third, index=screening.current_index())
    assert actions_on(target=isv).count() == 1


def test_accountability_needs_a_minimum_number_of_merchants(settings):
    settings.ISV_ACCOUNTABILITY_MIN_MERCHANTS = 5
    isv = factories.make_isv()
    merchant = live(isv=isv, short_name="赌场")
    entry(EntryKind.KEYWORD, "赌场")
    services.merchant_rescreen_live(merchant=merchant, index=screening.current_index())
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.SUSPENDED
    assert not actions_on(target=isv).exists()


# --- The stored screening text ---------------------------------------------------------------


def merchant_input(**overrides):
    number = factories.next_number()
    values = {
        "external_id": f"EXT-{number}", "legal_name": "澳門賭場娛樂有限公司",
        "short_name": "ＬＵＣＫＹ 賭場", "uscc": factories.make_uscc(number),
        "legal_rep_name": "赵六", "legal_rep_id_number": factories.make_id_number(number),
        "settlement_account_name": "示例有限公司", "settlement_bank_name": "中国建设银行",
        "settlement_account": factories.make_bank_account(number),
        "contact_phone": "13912345678", "mcc": "5812", "address": "杭州市西湖区文三路1号",
        "business_scope": "餐饮服务",
    }
    return MerchantInput(**{**values, **overrides})


def test_creating_a_merchant_stores_its_normalised_screening_text():
    merchant = merchant_create(isv=factories.make_isv(), actor=None,
                                                 data=merchant_input())
    merchant.refresh_from_db()
    assert merchant.screening_text == "澳门赌场娱乐有限公司\nlucky赌场\n餐饮服务"


def test_updating_a_name_or_the_scope_refreshes_the_screening_text():
    isv = factories.make_isv()
    data = merchant_input()
    merchant = merchant_create(isv=isv, actor=None, data=data)
    merchant_update(merchant=merchant, actor=None, data=dataclasses.replace(
        data, short_name="示例小店", business_scope="反賭場宣传"))
    merchant.refresh_from_db()
    assert merchant.screening_text == "澳门赌场娱乐有限公司\n示例小店\n反赌场宣传"


def test_updating_other_fields_leaves_the_screening_text_alone():
    data = merchant_input()
    merchant = merchant_create(isv=factories.make_isv(), actor=None,
                                                 data=data)
    merchant_update(merchant=merchant, actor=None,
                                      data=dataclasses.replace(data, address="杭州市2号"))
    merchant.refresh_from_db()
    assert (merchant.address, merchant.screening_text) == (
        "杭州市2号", "澳门赌场娱乐有限公司\nlucky赌场\n餐饮服务")


def test_the_migration_fills_the_screening_text_of_existing_merchants():
    from django.apps import apps

    migration = importlib.import_module("merchants.migrations.0004_merchant_screening_text")
    merchant = factories.make_merchant(legal_name="皇冠賭場", short_name="Ｃａｓｉｎｏ",
                                       business_scope="酒店管理")
    Merchant.objects.update(screening_text="")
    migration.fill_screening_text(apps, None)
    merchant.refresh_from_db()
    assert merchant.screening_text == "皇冠赌场\ncasino\n酒店管理"


def test_a_keyword_never_matches_across_two_fields():
    entry(EntryKind.KEYWORD, "赌场")
    merchant = factories.make_merchant(legal_name="上海豪赌", short_name="场地出租",
                                       business_scope="赌")
    assert screen(merchant).outcome == screening.CLEAN


def test_a_keyword_in_several_fields_is_one_hit_per_field():
    listed = entry(EntryKind.KEYWORD, "赌场")
    merchant = factories.make_merchant(legal_name="赌场赌场", short_name="小店",
                                       business_scope="反赌场宣传")
    assert [(hit.entry_id, hit.field, hit.hard) for hit in screen(merchant).hits] == [
        (listed.pk, "legal_name", True), (listed.pk, "business_scope", False)]


def test_overlapping_keywords_are_all_found():
    entry(EntryKind.KEYWORD, "赌场", category=EntryCategory.GAMBLING)
    entry(EntryKind.KEYWORD, "场子", category=EntryCategory.FRAUD)
    entry(EntryKind.KEYWORD, "子弹", category=EntryCategory.SANCTIONS)
    result = screen(factories.make_merchant(short_name="赌场子弹"))
    assert sorted(hit.category for hit in result.hits) == ["fraud", "gambling", "sanctions"]
    assert result.decisive_hit.category == EntryCategory.SANCTIONS


@pytest.mark.parametrize("name", ["澳門賭場", FULL_WIDTH_DUCHANG + "俱乐部"])
def test_a_new_keyword_finds_a_variant_through_the_stored_text(name):
    merchant = live(legal_name=name)
    bystander = live(legal_name="赌客 场地出租")
    listed = entry(EntryKind.KEYWORD, "賭場" if "賭" in name else "Du Chang")
    assert services.rescreen_for_entry(entry_id=listed.pk) == 1
    merchant.refresh_from_db()
    bystander.refresh_from_db()
    assert (merchant.state, bystander.state) == (MerchantState.SUSPENDED, MerchantState.ACTIVE)


@pytest.mark.parametrize("keyword", ["赌", "ＡＢ"])
def test_a_keyword_too_short_for_trigrams_still_finds_its_merchants(keyword):
    name = "上海赌坊" if keyword == "赌" else "AB商行"
    merchant = live(short_name=name)
    live(short_name="示例小店")
    listed = entry(EntryKind.KEYWORD, keyword, category=EntryCategory.FRAUD)
    assert services.rescreen_for_entry(entry_id=listed.pk) == 1
    assert actions_on(target=merchant).get().kind == ActionKind.RECTIFY


def test_a_new_keyword_rescreens_only_the_merchants_whose_text_contains_it():
    for _ in range(5):
        live()
    hit = live(short_name="速發")
    listed = entry(EntryKind.KEYWORD, "速发", category=EntryCategory.FRAUD)
    with mock.patch.object(services, "merchant_rescreen_live",
                           wraps=services.merchant_rescreen_live) as rescreen:
        assert services.rescreen_for_entry(entry_id=listed.pk) == 1
    assert [call.kwargs["merchant"].pk for call in rescreen.call_args_list] == [hit.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index")
def test_postgresql_indexes_the_screening_text_by_trigrams():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s",
                       ["merchant_screening_text_trgm"])
        assert "gin_trgm_ops" in cursor.fetchone()[0]
