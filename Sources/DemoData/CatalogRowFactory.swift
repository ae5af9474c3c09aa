import Foundation
import Kernel

/// The pieces both generators build rows from: people, phones, addresses, payouts, supplier names,
/// products with their variants, and OCOP certificates. Every value comes from the caller's
/// generator, so the same generator state gives the same rows.
enum CatalogRowFactory {
    typealias Names = CatalogDemoData

    /// BINs from the `banks` table, Agribank and the big four weighted up as they are in the countryside.
    static let bankBINs = [
        "970405", "970405", "970405", "970436", "970436", "970415", "970415", "970418", "970418", "970407", "970422",
        "970416", "970432", "970423", "970403", "970437", "970441", "970443", "970446", "970449",
    ]

    static func person(_ rng: inout SplitMix64, highland: Bool = false) -> String {
        let male = rng.chance(0.5)
        let family =
            highland && rng.chance(0.7) ? rng.pick(Names.highlandFamilyNames) : rng.pick(Names.familyNames)
        let middle = male ? rng.pick(Names.maleMiddleNames) : rng.pick(Names.femaleMiddleNames)
        let given = male ? rng.pick(Names.maleGivenNames) : rng.pick(Names.femaleGivenNames)
        return "\(family) \(middle) \(given)"
    }

    static func mobile(_ rng: inout SplitMix64) -> String {
        rng.pick(Names.mobilePrefixes) + rng.digits(7)
    }

    /// A fixed line: 0236 is Đà Nẵng's area code, 0235 the former Quảng Nam's.
    static func landline(_ rng: inout SplitMix64, quangNam: Bool) -> String {
        (quangNam ? "0235" : "0236") + rng.digits(7, leadingNonZero: true)
    }

    /// A 10-digit tax code with the issuing office's prefix (04 Đà Nẵng, 40 Quảng Nam; 01–96 elsewhere).
    static func taxCode(_ rng: inout SplitMix64, prefix: String) -> String {
        prefix + rng.digits(10 - prefix.count)
    }

    static func bankPayout(_ rng: inout SplitMix64, holder: String) -> SeedSupplier.Payout {
        .bankTransfer(
            bin: rng.pick(bankBINs),
            accountNo: rng.digits(rng.int(10...14), leadingNonZero: true),
            accountName: VietnameseText.accountName(holder)
        )
    }

    /// A pickup address line: a village in a rural commune, a house number and street in a ward.
    /// Villages and streets are the demo province's; elsewhere (`local` false) they are numbered.
    static func addressLine(_ rng: inout SplitMix64, unitType: String, local: Bool = true) -> String {
        if !local {
            return unitType == "Xã" ? "Thôn \(rng.int(1...15))" : "Số \(rng.int(1...300)), tổ \(rng.int(1...40))"
        }
        if unitType == "Xã" {
            let village = rng.pick(Names.villages)
            return rng.chance(0.4) ? "Tổ \(rng.int(1...12)), thôn \(village)" : "Thôn \(village)"
        }
        return "\(rng.int(1...450)) \(rng.pick(Names.streets))"
    }

    /// A point within `km` of (`lat`, `lon`), uniform over the disc, rounded to about 10 cm.
    static func near(lat: Double, lon: Double, km: Double, _ rng: inout SplitMix64) -> (lat: Double, lon: Double) {
        let distance = km * rng.unit().squareRoot()
        let bearing = 2 * Double.pi * rng.unit()
        let dLat = distance * cos(bearing) / 111.32
        let dLon = distance * sin(bearing) / (111.32 * cos(lat * Double.pi / 180))
        return (((lat + dLat) * 1e6).rounded() / 1e6, ((lon + dLon) * 1e6).rounded() / 1e6)
    }

    /// "xã Trà Linh", "phường Hội An": how a commune is written inside a sentence.
    static func communePhrase(unitType: String, name: String) -> String {
        "\(unitType.lowercased()) \(name)"
    }

    /// "Sản xuất" for goods, "Tổ chức" for tours and stays.
    static func madeVerb(_ line: ProductLine) -> String {
        line.category.hasSuffix("tourism") ? "Tổ chức" : "Sản xuất"
    }

