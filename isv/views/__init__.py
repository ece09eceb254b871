"""The ISV's portal pages, one module per concern: ``registration``, ``team``, ``apps``,
``catalog``, ``webhooks``, ``usage`` and ``signup`` (joining by invitation)."""
