"""System checks of the declared catalog (``manage.py check``, every test run, every start):
the plugins' and the planned entries together must make one consistent catalog."""

import re
from collections.abc import Iterable
from typing import Any

from django.core import checks

from catalog.choices import Industry, Layer
from catalog.models import Capability
from catalog.sync import TEXT_FIELDS, DeclaredCatalog, declared_catalog, served_capabilities

CAPABILITY_CODE = re.compile(r"^[a-z]+(\.[a-z_]+)+$")
SNAKE_CODE = re.compile(r"^[a-z]+(_[a-z0-9]+)*$")
CODE_MAX_LENGTH = Capability._meta.get_field("code").max_length
NAME_MAX_LENGTH = Capability._meta.get_field("name").max_length


def catalog_problems(catalog: DeclaredCatalog, *, served: set[str]) -> list[str]:
    """The declared catalog's problems, one line each; empty when it is consistent."""
    problems = [f"{duplicate} is declared by two plugins" for duplicate in catalog.duplicates]
    for kind, entries in (("capability", catalog.capabilities.values()),
                          ("pack", catalog.packs.values()),
                          ("solution", catalog.solutions.values())):
        problems += _text_problems(kind, entries)
    for capability in catalog.capabilities.values():
        if not CAPABILITY_CODE.match(capability.code):
            problems.append(f"capability {capability.code!r} is not dotted lower-case")
        if capability.layer not in Layer.values:
            problems.append(f"capability {capability.code!r} has unknown layer "
                            f"{capability.layer!r}")
    packed: set[str] = set()
    for pack in catalog.packs.values():
        problems += _pack_problems(pack, catalog)
        packed.update(pack.capabilities)
    problems += [f"capability {code!r} is in no pack"
                 for code in sorted(set(catalog.capabilities) - packed)]
    problems += [f"a view serves {code!r}, which no plugin declares"
                 for code in sorted(served - set(catalog.capabilities))]
    for solution in catalog.solutions.values():
        if solution.industry not in Industry.values:
            problems.append(f"solution {solution.code!r} has unknown industry "
                            f"{solution.industry!r}")
        problems += [f"solution {solution.code!r} names unknown pack {code!r}"
                     for code in solution.packs if code not in catalog.packs]
    return problems


def _text_problems(kind: str, entries: Iterable[Any]) -> list[str]:
    problems = []
    for entry in entries:
        if len(entry.code) > CODE_MAX_LENGTH:
            problems.append(f"{kind} code {entry.code!r} is longer than {CODE_MAX_LENGTH}")
        if kind != "capability" and not SNAKE_CODE.match(entry.code):
            problems.append(f"{kind} code {entry.code!r} is not snake_case")
        for name in TEXT_FIELDS:
            value = getattr(entry, name)
            if not value.strip():
                problems.append(f"{kind} {entry.code!r} has an empty {name}")
            elif name.startswith("name") and len(value) > NAME_MAX_LENGTH:
                problems.append(f"{kind} {entry.code!r} {name} is longer than "
                                f"{NAME_MAX_LENGTH}")
    return problems


def _pack_problems(pack: Any, catalog: DeclaredCatalog) -> list[str]:
    problems = []
    if pack.layer not in Layer.values:
        problems.append(f"pack {pack.code!r} has unknown layer {pack.layer!r}")
    if not pack.capabilities:
        problems.append(f"pack {pack.code!r} has no capabilities")
    if len(set(pack.capabilities)) != len(pack.capabilities):
        problems.append(f"pack {pack.code!r} names a capability twice")
    problems += [f"pack {pack.code!r} names unknown capability {code!r}"
                 for code in pack.capabilities if code not in catalog.capabilities]
    if pack.default_daily_quota <= 0 or pack.default_per_second_quota <= 0:
        problems.append(f"pack {pack.code!r} has a non-positive quota")
    elif pack.default_per_second_quota > pack.default_daily_quota:
        problems.append(f"pack {pack.code!r} allows more calls per second than per day")
    return problems


def check_declared_catalog(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [checks.Error(problem, id="catalog.E001")
            for problem in catalog_problems(declared_catalog(), served=served_capabilities())]
