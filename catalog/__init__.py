"""The capability catalog: capabilities, function packs and industry solutions, synced from
the capability apps' declarations (``catalog.sync``)."""
