import Catalog
import Foundation
import Testing

@testable import Orders

@Suite("Order numbers and the pricing cache, without a database")
struct OrderNumberTests {
    @Test func numbersCarryTheVietnameseDayAndAtLeastSixDigits() throws {
        // 16:59:59 UTC is 23:59:59 in Vietnam; a second later it is the next day there.
        let evening = try #require(ISO8601DateFormatter().date(from: "2026-02-28T16:59:59Z"))
        #expect(OrderNumber.format(sequence: 42, at: evening) == "DH260228000042")
        #expect(OrderNumber.format(sequence: 42, at: evening + 1) == "DH260301000042")
        #expect(OrderNumber.format(sequence: 999_999, at: evening) == "DH260228999999")
        // Past the millionth, numbers grow rather than lose digits.
        #expect(OrderNumber.format(sequence: 1_000_000, at: evening) == "DH2602281000000")
        #expect(OrderNumber.format(sequence: 1_000_001, at: evening) == "DH2602281000001")
        let leap = try #require(ISO8601DateFormatter().date(from: "2028-02-29T10:00:00Z"))
        #expect(OrderNumber.format(sequence: 7, at: leap) == "DH280229000007")
    }

    static func variant(_ supplier: UUID = UUID()) -> PurchasableVariant {
        PurchasableVariant(
            id: UUID(), productID: UUID(), supplierID: supplier, sku: "S", productTitle: "Nước mắm",
            variantName: "500 ml", priceVND: 85_000, weightGrams: 700, stockOnHand: 5, isOnSale: true,
            supplierCommune: "20410", supplierProvince: "48", supplierRegion: "central")
    }

    @Test func theCacheAnswersOnlyWhenItKnowsEveryPieceAndItIsYoung() {
        let cache = PricingCache(capacity: 2, maxAge: .seconds(60))
        let a = Self.variant()
        let b = Self.variant()
        let tariff = UUID()
        let now = ContinuousClock.now
        #expect(cache.context(variantIDs: [a.id], communeCode: "20410", now: now) == nil)
        cache.remember(
            variants: [a.id: a], sellers: [a.supplierID: "HTX A"], tariffID: tariff, communeCode: "20410",
            destination: ("48", "central"), now: now)
        let known = cache.context(variantIDs: [a.id], communeCode: "20410", now: now)
        #expect(known?.tariffID == tariff && known?.variants[a.id] == a && known?.sellers[a.supplierID] == "HTX A")
        #expect(known?.destination.province == "48")
        // Another variant, another commune, or too old: ask the database.
        #expect(cache.context(variantIDs: [a.id, b.id], communeCode: "20410", now: now) == nil)
        #expect(cache.context(variantIDs: [a.id], communeCode: "20411", now: now) == nil)
        #expect(cache.context(variantIDs: [a.id], communeCode: "20410", now: now + .seconds(61)) == nil)
        // An unknown commune is never remembered (the database answers 422 for it every time).
        cache.remember(
            variants: [:], sellers: [:], tariffID: tariff, communeCode: "99999", destination: nil, now: now)
        #expect(cache.context(variantIDs: [a.id], communeCode: "99999", now: now) == nil)
        // What an order found changed is forgotten, and so is the tariff.
        cache.forget(variantIDs: [a.id])
        #expect(cache.count == 0)
        cache.remember(
            variants: [a.id: a], sellers: [:], tariffID: nil, communeCode: "20410", destination: ("48", "central"),
            now: now)
        #expect(cache.context(variantIDs: [a.id], communeCode: "20410", now: now) == nil)
        // Bounded.
        let c = Self.variant()
        cache.remember(
            variants: [b.id: b, c.id: c], sellers: [:], tariffID: tariff, communeCode: "20410",
            destination: ("48", "central"), now: now)
        #expect(cache.count == 2)
    }
}
