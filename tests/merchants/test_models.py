import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from merchants.choices import LIVE_MERCHANT_STATES, AuthorizationState, MerchantState
from merchants.models import Merchant, Store
from tests import factories

pytestmark = pytest.mark.django_db

NOT_LIVE_STATES = [state for state in MerchantState if state not in LIVE_MERCHANT_STATES]


def test_external_id_is_unique_per_isv_in_the_database(isv):
    factories.make_merchant(isv=isv, external_id="SHOP-1")

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_merchant(isv=isv, external_id="SHOP-1")


def test_same_external_id_in_another_isv_is_allowed(isv):
    factories.make_merchant(isv=isv, external_id="SHOP-1")

    assert factories.make_merchant(external_id="SHOP-1").pk


@pytest.mark.parametrize("first_state", LIVE_MERCHANT_STATES)
@pytest.mark.parametrize("second_state", LIVE_MERCHANT_STATES)
def test_a_uscc_is_live_only_once(first_state, second_state):
    uscc = factories.make_uscc()
    factories.make_merchant(uscc=uscc, state=first_state)

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_merchant(uscc=uscc, state=second_state)


@pytest.mark.parametrize("other_state", NOT_LIVE_STATES)
def test_a_live_uscc_may_repeat_on_merchants_that_are_not_live(other_state):
    uscc = factories.make_uscc()
    factories.make_merchant(uscc=uscc, state=MerchantState.ACTIVE)

    assert factories.make_merchant(uscc=uscc, state=other_state).pk


def test_rejected_merchant_needs_a_reason_code(isv):
    merchant = factories.make_merchant(isv=isv, state=MerchantState.REJECTED)

    with pytest.raises(IntegrityError), transaction.atomic():
        Merchant.objects.filter(pk=merchant.pk).update(rejection_reason_code="")


def test_rectifying_merchant_needs_a_deadline(isv):
    merchant = factories.make_merchant(isv=isv, state=MerchantState.RECTIFYING)

    with pytest.raises(IntegrityError), transaction.atomic():
        Merchant.objects.filter(pk=merchant.pk).update(rectification_deadline=None)


def test_state_outside_the_choices_is_refused(merchant):
    with pytest.raises(IntegrityError), transaction.atomic():
        Merchant.objects.filter(pk=merchant.pk).update(state="approved")


def test_one_active_authorization_per_merchant_and_app(merchant, app):
    factories.make_authorization(merchant=merchant, app=app)

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_authorization(merchant=merchant, app=app)


@pytest.mark.parametrize("ended_state", [AuthorizationState.REVOKED,
                                         AuthorizationState.EXPIRED])
def test_ended_authorizations_do_not_block_an_active_one(merchant, app, ended_state):
    ended_at = {"revoked_at": timezone.now()} if ended_state == AuthorizationState.REVOKED else {}
    factories.make_authorization(merchant=merchant, app=app, state=ended_state, **ended_at)

    assert factories.make_authorization(merchant=merchant, app=app).pk


def test_revoked_authorization_needs_a_revocation_time(merchant, app):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_authorization(merchant=merchant, app=app,
                                     state=AuthorizationState.REVOKED)


def test_store_external_id_is_unique_per_merchant_in_the_database(merchant):
    Store.objects.create(merchant=merchant, external_id="S-1", name="一号店", city="上海",
                         address="世纪大道1号")

    with pytest.raises(IntegrityError), transaction.atomic():
        Store.objects.create(merchant=merchant, external_id="S-1", name="二号店",
                             city="上海", address="世纪大道2号")


def test_string_forms_show_no_personal_data(merchant, app):
    store = Store.objects.create(merchant=merchant, external_id="S-1", name="一号店",
                                 city="上海", address="世纪大道1号")
    merchant_user = factories.make_merchant_user(merchant=merchant)
    authorization = factories.make_authorization(merchant=merchant, app=app)
    personal = [merchant.reveal_legal_rep_id_number(), merchant.reveal_settlement_account(),
                merchant.legal_rep_id_number_masked, merchant.settlement_account_masked,
                merchant.legal_rep_name, merchant.contact_phone]

    for text in (str(merchant), str(store), str(merchant_user), str(authorization)):
        assert merchant.short_name in text
        for value in personal:
            assert value not in text


@pytest.mark.django_db
def test_merchant_row_cannot_be_saved_with_unsealed_personal_data(isv):
    merchant = factories.make_merchant(isv=isv)
    with pytest.raises(IntegrityError), transaction.atomic():
        Merchant.objects.filter(pk=merchant.pk).update(settlement_account_digest="")
