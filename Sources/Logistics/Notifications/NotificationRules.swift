import Foundation
import Kernel

/// What the notifier knows of a package when one of its events is read (read at that moment: the
/// delivery code and the tracking number are never in the event itself).
public struct PackageFacts: Sendable, Equatable {
    public var packageID: UUID
    public var packageNumber: String
    public var orderID: UUID
    public var orderNumber: String
    public var buyerID: UUID
    public var supplierID: UUID
    public var supplierName: String
    /// Every producer of the supplier.
    public var producerIDs: [UUID]
    public var trackingNo: String?
    public var deliveryCode: String
    public var codAmount: Int64
    public var itemsTotal: Int64
    public var rejectReason: String?
    /// The phone of the order's recipient: the delivery code goes to whoever receives the parcel.
    public var recipientPhone: String
    /// When the package's complaint is disputed: the delivering office's clerks who may decide it (never
    /// one who is the buyer or a member of the seller). Read only for that event.
    public var complaintDeciderIDs: [UUID] = []

    public init(
        packageID: UUID, packageNumber: String, orderID: UUID, orderNumber: String, buyerID: UUID, supplierID: UUID,
        supplierName: String, producerIDs: [UUID], trackingNo: String?, deliveryCode: String, codAmount: Int64,
        itemsTotal: Int64, rejectReason: String?, recipientPhone: String
    ) {
        (self.packageID, self.packageNumber, self.orderID, self.orderNumber) = (
            packageID, packageNumber, orderID, orderNumber
        )
        (self.buyerID, self.supplierID, self.supplierName, self.producerIDs) = (
            buyerID, supplierID, supplierName, producerIDs
        )
        (self.trackingNo, self.deliveryCode, self.codAmount, self.itemsTotal) = (
            trackingNo, deliveryCode, codAmount, itemsTotal
        )
        (self.rejectReason, self.recipientPhone) = (rejectReason, recipientPhone)
    }
}

/// What the notifier knows of an order.
public struct OrderFacts: Sendable, Equatable {
    public var orderID: UUID
    public var orderNumber: String
    public var buyerID: UUID
    public var grandTotal: Int64
    public var isCOD: Bool
    public var packages: [PackageFacts]
    /// Read only for `order.delivery_code_renewed`, whose notice carries it to the buyer.
    public var deliveryCode: String
    public var recipientPhone: String

    public init(
        orderID: UUID, orderNumber: String, buyerID: UUID, grandTotal: Int64, isCOD: Bool, packages: [PackageFacts],
        deliveryCode: String = "", recipientPhone: String = ""
    ) {
        (self.orderID, self.orderNumber, self.buyerID) = (orderID, orderNumber, buyerID)
        (self.grandTotal, self.isCOD, self.packages) = (grandTotal, isCOD, packages)
        (self.deliveryCode, self.recipientPhone) = (deliveryCode, recipientPhone)
    }
}

/// A COD discrepancy as finance and the office's clerks are told of it.
public struct DiscrepancyFacts: Sendable, Equatable {
    public var id: UUID
    /// `collection` (a delivery) or `handover` (at the counter).
    public var kind: String
    public var amount: Int64
    public var courierName: String
    public var officeName: String
    /// The parcel of a collection discrepancy.
    public var trackingNo: String?
    /// Every finance user and every clerk of the office.
    public var recipients: [UUID]

    public init(
        id: UUID, kind: String, amount: Int64, courierName: String, officeName: String, trackingNo: String? = nil,
        recipients: [UUID]
    ) {
        (self.id, self.kind, self.amount, self.courierName, self.officeName, self.recipients) =
            (id, kind, amount, courierName, officeName, recipients)
        self.trackingNo = trackingNo
    }
}

/// One person to tell one thing: the template (`kind`) and its values.
public struct Notice: Sendable, Equatable {
    public var userID: UUID
    public var kind: String
    public var params: [String: String]
    public var link: String
    /// What the delivery itself needs (the delivery code): sent by every configured channel even to
    /// someone who opted out of it.
    public var essential: Bool
    /// The phone an SMS or Zalo message goes to when it is not the account's own.
    public var phone: String?

