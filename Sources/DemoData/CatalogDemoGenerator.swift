import Foundation

/// The demo province, generated: Đà Nẵng (province 48, with the former Quảng Nam) as the demo shows
/// it. A pure function of its seed: the same seed gives the same rows and the same UUIDs.
///
/// The published shape (SPEC §8, kept exact so that tests and the README can rely on it):
/// 297 producers with 1,451 products (1,430 active, 14 drafts, 7 pending review); 112 of them hold
/// 128 products with a verified OCOP certificate valid on 2026-11-27; 25 sell 135 regional
/// specialities; 150 post-office points resell 1,200 products; 26 post offices serve the 94 communes.
struct CatalogDemoGenerator: Sendable {
    static let defaultSeed: UInt64 = 0x4844_4E47_2026_1127
    /// Recorded in `app_settings` with the claim, to tell later which demo a database holds.
    static let version = "v1"

    static let producerCount = 297
    static let producerProductCount = 1451
    static let draftCount = 14
    static let pendingReviewCount = 7
    static let ocopSupplierCount = 112
    static let ocopProductCount = 128
    /// OCOP holders with two certified products (the rest hold one): 96 × 1 + 16 × 2 = 128.
    static let twoCertificateSupplierCount = 16
    static let fiveStarCount = 5
    static let regionalSupplierCount = 25
    /// Regional producers' product counts: 10 × 6 + 15 × 5 = 135, all of them regional specialities.
    static let regionalProductCounts = Array(repeating: 6, count: 10) + Array(repeating: 5, count: 15)
    static let pointCount = 150
    static let pointProductCount = 1200

    /// Old certificates beside the valid ones: renewed (an older, expired certificate of a product
    /// that has a valid one), lapsed (expired, not renewed), and submitted but not yet verified.
    static let renewedCount = 10
    static let lapsedCount = 6
    static let pendingCount = 5

    var seed: UInt64 = Self.defaultSeed

    typealias Factory = CatalogRowFactory
    static let communes = Dictionary(uniqueKeysWithValues: DemoCommunes.all.map { ($0.code, $0) })
    /// Where producers may be placed: every commune but the Hoàng Sa islands.
    static let mainland = DemoCommunes.all.map(\.code).filter { $0 != "20333" }
    static let province = "thành phố Đà Nẵng"

    func generate() -> DemoCatalog {
        let root = SplitMix64(seed: seed)
        let offices = postOffices(root.derived("post-offices"))
        var staff: [SeedStaff] = []
        for (index, office) in offices.enumerated() {
            var rng = root.derived("staff", index)
            staff += Self.staff(of: office, &rng)
        }
        var clerkOf: [String: UUID] = [:]
        for office in offices {
            let clerk = staff.first { $0.postOfficeID == office.id && $0.role == "clerk" }?.id
            for commune in office.communes { clerkOf[commune] = clerk }
        }

        var catalog = CatalogBatch()
        var plans = root.derived("plan")
        var names = Set<String>()
        var serial = 0
        for (index, plan) in producerPlans(&plans).enumerated() {
            var rng = root.derived("producer", index)
            appendProducer(plan, index: index, clerkOf: clerkOf, names: &names, serial: &serial, to: &catalog, &rng)
        }
        var extras = root.derived("extras")
        addDraftsAndOldCertificates(to: &catalog, serial: &serial, clerkOf: clerkOf, &extras)
        var pointPlan = root.derived("points")
        appendPoints(clerkOf: clerkOf, plan: &pointPlan, root: root, to: &catalog)
        return DemoCatalog(postOffices: offices, staff: staff, catalog: catalog)
    }
}
