import Foundation

/// An `application/x-www-form-urlencoded` body, as browsers send forms: `+` is a space, `%XX` a byte
/// of UTF-8. A name given twice keeps its first value.
public struct FormBody: Sendable, Equatable {
    public var fields: [String: String]

    public init(_ text: String) {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), !name.isEmpty else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
            if fields[name] == nil { fields[name] = value }
        }
        self.fields = fields
    }

    public subscript(_ name: String) -> String? { fields[name] }

    static func decode(_ part: Substring) -> String? {
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
