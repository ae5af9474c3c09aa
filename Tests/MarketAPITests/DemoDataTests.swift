import Catalog
import Foundation
import Kernel
import Logistics
import PostgresNIO
import Testing

@testable import DemoData
@testable import MarketAPI

@Suite("Demo and scale data generators")
struct DemoDataTests {
    static let demo = CatalogDemoGenerator().generate()
    static let leafCategories: Set<String> = [
        "fresh-produce", "dried-produce", "processed-food", "seasonings", "tea", "coffee-cocoa", "honey", "spirits",
        "soft-drinks", "herbal-medicine", "functional-food", "herbal-cosmetics", "textiles", "bamboo-rattan",
        "pottery", "woodwork", "flowers", "bonsai", "ornamental-animals", "community-tourism", "eco-tourism",
    ]

    var catalog: CatalogBatch { Self.demo.catalog }
    var producers: [SeedSupplier] { catalog.suppliers.filter { $0.kind != "post_office_point" } }
    var points: [SeedSupplier] { catalog.suppliers.filter { $0.kind == "post_office_point" } }

    @Test func theSameSeedGivesTheSameRowsAndAnotherSeedOtherIDs() {
        #expect(CatalogDemoGenerator().generate() == Self.demo)
        let other = CatalogDemoGenerator(seed: 42).generate()
        #expect(other != Self.demo)
        let ids = Set(catalog.products.map(\.id))
        #expect(other.catalog.products.filter { ids.contains($0.id) }.isEmpty)
    }

    @Test func idsAreUniqueAndVersionFourShaped() {
        let ids =
            catalog.suppliers.map(\.id) + catalog.products.map(\.id) + catalog.variants.map(\.id)
            + catalog.certificates.map(\.id) + Self.demo.staff.flatMap { [$0.id, $0.grantID] }
            + Self.demo.postOffices.map(\.id)
        #expect(Set(ids).count == ids.count)
        for id in ids where id != DemoSeed.supplierID && id != DemoSeed.postOfficeID {
            let text = id.uuidString.lowercased()
            #expect(Array(text)[14] == "4")
            #expect("89ab".contains(Array(text)[19]))
        }
    }

    @Test func producersAndTheirProductsHaveThePublishedCounts() {
        #expect(producers.count == CatalogDemoGenerator.producerCount)
        #expect(producers.count == 297)
        let producerIDs = Set(producers.map(\.id))
        let products = catalog.products.filter { producerIDs.contains($0.supplierID) }
        #expect(products.count == 1451)
        #expect(products.filter { $0.status == "active" }.count == 1430)
        #expect(products.filter { $0.status == "draft" }.count == 14)
        #expect(products.filter { $0.status == "pending_review" }.count == 7)
        let perSupplier = Dictionary(grouping: products, by: \.supplierID).mapValues(\.count)
        #expect(perSupplier.count == 297)
        #expect(perSupplier.values.allSatisfy { (1...12).contains($0) })
    }

    @Test func ocopHoldersAndRegionalSpecialitiesHaveThePublishedCounts() {
        let valid = catalog.certificates.filter { $0.isValid(on: .reference) }
        let validProducts = Set(valid.map(\.productID))
        #expect(validProducts.count == 128)
        let supplierOf = Dictionary(uniqueKeysWithValues: catalog.products.map { ($0.id, $0.supplierID) })
        #expect(Set(validProducts.compactMap { supplierOf[$0] }).count == 112)
        // Every certified product is listed: a badge on a hidden product would not count anywhere.
        let active = Set(catalog.products.filter { $0.status == "active" }.map(\.id))
        #expect(validProducts.isSubset(of: active))

        let regional = catalog.products.filter(\.isRegionalSpecialty)
        #expect(regional.count == 135)
        #expect(Set(regional.map(\.supplierID)).count == 25)
        #expect(regional.allSatisfy { $0.status == "active" && $0.originProvinceCode == "48" })

        #expect(points.count == 150)
        let pointIDs = Set(points.map(\.id))
        let pointProducts = catalog.products.filter { pointIDs.contains($0.supplierID) }
        #expect(pointProducts.count == 1200)
        #expect(pointProducts.allSatisfy { !$0.isRegionalSpecialty && $0.status == "active" })
        #expect(points.allSatisfy { $0.payout == .counterCash && $0.name.hasPrefix("Điểm Bưu điện văn hóa xã ") })
    }

