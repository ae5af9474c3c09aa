// Parcels and S10 numbers, pickup scheduling, manifests, scans and the COD ledger (SPEC §5, §6)
// live here; see issues 5 and 6.
import Orders
