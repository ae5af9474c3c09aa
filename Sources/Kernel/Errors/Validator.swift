/// Collects every bad field of a request before failing, so a client learns all its mistakes at once.
/// Lengths count Unicode scalars, as JSON Schema's `minLength`/`maxLength` do.
public struct Validator: Sendable {
    public private(set) var errors: [FieldError] = []

    public init() {}

    public mutating func fail(_ field: String, _ message: String) {
        errors.append(FieldError(field: field, message: message))
    }

    public mutating func check(_ condition: Bool, _ field: String, _ message: @autoclosure () -> String) {
        if !condition { fail(field, message()) }
    }

    /// Single-line text: no control characters (PostgreSQL cannot store NUL), trimmed length in bounds.
    public mutating func text(_ value: String, _ field: String, min: Int = 1, max: Int) {
        let length = value.unicodeScalars.count
        if value.unicodeScalars.contains(where: Self.isControl) {
            fail(field, "must not contain control characters")
        } else if length < min || value.allSatisfy(\.isWhitespace) && min > 0 {
            fail(field, min <= 1 ? "must not be empty" : "must be at least \(min) characters")
        } else if length > max {
            fail(field, "must be at most \(max) characters")
        }
    }

    /// Multi-line text: like `text` but tabs and line breaks are allowed.
    public mutating func paragraph(_ value: String, _ field: String, min: Int = 0, max: Int) {
        let length = value.unicodeScalars.count
        if value.unicodeScalars.contains(where: { Self.isControl($0) && !["\n", "\r", "\t"].contains($0) }) {
            fail(field, "must not contain control characters other than line breaks and tabs")
        } else if length < min {
            fail(field, "must be at least \(min) characters")
        } else if length > max {
            fail(field, "must be at most \(max) characters")
        }
    }

    public mutating func email(_ value: String, _ field: String) {
        if !Self.isEmail(value) { fail(field, "must be an email address such as name@example.vn") }
    }

    /// A password someone chooses (registration, change, reset): 10 to 128 characters, no NUL.
    public mutating func newPassword(_ value: String, _ field: String) {
        check(!value.unicodeScalars.contains("\0"), field, "must not contain NUL characters")
        check((10...128).contains(value.unicodeScalars.count), field, "must be 10 to 128 characters")
    }

    /// The number in its one stored form (`0905123456`), or nil with the field failed.
    @discardableResult
    public mutating func phone(_ value: String, _ field: String) -> String? {
        guard let national = VietnamesePhone.canonical(value) else {
            fail(
                field,
                "must be a Vietnamese phone number a network issues, such as 0905 123 456, +84905123456 or a "
                    + "landline 0236 3822 345 (mobiles have 10 digits and start 03, 05, 07, 08 or 09)")
            return nil
        }
        return national
    }

    @inlinable
    public mutating func range<T: Comparable>(_ value: T, _ field: String, _ bounds: ClosedRange<T>) {
        if !bounds.contains(value) { fail(field, "must be between \(bounds.lowerBound) and \(bounds.upperBound)") }
    }

    /// Throws a validation error naming every bad field, if there is any.
    public func done() throws(DomainError) {
        if !errors.isEmpty { throw .validation(errors) }
    }

    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F
    }

    /// Mirrors the document's pattern `^[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f]+$`, length 3–254.
    public static func isEmail(_ value: String) -> Bool {
        let count = value.unicodeScalars.count
        guard (3...254).contains(count) else { return false }
        func plain(_ s: Substring) -> Bool {
            !s.isEmpty && !s.unicodeScalars.contains { $0 == "@" || $0.properties.isWhitespace || isControl($0) }
        }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, plain(parts[0]) else { return false }
        let domain = parts[1]
        guard let dot = domain.lastIndex(of: ".") else { return false }
        return plain(domain[..<dot]) && plain(domain[domain.index(after: dot)...])
    }

    /// A number some Vietnamese network issues, however it is written (`VietnamesePhone`).
    public static func isVietnamesePhone(_ value: String) -> Bool {
        VietnamesePhone.canonical(value) != nil
    }

    /// Exactly `count` ASCII digits: province (2) and commune (5) codes, delivery codes (6), tax codes.
    @inlinable
    public static func isDigits<S: StringProtocol>(_ value: S, count: Int) -> Bool {
        value.utf8.count == count && value.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }
}