    @Test func certificatesFollowTheOcopRules() {
        for certificate in catalog.certificates {
            #expect(certificate.stars < 5 || certificate.issuedBy == "national")
            #expect((3...5).contains(certificate.stars))
            #expect(certificate.expiresOn > certificate.issuedOn)
            #expect(certificate.expiresOn <= certificate.issuedOn.adding(months: 36))
            #expect(certificate.issuedOn <= .reference)
            #expect((certificate.status == "pending") == (certificate.reviewedBy == nil))
        }
        let fiveStars = catalog.certificates.filter { $0.stars == 5 }
        #expect(fiveStars.count == CatalogDemoGenerator.fiveStarCount)
        // History beside the valid ones: some expired, some waiting for a clerk.
        #expect(catalog.certificates.contains { $0.status == "verified" && !$0.isValid(on: .reference) })
        #expect(catalog.certificates.filter { $0.status == "pending" }.count == CatalogDemoGenerator.pendingCount)
    }

    @Test func variantsAreWellFormed() {
        var skus = Set<String>()
        for variant in catalog.variants {
            #expect(skus.insert("\(variant.supplierID) \(variant.sku)").inserted, "SKU \(variant.sku) repeats")
            #expect(variant.sku.wholeMatch(of: /[A-Za-z0-9][A-Za-z0-9._-]{0,63}/) != nil)
            #expect(variant.priceVND > 0 && variant.priceVND % 1000 == 0)
            #expect((1...50_000).contains(variant.weightGrams))
            #expect((0...500).contains(variant.stockOnHand))
        }
        #expect(catalog.variants.contains { $0.stockOnHand == 0 })
        let perProduct = Dictionary(grouping: catalog.variants, by: \.productID).mapValues(\.count)
        #expect(perProduct.count == catalog.products.count)
        #expect(perProduct.values.allSatisfy { (1...3).contains($0) })
    }

    @Test func productsAreTitledCategorisedAndIllustrated() {
        for product in catalog.products {
            #expect(Self.leafCategories.contains(product.category), "\(product.title): \(product.category)")
            #expect((1...200).contains(product.title.count))
            #expect(!product.description.isEmpty && product.description.count <= 5000)
            #expect((1...3).contains(product.images.count))
            #expect(product.images.allSatisfy { $0.hasPrefix("https://cdn.chobuudien.vn/demo/") })
        }
        #expect(Set(catalog.products.map(\.category)) == Self.leafCategories)
        let fromProvince = catalog.products.filter { $0.originProvinceCode == "48" }.count
        #expect(fromProvince * 10 > catalog.products.count * 9)
    }

