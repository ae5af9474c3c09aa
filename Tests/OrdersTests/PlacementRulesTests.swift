import Catalog
import Foundation
import Kernel
import Testing

@testable import Orders

@Suite("Placing an order without a database: the stock check on locked variants and the order built")
struct PlacementRulesTests {
    static func variant(stock: Int, onSale: Bool = true, supplier: UUID = UUID(), sku: String = "S")
        -> PurchasableVariant
    {
        PurchasableVariant(
            id: UUID(), productID: UUID(), supplierID: supplier, sku: sku, productTitle: "Nước mắm",
            variantName: "500 ml", priceVND: 85_000, weightGrams: 700, stockOnHand: stock, isOnSale: onSale,
            supplierCommune: "20410", supplierProvince: "48", supplierRegion: "central")
    }

    @Test func enoughStockPasses() throws {
        let v = Self.variant(stock: 3)
        try StockCheck.verify([CartLine(variantID: v.id, quantity: 3)], variants: [v.id: v])
    }

    @Test func everyShortLineIsNamedWithWhatIsAvailable() throws {
        let a = Self.variant(stock: 2, sku: "A-1")
        let b = Self.variant(stock: 10, sku: "B-1")
        let c = Self.variant(stock: 0, sku: "C-1")
        let lines = [
            CartLine(variantID: a.id, quantity: 3), CartLine(variantID: b.id, quantity: 10),
            CartLine(variantID: c.id, quantity: 1),
        ]
        #expect {
            try StockCheck.verify(lines, variants: [a.id: a, b.id: b, c.id: c])
        } throws: { error in
            guard case DomainError.conflict(let kind, _, _, let fields) = error else { return false }
            return kind == "insufficient-stock" && fields.map(\.field) == ["lines[0].quantity", "lines[2].quantity"]
                && fields[0].message.contains("only 2 of A-1") && fields[1].message.contains("only 0 of C-1")
        }
    }

    @Test func variantsNotOnSaleAre422BeforeAnyShortage() throws {
        let short = Self.variant(stock: 0)
        let withdrawn = Self.variant(stock: 50, onSale: false)
        let lines = [
            CartLine(variantID: short.id, quantity: 1), CartLine(variantID: withdrawn.id, quantity: 1),
            CartLine(variantID: UUID(), quantity: 1),
        ]
        #expect {
            try StockCheck.verify(lines, variants: [short.id: short, withdrawn.id: withdrawn])
        } throws: { error in
            guard case DomainError.validation(let fields) = error else { return false }
            return fields.map(\.field) == ["lines[1].variant_id", "lines[2].variant_id"]
        }
    }

    @Test func theBuiltOrderCarriesTheQuoteNumbersAndStatuses() throws {
        let sellerA = UUID()
        let sellerB = UUID()
        let a = Self.variant(stock: 5, supplier: sellerA)
        let b = Self.variant(stock: 5, supplier: sellerB)
        let lines = [CartLine(variantID: a.id, quantity: 2), CartLine(variantID: b.id, quantity: 1)]
        let destination = ShippingZone.Place(communeCode: "20410", provinceCode: "48", region: "central")
        for method in PaymentMethod.allCases {
            let quote = try Checkout.quote(
                lines, variants: [a.id: a, b.id: b], destination: destination, tariff: ShippingRulesTests.tariff,
                paymentMethod: method)
            let new = try NewOrder.validated(
                lines: lines,
                address: ShippingAddress(
                    recipientName: "Nguyễn Thị Mai", phone: "0905123456", provinceCode: "48", communeCode: "20410",
                    addressLine: "12 Trần Phú"),
                paymentMethod: method)
            let now = Date()
            let due = method == .bankTransfer ? now.addingTimeInterval(3600) : nil
            let ids = [UUID(), UUID()]
            let placed = PlacedOrder.build(
                id: UUID(), number: "DH261127000042", buyer: UUID(), new: new, quote: quote,
                tariff: ShippingRulesTests.tariff, supplierNames: [sellerA: "HTX A", sellerB: "Hộ B"], packageIDs: ids,
                deliveryCode: "123456", paymentDueAt: due, at: now)
            let order = placed.order
            #expect(order.packages.map(\.number) == ["DH261127000042-1", "DH261127000042-2"])
            #expect(order.packages.map(\.id) == ids)
            #expect(order.packages.map(\.supplierName) == ["HTX A", "Hộ B"])
            #expect(order.status == (method == .cod ? .placed : .awaitingPayment))
            #expect(order.packages.allSatisfy { $0.status == (method == .cod ? .new : .awaitingPayment) })
            #expect(order.grandTotalVND == quote.grandTotalVND)
            #expect(order.packages.map(\.codAmountVND) == quote.packages.map(\.codAmountVND))
            #expect(ids.map { placed.codFees[$0] } == quote.packages.map(\.codFeeVND))
            #expect(order.packages[0].lines.map(\.lineTotalVND) == [170_000])
            #expect(order.paymentDueAt == due)
            #expect(order.createdAt == now && order.packages.allSatisfy { $0.createdAt == now })
            // What an idempotency key keeps gives back the very same order, instants to the bit.
            #expect(OrderSnapshot.decode(try OrderSnapshot.encode(order)) == order)
        }
    }
}
