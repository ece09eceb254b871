import pytest
from django.core.exceptions import ValidationError

from governance import services
from governance.choices import EntryCategory, EntryKind
from governance.models import NegativeListEntry
from openplatform.audit.models import AuditEvent
from openplatform.data import pii
from tests import factories

pytestmark = pytest.mark.django_db


def add(kind, value, **fields):
    fields.setdefault("category", EntryCategory.GAMBLING)
    fields.setdefault("source", "Public security bulletin 2026-11")
    return services.negative_list_entry_add(actor=None, kind=kind, value=value, **fields)


@pytest.mark.parametrize(
    "kind, raw, stored",
    [
        (EntryKind.USCC, " 91110000600037341l ", "91110000600037341L"),
        (EntryKind.PHONE, "+86 139-1234-5678", "13912345678"),
        (EntryKind.DOMAIN, "https://WWW.Bet-Now.example/path", "www.bet-now.example"),
        (EntryKind.KEYWORD, "ＤＵ ＣＨＡＮＧ", "duchang"),
        (EntryKind.INDUSTRY, "7995", "7995"),
    ],
)
def test_entries_are_stored_normalised(kind, raw, stored):
    entry = add(kind, raw)
    assert entry.value == stored
    assert entry.display_value == stored
    assert AuditEvent.objects.get(action="negative_list.entry_added").after["kind"] == kind


@pytest.mark.parametrize(
    "kind, make_value, digest, mask",
    [
        (EntryKind.ID_NUMBER, factories.make_id_number, pii.digest_id_number,
         pii.mask_id_number),
        (EntryKind.BANK_ACCOUNT, factories.make_bank_account, pii.digest_bank_account,
         pii.mask_bank_account),
    ],
)
def test_personal_data_entries_keep_only_a_digest_and_a_mask(kind, make_value, digest, mask):
    clear = make_value()
    entry = add(kind, clear)
    assert entry.value == digest(clear)
    assert entry.display_value == mask(clear)
    row = NegativeListEntry.objects.filter(pk=entry.pk).values().get()
    assert clear not in str(row)
    assert clear not in str(AuditEvent.objects.get(action="negative_list.entry_added").after)


def test_invalid_value_is_a_field_error_and_writes_nothing():
    with pytest.raises(ValidationError) as error:
        add(EntryKind.USCC, "91350100M000100Y4Z")
    assert error.value.error_dict["value"][0].code == "uscc_charset"
    assert not NegativeListEntry.objects.exists()
    assert not AuditEvent.objects.exists()


def test_duplicate_value_is_refused():
    add(EntryKind.KEYWORD, "赌场")
    with pytest.raises(ValidationError) as error:
        add(EntryKind.KEYWORD, " 赌 场 ")
    assert error.value.error_dict["value"][0].code == "entry_exists"
    assert NegativeListEntry.objects.count() == 1


def test_update_and_remove_are_audited():
    entry = add(EntryKind.KEYWORD, "赌场")
    services.negative_list_entry_update(entry=entry, actor=None, category=EntryCategory.FRAUD,
                                        source="Review", note="reclassified")
    entry.refresh_from_db()
    assert entry.category == EntryCategory.FRAUD
    services.negative_list_entry_remove(entry=entry, actor=None)
    assert not NegativeListEntry.objects.exists()
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "negative_list.entry_added", "negative_list.entry_updated",
        "negative_list.entry_removed",
    ]
