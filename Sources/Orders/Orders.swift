// Checkout, the order split per supplier, the shipping tariff, payments and idempotency (SPEC §4).
// Depends on Catalog only; Logistics builds on it.
