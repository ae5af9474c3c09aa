import Catalog
import Foundation
import Kernel
import OpenAPIRuntime
import Orders

extension APIHandlers {
    func placeOrder(_ input: Operations.PlaceOrder.Input) async throws -> Operations.PlaceOrder.Output {
        let caller = try signedIn()
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let key = input.headers.idempotencyKey
        var v = Validator()
        v.check(
            (1...255).contains(key.utf8.count) && key.utf8.allSatisfy { (0x21...0x7E).contains($0) }, "Idempotency-Key",
            "must be 1 to 255 visible ASCII characters")
        try v.done()
        let lines = try cartLines(body.lines)
        let a = body.shippingAddress
        let new = try NewOrder.validated(
            lines: lines,
            address: ShippingAddress(
                recipientName: a.recipientName, phone: a.phone, provinceCode: a.provinceCode,
                communeCode: a.communeCode, addressLine: a.addressLine),
            paymentMethod: PaymentMethod(rawValue: body.paymentMethod.rawValue) ?? .cod)
        // A replay answers as the first request did: the same order, rendered the same way.
        let placement = try await orders.place(new, idempotencyKey: key, caller: caller)
        return .created(.init(body: .json(placement.order.schema)))
    }

    func listOrders(_ input: Operations.ListOrders.Input) async throws -> Operations.ListOrders.Output {
        let caller = try signedIn()
        let limit = try PageCursor.limit(input.query.limit)
        let cursor = try input.query.cursor.map { text throws(DomainError) in try PageCursor.decode(text) }
        let page = try await orders.list(limit: limit, after: cursor, caller: caller)
        return .ok(.init(body: .json(.init(items: page.items.map(\.schema), nextCursor: page.next?.encoded))))
    }

    func getOrder(_ input: Operations.GetOrder.Input) async throws -> Operations.GetOrder.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.orderId, "order")
        return .ok(.init(body: .json(try await orders.get(id, caller: caller).schema)))
    }

    func cancelOrder(_ input: Operations.CancelOrder.Input) async throws -> Operations.CancelOrder.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.orderId, "order")
        return .ok(.init(body: .json(try await orders.cancel(id, reason: nil, caller: caller).schema)))
    }

    func renewDeliveryCode(_ input: Operations.RenewDeliveryCode.Input) async throws
        -> Operations.RenewDeliveryCode.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.orderId, "order")
        return .ok(.init(body: .json(try await orders.renewDeliveryCode(id, caller: caller).schema)))
    }

    func listSupplierPackages(_ input: Operations.ListSupplierPackages.Input) async throws
        -> Operations.ListSupplierPackages.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.supplierId, "supplier")
        guard let supplier = try await suppliers.load(id) else {
            throw DomainError.notFound("No supplier with this id.")
        }
        let status = input.query.status.flatMap { PackageStatus(rawValue: $0.rawValue) }
        let limit = try PageCursor.limit(input.query.limit)
        let cursor = try input.query.cursor.map { text throws(DomainError) in try PageCursor.decode(text) }
        let page = try await orders.packages(
            supplier: supplier.scope, status: status, limit: limit, after: cursor, caller: caller)
        return .ok(.init(body: .json(.init(items: page.items.map(\.schema), nextCursor: page.next?.encoded))))
    }

    func acceptPackage(_ input: Operations.AcceptPackage.Input) async throws -> Operations.AcceptPackage.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.packageId, "package")
        return .ok(.init(body: .json(try await movePackage(id, .accept, reason: nil, caller: caller).schema)))
    }

    func rejectPackage(_ input: Operations.RejectPackage.Input) async throws -> Operations.RejectPackage.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.packageId, "package")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let reason = try validatedReason(body.reason, required: true, field: "reason")
        return .ok(.init(body: .json(try await movePackage(id, .reject, reason: reason, caller: caller).schema)))
    }

    func markPackageReady(_ input: Operations.MarkPackageReady.Input) async throws
        -> Operations.MarkPackageReady.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.packageId, "package")
        var measurement: PackageMeasurement?
        if case .json(let body)? = input.body {
            measurement = try PackageMeasurement.validated(
                weightGrams: body.weightGrams, lengthCM: body.lengthCm, widthCM: body.widthCm,
                heightCM: body.heightCm, declaredValueVND: body.declaredValueVnd)
        }
        return .ok(
            .init(body: .json(try await orders.markReady(package: id, measurement: measurement, caller: caller).schema))
        )
    }

    private func movePackage(_ id: UUID, _ action: PackageAction, reason: String?, caller: Caller) async throws
        -> Package
    {
        try await orders.transition(package: id, action, reason: reason, caller: caller)
    }
}

