// Checkout, the order split per supplier, the shipping tariff, payments and idempotency (SPEC §4)
// live here; see issue 4. The module exists now so that the dependency order
// Catalog <- Orders <- Logistics <- MarketAPI is fixed from the start.
import Catalog