    public init(
        userID: UUID, kind: String, params: [String: String], link: String, essential: Bool = false,
        phone: String? = nil
    ) {
        (self.userID, self.kind, self.params, self.link, self.essential, self.phone) =
            (userID, kind, params, link, essential, phone)
    }
}

/// Who is told what, for each event of the outbox. Pure: the facts are read before.
public enum NotificationRules {
    /// `eventAt` is when the event happened; `acceptWindow` how long a producer has to accept a
    /// new package before it is cancelled (the deadline they are told).
    public static func notices(
        topic: String, payload: [String: String], order: OrderFacts?, package: PackageFacts?,
        discrepancy: DiscrepancyFacts? = nil, eventAt: Date, acceptWindow: TimeInterval
    ) -> [Notice] {
        switch topic {
        case "order.created":
            guard let order else { return [] }
            var notices = [
                Notice(
                    userID: order.buyerID, kind: "order.placed",
                    params: [
                        "order_number": order.orderNumber, "grand_total": VietnameseFormat.money(order.grandTotal),
                        "cod": order.isCOD ? "1" : "",
                    ],
                    link: buyerLink(order.orderID))
            ]
            // A bank-transfer order's packages are new only once paid (their own `package.new`).
            if order.isCOD {
                for package in order.packages {
                    notices += newPackage(package, eventAt: eventAt, acceptWindow: acceptWindow)
                }
            }
            return notices
        case "order.expired":
            guard let order else { return [] }
            return [
                Notice(
                    userID: order.buyerID, kind: "order.expired", params: ["order_number": order.orderNumber],
                    link: buyerLink(order.orderID))
            ]
        case "order.delivery_code_renewed":
            // A new code (the buyer asked, or a clerk had one sent): it reaches the buyer this way.
            guard let order, !order.deliveryCode.isEmpty else { return [] }
            return [
                Notice(
                    userID: order.buyerID, kind: "order.delivery_code",
                    params: ["order_number": order.orderNumber, "delivery_code": order.deliveryCode],
                    link: buyerLink(order.orderID), essential: true, phone: order.recipientPhone)
            ]
        case "package.new":
            guard let package else { return [] }
            return newPackage(package, eventAt: eventAt, acceptWindow: acceptWindow)
        case "package.ready_for_pickup":
            return buyer(package, kind: "package.ready")
        case "package.out_for_delivery":
            guard let package else { return [] }
            var params = packageParams(package)
            params["delivery_code"] = package.deliveryCode
            params["cod_amount"] = package.codAmount > 0 ? VietnameseFormat.money(package.codAmount) : ""
            return [
                Notice(
                    userID: package.buyerID, kind: "package.out_for_delivery", params: params,
                    link: buyerLink(package.orderID), essential: true, phone: package.recipientPhone)
            ]
        case "package.delivered":
            return buyer(package, kind: "package.delivered")
        case "package.rejected":
            return buyer(package, kind: "package.rejected")
        case "package.returning":
            return buyer(package, kind: "package.returning")
        case "package.delivery_failed":
            // A refusal sends the parcel straight back: the buyer hears that from `package.returning`.
            guard let package, payload["reason_code"] != FailureReason.refused.rawValue else { return [] }
            var params = packageParams(package)
            params["reason"] = payload["reason"] ?? ""
            return [
                Notice(
                    userID: package.buyerID, kind: "package.delivery_failed", params: params,
                    link: buyerLink(package.orderID))
            ]
        case "refund.paid":
            guard let package, let amount = payload["amount_vnd"].flatMap(Int64.init) else { return [] }
            var params = packageParams(package)
            params["amount"] = VietnameseFormat.money(amount)
            return [
                Notice(userID: package.buyerID, kind: "refund.paid", params: params, link: buyerLink(package.orderID))
            ]
        case "discrepancy.opened":
            guard let discrepancy else { return [] }
            let handover = discrepancy.kind == "handover"
            let params = [
                "what": handover
                    ? "nộp tiền tại quầy" : "thu tiền khi giao kiện \(discrepancy.trackingNo ?? "")",
                "against": handover ? "số phải nộp" : "số phải thu",
                "direction": discrepancy.amount < 0 ? "thiếu" : "thừa",
                "amount": VietnameseFormat.money(abs(discrepancy.amount)), "courier": discrepancy.courierName,
                "office": discrepancy.officeName,
            ]
            return discrepancy.recipients.map { person in
                Notice(userID: person, kind: "discrepancy.opened", params: params, link: "/console/")
            }
        case let topic where topic.hasPrefix("complaint."):
            guard let package else { return [] }
            return complaint(topic, payload: payload, package: package)
        case "package.cancelled" where payload["reason"] == "not_accepted":
            return buyer(package, kind: "package.cancelled_unaccepted")
        default:
            return []
        }
    }