    @Test func suppliersHaveValidContactsPayoutsAndPlaces() {
        let communes = Dictionary(uniqueKeysWithValues: DemoCommunes.all.map { ($0.code, $0) })
        #expect(Set(catalog.suppliers.map(\.name)).count == catalog.suppliers.count)
        #expect(Set(producers.map(\.kind)) == ["household", "cooperative", "enterprise"])
        var bank = 0
        for supplier in catalog.suppliers {
            #expect(supplier.phone.wholeMatch(of: /(\+84|0)[1-9][0-9]{8,9}/) != nil, "\(supplier.phone)")
            if let taxCode = supplier.taxCode { #expect(taxCode.wholeMatch(of: /[0-9]{10}/) != nil) }
            if case .bankTransfer(let bin, let accountNo, let accountName) = supplier.payout {
                bank += 1
                #expect(CatalogRowFactory.bankBINs.contains(bin))
                #expect(accountNo.wholeMatch(of: /[0-9]{6,19}/) != nil)
                #expect(accountName.wholeMatch(of: /[A-Z0-9 .,&()-]{2,70}/) != nil, "\(accountName)")
            }
            guard let commune = communes[supplier.communeCode], let lat = supplier.lat, let lon = supplier.lon else {
                Issue.record("\(supplier.name) has no place")
                continue
            }
            #expect(supplier.communeCode != "20333")
            let dy = (lat - commune.lat) * 111.32
            let dx = (lon - commune.lon) * 111.32 * cos(commune.lat * Double.pi / 180)
            #expect((dx * dx + dy * dy).squareRoot() <= 2.0)
        }
        #expect(bank > catalog.suppliers.count / 3)
        #expect(producers.contains { $0.payout == .counterCash })
        #expect(producers.contains { $0.taxCode != nil } && producers.contains { $0.taxCode == nil })
    }

    @Test func accountNamesAreCapitalsWithoutDiacritics() {
        #expect(VietnameseText.accountName("Nguyễn Văn Sáu") == "NGUYEN VAN SAU")
        #expect(VietnameseText.accountName("HTX Nông nghiệp Trà Nhiêu") == "HTX NONG NGHIEP TRA NHIEU")
        #expect(VietnameseText.accountName("Đặng Thị Ánh") == "DANG THI ANH")
        #expect(VietnameseText.slug("Nước mắm cá cơm nhĩ Cửa Đại") == "nuoc-mam-ca-com-nhi-cua-dai")
        #expect(VietnameseText.initials("cá cơm 40 độ đạm", limit: 3) == "CC4")
        let long = String(repeating: "Công ty TNHH ", count: 10)
        #expect(VietnameseText.accountName(long).count <= 70)
    }

    @Test func theDemoSupplierIsCompleteWithAFourStarFishSauce() throws {
        let supplier = try #require(catalog.suppliers.first { $0.id == DemoSeed.supplierID })
        #expect(supplier.communeCode == "20410")
        #expect(supplier.kind == "cooperative")
        guard case .bankTransfer = supplier.payout else {
            Issue.record("the demo supplier is paid by bank transfer")
            return
        }
        let products = catalog.products.filter { $0.supplierID == DemoSeed.supplierID }
        #expect(products.count == 4)
        #expect(products.allSatisfy { $0.status == "active" && $0.category == "seasonings" })
        let ids = Set(products.map(\.id))
        let certificates = catalog.certificates.filter { ids.contains($0.productID) && $0.isValid(on: .reference) }
        #expect(certificates.map(\.stars) == [4])
        #expect(certificates.first?.issuedBy == "province")
    }

    @Test func everyCommuneIsServedByExactlyOnePostOfficeWithStaff() {
        let offices = Self.demo.postOffices
        let served = offices.flatMap(\.communes)
        #expect(served.count == 94)
        #expect(Set(served) == Set(DemoCommunes.all.map(\.code)))
        let hoiAn = offices.first { $0.id == DemoSeed.postOfficeID }
        #expect(hoiAn?.code == "DN-HOIAN")
        #expect(hoiAn?.communes.contains("20410") == true)
        #expect((hoiAn?.communes.count ?? 0) >= 3)
        #expect((20...32).contains(offices.count))
        #expect(offices.allSatisfy { !$0.communes.isEmpty && $0.communes.contains($0.communeCode) })
        let staff = Self.demo.staff
        #expect(Set(staff.map(\.email)).count == staff.count)
        for office in offices {
            let mine = staff.filter { $0.postOfficeID == office.id }
            #expect((2...6).contains(mine.filter { $0.role == "courier" }.count))
            #expect(mine.filter { $0.role == "clerk" }.count == 1)
        }
        #expect(staff.contains { $0.email == "courier.dn-tamky.1@demo.chobuudien.vn" })
    }

    @Test func civilDatesAddMonthsAsPostgreSQLDoes() {
        #expect(CalendarDay(year: 2023, month: 12, day: 1).adding(months: 36).description == "2026-12-01")
        #expect(CalendarDay(year: 2024, month: 1, day: 31).adding(months: 1).description == "2024-02-29")
        #expect(CalendarDay(year: 2026, month: 10, day: 28).adding(months: -36).description == "2023-10-28")
        #expect(CalendarDay(year: 2025, month: 12, day: 30).adding(days: 3).description == "2026-01-02")
    }

    // MARK: Scale data

    static let scaleCommunes = [
        ScaleCommune(
            code: "20900", provinceCode: "48", name: "Trà My", unitType: "Xã", provincePhrase: "thành phố Đà Nẵng",
            lat: 15.349139, lon: 108.234557),
        ScaleCommune(
            code: "00004", provinceCode: "01", name: "Ba Đình", unitType: "Phường", provincePhrase: "thành phố Hà Nội",
            lat: nil, lon: nil),
    ]

    @Test func scaleBatchesAreDeterministicAndDistinctPerRun() {
        let generator = ScaleCatalogGenerator(seed: 7, run: 1, communes: Self.scaleCommunes)
        let batch = generator.batch(3, products: 2_000)
        #expect(batch == generator.batch(3, products: 2_000))
        #expect(batch.products.count == 2_000)
        #expect((2_000 / 70...2_000 / 30 + 1).contains(batch.suppliers.count))
        let nextRun = ScaleCatalogGenerator(seed: 7, run: 2, communes: Self.scaleCommunes).batch(3, products: 2_000)
        #expect(Set(batch.products.map(\.id)).isDisjoint(with: nextRun.products.map(\.id)))
        #expect(
            Set(batch.suppliers.map(\.id)).isDisjoint(with: generator.batch(4, products: 2_000).suppliers.map(\.id)))
    }

