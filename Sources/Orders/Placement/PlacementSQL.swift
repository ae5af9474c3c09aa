/// SQL text that both order-writing statements (`OrderPlacement.Place` for one order, `OrderBatch` for
/// several) share, written once like `CommissionRateSQL`. The two statements stay separate: writing a
/// single order as a batch of one measured 9 % slower (Benchmarks/README.md, the reverted refactor).
enum PlacementSQL {
    /// The columns of `orders` a placement writes, in the order both statements select them.
    static let orderColumns = """
        id, number, buyer_id, status, payment_method, recipient_name, phone,
                            province_code, commune_code, address_line, items_total_vnd, shipping_total_vnd, grand_total_vnd,
                            tariff_id, delivery_code, payment_due_at, created_at, updated_at
        """

    static let packageColumns = """
        id, order_id, supplier_id, number, status, items_total_vnd, weight_grams, zone,
                            shipping_fee_vnd, cod_amount_vnd, cod_fee_vnd, cod_fee_bps, cod_fee_min_vnd, return_charge_vnd,
                            created_at, updated_at, chargeable_weight_grams, declared_value_vnd, insurance_fee_vnd
        """

    static let lineColumns = """
        id, order_id, package_id, variant_id, product_id, sku, title, variant_name,
                            unit_price_vnd, quantity, line_total_vnd, weight_grams, position, commission_bps
        """

    /// What is read of each variant under its row lock (the `locked` CTE, alias `v`).
    static let lockedColumns = """
        v.id, v.product_id, v.supplier_id, v.stock_on_hand, v.price_vnd, v.weight_grams, v.sku, v.name,
                            v.is_active, v.volume_cm3
        """

    /// A wanted line `w` is still as it was priced, against its locked variant `l`, product `p` and
    /// supplier `s` (stock is checked apart: per line for one order, summed for a batch).
    static let lineAsPriced = """
        l.is_active AND p.status = 'active' AND s.status = 'active'
                                AND l.price_vnd = w.price AND l.weight_grams = w.weight
                                AND coalesce(l.volume_cm3, 0) = w.volume
                                AND l.sku = w.sku AND l.name = w.name AND p.title = w.title
                                AND l.product_id = w.product AND l.supplier_id = w.supplier AND s.name = w.seller
                                AND coalesce(s.commune_code, '') = w.commune
                                AND coalesce(s.province_code, '') = w.province
        """

    /// The id of the tariff in force today (pricing may have used one it remembered).
    static let tariffInForce = """
        (SELECT t.id FROM shipping_tariffs t WHERE t.effective_from <= vn_today()
                                ORDER BY t.effective_from DESC LIMIT 1)
        """

    /// The outbox event of a new order.
    static func orderCreatedEvent(id: String, number: String, status: String) -> String {
        "'order.created', 'order', \(id), jsonb_build_object('number', \(number), 'status', \(status))"
    }
}
