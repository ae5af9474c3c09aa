import Foundation
import Kernel

// The demo producers and their products, OCOP certificates and regional specialities.
extension CatalogDemoGenerator {
    struct ProducerPlan {
        var trade: Trade
        var products: Int
        var ocopProducts: Int
        var isDemo: Bool
    }

    /// Who sells what: fixes the exact counts first, then lets the generator vary everything else.
    func producerPlans(_ rng: inout SplitMix64) -> [ProducerPlan] {
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

    func appendProducer(
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
            approvedAt: "\(CalendarDay(year: 2025, month: 7, day: 1).adding(days: rng.int(0...500))) 09:00:00+07",
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
}
