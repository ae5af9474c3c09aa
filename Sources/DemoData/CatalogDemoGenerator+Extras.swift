import Foundation
import Kernel

// Drafts, listings under review and certificate history beside the published catalog.
extension CatalogDemoGenerator {
    func addDraftsAndOldCertificates(
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
            let issued = CalendarDay(year: 2022, month: 1, day: rng.int(1...28)).adding(months: rng.int(0...20))
            catalog.certificates.append(
                Factory.certificate(
                    productID: product.id, stars: 3, province: DemoCommunes.province, serial: serial, issued: issued,
                    status: "verified", reviewer: supplierOf[product.supplierID].flatMap { clerkOf[$0.communeCode] },
                    &rng))
        }
        for index in plain[lapsedEnd..<(lapsedEnd + Self.pendingCount)] {
            serial += 1
            let issued = CalendarDay(year: 2026, month: 9, day: rng.int(1...28)).adding(months: rng.int(0...1))
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
}
