import Foundation
import HTTPTypes
import MultipartKit
import NIOCore

/// A `multipart/form-data` body (a form with a file input), parsed by MultipartKit: its text fields
/// and its files by field name. A name given twice keeps its first part.
struct MultipartForm {
    var fields: [String: String] = [:]
    var files: [String: [UInt8]] = [:]

    /// Nil when the body is not multipart or cannot be parsed.
    init?(contentType: String?, body: ByteBuffer) {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundary = Self.boundary(contentType)
        else { return nil }
        var parts: [MultipartPart] = []
        var headers = HTTPHeaders()
        var content = ByteBuffer()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in headers.add(name: name, value: value) }
        parser.onBody = { chunk in content.writeBuffer(&chunk) }
        parser.onPartComplete = {
            parts.append(MultipartPart(headers: headers, body: content))
            headers = HTTPHeaders()
            content = ByteBuffer()
        }
        do { try parser.execute(body) } catch { return nil }
        for part in parts {
            guard let name = part.name else { continue }
            let isFile = (part.headers.first(name: "Content-Disposition") ?? "").contains("filename=")
            var bytes = part.body
            if isFile {
                // An empty file input still sends a part: no file chosen.
                if files[name] == nil, bytes.readableBytes > 0 {
                    files[name] = bytes.readBytes(length: bytes.readableBytes)
                }
            } else if fields[name] == nil {
                fields[name] = bytes.readString(length: bytes.readableBytes) ?? ""
            }
        }
    }

    subscript(_ name: String) -> String? { fields[name] }

    static func boundary(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return (1...70).contains(value.utf8.count) ? value : nil
            }
        }
        return nil
    }
}
