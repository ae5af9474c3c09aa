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

    private typealias Factory = CatalogRowFactory
    private static let communes = Dictionary(uniqueKeysWithValues: DemoCommunes.all.map { ($0.code, $0) })
    /// Where producers may be placed: every commune but the Hoàng Sa islands.
    private static let mainland = DemoCommunes.all.map(\.code).filter { $0 != "20333" }
    private static let province = "thành phố Đà Nẵng"

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

    // MARK: Post offices and their staff

    private func postOffices(_ seedRNG: SplitMix64) -> [SeedPostOffice] {
        var rng = seedRNG
        var offices: [SeedPostOffice] = CatalogDemoData.postOffices.map { hub in
            let commune = Self.communes[hub.commune]
            let isDemo = hub.code == "DN-HOIAN"
            // The demo post office row predates this generator: same place, same address.
            return SeedPostOffice(
                id: isDemo ? DemoSeed.postOfficeID : rng.uuid(),
                code: hub.code,
                name: hub.name,
                communeCode: hub.commune,
                addressLine: isDemo ? "6 Trần Hưng Đạo" : "\(rng.int(1...200)) \(rng.pick(CatalogDemoData.streets))",
                lat: isDemo ? 15.877 : commune?.lat ?? 0,
                lon: isDemo ? 108.328 : commune?.lon ?? 0,
                communes: []
            )
        }
        // Each commune goes to the nearest post office (distances on the map, east–west shrunk by
        // the cosine of the latitude), unless it is routed elsewhere on purpose.
        for commune in DemoCommunes.all {
            let index: Int
            if let code = CatalogDemoData.servedByOverride[commune.code],
                let override = offices.firstIndex(where: { $0.code == code })
            {
                index = override
            } else {
                let scale = cos(commune.lat * Double.pi / 180)
                let distances = offices.map { office -> Double in
                    let hub = Self.communes[office.communeCode] ?? commune
                    let dLon = (hub.lon - commune.lon) * scale
                    return (hub.lat - commune.lat) * (hub.lat - commune.lat) + dLon * dLon
                }
                index = distances.indices.min { distances[$0] < distances[$1] } ?? 0
            }
            offices[index].communes.append(commune.code)
        }
        return offices
    }

    private static func staff(of office: SeedPostOffice, _ rng: inout SplitMix64) -> [SeedStaff] {
        let code = office.code.lowercased()
        var staff: [SeedStaff] = []
        for number in 1...rng.int(2...6) {
            staff.append(
                SeedStaff(
                    id: rng.uuid(), grantID: rng.uuid(), email: "courier.\(code).\(number)@demo.chobuudien.vn",
                    displayName: Factory.person(&rng), phone: Factory.mobile(&rng), role: "courier",
                    postOfficeID: office.id))
        }
        staff.append(
            SeedStaff(
                id: rng.uuid(), grantID: rng.uuid(), email: "clerk.\(code)@demo.chobuudien.vn",
                displayName: Factory.person(&rng), phone: Factory.mobile(&rng), role: "clerk", postOfficeID: office.id))
        return staff
    }

    // MARK: Producers

    private struct ProducerPlan {
        var trade: Trade
        var products: Int
        var ocopProducts: Int
        var isDemo: Bool
    }

    /// Who sells what: fixes the exact counts first, then lets the generator vary everything else.
    private func producerPlans(_ rng: inout SplitMix64) -> [ProducerPlan] {
        let count = Self.producerCount
        let regional = Array(rng.shuffled(Array(1..<count)).prefix(Self.regionalSupplierCount))
        var ocop = [0: 1]  // the demo supplier holds one 4★ product
        for (rank, index) in rng.shuffled(Array(1..<count)).prefix(Self.ocopSupplierCount - 1).enumerated() {
            ocop[index] = rank < Self.twoCertificateSupplierCount ? 2 : 1
        }
        var plans: [ProducerPlan] = []
        for index in 0..<count {
            let ocopProducts = ocop[index] ?? 0
            if index == 0 {
                plans.append(ProducerPlan(trade: DemoTrades.everyday[0], products: 4, ocopProducts: 1, isDemo: true))
            } else if let rank = regional.firstIndex(of: index) {
                plans.append(
                    ProducerPlan(
                        trade: DemoTrades.regional[rank % DemoTrades.regional.count],
                        products: max(Self.regionalProductCounts[rank], ocopProducts), ocopProducts: ocopProducts,
                        isDemo: false))
            } else {
                // Most producers list a handful of goods, a few list many (mean ≈ 5, at most 12).
                let products = rng.int(1...5) + rng.int(0...4) + (rng.chance(0.15) ? rng.int(0...3) : 0)
                plans.append(
                    ProducerPlan(
                        trade: rng.pick(DemoTrades.everyday), products: max(products, ocopProducts),
                        ocopProducts: ocopProducts, isDemo: false))
            }
        }
        // Reach the exact total by nudging everyday producers, within 1…12 and above their OCOP count.
        let adjustable = plans.indices.filter { !plans[$0].isDemo && !plans[$0].trade.specialty }
        var total = plans.reduce(0) { $0 + $1.products }
        while total != Self.producerProductCount {
            let index = rng.pick(adjustable)
            if total < Self.producerProductCount, plans[index].products < 12 {
                plans[index].products += 1
                total += 1
            } else if total > Self.producerProductCount, plans[index].products > max(1, plans[index].ocopProducts) {
                plans[index].products -= 1
                total -= 1
            }
        }
        return plans
    }

    private func appendProducer(
        _ plan: ProducerPlan,
        index: Int,
        clerkOf: [String: UUID],
        names: inout Set<String>,
        serial: inout Int,
        to catalog: inout CatalogBatch,
        _ rng: inout SplitMix64
    ) {
        let communeCode =
            plan.isDemo ? "20410" : rng.pick(plan.trade.communes.isEmpty ? Self.mainland : plan.trade.communes)
        guard let commune = Self.communes[communeCode] else { return }
        let highland = DemoTrades.highlands.contains(communeCode)
        let kind: String
        if plan.isDemo {
            kind = "cooperative"
        } else if plan.trade.specialty {
            kind = rng.chance(0.5) ? "enterprise" : "cooperative"
        } else {
            let roll = rng.unit()
            kind = roll < 0.45 ? "household" : roll < 0.8 ? "cooperative" : "enterprise"
        }
        var name = ""
        var holder = ""
        if plan.isDemo {
            (name, holder) = ("HTX Nước mắm Cửa Đại (demo)", "HTX Nước mắm Cửa Đại")
        } else {
            for attempt in 0..<20 {
                let village = rng.pick(CatalogDemoData.villages)
                (name, holder) = Factory.supplierName(
                    kind: kind, trade: plan.trade.label, village: village, commune: commune.name, &rng,
                    highland: highland)
                if attempt == 19 { name += " \(village)" }
                if !names.contains(name) { break }
            }
        }
        names.insert(name)
        let quangNam = communeCode >= "20335"
        let bank = kind == "enterprise" || (kind == "cooperative" ? rng.chance(0.9) : rng.chance(0.5))
        let hasTaxCode = kind == "enterprise" || (kind == "cooperative" ? rng.chance(0.8) : rng.chance(0.3))
        let spot = Factory.near(lat: commune.lat, lon: commune.lon, km: 1.9, &rng)
        let nouns = plan.trade.lines.map { Self.inSentence($0.goods) }
        let kindPhrase = ["household": "Hộ sản xuất", "cooperative": "Hợp tác xã", "enterprise": "Doanh nghiệp"][kind]
        let supplier = SeedSupplier(
            id: plan.isDemo ? DemoSeed.supplierID : rng.uuid(),
            name: name,
            kind: kind,
            phone: kind == "enterprise" && rng.chance(0.5)
                ? Factory.landline(&rng, quangNam: quangNam) : Factory.mobile(&rng),
            taxCode: hasTaxCode ? Factory.taxCode(&rng, prefix: quangNam ? "40" : "04") : nil,
            description:
                "\(kindPhrase ?? "Cơ sở") ở \(Factory.communePhrase(unitType: commune.unitType, name: commune.name)), "
                + "chuyên \(nouns.joined(separator: ", ")).",
            provinceCode: DemoCommunes.province,
            communeCode: communeCode,
            addressLine: plan.isDemo
                ? "Thôn Thanh Tam, Cửa Đại" : Factory.addressLine(&rng, unitType: commune.unitType),
            lat: spot.lat,
            lon: spot.lon,
            payout: plan.isDemo || bank ? Factory.bankPayout(&rng, holder: holder) : .counterCash,
            approvedAt: "\(CivilDate(year: 2025, month: 7, day: 1).adding(days: rng.int(0...500))) 09:00:00+07",
            approvedBy: clerkOf[communeCode]
        )
        catalog.suppliers.append(supplier)

        var titles = Set<String>()
        var stems = Set<String>()
        let start = rng.int(0...(plan.trade.lines.count - 1))
        for ordinal in 0..<plan.products {
            let line: ProductLine
            var qualifier: String
            var place: String?
            if plan.isDemo {
                // The demo producer's listings are fixed: the README walks through them.
                let fixed: [(ProductLine, String)] = [
                    (DemoTrades.nuocMam, "cá cơm nhĩ"), (DemoTrades.nuocMam, "truyền thống 35 độ đạm"),
                    (DemoTrades.nuocMam, "ủ chượp thùng gỗ"), (DemoTrades.mamRuoc, "ruốc"),
                ]
                (line, qualifier) = fixed[ordinal % fixed.count]
                place = "Cửa Đại"
            } else {
                line = plan.trade.lines[(start + ordinal) % plan.trade.lines.count]
                qualifier = rng.pick(line.qualifiers)
                place = Self.place(for: line, commune: commune.name, &rng)
            }
            var title = Self.title(line.noun, qualifier, place)
            for _ in 0..<8 where titles.contains(title) {
                qualifier = rng.pick(line.qualifiers)
                place = Self.place(for: line, commune: commune.name, &rng)
                title = Self.title(line.noun, qualifier, place)
            }
            if titles.contains(title) {
                title += " – \(rng.pick(["hộp quà", "loại đặc biệt", "đóng thùng", "combo tiết kiệm", "mẫu mới"]))"
            }
            if titles.contains(title) { title += " \(ordinal + 1)" }
            titles.insert(title)
            let base = "\(line.sku)-\(VietnameseText.initials(qualifier, limit: 3))"
            var stem = base
            var suffix = 2
            while stems.contains(stem) {
                stem = "\(base)-\(suffix)"
                suffix += 1
            }
            stems.insert(stem)
            let made = Factory.product(
                line: line,
                title: title,
                description: Self.description(line, supplier: name, commune: commune, &rng),
                supplierID: supplier.id,
                origin: Self.origin(line, &rng),
                status: "active",
                skuStem: stem,
                imageCount: rng.int(1...3),
                &rng
            )
            catalog.products.append(made.product)
            catalog.variants += made.variants
            if ordinal < plan.ocopProducts {
                serial += 1
                let stars = plan.isDemo ? 4 : rng.chance(0.55) ? 3 : 4
                catalog.certificates.append(
                    Factory.validCertificate(
                        productID: made.product.id, stars: stars, province: DemoCommunes.province, serial: serial,
                        reviewer: clerkOf[communeCode], &rng))
            }
        }
    }

    /// Drafts, listings awaiting review, five national 5★ certificates, and the certificate history
    /// (renewed, lapsed, pending) that makes the OCOP rules visible in the demo.
    private func addDraftsAndOldCertificates(
        to catalog: inout CatalogBatch, serial: inout Int, clerkOf: [String: UUID], _ rng: inout SplitMix64
    ) {
        let certified = Set(catalog.certificates.map(\.productID))
        let supplierOf = Dictionary(uniqueKeysWithValues: catalog.suppliers.map { ($0.id, $0) })
        let ocopSuppliers = Set(catalog.products.filter { certified.contains($0.id) }.map(\.supplierID))
        // Plain listings of producers without OCOP goods: drafts and old certificates go there so
        // that the published OCOP counts stay exact.
        let plain = rng.shuffled(
            catalog.products.indices.filter { index in
                let product = catalog.products[index]
                return !product.isRegionalSpecialty && !ocopSuppliers.contains(product.supplierID)
            })
        let draftEnd = Self.draftCount
        let reviewEnd = draftEnd + Self.pendingReviewCount
        for index in plain[..<draftEnd] { catalog.products[index].status = "draft" }
        for index in plain[draftEnd..<reviewEnd] { catalog.products[index].status = "pending_review" }

        let lapsedEnd = reviewEnd + Self.lapsedCount
        for index in plain[reviewEnd..<lapsedEnd] {
            let product = catalog.products[index]
            serial += 1
            let issued = CivilDate(year: 2022, month: 1, day: rng.int(1...28)).adding(months: rng.int(0...20))
            catalog.certificates.append(
                Factory.certificate(
                    productID: product.id, stars: 3, province: DemoCommunes.province, serial: serial, issued: issued,
                    status: "verified", reviewer: supplierOf[product.supplierID].flatMap { clerkOf[$0.communeCode] },
                    &rng))
        }
        for index in plain[lapsedEnd..<(lapsedEnd + Self.pendingCount)] {
            serial += 1
            let issued = CivilDate(year: 2026, month: 9, day: rng.int(1...28)).adding(months: rng.int(0...1))
            catalog.certificates.append(
                Factory.certificate(
                    productID: catalog.products[index].id, stars: rng.chance(0.5) ? 3 : 4,
                    province: DemoCommunes.province, serial: serial, issued: issued, status: "pending", reviewer: nil,
                    &rng))
        }

        // 5★ goes to regional specialities first (they are what the national council certifies).
        let valid = catalog.certificates.indices.filter { catalog.certificates[$0].isValid(on: .reference) }
        let regional = Set(catalog.products.filter(\.isRegionalSpecialty).map(\.id))
        let demoProduct = catalog.products.first { $0.supplierID == DemoSeed.supplierID }?.id
        let candidates = valid.filter { catalog.certificates[$0].productID != demoProduct }
        let ranked =
            rng.shuffled(candidates.filter { regional.contains(catalog.certificates[$0].productID) })
            + rng.shuffled(candidates.filter { !regional.contains(catalog.certificates[$0].productID) })
        for index in ranked.prefix(Self.fiveStarCount) {
            var certificate = catalog.certificates[index]
            certificate.stars = 5
            certificate.issuedBy = "national"
            certificate.certificateNo = certificate.certificateNo.replacingOccurrences(of: "OCOP-48-", with: "OCOP-QG-")
            catalog.certificates[index] = certificate
        }

        for index in rng.shuffled(valid).prefix(Self.renewedCount) {
            let current = catalog.certificates[index]
            serial += 1
            catalog.certificates.append(
                Factory.certificate(
                    productID: current.productID, stars: min(current.stars, 4), province: DemoCommunes.province,
                    serial: serial, issued: current.issuedOn.adding(months: -36), status: "verified",
                    reviewer: current.reviewedBy, &rng))
        }
    }

    // MARK: Post-office points

    /// Goods village post offices typically resell.
    private static let resaleLines: [ProductLine] = [
        DemoTrades.nuocMam, DemoTrades.banhTrang, DemoTrades.matOng, DemoTrades.che, DemoTrades.tieu, DemoTrades.keo,
        DemoTrades.gao, DemoTrades.caKho, DemoTrades.miQuang, DemoTrades.ruou, DemoTrades.tinhBotNghe,
        DemoTrades.caPhe, DemoTrades.nongSanKho, DemoTrades.dauPhong, DemoTrades.traThaoMoc, DemoTrades.mamRuoc,
    ]

    private func appendPoints(
        clerkOf: [String: UUID], plan: inout SplitMix64, root: SplitMix64, to catalog: inout CatalogBatch
    ) {
        let places = plan.shuffled(
            CatalogDemoData.formerCommunes.flatMap { group in group.names.map { (name: $0, communes: group.communes) } }
        )
        var counts = (0..<Self.pointCount).map { _ in plan.int(5...11) }
        var total = counts.reduce(0, +)
        while total != Self.pointProductCount {
            let index = plan.int(0...(Self.pointCount - 1))
            if total < Self.pointProductCount, counts[index] < 12 {
                counts[index] += 1
                total += 1
            } else if total > Self.pointProductCount, counts[index] > 4 {
                counts[index] -= 1
                total -= 1
            }
        }
        for (index, place) in places.prefix(Self.pointCount).enumerated() {
            var rng = root.derived("point", index)
            guard let commune = Self.communes[rng.pick(place.communes)] else { continue }
            let spot = Factory.near(lat: commune.lat, lon: commune.lon, km: 1.9, &rng)
            let name = "Điểm Bưu điện văn hóa xã \(place.name)"
            let point = SeedSupplier(
                id: rng.uuid(),
                name: name,
                kind: "post_office_point",
                phone: Factory.landline(&rng, quangNam: commune.code >= "20335"),
                taxCode: nil,
                description:
                    "Điểm Bưu điện văn hóa của \(place.name): nhận gửi bưu phẩm và bán đặc sản của bà con trong vùng.",
                provinceCode: DemoCommunes.province,
                communeCode: commune.code,
                addressLine: Factory.addressLine(&rng, unitType: "Xã"),
                lat: spot.lat,
                lon: spot.lon,
                payout: .counterCash,
                approvedAt: "\(CivilDate(year: 2025, month: 7, day: 1).adding(days: rng.int(0...500))) 08:00:00+07",
                approvedBy: clerkOf[commune.code]
            )
            catalog.suppliers.append(point)
            var titles = Set<String>()
            for ordinal in 0..<counts[index] {
                let line = rng.pick(Self.resaleLines)
                var title = Self.title(
                    line.noun, rng.pick(line.qualifiers), Self.place(for: line, commune: commune.name, &rng))
                if titles.contains(title) { title += " – \(rng.pick(["hộp quà", "loại 1", "đóng thùng"]))" }
                if titles.contains(title) { title += " \(ordinal + 1)" }
                titles.insert(title)
                let made = Factory.product(
                    line: line, title: title,
                    description: Self.description(line, supplier: name, commune: commune, resold: true, &rng),
                    supplierID: point.id, origin: Self.origin(line, &rng), status: "active",
                    skuStem: "\(line.sku)-\(ordinal + 1)", imageCount: 1, &rng)
                catalog.products.append(made.product)
                catalog.variants += made.variants
            }
        }
    }

    // MARK: Wording

    static func title(_ noun: String, _ qualifier: String, _ place: String?) -> String {
        [noun, qualifier, place].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// A named place for the goods, or the producer's commune; regional specialities already name theirs.
    private static func place(for line: ProductLine, commune: String, _ rng: inout SplitMix64) -> String? {
        if !line.places.isEmpty && rng.chance(0.6) { return rng.pick(line.places) }
        return line.specialty ? nil : commune
    }

    /// Most goods come from the province; a few resold ones (coffee from the Central Highlands, …) not.
    private static func origin(_ line: ProductLine, _ rng: inout SplitMix64) -> String {
        guard !line.specialty, rng.chance(0.04) else { return DemoCommunes.province }
        return line.category == "coffee-cocoa" ? rng.pick(["66", "68", "52"]) : rng.pick(["46", "51", "52"])
    }

    private static func description(
        _ line: ProductLine, supplier: String, commune: DemoCommune, resold: Bool = false, _ rng: inout SplitMix64
    ) -> String {
        let blurbs = line.blurbs.count > 1 && rng.chance(0.5) ? line.blurbs : [rng.pick(line.blurbs)]
        let place = "\(CatalogRowFactory.communePhrase(unitType: commune.unitType, name: commune.name)), \(province)"
        let origin =
            resold
            ? "Hàng của bà con \(place), bán tại \(supplier)."
            : "\(CatalogRowFactory.madeVerb(line)) tại \(place), bởi \(supplier)."
        return blurbs.joined(separator: " ") + " " + origin
    }

    /// A noun as it reads mid-sentence: "Nước mắm" → "nước mắm", but "Sâm Ngọc Linh" stays a name.
    static func inSentence(_ noun: String) -> String {
        let words = noun.split(separator: " ")
        if words.count > 1, let second = words[1].first, second.isUppercase { return noun }
        return noun.prefix(1).lowercased() + noun.dropFirst()
    }
}
