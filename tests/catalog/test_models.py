import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from catalog.choices import CapabilityStatus, Layer
from catalog.models import Capability, FunctionPack, IndustrySolution
from catalog.selectors import catalog_overview

REQUIRED_PACKS = {
    "payment_basics", "face_to_face_payment", "membership_card", "points", "coupons",
    "marketing_risk_control", "e_invoice", "invoice_titles", "customer_insight",
    "enterprise_wealth_fund", "merchant_micro_loan", "credit_score", "consumer_installments",
}


@pytest.mark.django_db
def test_migrate_loads_the_shipped_catalog():
    assert Capability.objects.count() >= 40
    assert FunctionPack.objects.count() >= 12
    assert set(FunctionPack.objects.values_list("code", flat=True)) >= REQUIRED_PACKS
    assert set(IndustrySolution.objects.values_list("industry", flat=True)) == {
        "retail", "pharmacy", "mother_baby", "hotel", "hospital",
    }
    assert set(Capability.objects.values_list("layer", flat=True)) == set(Layer.values)


@pytest.mark.django_db
def test_exactly_the_capabilities_with_an_endpoint_are_available():
    available = Capability.objects.filter(status=CapabilityStatus.AVAILABLE)
    assert set(available.values_list("code", flat=True)) == _served_capabilities()


def _served_capabilities(patterns=None) -> set[str]:
    from django.urls import URLResolver, get_resolver

    served = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            served |= _served_capabilities(pattern.url_patterns)
            continue
        view_class = getattr(pattern.callback, "view_class", None)
        if getattr(view_class, "capability", None):
            served.add(view_class.capability)
    return served


@pytest.mark.django_db
def test_every_solution_bundles_packs_and_every_pack_has_capabilities():
    assert not IndustrySolution.objects.filter(packs=None).exists()
    assert not FunctionPack.objects.filter(capabilities=None).exists()


@pytest.mark.django_db
def test_catalog_text_follows_the_active_language():
    pack = FunctionPack.objects.get(code="face_to_face_payment")
    with translation.override("zh-hans"):
        assert pack.display_name == pack.name_zh
    with translation.override("en"):
        assert pack.display_name == pack.name
        assert str(pack) == f"face_to_face_payment · {pack.name}"
    assert pack.scope == "pack:face_to_face_payment"


@pytest.mark.django_db
def test_catalog_overview_groups_every_pack_once(django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        overview = catalog_overview()
        codes = [pack.code for layer in overview for pack in layer.packs]
    assert sorted(codes) == sorted(FunctionPack.objects.values_list("code", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("field, value", [("layer", "cloud"), ("status", "retired")])
def test_capability_rejects_values_outside_its_choices(field, value):
    fields = {"layer": "basic", "status": "planned", field: value}
    with pytest.raises(IntegrityError), transaction.atomic():
        Capability.objects.create(code="x.y.z", name="x", name_zh="x", description="x",
                                  description_zh="x", **fields)


@pytest.mark.django_db
def test_pack_quota_must_be_positive():
    with pytest.raises(IntegrityError), transaction.atomic():
        FunctionPack.objects.create(code="empty", name="x", name_zh="x", description="x",
                                    description_zh="x", layer="basic",
                                    default_daily_quota=0, default_per_second_quota=1)
