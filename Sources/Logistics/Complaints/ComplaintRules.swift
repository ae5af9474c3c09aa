import Foundation
import Kernel

/// A line of a delivered package as a complaint sees it: what was bought and how long it may be complained of.
public struct DeliveredLine: Sendable, Equatable {
    public var orderLineID: UUID
    public var title: String
    public var variantName: String
    public var quantity: Int
    public var unitPriceVND: Int64
    /// From the product's category (its own, else its group's): 3 days for food and drinks, 7 for the rest.
    public var windowDays: Int

    public init(
        orderLineID: UUID, title: String, variantName: String, quantity: Int, unitPriceVND: Int64, windowDays: Int
    ) {
        (self.orderLineID, self.title, self.variantName, self.quantity, self.unitPriceVND, self.windowDays) =
            (orderLineID, title, variantName, quantity, unitPriceVND, windowDays)
    }
}

/// What a seller or a clerk does with a complaint.
public enum ComplaintAction: Sendable, Equatable {
    /// The seller accepts: a refund, with the goods coming back or not.
    case accept(returnGoods: Bool)
    case dispute
    /// Nobody answered by `respond_by`: accepted as the buyer asked, without the goods coming back.
    case acceptByDeadline
    /// A clerk grants the refund, naming who pays it.
    case decideRefund(liable: ComplaintLiability, returnGoods: Bool)
    case decideReject
    /// The post office picked the goods up from the buyer: the refund is owed now.
    case returnPickedUp
    /// The goods reached the seller.
    case returnDelivered
}

/// Complaints' rules as plain functions (SPEC §5): the window, the lines and amount claimed, the state machine.
public enum ComplaintRules {
    /// Whether `line` may still be complained of: until `windowDays` full days after delivery.
    public static func isWithinWindow(_ line: DeliveredLine, deliveredAt: Date, now: Date) -> Bool {
        now < deliveredAt.addingTimeInterval(TimeInterval(line.windowDays) * 86_400)
    }

    /// The lines the complaint covers and what they cost: each named line with its quantity, or every
    /// line of the package whole. Every line must be in the package and within its window.
    public static func claimed(
        _ requested: [(orderLineID: UUID, quantity: Int)]?, of package: [DeliveredLine], deliveredAt: Date, now: Date
    ) throws(DomainError) -> [ComplaintLine] {
        var v = Validator()
        var lines: [ComplaintLine] = []
        let wanted = requested ?? package.map { ($0.orderLineID, $0.quantity) }
        let byID = Dictionary(package.map { ($0.orderLineID, $0) }, uniquingKeysWith: { a, _ in a })
        for (index, item) in wanted.enumerated() {
            let field = requested == nil ? "lines" : "lines[\(index)]"
            guard let line = byID[item.orderLineID] else {
                v.fail("\(field).order_line_id", "is not a line of this package")
                continue
            }
            guard item.quantity <= line.quantity else {
                v.fail("\(field).quantity", "must be at most the \(line.quantity) delivered")
                continue
            }
            guard isWithinWindow(line, deliveredAt: deliveredAt, now: now) else {
                v.fail(
                    requested == nil ? "package" : "\(field).order_line_id",
                    "\(line.title) could be complained of for \(line.windowDays) days after delivery; that time is over"
                )
                continue
            }
            lines.append(
                ComplaintLine(
                    orderLineID: line.orderLineID, title: line.title, variantName: line.variantName,
                    quantity: item.quantity, amountVND: line.unitPriceVND * Int64(item.quantity)))
        }
        try v.done()
        return lines
    }

    /// The state after `action`, or nil when the action does not apply now.
    public static func apply(
        _ action: ComplaintAction, to status: ComplaintStatus, returnStatus: ReturnParcelStatus?
    ) -> ComplaintStatus? {
        switch (action, status) {
        case (.accept(let back), .open), (.decideRefund(.seller, let back), .disputed):
            return back ? .awaitingReturn : .refunded
        case (.acceptByDeadline, .open), (.decideRefund(.postOffice, false), .disputed):
            return .refunded
        case (.dispute, .open):
            return .disputed
        case (.decideReject, .disputed):
            return .rejected
        case (.returnPickedUp, .awaitingReturn) where returnStatus == .awaitingPickup:
            return .refunded
        case (.returnDelivered, .refunded) where returnStatus == .pickedUp:
            return .refunded
        default:
            return nil
        }
    }

    /// Whether `action` makes the refund owed (posted to the books) as it happens.
    public static func owesRefund(_ action: ComplaintAction, after status: ComplaintStatus) -> Bool {
        switch action {
        case .returnPickedUp: true
        case .accept, .acceptByDeadline, .decideRefund: status == .refunded
        case .dispute, .decideReject, .returnDelivered: false
        }
    }
}