    /// A supplier's trading name for its kind and trade, and the name its bank account is held in.
    static func supplierName(
        kind: String, trade: String, village: String, commune: String, _ rng: inout SplitMix64, highland: Bool
    ) -> (name: String, holder: String) {
        switch kind {
        case "cooperative":
            let name =
                switch rng.int(0...3) {
                case 0: "HTX Nông nghiệp \(village)"
                case 1: "Hợp tác xã \(trade) \(commune)"
                default: "HTX \(trade) \(village)"
                }
            return (name, name)
        case "enterprise":
            let form = rng.pick(["Công ty TNHH", "Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV"])
            let name = "\(form) \(trade) \(rng.chance(0.6) ? rng.pick(Names.brandPlaces) : commune)"
            return (name, name)
        default:
            let owner = person(&rng, highland: highland)
            return (rng.chance(0.5) ? "Hộ kinh doanh \(owner)" : "Cơ sở \(trade) \(owner)", owner)
        }
    }

    /// One product of `line` with 1 to 3 of the line's packs as variants. `skuStem` is unique within
    /// the supplier; each variant's SKU adds its pack code, so SKUs are unique per supplier too.
    static func product(
        line: ProductLine,
        title: String,
        description: String,
        supplierID: UUID,
        origin: String,
        status: String,
        skuStem: String,
        imageCount: Int,
        _ rng: inout SplitMix64
    ) -> (product: SeedProduct, variants: [SeedVariant]) {
        let id = rng.uuid()
        let slug = VietnameseText.slug(title) + "-" + id.uuidString.prefix(8).lowercased()
        let product = SeedProduct(
            id: id,
            supplierID: supplierID,
            title: title,
            description: description,
            category: line.category,
            originProvinceCode: origin,
            images: (1...max(1, imageCount)).map { "https://cdn.chobuudien.vn/demo/\(slug)-\($0).jpg" },
            isRegionalSpecialty: line.specialty,
            status: status
        )
        let count = rng.int(1...min(3, line.packs.count))
        var variants: [SeedVariant] = []
        for (position, pack) in line.packs.prefix(count).enumerated() {
            // Integer đồng throughout: ±15–20 % around the typical price, rounded to 1,000 đ.
            let varied = pack.price * Int64(850 + rng.int(0...350)) / 1000
            variants.append(
                SeedVariant(
                    id: rng.uuid(),
                    productID: id,
                    supplierID: supplierID,
                    sku: "\(skuStem)-\(pack.code)",
                    name: pack.name,
                    priceVND: max(1000, (varied + 500) / 1000 * 1000),
                    weightGrams: pack.grams,
                    stockOnHand: rng.chance(0.08) ? 0 : rng.int(1...500),
                    position: position + 1
                ))
        }
        return (product, variants)
    }

    /// A verified certificate valid on `CalendarDay.reference`: issued from December 2023 (so that 36
    /// months later is still ahead) to October 2026. 5★ is only ever national (QĐ 1489/QĐ-TTg).
    static func validCertificate(
        productID: UUID, stars: Int, province: String, serial: Int, reviewer: UUID?, _ rng: inout SplitMix64
    ) -> SeedCertificate {
        let issued = CalendarDay(year: 2023, month: 12, day: rng.int(1...28)).adding(months: rng.int(0...34))
        return certificate(
            productID: productID, stars: stars, province: province, serial: serial, issued: issued,
            status: "verified", reviewer: reviewer, &rng)
    }

    static func certificate(
        productID: UUID,
        stars: Int,
        province: String,
        serial: Int,
        issued: CalendarDay,
        status: String,
        reviewer: UUID?,
        _ rng: inout SplitMix64
    ) -> SeedCertificate {
        let national = stars == 5
        let number = "OCOP-\(national ? "QG" : province)-\(issued.year)-\(padded(serial, 4))"
        let reviewed = status == "pending" ? nil : "\(issued.adding(days: rng.int(3...25))) 09:30:00+07"
        return SeedCertificate(
            id: rng.uuid(),
            productID: productID,
            stars: stars,
            certificateNo: number,
            issuedBy: national ? "national" : "province",
            issuedOn: issued,
            expiresOn: issued.adding(months: 36),
            status: status,
            reviewedBy: status == "pending" ? nil : reviewer,
            reviewedAt: reviewed
        )
    }

    static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
