"""A tiny capability that lives only under tests/: installed by tests/plugin_settings.py alone,
it proves that a capability plugs in by its own folder and INSTALLED_APPS, nothing else."""
