import Foundation
import Kernel

// Post-office points of sale and the goods they resell.
extension CatalogDemoGenerator {
    /// Goods village post offices typically resell.
    static let resaleLines: [ProductLine] = [
        DemoTrades.nuocMam, DemoTrades.banhTrang, DemoTrades.matOng, DemoTrades.che, DemoTrades.tieu, DemoTrades.keo,
        DemoTrades.gao, DemoTrades.caKho, DemoTrades.miQuang, DemoTrades.ruou, DemoTrades.tinhBotNghe,
        DemoTrades.caPhe, DemoTrades.nongSanKho, DemoTrades.dauPhong, DemoTrades.traThaoMoc, DemoTrades.mamRuoc,
    ]

    func appendPoints(
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
                approvedAt: "\(CalendarDay(year: 2025, month: 7, day: 1).adding(days: rng.int(0...500))) 08:00:00+07",
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
}
