"""The catalog in the database follows the plugins: ``sync_catalog`` upserts every capability
and pack a capability plugin declares, the planned ones no plugin declares yet, and the
industry solutions, and marks a capability available exactly when a plugin's API serves it.

It runs after every ``migrate`` (post_migrate), so migrations never import catalog data, and
by hand with ``manage.py sync_catalog``. Rows staff added in admin are left as they are; an
entry a plugin declares is the plugin's, and a sync puts it back as declared.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.urls import URLPattern, URLResolver, include

from catalog.choices import CapabilityStatus
from catalog.models import Capability, FunctionPack, IndustrySolution
from catalog.planned import PLANNED_CAPABILITIES, PLANNED_PACKS
from catalog.solutions import SOLUTIONS, SolutionSpec
from openplatform import plugins
from openplatform.plugins import CapabilitySpec, PackSpec

TEXT_FIELDS = ("name", "name_zh", "description", "description_zh")


@dataclass(frozen=True)
class DeclaredCatalog:
    capabilities: dict[str, CapabilitySpec]
    packs: dict[str, PackSpec]
    solutions: dict[str, SolutionSpec]
    # "<kind> <code>" declared by two plugins: a check error (catalog.checks).
    duplicates: list[str] = field(default_factory=list)


def declared_catalog() -> DeclaredCatalog:
    """The plugins' capabilities and packs, the planned ones no plugin declares, and the
    solutions."""
    capabilities: dict[str, CapabilitySpec] = {}
    packs: dict[str, PackSpec] = {}
    duplicates: list[str] = []
    for plugin in plugins.capability_plugins():
        duplicates += _collect("capability", plugin.capabilities, into=capabilities)
        duplicates += _collect("pack", plugin.packs, into=packs)
    for spec in PLANNED_CAPABILITIES:
        capabilities.setdefault(spec.code, spec)
    for spec in PLANNED_PACKS:
        packs.setdefault(spec.code, spec)
    return DeclaredCatalog(capabilities=capabilities, packs=packs,
                           solutions={spec.code: spec for spec in SOLUTIONS},
                           duplicates=duplicates)


def _collect(kind: str, specs: Iterable[Any], *, into: dict[str, Any]) -> list[str]:
    duplicates = []
    for spec in specs:
        if spec.code in into:
            duplicates.append(f"{kind} {spec.code}")
        into[spec.code] = spec
    return duplicates


def served_capabilities() -> set[str]:
    """Codes of the capabilities the registered plugins' API routes serve (views declaring
    ``capability``)."""
    served: set[str] = set()
    for plugin in plugins.capability_plugins():
        if plugin.api_urls:
            urlconf_module, _app_name, _namespace = include(plugin.api_urls)
            served |= _capabilities_of(getattr(urlconf_module, "urlpatterns", urlconf_module))
    return served


def _capabilities_of(patterns: Iterable[URLPattern | URLResolver]) -> set[str]:
    found: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found |= _capabilities_of(pattern.url_patterns)
            continue
        capability = getattr(getattr(pattern.callback, "view_class", None), "capability", None)
        if capability:
            found.add(capability)
    return found


@transaction.atomic
def sync_catalog() -> None:
    """Make the catalog tables say what the plugins declare (see the module's docstring)."""
    declared = declared_catalog()
    served = served_capabilities()
    capabilities = _upsert(Capability, {
        code: {**_texts(spec), "layer": spec.layer, "status": _status(code, served)}
        for code, spec in declared.capabilities.items()})
    for capability in Capability.objects.exclude(code__in=declared.capabilities):
        _update(capability, {"status": _status(capability.code, served)})
    packs = _upsert(FunctionPack, {
        code: {**_texts(spec), "layer": spec.layer, "requires_review": spec.requires_review,
               "default_daily_quota": spec.default_daily_quota,
               "default_per_second_quota": spec.default_per_second_quota}
        for code, spec in declared.packs.items()})
    for code, spec in declared.packs.items():
        packs[code].capabilities.set([capabilities[c] for c in spec.capabilities
                                      if c in capabilities])
    solutions = _upsert(IndustrySolution, {
        code: {**_texts(spec), "industry": spec.industry}
        for code, spec in declared.solutions.items()})
    for code, spec in declared.solutions.items():
        solutions[code].packs.set([packs[p] for p in spec.packs if p in packs])


def _status(code: str, served: set[str]) -> str:
    return CapabilityStatus.AVAILABLE if code in served else CapabilityStatus.PLANNED


def _texts(spec: Any) -> dict[str, str]:
    return {name: getattr(spec, name) for name in TEXT_FIELDS}


def _upsert(model: type[models.Model],
            rows: Mapping[str, dict[str, Any]]) -> dict[str, models.Model]:
    """Create the missing rows and update the changed fields of the others (an unchanged row
    is not written)."""
    existing = {row.code: row for row in model.objects.filter(code__in=rows)}
    for code, values in rows.items():
        row = existing.get(code)
        if row is None:
            existing[code] = model.objects.create(code=code, **values)
        else:
            _update(row, values)
    return existing


def _update(row: models.Model, values: Mapping[str, Any]) -> None:
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    if changed:
        row.save(update_fields=[*changed, "updated_at"])


def sync_after_migrate(**kwargs: Any) -> None:
    """post_migrate receiver (connected for the catalog app)."""
    sync_catalog()
