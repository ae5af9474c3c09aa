import Foundation
import Kernel
import Mustache

/// The Vietnamese texts of notifications, one file per kind under `Templates/` (first line the title,
/// the rest the body), read once from the module's resources.
public struct NotificationTemplates: Sendable {
    let library: MustacheLibrary
    public let kinds: Set<String>

    public static func load() throws -> NotificationTemplates {
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        var library = MustacheLibrary()
        var kinds: Set<String> = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".mustache") {
            let kind = String(file.dropLast(".mustache".count))
            try library.register(
                try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8), named: kind)
            kinds.insert(kind)
        }
        return NotificationTemplates(library: library, kinds: kinds)
    }

    /// Title and body. The templates are plain text: values are cleaned of control characters (a
    /// supplier's name or a reject reason must not break an SMS into lines or smuggle markup into
    /// the message's structure), and the pages and emails that show them escape them as they render.
    public func render(kind: String, params: [String: String]) -> (title: String, body: String)? {
        // An empty value is false, so that `{{#reason}}…{{/reason}}` leaves out what is missing.
        let cleaned: [String: Any] = params.mapValues { value -> Any in
            value.isEmpty
                ? false
                : String(String.UnicodeScalarView(value.unicodeScalars.map { Validator.isControl($0) ? " " : $0 }))
        }
        guard kinds.contains(kind), let text = library.render(cleaned, withTemplate: kind) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard let title = lines.first else { return nil }
        let body = lines.dropFirst().joined(separator: "\n")
        return (
            String(title).trimmingCharacters(in: .whitespaces), body.trimmingCharacters(in: .whitespacesAndNewlines)
        )
    }
}
