"""The capability apps, one per domain (payment, merchant_info, ...): each a Django app that
declares itself to the platform in its ``plugin.py`` (see docs/capabilities.md)."""
