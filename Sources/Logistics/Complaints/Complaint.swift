import Catalog
import Foundation
import Kernel

/// What went wrong with a delivered package, as the buyer says it.
public enum ComplaintReason: String, Sendable, CaseIterable, Codable {
    case damaged
    case spoiled
    case wrongItem = "wrong_item"
    case missingItem = "missing_item"
}

/// Where a complaint stands. `refunded` means the refund is owed to the buyer (paid when finance pays it,
/// as every refund); goods coming back may still be on their way to the seller.
public enum ComplaintStatus: String, Sendable, CaseIterable, Codable {
    /// Waiting for the seller's answer, until `respond_by`.
    case open
    /// The seller disputed it: a clerk of the delivering office decides.
    case disputed
    /// A refund was granted on the goods coming back: owed once the post office picks them up from the buyer.
    case awaitingReturn = "awaiting_return"
    case refunded
    case rejected
}

/// Who pays the buyer back.
public enum ComplaintLiability: String, Sendable, CaseIterable, Codable {
    /// From the seller's payable, netted from the next remittance.
    case seller
    /// From the delivering post office: transport damaged or lost it.
    case postOffice = "post_office"
}

/// Where the goods of a refund with return are.
public enum ReturnParcelStatus: String, Sendable, CaseIterable, Codable {
    case awaitingPickup = "awaiting_pickup"
    case pickedUp = "picked_up"
    case delivered
}

public struct ComplaintLine: Sendable, Equatable {
    public var orderLineID: UUID
    public var title: String
    public var variantName: String
    public var quantity: Int
    public var amountVND: Int64

    public init(orderLineID: UUID, title: String, variantName: String, quantity: Int, amountVND: Int64) {
        (self.orderLineID, self.title, self.variantName, self.quantity, self.amountVND) =
            (orderLineID, title, variantName, quantity, amountVND)
    }
}

/// The bank account a buyer who paid cash wants the refund sent to.
public struct RefundAccount: Sendable, Equatable {
    public var bankBIN: String
    public var accountNo: String
    /// As banks hold it: upper case, no diacritics.
    public var accountName: String

    public init(bankBIN: String, accountNo: String, accountName: String) {
        (self.bankBIN, self.accountNo, self.accountName) = (bankBIN, accountNo, accountName)
    }
}

/// Where goods coming back are picked up (the order's recipient) or delivered (the seller).
public struct ComplaintParty: Sendable, Equatable {
    public var name: String
    public var phone: String
    public var addressLine: String
    /// The commune and province, as people write them.
    public var place: String
}

public struct Complaint: Sendable, Equatable {
    public var id: UUID
    public var number: String
    public var packageID: UUID
    public var packageNumber: String
    public var orderID: UUID
    public var orderNumber: String
    public var trackingNo: String?
    public var buyerID: UUID
    public var supplierID: UUID
    public var supplierName: String
    public var postOfficeID: UUID
    /// The seller's post office, which brings goods coming back to the seller.
    public var sellerOfficeID: UUID
    public var reason: ComplaintReason
    public var description: String
    public var photoURLs: [String]
    public var claimedVND: Int64
    public var refundAccount: RefundAccount?
    public var status: ComplaintStatus
    public var respondBy: Date
    /// `accepted`, `disputed` or `accepted_by_deadline`.
    public var answer: String?
    public var answerNote: String?
    public var answeredAt: Date?
    /// `refund` or `reject`, when a clerk decided a dispute.
    public var decision: String?
    public var liable: ComplaintLiability?
    public var decisionNote: String?
    public var decidedAt: Date?
    public var returnGoods: Bool
    public var returnTrackingNo: String?
    public var returnStatus: ReturnParcelStatus?
    /// Where goods picked up from the buyer are now: the delivering office, then the seller's once scanned
    /// in there (its pickup rounds take them back to the seller from then on).
    public var returnAtPostOfficeID: UUID? = nil
    public var refundVND: Int64?
    public var lines: [ComplaintLine]
    /// The order's recipient: where goods coming back are picked up.
    public var buyer: ComplaintParty
    /// The seller's pickup address: where they are delivered.
    public var seller: ComplaintParty
    public var createdAt: Date
    public var updatedAt: Date
}

