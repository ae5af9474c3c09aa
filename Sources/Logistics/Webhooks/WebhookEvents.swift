import Foundation
import Kernel
import Orders

/// The events the outbox publishes, and what an endpoint receives of each (version 1 of the payloads,
/// documented in the OpenAPI document's `webhooks`). Never a delivery code, a password or a token:
/// only ids, numbers, states and amounts.
public enum WebhookEvents {
    public static let version = 1

    /// Every topic published: `order.created`, `order.delivery_code_renewed`, `order.<status>`,
    /// `package.<status>`, `package.delivery_failed`, `refund.paid` (a package's money paid back to its
    /// buyer). Discrepancies are for finance and clerks only: never sent out.
    public static let types: [String] =
        ["order.created", "order.delivery_code_renewed"] + OrderStatus.allCases.map { "order.\($0.rawValue)" }
        + PackageStatus.allCases.map { "package.\($0.rawValue)" } + ["package.delivery_failed", "refund.paid"]

    /// A package as a webhook tells it.
    /// Ids as the API writes them (lower-case text).
    public struct PackageData: Codable, Sendable, Equatable {
        public var packageID: String
        public var packageNumber: String
        public var orderID: String
        public var orderNumber: String
        public var supplierID: String
        public var status: String
        public var trackingNo: String?
        public var itemsTotalVnd: Int64
        public var codAmountVnd: Int64

        enum CodingKeys: String, CodingKey {
            case packageID = "package_id", packageNumber = "package_number", orderID = "order_id"
            case orderNumber = "order_number", supplierID = "supplier_id", status, trackingNo = "tracking_no"
            case itemsTotalVnd = "items_total_vnd", codAmountVnd = "cod_amount_vnd"
        }

        public init(
            packageID: UUID, packageNumber: String, orderID: UUID, orderNumber: String, supplierID: UUID,
            status: String, trackingNo: String?, itemsTotalVnd: Int64, codAmountVnd: Int64
        ) {
            (self.packageID, self.packageNumber, self.orderID, self.orderNumber) =
                (packageID.uuidString.lowercased(), packageNumber, orderID.uuidString.lowercased(), orderNumber)
            (self.supplierID, self.status, self.trackingNo) = (supplierID.uuidString.lowercased(), status, trackingNo)
            (self.itemsTotalVnd, self.codAmountVnd) = (itemsTotalVnd, codAmountVnd)
        }
    }

    /// What an event is about, read when it fans out.
    public enum Subject: Sendable, Equatable {
        case package(PackageData)
        /// An order and its packages.
        case order(id: UUID, number: String, status: String, packages: [PackageData])

        /// The same subject in `status` (the state an event moved it to).
        public func with(status: String) -> Subject {
            switch self {
            case .package(var package):
                package.status = status
                return .package(package)
            case .order(let id, let number, _, let packages):
                return .order(id: id, number: number, status: status, packages: packages)
            }
        }

        /// The suppliers the event concerns (whose endpoints receive it).
        public var supplierIDs: Set<UUID> {
            switch self {
            case .package(let package): Set([package.supplierID].compactMap(UUID.init(uuidString:)))
            case .order(_, _, _, let packages): Set(packages.compactMap { UUID(uuidString: $0.supplierID) })
            }
        }
    }

    /// An endpoint as the fan-out needs it.
    public struct Subscription: Sendable, Equatable {
        public var id: UUID
        public var eventTypes: [String]
        public var supplierID: UUID?

        public init(id: UUID, eventTypes: [String], supplierID: UUID?) {
            (self.id, self.eventTypes, self.supplierID) = (id, eventTypes, supplierID)
        }

        public func wants(_ topic: String, about subject: Subject) -> Bool {
            guard eventTypes.contains(topic) || eventTypes.contains("*") else { return false }
            guard let supplierID else { return true }
            return subject.supplierIDs.contains(supplierID)
        }
    }

    /// The body sent to one endpoint: `{"type", "timestamp", "version", "data"}`. A supplier's endpoint
    /// sees only its own packages of an order.
    public static func body(
        topic: String, previousStatus: String?, occurredAt: Date, subject: Subject, for subscription: Subscription
    ) throws -> String {
        struct Envelope<D: Encodable>: Encodable {
            var type: String
            var timestamp: String
            var version: Int
            var data: D
        }
        struct PackageEvent: Encodable {
            var package: PackageData
            var previousStatus: String?
            enum CodingKeys: String, CodingKey { case package, previousStatus = "previous_status" }
        }
        struct OrderEvent: Encodable {
            var orderID: String
            var orderNumber: String
            var status: String
            var previousStatus: String?
            var packages: [PackageData]
            enum CodingKeys: String, CodingKey {
                case orderID = "order_id", orderNumber = "order_number", status, previousStatus = "previous_status"
                case packages
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let timestamp = RFC3339.string(occurredAt)
        let data: Data
        switch subject {
        case .package(let package):
            data = try encoder.encode(
                Envelope(
                    type: topic, timestamp: timestamp, version: version,
                    data: PackageEvent(package: package, previousStatus: previousStatus)))
        case .order(let id, let number, let status, let packages):
            let visible =
                subscription.supplierID.map { own in packages.filter { $0.supplierID == own.uuidString.lowercased() } }
                ?? packages
            data = try encoder.encode(
                Envelope(
                    type: topic, timestamp: timestamp, version: version,
                    data: OrderEvent(
                        orderID: id.uuidString.lowercased(), orderNumber: number, status: status,
                        previousStatus: previousStatus,
                        packages: visible)))
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// RFC 3339 in UTC with milliseconds, as every instant of the API.
enum RFC3339 {
    static func string(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
