"""Upsert the shipped catalog (catalog_data.py) into the database.

Takes the model classes as arguments so data migrations can pass their historical models;
running it again updates rows in place and never deletes what staff added.
"""

from catalog.catalog_data import CAPABILITIES, FUNCTION_PACKS, INDUSTRY_SOLUTIONS


def load_catalog(capability_model, pack_model, solution_model) -> None:
    capabilities = {
        spec.code: capability_model.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name, "name_zh": spec.name_zh, "layer": spec.layer,
                "description": spec.description, "description_zh": spec.description_zh,
                "status": spec.status,
            },
        )[0]
        for spec in CAPABILITIES
    }
    packs = {}
    for spec in FUNCTION_PACKS:
        pack, _ = pack_model.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name, "name_zh": spec.name_zh, "layer": spec.layer,
                "description": spec.description, "description_zh": spec.description_zh,
                "requires_review": spec.requires_review,
                "default_daily_quota": spec.default_daily_quota,
                "default_per_second_quota": spec.default_per_second_quota,
            },
        )
        pack.capabilities.add(*(capabilities[code] for code in spec.capabilities))
        packs[spec.code] = pack
    for spec in INDUSTRY_SOLUTIONS:
        solution, _ = solution_model.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name, "name_zh": spec.name_zh, "industry": spec.industry,
                "description": spec.description, "description_zh": spec.description_zh,
            },
        )
        solution.packs.add(*(packs[code] for code in spec.packs))
