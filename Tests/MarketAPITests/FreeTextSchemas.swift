import Foundation

@testable import MarketAPI

/// The free-text fields of the served document's JSON request bodies: string properties (found
/// through `$ref`s, nested objects and arrays) with no `enum`, no `format`, and a `pattern`, if
/// any, that lets letters and spaces through. Keyed "operationId path", e.g.
/// "placeOrder shipping_address.recipient_name" ("[]" stands for every element of an array).
enum FreeTextSchemas {
    struct Field: Sendable, Hashable {
        var operation: String
        var path: [String]
        var maxLength: Int?
        var key: String { "\(operation) \(path.joined(separator: "."))" }
    }

    /// A JSON request body that is not JSON (CSV uploads) has no fields to read: those operations
    /// come back with a nil schema, so that a new one is noticed.
    static func fields() throws -> (fields: [Field], nonJSON: [String]) {
        let text = try OpenAPIDocument.text()
        let schemas = try Self.schemas(text)
        var fields: [Field] = []
        var nonJSON: [String] = []
        for (operation, schema) in requestBodies(text) {
            guard let schema else {
                nonJSON.append(operation)
                continue
            }
            guard let node = schemas[schema] else { throw TestFailure("\(operation): no schema \(schema)") }
            fields += try strings(in: node, path: [], schemas: schemas, depth: 0).map {
                Field(operation: operation, path: $0.path, maxLength: $0.maxLength)
            }
        }
        return (fields, nonJSON)
    }

    /// Letters with diacritics and a space: what any name, title or note must let through.
    static let probe = "Nguy\u{1EC5}n Th\u{1ECB} \u{00C1}nh"

    private static func strings(in node: YAMLNode, path: [String], schemas: [String: YAMLNode], depth: Int)
        throws -> [(path: [String], maxLength: Int?)]
    {
        guard depth < 20 else { throw TestFailure("schema nesting too deep at \(path)") }
        var node = node
        while let ref = node["$ref"]?.scalar {
            let name = String(ref.split(separator: "/").last ?? "")
            guard let target = schemas[name] else { throw TestFailure("no schema \(ref)") }
            node = target
        }
        switch node["type"]?.scalar {
        case "object":
            var result: [(path: [String], maxLength: Int?)] = []
            for (name, property) in (node["properties"]?.map ?? [:]).sorted(by: { $0.key < $1.key }) {
                result += try strings(in: property, path: path + [name], schemas: schemas, depth: depth + 1)
            }
            return result
        case "array":
            guard let items = node["items"] else { return [] }
            return try strings(in: items, path: path + ["[]"], schemas: schemas, depth: depth + 1)
        case "string":
            if node["enum"] != nil || node["format"] != nil { return [] }
            if let pattern = node["pattern"]?.scalar {
                let regex = try NSRegularExpression(pattern: pattern)
                let range = NSRange(probe.startIndex..., in: probe)
                if regex.firstMatch(in: probe, range: range) == nil { return [] }
            }
            return [(path, node["maxLength"]?.scalar.flatMap { Int($0) })]
        default:
            return []
        }
    }

    /// Each operation with a request body and the `$ref` name of its JSON schema (nil when the body
    /// is not JSON), read from the paths part's fixed layout (operation keys at six spaces).
    static func requestBodies(_ text: String) -> [(operation: String, schema: String?)] {
        var result: [(operation: String, schema: String?)] = []
        var operation: String?
        var inBody = false
        var json = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("components:") { break }
            if line.hasPrefix("      operationId: ") {
                operation = String(line.dropFirst("      operationId: ".count))
                inBody = false
            } else if line.hasPrefix("      requestBody:"), let operation {
                inBody = true
                json = false
                result.append((operation, nil))
            } else if inBody, line.hasPrefix("      "), !line.hasPrefix("       ") {
                inBody = false
            } else if inBody, line.trimmingCharacters(in: .whitespaces) == "application/json:" {
                json = true
            } else if inBody, json, let range = line.range(of: "#/components/schemas/") {
                let name = line[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                result[result.count - 1].schema = String(name)
                inBody = false
            }
        }
        return result
    }

    /// The `components.schemas` part, parsed.
    static func schemas(_ text: String) throws -> [String: YAMLNode] {
        var lines: [(indent: Int, text: Substring)] = []
        var inside = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = line.prefix { $0 == " " }.count
            let body = line.dropFirst(indent)
            if body.isEmpty || body.hasPrefix("#") { continue }
            if indent == 2 {
                inside = body.hasPrefix("schemas:")
                continue
            }
            if indent < 2 { inside = false }
            if inside { lines.append((indent, body)) }
        }
        var i = 0
        return try YAMLNode.block(lines, &i, indent: 4)
    }
}

