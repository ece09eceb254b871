"""The shell: the root URLconf, the portal's frame (its navigation, dashboard and docs), the
public home page and ``seed_demo``. It may import every app; no app imports it."""
