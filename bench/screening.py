"""Benchmark of negative-list screening (issue 5, item 7): see bench/README.md.

Fills a database of its own (DATABASE_URL, PostgreSQL, name ending in ``_bench``) with
``--merchants`` merchants and ``--entries`` negative-list entries, a known number of which hit
planted merchants, then times:

(a) ``rescreen_all()``: every live merchant against the whole list (index build included);
(b) one exact entry: ``negative_list_entry_add`` then ``rescreen_for_entry`` in-process;
(c) one keyword, the same way (and, outside the targets, one keyword of 2 characters, too
    short for the trigram index).

Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/openplatform_bench
.venv/bin/python bench/screening.py --merchants 100000 --entries 10000``
"""

import argparse
import cProfile
import functools
import os
import pstats
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openplatform.settings")
os.environ.setdefault("DEBUG", "false")  # no query log kept in memory during the run

import django  # noqa: E402

from bench.database import ensure_bench_database  # noqa: E402

TARGETS = {"a": 120.0, "b": 1.0, "c": 10.0}
PLANTED_PER_EXACT_KIND = 20
PLANTED_KEYWORD_NAMES = 40
PLANTED_KEYWORD_SCOPES = 10
MERCHANTS_PER_ISV = 5000
KEYWORD_LENGTH = 4
# Below 3 characters a keyword has no trigram: the database scans screening_text instead.
SHORT_KEYWORD_LENGTH = 2
# Not encrypted, for speed: screening reads only the digests. See bench/README.md.
CIPHERTEXT_PLACEHOLDER = "bench-placeholder-not-encrypted"

CITIES = ["上海", "北京", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "重庆",
          "苏州", "天津"]
BRAND_CHARS = "华盛鑫顺达恒泰丰源隆兴利福安康宏嘉和德信"
TRADES = ["商贸", "餐饮", "科技", "文化", "服饰", "食品", "电子", "物流", "建材", "家居",
          "医药", "教育", "咨询", "五金"]
SHOP_KINDS = ["小店", "超市", "餐厅", "便利店", "工作室", "商行"]
SCOPES = ["日用百货零售", "餐饮服务", "预包装食品销售", "服装鞋帽批发与零售",
          "计算机软硬件技术开发", "五金交电销售", "图书零售", "家用电器维修"]
SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "伟芳娜敏静丽强磊军洋"
DISTRICTS = ["浦东新区", "朝阳区", "天河区", "南山区", "西湖区", "武侯区"]
BANKS = ["中国工商银行", "中国建设银行", "中国农业银行", "招商银行"]
MCCS = ["5411", "5812", "5311", "5651", "5732", "5999"]
EXACT_KINDS = ("uscc", "phone", "id_number", "bank_account", "domain")
CATEGORIES = ("gambling", "fraud", "pornography", "drugs", "sanctions", "other")


def fail(message: str) -> None:
    sys.exit(f"bench/screening.py: {message}")


def prepare_database() -> None:
    """Check DATABASE_URL, create the bench database if it is missing, migrate, empty it."""
    ensure_bench_database("bench/screening.py")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from governance.models import NegativeListEntry
    from isv.models import Isv
    from merchants.models import Merchant
    from openplatform.audit.models import AuditEvent

    call_command("migrate", verbosity=0)
    tables = ", ".join(model._meta.db_table for model in (Isv, Merchant, NegativeListEntry,
                                                           AuditEvent))
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def keyword_pool(vocabulary: str) -> list[str]:
    """CJK characters that no generated name, short name or scope contains, so that a keyword
    made of them hits exactly the merchants it was planted in."""
    from openplatform.data.text import normalise_text

    used = set(normalise_text(vocabulary)) | set(vocabulary)
    return [char for char in map(chr, range(0x4E00, 0x9FA6))
            if char not in used and normalise_text(char) == char]


def make_keywords(count: int, rng: random.Random) -> list[str]:
    from openplatform.data.text import normalise_text

    vocabulary = "".join([*CITIES, BRAND_CHARS, *TRADES, *SHOP_KINDS, *SCOPES, "有限公司"])
    pool = keyword_pool(vocabulary)
    keywords: dict[str, None] = {}
    while len(keywords) < count:
        keyword = "".join(rng.choices(pool, k=KEYWORD_LENGTH))
        if normalise_text(keyword) == keyword:
            keywords[keyword] = None
    return list(keywords)


