"""Every change to merchants, one module per concern: ``onboarding`` (a merchant's data, its
stores and its people), ``lifecycle`` (its moves along ``MERCHANT_TRANSITIONS``),
``authorizations`` (its grants of packs to apps and the tokens issued under them) and
``sandbox`` (the sandbox merchant every approved ISV gets)."""
