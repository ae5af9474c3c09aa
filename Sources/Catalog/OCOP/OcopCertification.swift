import Foundation
import Kernel

public enum OcopIssuer: String, Sendable, CaseIterable {
    case province, national
}

public enum OcopReviewStatus: String, Sendable, CaseIterable {
    case pending, verified, rejected
}

public struct OcopCertification: Sendable, Equatable {
    public var id: UUID
    public var productID: UUID
    public var stars: Int
    public var certificateNo: String
    public var issuedBy: OcopIssuer
    public var issuedOn: String
    public var expiresOn: String
    public var status: OcopReviewStatus
    public var inForce: Bool
    public var reviewNote: String?
    public var reviewedAt: Date?
    public var createdAt: Date
}

/// The rules of QĐ 148/QĐ-TTg (2023) and QĐ 1489/QĐ-TTg (2025) as this service applies them.
public enum OcopRules {
    /// A certificate is valid for 36 months from issue.
    public static let validityMonths = 36

    public struct Claim: Sendable, Equatable {
        public var stars: Int
        public var certificateNo: String
        public var issuedBy: OcopIssuer
        public var issuedOn: CalendarDay
        public var expiresOn: CalendarDay
    }

    public static func validate(
        stars: Int, certificateNo: String, issuedBy: String, issuedOn: String, expiresOn: String, today: CalendarDay
    ) throws(DomainError) -> Claim {
        var v = Validator()
        v.range(stars, "stars", 3...5)
        v.text(certificateNo, "certificate_no", max: 64)
        let issuer = OcopIssuer(rawValue: issuedBy)
        if issuer == nil { v.fail("issued_by", "must be province or national") }
        if stars == 5 && issuer == .province {
            v.fail("issued_by", "5-star certificates are issued by the national council only")
        }
        if (3...4).contains(stars) && issuer == .national {
            v.fail("issued_by", "3- and 4-star certificates are recognised by the province; national is for 5 stars")
        }
        let issued = CalendarDay(issuedOn)
        let expires = CalendarDay(expiresOn)
        if issued == nil { v.fail("issued_on", "must be a date YYYY-MM-DD") }
        if expires == nil { v.fail("expires_on", "must be a date YYYY-MM-DD") }
        if let issued, let expires {
            if issued > today { v.fail("issued_on", "must not be in the future") }
            if expires <= issued {
                v.fail("expires_on", "must be after issued_on")
            } else if expires > issued.adding(months: validityMonths) {
                v.fail("expires_on", "must be at most \(validityMonths) months after issued_on")
            }
        }
        try v.done()
        guard let issuer, let issued, let expires else { throw .invalid("body", "is not a certificate") }
        return Claim(
            stars: stars, certificateNo: certificateNo.trimmingCharacters(in: .whitespaces), issuedBy: issuer,
            issuedOn: issued, expiresOn: expires)
    }

    /// Shown and counted from the day of verification until the day before expiry.
    public static func inForce(status: OcopReviewStatus, expiresOn: CalendarDay, today: CalendarDay) -> Bool {
        status == .verified && today < expiresOn
    }

    /// Review: only pending certificates are verified or rejected.
    public static func review(_ status: OcopReviewStatus, verify: Bool) throws(DomainError) -> OcopReviewStatus {
        guard status == .pending else {
            throw .conflict(
                kind: "invalid-transition", detail: "Only a pending certificate can be reviewed.",
                currentState: status.rawValue)
        }
        return verify ? .verified : .rejected
    }
}
