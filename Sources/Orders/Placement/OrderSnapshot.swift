import Foundation

/// What an idempotency key keeps: the order a placement returned, as a JSON snapshot of `Order` (the
/// domain's value, not an HTTP response), so that a replay returns the very same order and the edge
/// renders it as it rendered the first answer. Dates are kept as the encoder's default number, which
/// decodes to the same `Date` bit for bit.
enum OrderSnapshot {
    /// One encoder for every order placed: made once, not per order.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static func encode(_ order: Order) throws -> String {
        String(decoding: try encoder.encode(order), as: UTF8.self)
    }

    /// The order, or nil for what is not a snapshot: keys claimed before migration 0020 kept the HTTP
    /// response instead.
    static func decode(_ text: String) -> Order? {
        try? JSONDecoder().decode(Order.self, from: Data(text.utf8))
    }
}

/// What an earlier request left under an idempotency key.
struct StoredPlacement: Sendable {
    var requestHash: String
    var result: String
    var orderID: UUID?
}
