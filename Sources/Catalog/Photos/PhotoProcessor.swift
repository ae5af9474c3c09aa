import Crypto
import Foundation
import Kernel

/// One uploaded photo, checked and resized: every width as WebP and JPEG, EXIF (and with it any GPS
/// position) stripped, turned upright by its orientation tag. Its id is the SHA-256 of the upload.
public struct ProcessedPhoto: Sendable {
    public var id: String
    public var width: Int
    public var height: Int
    public var files: [(name: String, bytes: [UInt8])]
}

/// Decodes and resizes with libvips' command-line tools (`vipsheader`, `vipsthumbnail`, Debian's
/// `libvips-tools`): the fast, memory-safe resizer image servers use. Each tool runs as its own
/// process with a deadline, and with libvips' untrusted loaders blocked.
public struct PhotoProcessor: Sendable {
    let header: ExternalTool
    let thumbnail: ExternalTool
    let deadline: Duration

    /// Nil when libvips-tools is not installed.
    public init?(deadline: Duration = .seconds(20)) {
        guard let header = ExternalTool("vipsheader"), let thumbnail = ExternalTool("vipsthumbnail") else { return nil }
        self.header = header
        self.thumbnail = thumbnail
        self.deadline = deadline
    }

    public func process(_ bytes: [UInt8]) async throws -> ProcessedPhoto {
        guard !bytes.isEmpty else { throw DomainError.invalid("photo", "is empty: choose a photo") }
        guard bytes.count <= PhotoRules.maxBytes else {
            throw DomainError.invalid("photo", "must be at most \(PhotoRules.maxBytes >> 20) MB")
        }
        guard let format = PhotoRules.sniff(bytes) else {
            throw DomainError.invalid("photo", "must be a JPEG, PNG or WebP image")
        }
        let id = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("photo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("upload.\(format.rawValue)")
        try Data(bytes).write(to: input)
        // The header only: dimensions known before a single pixel is decoded.
        guard let width = Int(try await run(header, ["-f", "width", input.path]) ?? ""),
            let height = Int(try await run(header, ["-f", "height", input.path]) ?? "")
        else { throw DomainError.invalid("photo", "is not an image that can be read") }
        try PhotoRules.checkDimensions(width: width, height: height)
        var files: [(name: String, bytes: [UInt8])] = []
        for size in PhotoRules.widths {
            for webp in [true, false] {
                let name = PhotoRules.fileName(id: id, width: size, webp: webp)
                let output = folder.appendingPathComponent(name)
                let options = webp ? "[Q=78,strip]" : "[Q=82,strip,optimize_coding,interlace]"
                // `>`: only ever shrink; the height bound leaves tall photos their shape.
                guard
                    try await run(
                        thumbnail, [input.path, "--size", "\(size)x\(size * 3)>", "-o", output.path + options])
                        != nil,
                    let data = FileManager.default.contents(atPath: output.path), !data.isEmpty
                else { throw DomainError.invalid("photo", "is damaged or not an image that can be read") }
                files.append((name, webp ? PhotoRules.strippingWebPMetadata(Array(data)) : Array(data)))
            }
        }
        return ProcessedPhoto(id: id, width: width, height: height, files: files)
    }

    /// Runs a tool with libvips' untrusted loaders blocked; its output when it succeeded.
    func run(_ tool: ExternalTool, _ arguments: [String]) async throws -> String? {
        let environment = ["VIPS_BLOCK_UNTRUSTED": "1", "VIPS_CONCURRENCY": "1"]
        guard let data = try await tool.run(arguments, environment: environment, deadline: deadline) else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
