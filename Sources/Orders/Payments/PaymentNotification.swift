import Crypto
import Foundation
import Kernel

/// A bank's notification that a transfer for an order arrived, as the provider signs and sends it.
public struct PaymentNotification: Sendable, Equatable, Codable {
    public var eventID: String
    public var orderNumber: String
    public var amountVND: Int64
    public var sentAt: Date
    public var bankReference: String?

    public init(eventID: String, orderNumber: String, amountVND: Int64, sentAt: Date, bankReference: String?) {
        self.eventID = eventID
        self.orderNumber = orderNumber
        self.amountVND = amountVND
        self.sentAt = sentAt
        self.bankReference = bankReference
    }

    public enum Outcome: String, Sendable, Codable {
        case confirmed
        case amountMismatch = "amount_mismatch"
        case notAwaitingPayment = "not_awaiting_payment"
        case unknownOrder = "unknown_order"
        /// The event id was seen before: nothing changed this time.
        case duplicate
    }
}

/// HMAC-SHA256 over the raw body, hex in the `X-Signature` header, compared in constant time.
public enum PaymentSignature {
    public static func sign(_ body: some DataProtocol, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return Digest.hex(mac)
    }

    public static func isValid(_ signature: String, body: some DataProtocol, secret: String) -> Bool {
        guard let given = hexBytes(signature) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(
            given, authenticating: body, using: SymmetricKey(data: Data(secret.utf8)))
    }

    /// Whether `sentAt` is within `tolerance` of `now`: an old notification replayed later is refused.
    public static func isFresh(_ sentAt: Date, now: Date, tolerance: TimeInterval) -> Bool {
        abs(now.timeIntervalSince(sentAt)) <= tolerance
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = 0
        while index < chars.count {
            guard let high = nibble(chars[index]), let low = nibble(chars[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }
}