    /// A complaint's steps: the seller's producers hear of a new one and of goods coming back to them; the
    /// buyer hears every answer and decision; both sides hear a decision.
    static func complaint(_ topic: String, payload: [String: String], package: PackageFacts) -> [Notice] {
        var params = packageParams(package)
        params["return_tracking_no"] = payload["return_tracking_no"]
        if let refund = payload["refund_vnd"].flatMap(Int64.init) { params["refund"] = VietnameseFormat.money(refund) }
        if let claimed = payload["claimed_vnd"].flatMap(Int64.init) {
            params["amount"] = VietnameseFormat.money(claimed)
        }
        if let due = payload["respond_by"].flatMap(TimeInterval.init) {
            params["respond_by"] = VietnameseFormat.dateTime(Date(timeIntervalSince1970: due))
        }
        switch payload["status"] {
        case "rejected": params["rejected"] = "1"
        case "awaiting_return": params["awaiting_return"] = "1"
        default: break
        }
        if payload["liable"] == "post_office" { params["post_office"] = "1" }
        let kind = topic == "complaint.accepted_by_deadline" ? "complaint.accepted" : topic
        let link = "/gian-hang/\(package.supplierID.uuidString.lowercased())/khieu-nai"
        let buyerNotice = Notice(userID: package.buyerID, kind: kind, params: params, link: buyerLink(package.orderID))
        let producers = package.producerIDs.map { Notice(userID: $0, kind: kind, params: params, link: link) }
        let clerks = package.complaintDeciderIDs.map {
            Notice(userID: $0, kind: "complaint.to_decide", params: params, link: "/console/khieu-nai")
        }
        switch topic {
        case "complaint.opened", "complaint.return_delivered": return producers
        case "complaint.disputed": return [buyerNotice] + clerks
        case "complaint.decided": return [buyerNotice] + producers
        default: return [buyerNotice]
        }
    }

    /// Every producer of the supplier hears of a new package, with the deadline to accept it.
    public static func newPackage(_ package: PackageFacts, eventAt: Date, acceptWindow: TimeInterval) -> [Notice] {
        var params = packageParams(package)
        params["accept_by"] = VietnameseFormat.dateTime(eventAt.addingTimeInterval(acceptWindow))
        return package.producerIDs.map { producer in
            Notice(
                userID: producer, kind: "package.new", params: params,
                link: "/gian-hang/\(package.supplierID.uuidString.lowercased())")
        }
    }

    static func buyer(_ package: PackageFacts?, kind: String) -> [Notice] {
        guard let package else { return [] }
        return [
            Notice(
                userID: package.buyerID, kind: kind, params: packageParams(package), link: buyerLink(package.orderID))
        ]
    }

    static func packageParams(_ package: PackageFacts) -> [String: String] {
        [
            "package_number": package.packageNumber, "order_number": package.orderNumber,
            "supplier_name": package.supplierName, "tracking_no": package.trackingNo ?? "",
            "items_total": VietnameseFormat.money(package.itemsTotal), "reason": package.rejectReason ?? "",
        ]
    }

    static func buyerLink(_ orderID: UUID) -> String { "/don-hang/\(orderID.uuidString.lowercased())" }
}
