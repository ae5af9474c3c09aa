import Foundation
import Logging

/// How log lines are written: `key=value` text for a terminal (the default), or one JSON object per line
/// (`LOG_FORMAT=json`) for a log collector.
enum LogFormat: String, Sendable {
    case text, json
}

/// One JSON object per line on standard output: `ts` (RFC 3339, milliseconds, UTC), `level`, `label`,
/// `msg`, then every metadata key (the request id, user id and route among them) as a string. A single
/// `write` per line, so lines of concurrent requests never interleave.
struct JSONLogHandler: LogHandler {
    var label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        let line = Self.line(
            at: Date(), level: event.level, label: label, message: event.message.description, metadata: merged)
        FileHandle.standardOutput.write(Data(line.utf8))
    }

    static func line(
        at date: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata
    ) -> String {
        var out = "{\"ts\":\"\(timestamp(date))\",\"level\":\"\(level.rawValue)\",\"label\":"
        append(label, to: &out)
        out += ",\"msg\":"
        append(message, to: &out)
        for key in metadata.keys.sorted() where !["ts", "level", "label", "msg"].contains(key) {
            guard let value = metadata[key] else { continue }
            out += ","
            append(key, to: &out)
            out += ":"
            append(flatten(value), to: &out)
        }
        out += "}\n"
        return out
    }

    private static func flatten(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let value): value.description
        case .array, .dictionary: value.description
        }
    }

    /// A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped.
    static func append(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