    @Test func scaleRowsAreValidAndTitledWithTheirCommune() {
        let batch = ScaleCatalogGenerator(seed: 7, run: 1, communes: Self.scaleCommunes).batch(0, products: 5_000)
        let supplierOf = Dictionary(uniqueKeysWithValues: batch.suppliers.map { ($0.id, $0) })
        var skus = Set<String>()
        for variant in batch.variants {
            #expect(skus.insert("\(variant.supplierID) \(variant.sku)").inserted)
            #expect(variant.priceVND > 0)
        }
        for product in batch.products {
            let supplier = supplierOf[product.supplierID]
            let commune = Self.scaleCommunes.first { $0.code == supplier?.communeCode }
            #expect(product.title.contains(commune?.name ?? "?"))
            #expect(product.originProvinceCode == commune?.provinceCode)
            #expect(product.status == "active")
        }
        // The demo province's specialities are not made elsewhere.
        let elsewhere = Set(batch.suppliers.filter { $0.provinceCode != "48" }.map(\.id))
        #expect(!elsewhere.isEmpty)
        #expect(batch.products.filter { elsewhere.contains($0.supplierID) }.allSatisfy { !$0.isRegionalSpecialty })
        // Without a centroid the supplier has no coordinates rather than invented ones.
        #expect(batch.suppliers.filter { $0.communeCode == "00004" }.allSatisfy { $0.lat == nil && $0.lon == nil })
        let share = Double(Set(batch.certificates.map(\.productID)).count) / Double(batch.products.count)
        #expect((0.07...0.13).contains(share))
        #expect(
            batch.certificates.allSatisfy { $0.isValid(on: .reference) && ($0.stars < 5 || $0.issuedBy == "national") })
    }
}