extension Orders.Package {
    var schema: Components.Schemas.Package {
        .init(
            id: id.text, number: number, orderId: orderID.text, supplierId: supplierID.text, supplierName: supplierName,
            status: .init(rawValue: status.rawValue) ?? .new,
            lines: lines.map {
                .init(
                    variantId: $0.variantID.text, productId: $0.productID.text, sku: $0.sku, title: $0.title,
                    variantName: $0.variantName, unitPriceVnd: $0.unitPriceVND, quantity: $0.quantity,
                    lineTotalVnd: $0.lineTotalVND)
            }, itemsTotalVnd: itemsTotalVND, weightGrams: weightGrams, zone: .init(rawValue: zone) ?? .otherRegion,
            shippingFeeVnd: shippingFeeVND, codAmountVnd: codAmountVND, rejectReason: rejectReason,
            chargeableWeightGrams: chargeableWeightGrams, declaredValueVnd: declaredValueVND,
            insuranceFeeVnd: insuranceFeeVND, packedWeightGrams: packedWeight, packedSizeCm: packedSizeCM,
            sellerSurchargeVnd: sellerSurcharge ?? 0, trackingNo: trackingNo,
            destination: destination.map {
                .init(
                    recipientName: $0.recipientName, phone: $0.phone, provinceCode: $0.provinceCode,
                    communeCode: $0.communeCode, addressLine: $0.addressLine)
            }, holdUntil: holdUntil, createdAt: createdAt, updatedAt: updatedAt)
    }
}

extension Orders.Order {
    var schema: Components.Schemas.Order {
        .init(
            id: id.text, number: number, status: .init(rawValue: status.rawValue) ?? .placed,
            paymentMethod: .init(rawValue: paymentMethod.rawValue) ?? .cod,
            shippingAddress: .init(
                recipientName: address.recipientName, phone: address.phone, provinceCode: address.provinceCode,
                communeCode: address.communeCode, addressLine: address.addressLine),
            packages: packages.map(\.schema), itemsTotalVnd: itemsTotalVND, shippingTotalVnd: shippingTotalVND,
            grandTotalVnd: grandTotalVND, deliveryCode: deliveryCode, paymentDueAt: paymentDueAt,
            cancelReason: cancelReason, createdAt: createdAt, updatedAt: updatedAt)
    }
}

extension APIHandlers {
    func receivePaymentNotification(_ input: Operations.ReceivePaymentNotification.Input) async throws
        -> Operations.ReceivePaymentNotification.Output
    {
        guard paymentSecretConfigured else {
            throw DomainError.forbidden("Payment notifications are not configured on this server.")
        }
        // Forged or stale: refused before anything is read or written.
        guard RequestScope.signatureValid == true else {
            throw DomainError.unauthenticated("X-Signature is not the HMAC-SHA256 of this body.")
        }
        try RequestScope.rejectNulls()
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        guard PaymentSignature.isFresh(body.sentAt, now: Date(), tolerance: TimeInterval(paymentToleranceSeconds))
        else {
            throw DomainError.unauthenticated("sent_at is outside the accepted window; a late replay changes nothing.")
        }
        var v = Validator()
        v.text(body.eventId, "event_id", max: 128)
        v.text(body.orderNumber, "order_number", max: 32)
        v.range(body.amountVnd, "amount_vnd", 1...1_000_000_000_000)
        if let reference = body.bankReference { v.text(reference, "bank_reference", max: 64) }
        try v.done()
        let (outcome, orderID) = try await orders.apply(
            PaymentNotification(
                eventID: body.eventId, orderNumber: body.orderNumber, amountVND: body.amountVnd, sentAt: body.sentAt,
                bankReference: body.bankReference))
        return .ok(
            .init(
                body: .json(
                    .init(
                        eventId: body.eventId, outcome: .init(rawValue: outcome.rawValue) ?? .duplicate,
                        orderId: orderID?.text))))
    }
}

extension APIHandlers {
    func listPostOfficePackages(_ input: Operations.ListPostOfficePackages.Input) async throws
        -> Operations.ListPostOfficePackages.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.postOfficeId, "post office")
        let status = input.query.status.flatMap { PackageStatus(rawValue: $0.rawValue) }
        let limit = try PageCursor.limit(input.query.limit)
        let cursor = try input.query.cursor.map { text throws(DomainError) in try PageCursor.decode(text) }
        let page = try await orders.packages(
            postOffice: id, status: status, limit: limit, after: cursor, caller: caller)
        return .ok(.init(body: .json(.init(items: page.items.map(\.schema), nextCursor: page.next?.encoded))))
    }
}
