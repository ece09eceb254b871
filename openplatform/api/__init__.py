"""DRF plumbing every API view uses: problem+json errors, request ids, authentication,
pagination; the capability gate lives here too."""