@Suite("Demo data in the database")
struct DemoDatabaseTests {
    @Test func theDemoLoadsOnceWithThePublishedCounts() async throws {
        try await withTestDatabase { client, _ in
            let db = Database(client)
            let accounts = AccountStore(config: testConfig(), db: db, logger: testLogger)
            let seed = DemoSeed(db: db, accounts: accounts, logger: testLogger)
            #expect(try await seed.loadOnce())
            let counts = try await DemoCatalogCounts.query(db, logger: testLogger)
            let demo = DemoDataTests.demo
            #expect(
                counts
                    == DemoCatalogCounts(
                        producers: 297, producerProducts: 1451, activeProducerProducts: 1430, ocopSuppliers: 112,
                        ocopProducts: 128, regionalSuppliers: 25, regionalProducts: 135, points: 150,
                        pointProducts: 1200, postOffices: demo.postOffices.count, servedCommunes: 94,
                        couriers: demo.staff.filter { $0.role == "courier" }.count + 1,
                        clerks: demo.staff.filter { $0.role == "clerk" }.count + 1))
            #expect(try await seed.loadOnce() == false)
            #expect(try await DemoCatalogCounts.query(db, logger: testLogger) == counts)

            // The triggers filled the mirrored columns.
            let unpriced = try await client.query(
                "SELECT count(*) FROM products WHERE min_price_vnd IS NULL OR NOT supplier_active"
            ).decode(Int.self).reduce(0, +)
            #expect(unpriced == 0)
            let demoStars = try await client.query(
                """
                SELECT p.ocop_stars FROM products p
                WHERE p.supplier_id = \(DemoSeed.supplierID) AND p.ocop_stars IS NOT NULL
                """
            ).decode(Int16.self).reduce(into: [Int16]()) { $0.append($1) }
            #expect(demoStars == [4])
            // The embedded commune list is the database's.
            let communes = try await client.query(
                "SELECT code, name, unit_type, lat, lon FROM communes WHERE province_code = '48' ORDER BY code"
            ).decode((String, String, String, Double, Double).self).reduce(into: [DemoCommune]()) {
                $0.append(DemoCommune(code: $1.0, name: $1.1, unitType: $1.2, lat: $1.3, lon: $1.4))
            }
            #expect(communes == DemoCommunes.all)
            // Generated staff sign in with the demo password.
            _ = try await accounts.login(email: "courier.dn-tamky.1@demo.chobuudien.vn", password: DemoSeed.password)
            _ = try await accounts.login(email: "producer@demo.chobuudien.vn", password: DemoSeed.password)
            // Search finds the demo producer's fish sauce without diacritics.
            let found = try await client.query(
                """
                SELECT count(*) FROM products
                WHERE status = 'active' AND supplier_active AND search_title LIKE '%nuoc mam%cua dai%'
                """
            ).decode(Int.self).reduce(0, +)
            #expect(found >= 3)
        }
    }

    @Test func scaleSeedingAppendsNewRowsOnEveryRun() async throws {
        try await withTestDatabase { client, _ in
            let seed = ScaleSeed(db: Database(client), logger: testLogger, batchSize: 700)
            let first = try await seed.run(products: 1_500, seed: 7)
            let second = try await seed.run(products: 1_500, seed: 7)
            #expect((first.run, second.run) == (1, 2))
            let counts = try await client.query(
                """
                SELECT count(*), count(*) FILTER (WHERE status = 'active' AND supplier_active AND min_price_vnd > 0),
                       count(DISTINCT supplier_id), count(DISTINCT origin_province_code)
                FROM products
                """
            ).decode((Int, Int, Int, Int).self).reduce(into: [(Int, Int, Int, Int)]()) { $0.append($1) }
            #expect(counts.first?.0 == 3_000)
            #expect(counts.first?.1 == 3_000)
            #expect(counts.first?.2 == first.suppliers + second.suppliers)
            #expect((counts.first?.3 ?? 0) >= 20)
        }
    }
}

@Suite("Demo day")
struct DemoDayTests {
    /// Each demo account finds its day's work: parcels to plan, cash at the counter and with the
    /// courier, one collection short, and the ledger balanced after it all.
    @Test func theDemoDayLeavesEachRoleItsWorkAndTheLedgerBalanced() async throws {
        try await withTestDatabase { client, _ in
            let db = Database(client)
            let accounts = AccountStore(config: testConfig(), db: db, logger: testLogger)
            try await DemoSeed(db: db, accounts: accounts, logger: testLogger).loadOnce()
            let day = DemoDay(db: db, accounts: accounts, logger: testLogger)
            #expect(try await day.loadOnce())
            #expect(try await day.loadOnce() == false)
            func count(_ sql: PostgresQuery) async throws -> Int {
                try await client.query(sql).decode(Int.self).reduce(0, +)
            }
            let office = DemoSeed.postOfficeID
            #expect(
                try await count(
                    "SELECT count(*)::int FROM packages WHERE status = 'ready_for_pickup' AND supplier_id = \(DemoSeed.supplierID)"
                ) == DemoDay.readyForPickup)
            #expect(try await count("SELECT count(*)::int FROM packages WHERE status = 'delivered'") == 5)
            #expect(try await count("SELECT count(*)::int FROM handover_parcels") == DemoDay.handedOver)
            #expect(
                try await count(
                    "SELECT count(*)::int FROM cod_discrepancies WHERE status = 'open' AND post_office_id = \(office)"
                ) == 1)
            let findings = try await LedgerCheck(db: db, logger: testLogger).run()
            for finding in findings { #expect(finding.problems.isEmpty, "\(finding.check): \(finding.problems)") }
        }
    }
}
