import Catalog
import Foundation
import Kernel
import Logging
import PostgresNIO

/// What the database holds of the demo's published shape, counted with SQL: what `market seed
/// --demo` prints and what the demo's database test checks.
public struct DemoCatalogCounts: Sendable, Equatable {
    public var producers = 0
    public var producerProducts = 0
    public var activeProducerProducts = 0
    public var ocopSuppliers = 0
    public var ocopProducts = 0
    public var regionalSuppliers = 0
    public var regionalProducts = 0
    public var points = 0
    public var pointProducts = 0
    public var postOffices = 0
    public var servedCommunes = 0
    public var couriers = 0
    public var clerks = 0

    /// OCOP counts are as of `CalendarDay.reference`, the day the demo describes, so that they do not
    /// drift as certificates expire.
    public static func query(_ db: Database, logger: Logger) async throws -> DemoCatalogCounts {
        let rows = try await db.query(
            """
            SELECT
                (SELECT count(*) FROM suppliers WHERE kind <> 'post_office_point' AND status = 'active'),
                (SELECT count(*) FROM products p JOIN suppliers s ON s.id = p.supplier_id
                 WHERE s.kind <> 'post_office_point'),
                (SELECT count(*) FROM products p JOIN suppliers s ON s.id = p.supplier_id
                 WHERE s.kind <> 'post_office_point' AND p.status = 'active' AND p.supplier_active),
                (SELECT count(DISTINCT p.supplier_id) FROM products p JOIN ocop_certifications c ON c.product_id = p.id
                 WHERE c.status = 'verified' AND c.expires_on > \(CalendarDay.reference.description)::date),
                (SELECT count(DISTINCT p.id) FROM products p JOIN ocop_certifications c ON c.product_id = p.id
                 WHERE c.status = 'verified' AND c.expires_on > \(CalendarDay.reference.description)::date),
                (SELECT count(DISTINCT supplier_id) FROM products WHERE is_regional_specialty),
                (SELECT count(*) FROM products WHERE is_regional_specialty),
                (SELECT count(*) FROM suppliers WHERE kind = 'post_office_point' AND status = 'active'),
                (SELECT count(*) FROM products p JOIN suppliers s ON s.id = p.supplier_id
                 WHERE s.kind = 'post_office_point'),
                (SELECT count(*) FROM post_offices),
                (SELECT count(*) FROM post_office_communes),
                (SELECT count(*) FROM role_grants WHERE role = 'courier'),
                (SELECT count(*) FROM role_grants WHERE role = 'clerk')
            """,
            logger: logger
        )
        guard let row = rows.first else { return DemoCatalogCounts() }
        let (a, b, c, d, e, f, g, h, i, j, k, l, m) = try row.decode(
            (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int).self)
        return DemoCatalogCounts(
            producers: a, producerProducts: b, activeProducerProducts: c, ocopSuppliers: d, ocopProducts: e,
            regionalSuppliers: f, regionalProducts: g, points: h, pointProducts: i, postOffices: j,
            servedCommunes: k, couriers: l, clerks: m)
    }

    public func printed() {
        print(
            """
            producers: \(producers) with \(producerProducts) products (\(activeProducerProducts) active and listed)
            OCOP (verified, valid on \(CalendarDay.reference)): \(ocopProducts) products of \(ocopSuppliers) suppliers
            regional specialities: \(regionalProducts) products of \(regionalSuppliers) suppliers
            post-office points: \(points) with \(pointProducts) products
            post offices: \(postOffices) serving \(servedCommunes) communes, \(couriers) courier and \(clerks) clerk grants
            """)
    }
}
