import Catalog
import Foundation
import Kernel
import OpenAPIRuntime
import Orders

extension APIHandlers {
    func listShippingTariffs(_ input: Operations.ListShippingTariffs.Input) async throws
        -> Operations.ListShippingTariffs.Output
    {
        .ok(.init(body: .json(.init(items: try await tariffs.all().map(\.schema), nextCursor: nil))))
    }

    func createShippingTariff(_ input: Operations.CreateShippingTariff.Input) async throws
        -> Operations.CreateShippingTariff.Output
    {
        let caller = try signedIn()
        try caller.signedIn().require(.admin)
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let new = try NewTariff.validated(
            effectiveFrom: body.effectiveFrom, codFeeBps: body.codFeeBps, codFeeMinVND: body.codFeeMinVnd,
            note: body.note,
            rates: body.rates.map {
                NewTariff.RateInput(
                    zone: $0.zone.rawValue, firstGrams: $0.firstGrams, firstFeeVND: $0.firstFeeVnd,
                    stepGrams: $0.stepGrams, stepFeeVND: $0.stepFeeVnd)
            },
            returnInProvinceVND: body.returnInProvinceVnd ?? 0, returnBeyondBps: body.returnBeyondBps ?? 0,
            codCeilingVND: body.codCeilingVnd ?? 5_000_000, volumetricDivisor: body.volumetricDivisor ?? 6000,
            insuranceBps: body.insuranceBps ?? 0, insuranceMinVND: body.insuranceMinVnd ?? 0,
            today: .today())
        return .created(.init(body: .json(try await tariffs.create(new, caller: caller).schema)))
    }

    func quoteShipping(_ input: Operations.QuoteShipping.Input) async throws -> Operations.QuoteShipping.Output {
        try RequestScope.rejectNulls()
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let lines = try cartLines(body.lines)
        var v = Validator()
        v.check(
            Validator.isDigits(body.shippingAddress.provinceCode, count: 2), "shipping_address.province_code",
            "must be 2 digits")
        v.check(
            Validator.isDigits(body.shippingAddress.communeCode, count: 5), "shipping_address.commune_code",
            "must be 5 digits")
        try v.done()
        let quote = try await quotes.quote(
            lines, provinceCode: body.shippingAddress.provinceCode, communeCode: body.shippingAddress.communeCode,
            paymentMethod: PaymentMethod(rawValue: body.paymentMethod.rawValue) ?? .cod)
        return .ok(.init(body: .json(quote.schema)))
    }
}

/// The lines of a quote or an order, each variant id parsed (a malformed one names its line).
func cartLines(_ lines: [Components.Schemas.CartLine]) throws(DomainError) -> [CartLine] {
    try lines.enumerated().map { index, line throws(DomainError) in
        guard let id = UUID(uuidString: line.variantId) else {
            throw DomainError.invalid("lines[\(index)].variant_id", "must be a UUID")
        }
        return CartLine(variantID: id, quantity: line.quantity)
    }
}

extension Tariff {
    var schema: Components.Schemas.Tariff {
        .init(
            id: id.text, effectiveFrom: effectiveFrom, codFeeBps: codFeeBps, codFeeMinVnd: codFeeMinVND,
            returnInProvinceVnd: returnInProvinceVND, returnBeyondBps: returnBeyondBps, codCeilingVnd: codCeilingVND,
            volumetricDivisor: volumetricDivisor, insuranceBps: insuranceBps, insuranceMinVnd: insuranceMinVND,
            note: note,
            rates: ShippingZone.allCases.compactMap { zone in
                rates[zone].map {
                    .init(
                        zone: .init(rawValue: zone.rawValue) ?? .otherRegion, firstGrams: $0.firstGrams,
                        firstFeeVnd: $0.firstFeeVND, stepGrams: $0.stepGrams, stepFeeVnd: $0.stepFeeVND)
                }
            }, createdAt: createdAt)
    }
}

extension OrderQuote {
    var schema: Components.Schemas.Quote {
        .init(
            tariffId: tariffID.text, paymentMethod: .init(rawValue: paymentMethod.rawValue) ?? .cod,
            packages: packages.map { package in
                .init(
                    supplierId: package.supplierID.text,
                    lines: package.lines.map {
                        .init(
                            variantId: $0.variant.id.text, productId: $0.variant.productID.text, sku: $0.variant.sku,
                            title: $0.variant.productTitle, variantName: $0.variant.variantName,
                            unitPriceVnd: $0.variant.priceVND, quantity: $0.quantity, lineTotalVnd: $0.lineTotalVND,
                            inStock: $0.variant.stockOnHand >= $0.quantity)
                    }, itemsTotalVnd: package.itemsTotalVND, weightGrams: package.weightGrams,
                    chargeableWeightGrams: package.chargeableWeightGrams, declaredValueVnd: package.declaredValueVND,
                    insuranceFeeVnd: package.insuranceFeeVND,
                    zone: .init(rawValue: package.zone.rawValue) ?? .otherRegion,
                    shippingFeeVnd: package.shippingFeeVND, codAmountVnd: package.codAmountVND)
            }, itemsTotalVnd: itemsTotalVND, shippingTotalVnd: shippingTotalVND, grandTotalVnd: grandTotalVND)
    }
}
