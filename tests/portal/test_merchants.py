"""Portal merchant pages: the list (filters, keyset pages, query counts), onboarding by form
with live validation, the detail page (history, authorizations, links and QR codes, trades),
roles and tenancy."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from capabilities.payment.models import Trade
from capabilities.payment.views import sticker_path
from governance import services as governance_services
from isv.choices import MemberRole
from merchants.choices import MerchantState
from merchants.models import Merchant
from merchants.services.lifecycle import merchant_submit
from tests import factories
from tests.portal.support import client_for, make_member

pytestmark = pytest.mark.django_db

LIST_URL = reverse("portal:merchant_list")
CREATE_URL = reverse("portal:merchant_create")


def form_data(**overrides) -> dict[str, str]:
    number = factories.next_number()
    data = {
        "external_id": f"shop-{number}", "legal_name": "上海示例商贸有限公司",
        "short_name": "示例小店", "uscc": factories.make_uscc(number), "legal_rep_name": "王五",
        "legal_rep_id_number": factories.make_id_number(number),
        "settlement_account_name": "上海示例商贸有限公司", "settlement_bank_name": "中国工商银行",
        "settlement_account": factories.make_bank_account(number),
        "contact_phone": "13912345678", "contact_email": "boss@example.com", "mcc": "5411",
        "address": "上海市浦东新区世纪大道100号", "business_scope": "日用百货零售",
        "website": "shop.example.com",
    }
    return {**data, **overrides}


def detail_url(merchant) -> str:
    return reverse("portal:merchant_detail", args=[merchant.pk])


# --- List -----------------------------------------------------------------------------------


def test_the_list_shows_an_empty_state_with_the_ways_to_onboard(owner_client, portal_isv):
    response = owner_client.get(LIST_URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>" in body and "No merchants yet" in body
    assert reverse("portal:merchant_import") in body


def test_the_list_shows_only_the_isvs_own_merchants(owner_client, portal_isv):
    own = factories.make_merchant(isv=portal_isv, short_name="自家小店")
    factories.make_merchant(short_name="别家小店")

    body = owner_client.get(LIST_URL).content.decode()

    assert "自家小店" in body and "别家小店" not in body
    assert detail_url(own) in body


@pytest.mark.parametrize("rows", [3, 40])
def test_the_list_costs_the_same_queries_whatever_the_number_of_rows(
    owner_client, portal_isv, rows, django_assert_max_num_queries,
):
    for _number in range(rows):
        factories.make_merchant(isv=portal_isv)

    with django_assert_max_num_queries(6):
        response = owner_client.get(LIST_URL, {"state": ["draft", "active"], "q": "示例"})

    assert response.status_code == 200


@pytest.mark.parametrize(("query", "expected"), [
    ({"state": "active"}, {"active-grocery"}),
    ({"state": ["active", "rejected"]}, {"active-grocery", "rejected-taxi"}),
    ({"category": "transport"}, {"rejected-taxi"}),
    ({"q": "Taxi"}, {"rejected-taxi"}),
    ({"q": "grocery"}, {"active-grocery", "draft-grocery"}),
    ({"q": "宏达"}, {"draft-grocery"}),
])
def test_the_list_filters(owner_client, portal_isv, query, expected):
    factories.make_merchant(isv=portal_isv, external_id="active-grocery",
                            state=MerchantState.ACTIVE)
    factories.make_merchant(isv=portal_isv, external_id="draft-grocery", short_name="宏达小店")
    factories.make_merchant(isv=portal_isv, external_id="rejected-taxi", mcc="4121",
                            state=MerchantState.REJECTED)

    body = owner_client.get(LIST_URL, query).content.decode()

    shown = {external_id for external_id in ("active-grocery", "draft-grocery", "rejected-taxi")
             if f"<code>{external_id}</code>" in body}
    assert shown == expected


def test_the_search_finds_a_merchant_by_its_whole_uscc(owner_client, portal_isv):
    wanted = factories.make_merchant(isv=portal_isv, external_id="wanted")
    factories.make_merchant(isv=portal_isv, external_id="other")

    body = owner_client.get(LIST_URL, {"q": wanted.uscc.lower()}).content.decode()

    assert "<code>wanted</code>" in body and "<code>other</code>" not in body


def test_the_list_filters_by_creation_day(owner_client, portal_isv):
    old = factories.make_merchant(isv=portal_isv, external_id="old")
    Merchant.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    factories.make_merchant(isv=portal_isv, external_id="new")
    since = (timezone.localdate() - timedelta(days=2)).isoformat()
    until = (timezone.localdate() - timedelta(days=5)).isoformat()

    recent = owner_client.get(LIST_URL, {"created_from": since}).content.decode()
    older = owner_client.get(LIST_URL, {"created_to": until}).content.decode()

    assert "<code>new</code>" in recent and "<code>old</code>" not in recent
    assert "<code>old</code>" in older and "<code>new</code>" not in older


def test_a_filter_that_matches_nothing_says_so(owner_client, portal_isv):
    factories.make_merchant(isv=portal_isv)

    body = owner_client.get(LIST_URL, {"q": "nothing-like-this"}).content.decode()

    assert "No merchant matches these filters" in body


def test_the_list_pages_forward_and_back_with_the_filters_kept(owner_client, portal_isv):
    moment = timezone.now()
    for number in range(30):
        merchant = factories.make_merchant(isv=portal_isv, external_id=f"page-{number:02d}")
        # Some share a creation time: the id breaks the tie.
        Merchant.objects.filter(pk=merchant.pk).update(
            created_at=moment - timedelta(minutes=number // 2))

    expected = list(Merchant.objects.order_by("-created_at", "-id")
                    .values_list("external_id", flat=True))
    first = owner_client.get(LIST_URL, {"q": "page"})
    first_body = first.content.decode()
    second = owner_client.get(LIST_URL + first.context["next_url"])
    second_body = second.content.decode()
    back = owner_client.get(LIST_URL + second.context["previous_url"])

    assert first.context["previous_url"] is None
    assert [m.external_id for m in first.context["page"].merchants] == expected[:25]
    assert [m.external_id for m in second.context["page"].merchants] == expected[25:]
    assert second.context["next_url"] is None
    assert "q=page" in first.context["next_url"]
    assert [m.external_id for m in back.context["page"].merchants] == expected[:25]
    assert back.context["previous_url"] is None
    assert "Next" in first_body and "Previous" in second_body


def test_a_cursor_that_was_not_made_here_shows_the_first_page(owner_client, portal_isv):
    factories.make_merchant(isv=portal_isv, external_id="first")

    response = owner_client.get(LIST_URL, {"cursor": "not-a-cursor!"})

    assert response.status_code == 200
    assert "<code>first</code>" in response.content.decode()


# --- Onboarding by form ---------------------------------------------------------------------


def test_bad_input_shows_each_error_beside_its_field_and_keeps_what_was_typed(
    owner_client, portal_isv,
):
    data = form_data(uscc="91310000ABC", settlement_account="6222020000000000421",
                     legal_rep_id_number="110105198001010012", contact_phone="12345",
                     short_name="")

    response = owner_client.post(CREATE_URL, data)

    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"uscc", "settlement_account", "legal_rep_id_number",
                                "contact_phone", "short_name"}
    body = response.content.decode()
    assert 'id="settlement_account-feedback"' in body
    assert 'value="91310000ABC"' in body and data["legal_name"] in body
    assert not Merchant.objects.exists()


def test_saving_a_draft_masks_personal_data_from_then_on(owner_client, portal_isv):
    data = form_data()

    response = owner_client.post(CREATE_URL, {**data, "save": ""}, follow=True)

    merchant = Merchant.objects.get()
    assert merchant.state == MerchantState.DRAFT and merchant.isv == portal_isv
    body = response.content.decode()
    assert "Draft of 示例小店 saved" in body
    assert data["legal_rep_id_number"] not in body and data["settlement_account"] not in body
    assert merchant.legal_rep_id_number_masked in body
    assert merchant.settlement_account_masked in body
    edit = owner_client.get(reverse("portal:merchant_edit", args=[merchant.pk])).content.decode()
    assert data["legal_rep_id_number"] not in edit and data["settlement_account"] not in edit


def test_submitting_shows_the_screening_outcome(owner_client, portal_isv,
                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(CREATE_URL, {**form_data(), "submit": ""})

    merchant = Merchant.objects.get()
    assert response.status_code == 302
    assert merchant.state == MerchantState.ACTIVE
    body = owner_client.get(detail_url(merchant)).content.decode()
    assert "Screening passed" in body
    assert "Submitted for screening" in body and "Activated" in body


def test_a_negative_list_hit_shows_the_reason_code_and_text(
    owner_client, portal_isv, staff_user, django_capture_on_commit_callbacks,
):
    data = form_data()
    governance_services.negative_list_entry_add(
        actor=staff_user, kind="id_number", value=data["legal_rep_id_number"],
        category="gambling", source="test")

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(CREATE_URL, {**data, "submit": ""})

    merchant = Merchant.objects.get()
    assert merchant.state == MerchantState.REJECTED
    body = owner_client.get(detail_url(merchant)).content.decode()
    assert "negative_list.gambling" in body
    assert "matches the platform&#x27;s negative list" in body
    assert data["legal_rep_id_number"] not in body


def test_a_rejected_merchant_can_be_corrected_and_resubmitted(owner_client, portal_isv):
    merchant = factories.make_merchant(isv=portal_isv, state=MerchantState.REJECTED)

    response = owner_client.post(reverse("portal:merchant_reopen", args=[merchant.pk]))

    assert response.url == reverse("portal:merchant_edit", args=[merchant.pk])
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.DRAFT and merchant.rejection_reason_code == ""


def test_editing_with_the_personal_data_left_empty_keeps_it(owner_client, portal_isv):
    merchant = factories.make_merchant(isv=portal_isv)
    digests = (merchant.legal_rep_id_number_digest, merchant.settlement_account_digest)
    data = form_data(external_id=merchant.external_id, short_name="新名字",
                     legal_rep_id_number="", settlement_account="")

    response = owner_client.post(reverse("portal:merchant_edit", args=[merchant.pk]),
                                 {**data, "save": ""})

    assert response.status_code == 302
    merchant.refresh_from_db()
    assert merchant.short_name == "新名字"
    assert (merchant.legal_rep_id_number_digest, merchant.settlement_account_digest) == digests


def test_an_active_merchant_cannot_be_edited(owner_client, portal_isv):
    merchant = factories.make_merchant(isv=portal_isv, state=MerchantState.ACTIVE)

    response = owner_client.post(reverse("portal:merchant_edit", args=[merchant.pk]),
                                 form_data())

    assert response.url == detail_url(merchant)


def test_a_draft_is_submitted_from_its_page(owner_client, portal_isv,
                                            django_capture_on_commit_callbacks):
    merchant = factories.make_merchant(isv=portal_isv)

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("portal:merchant_submit", args=[merchant.pk]))

    merchant.refresh_from_db()
    assert merchant.state == MerchantState.ACTIVE


def test_submitting_twice_says_it_is_not_allowed(owner_client, portal_isv):
    merchant = factories.make_merchant(isv=portal_isv, state=MerchantState.ACTIVE)

    response = owner_client.post(reverse("portal:merchant_submit", args=[merchant.pk]),
                                 follow=True)

    assert "cannot go from Active to Submitted" in response.content.decode()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("uscc", "91310000ABC", "exactly 18"),
    ("legal_rep_id_number", "110105198001010012", None),
    ("settlement_account", "6222020000000000421", None),
    ("contact_phone", "12345", None),
    ("mcc", "0000", None),
])
def test_live_validation_reports_a_bad_value_beside_the_field(owner_client, portal_isv,
                                                              field, value, message):
    url = reverse("portal:merchant_validate_field", args=[field])

    bad = owner_client.post(url, {field: value}, headers={"HX-Request": "true"})
    good = owner_client.post(url, {field: form_data()[field]})

    bad_body = bad.content.decode()
    assert f'id="{field}-feedback"' in bad_body and "errorlist" in bad_body
    if message:
        assert message in bad_body
    assert "Looks right" in good.content.decode()


def test_live_validation_takes_no_values_in_the_url(owner_client, portal_isv):
    url = reverse("portal:merchant_validate_field", args=["settlement_account"])

    assert owner_client.get(url, {"settlement_account": "6222"}).status_code == 405
    assert owner_client.post(reverse("portal:merchant_validate_field",
                                     args=["legal_name"])).status_code == 404


def test_an_isv_not_yet_approved_is_told_it_cannot_onboard(portal_owner):
    isv = factories.make_isv(state="pending_review")
    member = make_member(isv, MemberRole.OWNER)

    response = client_for(member.user).post(CREATE_URL, form_data())

    assert response.status_code == 400
    assert "not active" in response.content.decode()


# --- Detail ---------------------------------------------------------------------------------


def test_the_detail_shows_history_authorizations_sticker_and_trades(
    owner_client, portal_isv, django_assert_max_num_queries,
):
    merchant = factories.make_merchant(isv=portal_isv)
    merchant_submit(merchant=merchant, actor=None)
    governance_services.merchant_screen(merchant=merchant)
    app = factories.make_app(isv=portal_isv, name="收银台")
    factories.make_authorization(merchant=merchant, app=app)
    Trade.objects.create(merchant=merchant, app=app, trade_no="T0001", out_trade_no="o1",
                         kind="precreate", subject="咖啡", amount=12345, fee_rate_bp=38,
                         request_fingerprint="x", expires_at=timezone.now())

    with django_assert_max_num_queries(20):
        response = owner_client.get(detail_url(merchant))

    body = response.content.decode()
    assert "Onboarded as a draft" not in body  # made by the factory, not the service
    assert "Activated" in body and "Screening" in body
    assert "收银台" in body and factories.get_pack().display_name in body
    # The sticker's signed token carries a timestamp: compare the path up to it.
    assert sticker_path(merchant).split(":")[0] in body and "<svg" in body
    assert "123.45" in body and "T0001" in body


def test_the_authorization_link_is_built_like_the_apis(owner_client, portal_isv):
    merchant = factories.make_merchant(isv=portal_isv, state=MerchantState.ACTIVE)
    app = factories.make_app(isv=portal_isv)
    pack = factories.get_pack()
    factories.make_subscription(app=app, pack=pack)

    response = owner_client.get(detail_url(merchant), {
        "app": app.pk, "packs": [pack.pk], "redirect_uri": ""})

    link = response.context["link"]
    assert link["url"].startswith("http")
    assert f"client_id={app.client_id}" in link["url"]
    assert "scope=pack%3Amerchant_basics" in link["url"]
    assert 'id="authorization-url"' in response.content.decode()


def test_the_authorization_link_refuses_a_pack_the_app_does_not_hold(owner_client,
                                                                     portal_isv):
    merchant = factories.make_merchant(isv=portal_isv, state=MerchantState.ACTIVE)
    app = factories.make_app(isv=portal_isv)
    other_app = factories.make_app(isv=portal_isv)
    pack = factories.get_pack()
    factories.make_subscription(app=other_app, pack=pack)

    response = owner_client.get(detail_url(merchant), {"app": app.pk, "packs": [pack.pk]})

    assert "url" not in response.context["link"]
    assert "no active subscription" in response.content.decode()


def test_another_isvs_merchant_is_not_found(owner_client, portal_isv):
    other = factories.make_merchant()

    for url in (detail_url(other), reverse("portal:merchant_edit", args=[other.pk])):
        assert owner_client.get(url).status_code == 404
    assert owner_client.post(reverse("portal:merchant_submit",
                                     args=[other.pk])).status_code == 404


# --- Roles ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "may_onboard"), [
    (MemberRole.OWNER, True), (MemberRole.ADMIN, True),
    (MemberRole.DEVELOPER, True), (MemberRole.FINANCE, False),
])
def test_every_member_sees_merchants_but_only_some_onboard(portal_isv, role, may_onboard):
    merchant = factories.make_merchant(isv=portal_isv, state=MerchantState.ACTIVE)
    client = client_for(make_member(portal_isv, role).user)

    assert client.get(LIST_URL).status_code == 200
    detail = client.get(detail_url(merchant))
    assert detail.status_code == 200
    assert client.get(CREATE_URL).status_code == (200 if may_onboard else 403)
    assert client.get(reverse("portal:merchant_import")).status_code == (
        200 if may_onboard else 403)
    assert ('id="authorization-link"' in detail.content.decode()) is may_onboard


def test_a_settled_day_is_listed_and_its_statement_downloads_for_finance(
        owner_client, portal_isv):
    from capabilities.payment import services as payment_services

    merchant = factories.make_merchant(isv=portal_isv, state=MerchantState.ACTIVE)
    buyer = payment_services.sandbox_buyer_ensure(login="b", name="B", balance=100_000)
    trade, _ = payment_services.trade_open(merchant=merchant, app=None, kind="sticker",
                                           out_trade_no="s-1", amount=8_800, subject="Tea",
                                           actor=None)
    payment_services.trade_pay(trade=trade, buyer=buyer, actor=None)
    day = timezone.localdate()
    payment_services.settlement_close_day(merchant=merchant, day=day)

    page = owner_client.get(detail_url(merchant))
    assert "88.00" in page.content.decode()
    url = reverse("portal:merchant_statement_csv", args=[merchant.pk, day.isoformat()])
    download = owner_client.get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv"
    assert "s-1" in download.content.decode()
    developer = make_member(portal_isv, MemberRole.DEVELOPER).user
    assert client_for(developer).get(url).status_code == 403
    bad_day = reverse("portal:merchant_statement_csv", args=[merchant.pk, "2026-13-45"])
    assert owner_client.get(bad_day).status_code == 404
    other = factories.make_merchant(state=MerchantState.ACTIVE)
    foreign = reverse("portal:merchant_statement_csv", args=[other.pk, day.isoformat()])
    assert owner_client.get(foreign).status_code == 404
