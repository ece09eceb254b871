"""``merchant.info.query``: the authorized merchant's profile, masked (pack merchant_basics)."""