/// A complaint as the buyer files it, checked before anything is read.
public struct NewComplaint: Sendable {
    public var reason: ComplaintReason
    public var description: String
    /// Nil: every line of the package, whole.
    public var lines: [(orderLineID: UUID, quantity: Int)]?
    public var photoURLs: [String]
    public var refundAccount: RefundAccount?

    public static let maxPhotos = 6

    public static func validated(
        reason: String, description: String, lines: [(orderLineID: String, quantity: Int)]?, photoURLs: [String],
        refundAccount: (bankBIN: String, accountNo: String, accountName: String)?
    ) throws(DomainError) -> NewComplaint {
        var v = Validator()
        let parsedReason = ComplaintReason(rawValue: reason)
        v.check(
            parsedReason != nil, "reason",
            "must be one of \(ComplaintReason.allCases.map(\.rawValue).joined(separator: ", "))")
        v.paragraph(description, "description", min: 1, max: 2000)
        v.check(!description.allSatisfy(\.isWhitespace), "description", "must say what went wrong")
        var parsedLines: [(orderLineID: UUID, quantity: Int)]?
        if let lines {
            v.check(!lines.isEmpty, "lines", "must name at least one line, or be left out for the whole package")
            v.check(lines.count <= 100, "lines", "must have at most 100 items")
            var seen = Set<UUID>()
            parsedLines = []
            for (index, line) in lines.enumerated() {
                guard let id = UUID(uuidString: line.orderLineID) else {
                    v.fail("lines[\(index)].order_line_id", "must be a UUID")
                    continue
                }
                v.check(seen.insert(id).inserted, "lines[\(index)].order_line_id", "is named twice")
                v.range(line.quantity, "lines[\(index)].quantity", 1...999)
                parsedLines?.append((id, line.quantity))
            }
        }
        v.check(photoURLs.count <= maxPhotos, "photo_urls", "must have at most \(maxPhotos) items")
        for (index, url) in photoURLs.enumerated() {
            v.check(Self.isPhotoURL(url), "photo_urls[\(index)]", "must be an https URL of at most 500 characters")
        }
        var account: RefundAccount?
        if let refundAccount {
            v.check(PayoutRules.isBIN(refundAccount.bankBIN), "refund_account.bank_bin", "must be a 6-digit bank BIN")
            v.check(
                PayoutRules.isAccountNumber(refundAccount.accountNo), "refund_account.account_no",
                "must be 6 to 19 digits")
            // Typed as people write it ("Nguyễn Thị Đào"), kept as banks hold it ("NGUYEN THI DAO").
            let name = PayoutRules.bankAccountName(refundAccount.accountName)
            v.check(
                PayoutRules.isAccountName(name), "refund_account.account_name",
                "must be the holder's name: 2 to 70 letters, digits, spaces or . , & ( ) -")
            account = RefundAccount(
                bankBIN: refundAccount.bankBIN, accountNo: refundAccount.accountNo, accountName: name)
        }
        try v.done()
        return NewComplaint(
            reason: parsedReason ?? .damaged, description: description, lines: parsedLines, photoURLs: photoURLs,
            refundAccount: account)
    }

    /// An absolute http(s) URL, or a path on this site (where photos uploaded here are served); no
    /// control characters, at most 500 characters.
    static func isPhotoURL(_ text: String) -> Bool {
        guard text.count <= 500, !text.unicodeScalars.contains(where: Validator.isControl), let url = URL(string: text)
        else { return false }
        if let scheme = url.scheme?.lowercased() {
            return ["https", "http"].contains(scheme) && url.host?.isEmpty == false
        }
        return text.hasPrefix("/") && !text.hasPrefix("//")
    }
}
