"""Benchmark of the portal's merchant list (issue 7, item 6): see bench/README.md.

Fills a database of its own (DATABASE_URL, PostgreSQL, name ending in ``_bench``) with one
ISV of ``--merchants`` merchants, written with COPY, then times the list page through Django's
test client with a signed-in member: the first page, a page deep in the list, a filtered page
and searches, each the median of ``--repeat`` requests after one warm-up.

Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench
.venv/bin/python bench/portal_merchants.py --merchants 100000``
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openplatform.settings")
os.environ.setdefault("DEBUG", "false")  # no query log kept in memory during the run

import django  # noqa: E402

from bench.database import ensure_bench_database  # noqa: E402

TARGET_SECONDS = 0.5  # "well under a second"
PAGES_DEEP = 20
CITIES = ["上海", "北京", "广州", "深圳", "杭州", "成都", "武汉", "南京"]
BRAND_CHARS = "华盛鑫顺达恒泰丰源隆兴利福安康宏嘉和德信"
TRADES = ["商贸", "餐饮", "科技", "文化", "服饰", "食品", "电子", "物流"]
SHOP_KINDS = ["小店", "超市", "餐厅", "便利店", "工作室", "商行"]
# Retail, food, services, transport, healthcare, education (openplatform/data/mcc.json).
MCCS = ["5411", "5812", "5311", "7230", "4121", "5912", "8299", "5999"]
# Not encrypted and no real digests, for speed: the list never reads them.
PLACEHOLDER = "bench-placeholder-not-encrypted"


def prepare_database() -> None:
    ensure_bench_database("bench/portal_merchants.py")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from isv.models import Isv
    from merchants.models import Merchant
    from openplatform.audit.models import AuditEvent

    call_command("migrate", verbosity=0)
    tables = ", ".join(model._meta.db_table for model in (Isv, Merchant, AuditEvent))
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def uscc(number: int) -> str:
    from openplatform.data.validators import uscc_check_char

    body = f"91330000{number:09d}"
    return body + uscc_check_char(body)


def merchant_state(index: int) -> str:
    bucket = index % 100
    if bucket < 10:
        return "draft"
    if bucket < 15:
        return "rejected"
    if bucket < 17:
        return "suspended"
    return "active"


def merchant_row(index: int, count: int, isv_id: int, now) -> dict:
    city = CITIES[index % len(CITIES)]
    brand = BRAND_CHARS[index % len(BRAND_CHARS)] + BRAND_CHARS[index // 7 % len(BRAND_CHARS)]
    trade = TRADES[index // 3 % len(TRADES)]
    state = merchant_state(index)
    # Spread over the last year, the newest last written.
    created = now - timedelta(days=365) * (count - index) / count
    return {
        "created_at": created, "updated_at": created, "isv_id": isv_id,
        "external_id": f"M{index:09d}",
        "legal_name": f"{city}{brand}{trade}有限公司{index}",
        "short_name": f"{brand}{SHOP_KINDS[index % len(SHOP_KINDS)]}{index}",
        "uscc": uscc(index), "legal_rep_name": "王五",
        "legal_rep_id_number_ciphertext": PLACEHOLDER,
        "legal_rep_id_number_digest": f"bench-{index}",
        "legal_rep_id_number_masked": "110***********0011",
        "settlement_account_name": f"{city}{brand}{trade}有限公司",
        "settlement_bank_name": "中国工商银行",
        "settlement_account_ciphertext": PLACEHOLDER,
        "settlement_account_digest": f"bench-{index}",
        "settlement_account_masked": "6222 **** 0428",
        "contact_phone": f"139{index:08d}", "contact_email": "",
        "mcc": MCCS[index % len(MCCS)], "address": f"{city}市人民路{index % 999 + 1}号",
        "business_scope": "日用百货零售", "website": "", "screening_text": "",
        "state": state,
        "rejection_reason_code": "negative_list.other" if state == "rejected" else "",
        "rejection_reason_message": "",
        "rectification_deadline": None,
        "submitted_at": None if state == "draft" else created,
        "activated_at": created if state in ("active", "suspended") else None,
    }


def create_data(count: int):
    """One active ISV, an owner who verified their address, and ``count`` merchants."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from isv.models import Isv, IsvMember
    from merchants.models import Merchant
    from openplatform.accounts.models import VerifiedEmail

    user_model = get_user_model()
    email = "bench-owner@example.com"
    user_model.objects.filter(username=email).delete()
    user = user_model.objects.create_user(username=email, email=email, password=None)
    now = timezone.now()
    VerifiedEmail.objects.create(user=user, email=email, verified_at=now)
    isv = Isv.objects.create(name="基准服务商", uscc=uscc(999_999_999), kind="company",
                             legal_representative="张三", contact_name="李四",
                             contact_email=email, contact_phone="13800138000", state="active")
    IsvMember.objects.create(isv=isv, user=user, role="owner")
    columns = [field.column for field in Merchant._meta.concrete_fields if not field.primary_key]
    statement = f"COPY {Merchant._meta.db_table} ({', '.join(columns)}) FROM STDIN"
    with transaction.atomic(), connection.cursor() as cursor, cursor.copy(statement) as copy:
        for index in range(count):
            row = merchant_row(index, count, isv.pk, now)
            copy.write_row([row[column] for column in columns])
    # Merge the trigram indexes' pending lists, which the COPY filled, as autovacuum soon
    # would: until then every search reads them through.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "WHERE i.indrelid = %s::regclass AND a.amname = 'gin'", [Merchant._meta.db_table])
        cursor.execute(f"ANALYZE {Merchant._meta.db_table}")
    return user


