import Foundation

/// A commune as the scale generator places suppliers: any province's, coordinates when known.
struct ScaleCommune: Sendable, Equatable {
    var code: String
    var provinceCode: String
    var name: String
    var unitType: String
    /// "tỉnh Gia Lai", "thành phố Huế": how the province reads inside a sentence.
    var provincePhrase: String
    var lat: Double?
    var lon: Double?
}

/// Bulk catalog data for load and search tests (`market seed --products N`): active products of
/// every category from every province, about 50 per supplier, 1–3 variants each and about one in
/// ten with a valid OCOP certificate. Titles combine the goods, a qualifier, the supplier's commune
/// and the pack ("Mật ong rừng nguyên chất Trà My chai 500ml"), so a query naming goods and a place
/// is selective. A pure function of (seed, run, batch): each run of the command is a new run number,
/// so reruns add new suppliers and ids instead of colliding.
public struct ScaleCatalogGenerator: Sendable {
    public static let defaultSeed: UInt64 = 20_261_127
    static let productsPerSupplier = 30...70
    static let ocopShare = 0.10

    var seed: UInt64
    var run: Int
    var communes: [ScaleCommune]

    private typealias Factory = CatalogRowFactory
    /// The demo province's specialities are made only there; everyday goods anywhere.
    private static let localTrades = DemoTrades.regional + DemoTrades.everyday
    private static let localLines = DemoTrades.allLines
    private static let everydayLines = DemoTrades.allLines.filter { !$0.specialty }

    func batch(_ index: Int, products: Int) -> CatalogBatch {
        var rng = SplitMix64(seed: seed).derived("scale-run", run).derived("batch", index)
        var batch = CatalogBatch()
        batch.products.reserveCapacity(products)
        batch.variants.reserveCapacity(products * 2)
        guard !communes.isEmpty else { return batch }
        var remaining = products
        var serial = 0
        while remaining > 0 {
            let count = min(remaining, rng.int(Self.productsPerSupplier))
            let commune = rng.pick(communes)
            let local = commune.provinceCode == DemoCommunes.province
            let trade = rng.pick(local ? Self.localTrades : DemoTrades.everyday)
            let supplier = Self.supplier(trade: trade, commune: commune, &rng)
            batch.suppliers.append(supplier)
            for ordinal in 1...count {
                let line =
                    rng.chance(0.7) ? rng.pick(trade.lines) : rng.pick(local ? Self.localLines : Self.everydayLines)
                let pack = line.packs[0].name
                let title = CatalogDemoGenerator.title(
                    line.noun, rng.pick(line.qualifiers),
                    "\(commune.name) \(pack.prefix(1).lowercased())\(pack.dropFirst())")
                let made = Factory.product(
                    line: line,
                    title: title,
                    description:
                        "\(rng.pick(line.blurbs)) \(Factory.madeVerb(line)) tại "
                        + "\(Factory.communePhrase(unitType: commune.unitType, name: commune.name)), \(commune.provincePhrase).",
                    supplierID: supplier.id,
                    origin: commune.provinceCode,
                    status: "active",
                    skuStem: "\(line.sku)-\(ordinal)",
                    imageCount: 1,
                    &rng
                )
                batch.products.append(made.product)
                batch.variants += made.variants
                if rng.chance(Self.ocopShare) {
                    serial += 1
                    let roll = rng.unit()
                    batch.certificates.append(
                        Factory.validCertificate(
                            productID: made.product.id, stars: roll < 0.05 ? 5 : roll < 0.55 ? 3 : 4,
                            province: commune.provinceCode, serial: index * 10_000 + serial, reviewer: nil, &rng))
                }
            }
            remaining -= count
        }
        return batch
    }

    private static func supplier(trade: Trade, commune: ScaleCommune, _ rng: inout SplitMix64) -> SeedSupplier {
        let roll = rng.unit()
        let kind = roll < 0.45 ? "household" : roll < 0.8 ? "cooperative" : "enterprise"
        let named = Factory.supplierName(
            kind: kind, trade: trade.label, village: commune.name, commune: commune.name, &rng, highland: false)
        let bank = kind != "household" || rng.chance(0.5)
        var spot: (lat: Double, lon: Double)?
        if let lat = commune.lat, let lon = commune.lon {
            spot = Factory.near(lat: lat, lon: lon, km: 1.9, &rng)
        }
        return SeedSupplier(
            id: rng.uuid(),
            name: named.name,
            kind: kind,
            phone: Factory.mobile(&rng),
            taxCode: rng.chance(0.4) ? Factory.taxCode(&rng, prefix: commune.provinceCode) : nil,
            description: "Nhà cung cấp ở \(Factory.communePhrase(unitType: commune.unitType, name: commune.name)).",
            provinceCode: commune.provinceCode,
            communeCode: commune.code,
            addressLine: Factory.addressLine(
                &rng, unitType: commune.unitType, local: commune.provinceCode == DemoCommunes.province),
            lat: spot?.lat,
            lon: spot?.lon,
            payout: bank ? Factory.bankPayout(&rng, holder: named.holder) : .counterCash,
            approvedAt: nil,
            approvedBy: nil
        )
    }
}
