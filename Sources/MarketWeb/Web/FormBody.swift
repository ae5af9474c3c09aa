import Foundation

/// An `application/x-www-form-urlencoded` body, as browsers send forms: `+` is a space, `%XX` a byte
/// of UTF-8. A name given twice keeps its first value as `fields`, and every value in `values(_:)`
/// (a list of checkboxes).
public struct FormBody: Sendable, Equatable {
    public var fields: [String: String]
    var repeated: [String: [String]]

    public init(_ text: String) {
        var fields: [String: String] = [:]
        var repeated: [String: [String]] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), !name.isEmpty else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
            if fields[name] == nil { fields[name] = value }
            repeated[name, default: []].append(value)
        }
        self.fields = fields
        self.repeated = repeated
    }

    /// Every value sent under `name`, in the form's order.
    public func values(_ name: String) -> [String] { repeated[name] ?? [] }

    public subscript(_ name: String) -> String? { fields[name] }

    static func decode(_ part: Substring) -> String? {
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
