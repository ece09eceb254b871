"""The append-only, tamper-evident audit trail: its model and the helper every service calls."""