def measure(client, url: str, repeat: int) -> tuple[float, int, int, str]:
    """(median seconds, queries, rows shown, the response's next-page link)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: templates, translations, the connection
    times = []
    for _attempt in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
    if response.status_code != 200:
        sys.exit(f"bench/portal_merchants.py: {url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return (statistics.median(times), len(queries), len(response.context["page"].merchants),
            response.context["next_url"] or "")


def run(arguments: argparse.Namespace) -> None:
    start = time.perf_counter()
    prepare_database()
    setup_seconds = time.perf_counter() - start
    start = time.perf_counter()
    user = create_data(arguments.merchants)
    data_seconds = time.perf_counter() - start
    print(f"\nData: {arguments.merchants} merchants of one ISV "
          f"(database {setup_seconds:.1f} s, COPY + index merge + ANALYZE {data_seconds:.1f} s)")

    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from merchants.models import Merchant

    # So that responses carry their template context (the rows shown, the next-page link).
    setup_test_environment()
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    base = reverse("portal:merchant_list")
    since = (timezone.localdate() - timedelta(days=90)).isoformat()
    probe = Merchant.objects.order_by("id")[arguments.merchants // 3]

    deep_url = base
    for _page in range(PAGES_DEEP):
        deep_url = base + measure(client, deep_url, 1)[3]

    cases = [
        ("first page", base),
        (f"page {PAGES_DEEP + 1} (keyset cursor)", deep_url),
        ("filtered: active, food, last 90 days",
         f"{base}?state=active&category=food&created_from={since}"),
        ("filtered: rejected + suspended", f"{base}?state=rejected&state=suspended"),
        ("search: name fragment", f"{base}?q={probe.short_name[:2]}"),
        ("search: external ID", f"{base}?q={probe.external_id}"),
        ("search: whole USCC", f"{base}?q={probe.uscc}"),
        ("search: no match", f"{base}?q=nothing-like-this"),
    ]
    print(f"\n{'page':<40} {'median ms':>10} {'queries':>8} {'rows':>5} {'within':>7}")
    for label, url in cases:
        seconds, queries, rows, _next = measure(client, url, arguments.repeat)
        within = "yes" if seconds <= TARGET_SECONDS else "no"
        print(f"{label:<40} {seconds * 1000:10.1f} {queries:8d} {rows:5d} {within:>7}")
    print(f"\nTarget: each page under {TARGET_SECONDS * 1000:.0f} ms.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--merchants", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
