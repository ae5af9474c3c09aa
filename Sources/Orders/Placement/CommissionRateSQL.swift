/// The commission rule of migration 0011, as the order-writing statements (`OrderPlacement.Place`,
/// `OrderBatch`) apply it to each line they insert: the seller's own rate, else its category's (a
/// sub-category without one takes its group's), else 5 %. The trigger of migration 0011 keeps the
/// same rule for any other writer.
enum CommissionRateSQL {
    /// Joins the line's product (`product`: the column holding its id), its seller and its category rate.
    static func joins(product: String) -> String {
        """
        JOIN products pr ON pr.id = \(product)
                        JOIN suppliers s ON s.id = pr.supplier_id
                        LEFT JOIN LATERAL (
                            SELECT coalesce(c.commission_bps, g.commission_bps) AS bps
                            FROM categories c JOIN categories g ON g.code = pr.category_group
                            WHERE c.code = pr.category_code) cat ON true
        """
    }

    /// The rate, once `joins` is in the query.
    static let rate = "coalesce(s.commission_bps, cat.bps, 500)"
}