/// The subset of YAML the document's schemas use: block mappings, block scalars (skipped), and
/// one-line flow mappings, lists and quoted or plain scalars.
indirect enum YAMLNode: Sendable {
    case map([String: YAMLNode])
    case list([YAMLNode])
    case scalar(String)

    subscript(key: String) -> YAMLNode? {
        if case .map(let map) = self { return map[key] }
        return nil
    }
    var map: [String: YAMLNode]? {
        if case .map(let map) = self { return map }
        return nil
    }
    var scalar: String? {
        if case .scalar(let value) = self { return value }
        return nil
    }

    static func block(_ lines: [(indent: Int, text: Substring)], _ i: inout Int, indent: Int) throws -> [String:
        YAMLNode]
    {
        var map: [String: YAMLNode] = [:]
        while i < lines.count, lines[i].indent >= indent {
            // Deeper lines here continue a plain or block scalar already read.
            guard lines[i].indent == indent else {
                i += 1
                continue
            }
            let line = lines[i].text
            guard let colon = line.firstIndex(of: ":") else { throw TestFailure("YAML: no key in \"\(line)\"") }
            let key = unquote(line[..<colon].trimmingCharacters(in: .whitespaces))
            let rest = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            i += 1
            if rest.isEmpty {
                if i < lines.count, lines[i].indent > indent {
                    map[key] = .map(try block(lines, &i, indent: lines[i].indent))
                } else {
                    map[key] = .scalar("")
                }
            } else if ["|", ">", "|-", ">-"].contains(rest) {
                while i < lines.count, lines[i].indent > indent { i += 1 }
                map[key] = .scalar("")
            } else {
                // A flow list or mapping may go on over deeper lines.
                var rest = rest
                func open(_ text: String) -> Int {
                    text.filter { "[{".contains($0) }.count - text.filter { "]}".contains($0) }.count
                }
                while open(rest) > 0, i < lines.count, lines[i].indent > indent {
                    rest += " " + lines[i].text
                    i += 1
                }
                var chars = Array(rest)
                var at = 0
                map[key] = try flow(&chars, &at, nested: false)
            }
        }
        return map
    }

    private static func flow(_ s: inout [Character], _ at: inout Int, nested: Bool) throws -> YAMLNode {
        func skip() { while at < s.count, s[at] == " " { at += 1 } }
        skip()
        guard at < s.count else { return .scalar("") }
        switch s[at] {
        case "{":
            at += 1
            var map: [String: YAMLNode] = [:]
            while true {
                skip()
                guard at < s.count else { throw TestFailure("YAML: unclosed {") }
                if s[at] == "}" {
                    at += 1
                    return .map(map)
                }
                if s[at] == "," {
                    at += 1
                    continue
                }
                var key = ""
                while at < s.count, !":,}".contains(s[at]) {
                    key.append(s[at])
                    at += 1
                }
                // A key with no colon (a comma inside plain prose) has a null value, as in YAML.
                guard at < s.count, s[at] == ":" else {
                    map[unquote(key.trimmingCharacters(in: .whitespaces))] = .scalar("")
                    continue
                }
                at += 1
                map[unquote(key.trimmingCharacters(in: .whitespaces))] = try flow(&s, &at, nested: true)
            }
        case "[":
            at += 1
            var list: [YAMLNode] = []
            while true {
                skip()
                guard at < s.count else { throw TestFailure("YAML: unclosed [") }
                if s[at] == "]" {
                    at += 1
                    return .list(list)
                }
                if s[at] == "," {
                    at += 1
                    continue
                }
                list.append(try flow(&s, &at, nested: true))
            }
        case "'":
            at += 1
            var value = ""
            while at < s.count {
                if s[at] == "'" {
                    if at + 1 < s.count, s[at + 1] == "'" {
                        value.append("'")
                        at += 2
                        continue
                    }
                    at += 1
                    return .scalar(value)
                }
                value.append(s[at])
                at += 1
            }
            throw TestFailure("YAML: unclosed quote")
        case "\"":
            at += 1
            var value = ""
            while at < s.count, s[at] != "\"" {
                if s[at] == "\\", at + 1 < s.count { at += 1 }
                value.append(s[at])
                at += 1
            }
            at += 1
            return .scalar(value)
        default:
            var value = ""
            while at < s.count, !(nested && [",", "}", "]"].contains(s[at])) {
                value.append(s[at])
                at += 1
            }
            return .scalar(value.trimmingCharacters(in: .whitespaces))
        }
    }

    private static func unquote(_ key: String) -> String {
        if key.count >= 2, let first = key.first, first == key.last, first == "'" || first == "\"" {
            return String(key.dropFirst().dropLast())
        }
        return key
    }
}
