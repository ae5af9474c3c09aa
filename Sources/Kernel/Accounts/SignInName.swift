import Foundation

/// What a person signs in with: an email address or a phone number, typed in one box.
public enum SignInName: Sendable, Equatable {
    /// Lower-cased.
    case email(String)
    /// National form (`0…`): `+84 905…` and `0905…` are one number.
    case phone(String)

    /// An email when the text has an `@`, else a Vietnamese phone in either form; nil when it is
    /// neither (which a sign-in answers exactly like a wrong password).
    public static func parse(_ text: String) -> SignInName? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.contains("@") { return .email(trimmed.lowercased()) }
        guard let national = national(phone: trimmed) else { return nil }
        return .phone(national)
    }

    /// `0xxxxxxxxx` for a phone written any common way, nil for anything that is not one.
    public static func national(phone: String) -> String? {
        VietnamesePhone.canonical(phone)
    }

    /// The key sign-in failures and lock-outs are counted under: per address or number, account or not,
    /// so that no answer tells which have accounts. An email's key is its SHA-256 (migration 0025).
    public var throttleKey: String {
        switch self {
        case .email(let email): Digest.sha256Hex(email)
        case .phone(let phone): Digest.sha256Hex("tel:" + phone)
        }
    }

    /// The channel a reset code for this name goes by.
    public var channel: MessageChannel {
        switch self {
        case .email: .email
        case .phone: .sms
        }
    }
}