def uscc(prefix: str, number: int) -> str:
    from openplatform.data.validators import uscc_check_char

    body = f"{prefix}{number:09d}"
    return body + uscc_check_char(body)


def id_number(region: str, number: int) -> str:
    from openplatform.data.validators import resident_id_check_char

    born = date(1950, 1, 1) + timedelta(days=number // 1000)
    body = f"{region}{born:%Y%m%d}{number % 1000:03d}"
    return body + resident_id_check_char(body)


def bank_account(prefix: str, number: int) -> str:
    from openplatform.data.validators import luhn_check_digit

    body = f"{prefix}{number:012d}"
    return body + luhn_check_digit(body)


class Plan:
    """Which merchants the planted entries hit, and the values of those entries."""

    def __init__(self, merchants: int, keywords: list[str]):
        planted = PLANTED_PER_EXACT_KIND * len(EXACT_KINDS) + PLANTED_KEYWORD_NAMES \
            + PLANTED_KEYWORD_SCOPES
        stride = (merchants // 100) // (planted + 4)
        if stride < 1:
            fail(f"--merchants must be at least {100 * (planted + 4)}.")
        # Index % 100 == 50: an active merchant (see merchant_state).
        slots = iter(range(50, merchants, 100 * stride))
        self.exact: dict[int, str] = {}
        for kind in EXACT_KINDS:
            for _number in range(PLANTED_PER_EXACT_KIND):
                self.exact[next(slots)] = kind
        self.name_keyword = {next(slots): keywords.pop() for _n in range(PLANTED_KEYWORD_NAMES)}
        self.scope_keyword = {next(slots): keywords.pop()
                              for _n in range(PLANTED_KEYWORD_SCOPES)}
        # Merchants for steps (b) and (c): clean until their entry is added.
        self.exact_target = next(slots)
        self.keyword_target = next(slots)
        self.new_keyword = keywords.pop()
        self.name_keyword[self.keyword_target] = self.new_keyword
        self.short_keyword_target = next(slots)
        self.new_short_keyword = keywords.pop()[:SHORT_KEYWORD_LENGTH]
        self.name_keyword[self.short_keyword_target] = self.new_short_keyword
        self.expected_rescreen_all = len(self.exact) + PLANTED_KEYWORD_NAMES \
            + PLANTED_KEYWORD_SCOPES


def merchant_state(index: int) -> str:
    bucket = index % 100
    if bucket < 2:
        return "draft"
    if bucket < 4:
        return "suspended"
    if bucket < 5:
        return "rectifying"
    return "active"


@functools.cache
def normalised(text: str) -> str:
    """normalise_text, remembered: the generated names repeat a small vocabulary."""
    from openplatform.data.text import normalise_text

    return normalise_text(text)


def screening_text(legal_name: str, short_name: str, business_scope: str) -> str:
    """openplatform.data.text.screening_text, from the remembered normalised fields."""
    from openplatform.data.text import SCREENING_TEXT_SEPARATOR

    return SCREENING_TEXT_SEPARATOR.join(map(normalised, (legal_name, short_name,
                                                          business_scope)))


def merchant_values(index: int, plan: Plan, isv_ids: list[int], now) -> dict:
    from openplatform.data import pii

    rng = random.Random(index)
    city = CITIES[index % len(CITIES)]
    brand = rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)
    trade = rng.choice(TRADES)
    state = merchant_state(index)
    legal_id = id_number("110105", index)
    account = bank_account("622202", index)
    keyword = plan.name_keyword.get(index, "")
    scope = rng.choice(SCOPES)
    if index in plan.scope_keyword:
        scope = f"{scope}、{plan.scope_keyword[index]}咨询"
    website = f"shop{index}.example.cn" if index % 2 else ""
    if plan.exact.get(index) == "domain":
        website = f"www.listed{index}.example.com"
    went_live = state != "draft"
    legal_name = f"{city}{brand}{keyword}{trade}有限公司"
    short_name = f"{brand}{keyword}{rng.choice(SHOP_KINDS)}"
    return {
        "created_at": now,
        "updated_at": now,
        "isv_id": isv_ids[index // MERCHANTS_PER_ISV % len(isv_ids)],
        "external_id": f"M{index:09d}",
        "legal_name": legal_name,
        "short_name": short_name,
        "uscc": uscc("91310000", index),
        "legal_rep_name": rng.choice(SURNAMES) + rng.choice(GIVEN),
        "legal_rep_id_number_ciphertext": CIPHERTEXT_PLACEHOLDER,
        "legal_rep_id_number_digest": pii.digest_id_number(legal_id),
        "legal_rep_id_number_masked": pii.mask_id_number(legal_id),
        "settlement_account_name": f"{city}{brand}{trade}有限公司",
        "settlement_bank_name": rng.choice(BANKS),
        "settlement_account_ciphertext": CIPHERTEXT_PLACEHOLDER,
        "settlement_account_digest": pii.digest_bank_account(account),
        "settlement_account_masked": pii.mask_bank_account(account),
        "contact_phone": f"139{index:08d}",
        "contact_email": "",
        "mcc": MCCS[index % len(MCCS)],
        "address": f"{city}市{rng.choice(DISTRICTS)}{rng.randint(1, 999)}号",
        "business_scope": scope,
        "screening_text": screening_text(legal_name, short_name, scope),
        "website": website,
        "state": state,
        "rejection_reason_code": "",
        "rejection_reason_message": "",
        "rectification_deadline": now + timedelta(days=15) if state == "rectifying" else None,
        "submitted_at": now if went_live else None,
        "activated_at": now if went_live else None,
    }


def raw_exact_value(kind: str, index: int, *, planted: bool) -> str:
    """The raw value of an exact entry: the planted merchant's own, or one no merchant has."""
    if kind == "uscc":
        return uscc("91310000", index) if planted else uscc("91440000", index)
    if kind == "phone":
        return f"139{index:08d}" if planted else f"188{index:08d}"
    if kind == "id_number":
        return id_number("110105", index) if planted else id_number("310101", index)
    if kind == "bank_account":
        return bank_account("622202", index) if planted else bank_account("621700", index)
    return f"listed{index}.example.com" if planted else f"d{index}.blocked-example.net"


def create_isvs(count: int) -> list[int]:
    from isv.models import Isv

    isvs = [Isv(name=f"服务商{number}", uscc=uscc("91110000", number), kind="company",
                legal_representative="张三", contact_name="李四",
                contact_email=f"isv{number}@example.com", contact_phone="13800138000",
                state="active") for number in range(count)]
    return [isv.pk for isv in Isv.objects.bulk_create(isvs)]


def copy_merchants(count: int, plan: Plan, isv_ids: list[int]) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from merchants.models import Merchant

    now = timezone.now()
    columns = [field.column for field in Merchant._meta.concrete_fields if not field.primary_key]
    statement = (f"COPY {Merchant._meta.db_table} ({', '.join(columns)}) FROM STDIN")
    with transaction.atomic(), connection.cursor() as cursor, cursor.copy(statement) as copy:
        for index in range(count):
            values = merchant_values(index, plan, isv_ids, now)
            copy.write_row([values[column] for column in columns])
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Merchant._meta.db_table}")


def create_entries(total: int, keyword_share: float, plan: Plan, keywords: list[str],
                   rng: random.Random) -> int:
    from django.db import connection

    from governance.models import NegativeListEntry
    from governance.normalise import entry_value

    def entry(kind: str, raw: str) -> NegativeListEntry:
        value, display = entry_value(kind, raw)
        return NegativeListEntry(kind=kind, value=value, display_value=display,
                                 category=rng.choice(CATEGORIES), source="bench")

    entries = [entry(kind, raw_exact_value(kind, index, planted=True))
               for index, kind in plan.exact.items()]
    entries += [entry("keyword", keyword)
                for keyword in (*plan.name_keyword.values(), *plan.scope_keyword.values())
                if keyword not in (plan.new_keyword, plan.new_short_keyword)]
    keyword_total = int(total * keyword_share)
    entries += [entry("keyword", keyword)
                for keyword in keywords[:max(0, keyword_total - PLANTED_KEYWORD_NAMES
                                             - PLANTED_KEYWORD_SCOPES)]]
    exact_left = total - len(entries)
    entries += [entry(EXACT_KINDS[number % len(EXACT_KINDS)],
                      raw_exact_value(EXACT_KINDS[number % len(EXACT_KINDS)], number,
                                      planted=False))
                for number in range(exact_left)]
    NegativeListEntry.objects.bulk_create(entries, batch_size=10000)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {NegativeListEntry._meta.db_table}")
    return len(entries)


def timed(label: str, function, *, profile: bool):
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    result = function()
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - start
    if profiler:
        print(f"\n--- profile: {label} (top 15 by own time)")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    return seconds, result


def run(arguments: argparse.Namespace) -> None:
    rng = random.Random(20261126)
    generation: list[tuple[str, float]] = []

    seconds, _none = timed("setup", prepare_database, profile=False)
    generation.append(("create/migrate/empty the database", seconds))

    from governance import screening, services
    from merchants.models import Merchant

    keywords_needed = int(arguments.entries * arguments.keyword_share) + 1
    seconds, keywords = timed("keywords", lambda: make_keywords(
        keywords_needed + PLANTED_KEYWORD_NAMES + PLANTED_KEYWORD_SCOPES + 2, rng),
        profile=False)
    plan = Plan(arguments.merchants, keywords)
    isv_count = max(1, -(-arguments.merchants // MERCHANTS_PER_ISV))
    seconds_isv, isv_ids = timed("isvs", lambda: create_isvs(isv_count), profile=False)
    generation.append((f"{isv_count} ISVs + keyword vocabulary", seconds + seconds_isv))
    seconds, _none = timed("merchants", lambda: copy_merchants(arguments.merchants, plan,
                                                               isv_ids), profile=False)
    generation.append((f"{arguments.merchants} merchants (COPY + ANALYZE)", seconds))
    seconds, entry_count = timed("entries", lambda: create_entries(
        arguments.entries, arguments.keyword_share, plan, keywords, rng), profile=False)
    generation.append((f"{entry_count} entries (bulk_create + ANALYZE)", seconds))
    live = Merchant.objects.filter(state__in=services.RESCREENED_STATES).count()

    print(f"\nData: {arguments.merchants} merchants ({live} active or rectifying), "
          f"{entry_count} entries ({arguments.keyword_share:.0%} keywords)")
    for label, seconds in generation:
        print(f"  {label:<45} {seconds:8.1f} s")
    print(f"  {'total':<45} {sum(s for _l, s in generation):8.1f} s")

    rows = []
    # The service would queue rescreen_for_entry on Celery: here it is called in-process.
    with mock.patch.object(services, "tasks"):
        build_seconds, _index = timed("index build", screening.current_index,
                                      profile=arguments.profile)
        rows.append(("    of which: index build", build_seconds, "", None))
        seconds, acted = timed("(a) rescreen_all", services.rescreen_all,
                               profile=arguments.profile)
        rows.insert(0, ("(a) full re-screen", build_seconds + seconds,
                        f"{acted} / {plan.expected_rescreen_all}", TARGETS["a"]))

        merchant = Merchant.objects.get(external_id=f"M{plan.exact_target:09d}")

        def add_exact():
            entry = services.negative_list_entry_add(
                actor=None, kind="phone", value=merchant.contact_phone, category="fraud",
                source="bench")
            return services.rescreen_for_entry(entry_id=entry.pk)

        seconds, acted = timed("(b) one exact entry", add_exact, profile=arguments.profile)
        rows.append(("(b) one exact entry", seconds, f"{acted} / 1", TARGETS["b"]))

        def add_keyword():
            entry = services.negative_list_entry_add(
                actor=None, kind="keyword", value=plan.new_keyword, category="gambling",
                source="bench")
            return services.rescreen_for_entry(entry_id=entry.pk)

        seconds, acted = timed("(c) one keyword", add_keyword, profile=arguments.profile)
        rows.append(("(c) one keyword", seconds, f"{acted} / 1", TARGETS["c"]))

        def add_short_keyword():
            entry = services.negative_list_entry_add(
                actor=None, kind="keyword", value=plan.new_short_keyword, category="gambling",
                source="bench")
            return services.rescreen_for_entry(entry_id=entry.pk)

        seconds, acted = timed("(c) one 2-character keyword", add_short_keyword,
                               profile=arguments.profile)
        rows.append(("    2-character keyword", seconds, f"{acted} / 1", None))

    print(f"\n{'step':<28} {'seconds':>9} {'matches (found / planted)':>27} {'target':>8} "
          f"{'within':>7}")
    for label, seconds, matches, target in rows:
        if target is None:
            print(f"{label:<28} {seconds:9.2f} {matches:>27}")
            continue
        within = "yes" if seconds <= target else "no"
        print(f"{label:<28} {seconds:9.2f} {matches:>27} {target:>7.0f}s {within:>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--merchants", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--keyword-share", type=float, default=0.2)
    parser.add_argument("--profile", action="store_true",
                        help="print a cProfile summary of each timed step")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
