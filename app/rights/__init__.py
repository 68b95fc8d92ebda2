"""Members' rights (PIPL/GDPR): the consent ledger, downloads of one's own data and account erasure."""
