import Foundation
import Kernel

/// What a product photo may be, decided from its bytes, never from its name: the image formats a
/// phone sends (JPEG, PNG, WebP), at most `maxBytes`, and at most `maxPixels` once decoded (a small
/// file that would decode into gigabytes is refused from its header, before any decoding).
public enum PhotoRules {
    public static let maxBytes = 10 << 20
    public static let maxSide = 12_000
    public static let maxPixels = 40_000_000
    /// The widths every photo is served at (`srcset`), each as WebP and JPEG.
    public static let widths = [320, 640, 1280]

    public enum Format: String, Sendable {
        case jpeg, png, webp
    }

    /// The format the first bytes announce, or nil.
    public static func sniff(_ bytes: [UInt8]) -> Format? {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return .webp
        }
        return nil
    }

    /// Width × height as the header states them, checked against the limits.
    public static func checkDimensions(width: Int, height: Int) throws(DomainError) {
        guard width > 0, height > 0 else { throw .invalid("photo", "is not an image that can be read") }
        guard width <= maxSide, height <= maxSide, width * height <= maxPixels else {
            throw .invalid("photo", "must be at most \(maxSide) pixels a side and \(maxPixels / 1_000_000) megapixels")
        }
    }

    /// `<sha256>-<width>.<jpg|webp>`: the stored file names of one photo.
    public static func fileName(id: String, width: Int, webp: Bool) -> String {
        "\(id)-\(width).\(webp ? "webp" : "jpg")"
    }

    /// The photo id and width of a stored file name, if it is one.
    public static func parse(fileName name: String) -> (id: String, width: Int, webp: Bool)? {
        let parts = name.split(separator: "-")
        guard parts.count == 2, isID(String(parts[0])) else { return nil }
        let tail = parts[1].split(separator: ".")
        guard tail.count == 2, let width = Int(tail[0]), widths.contains(width), ["jpg", "webp"].contains(tail[1])
        else { return nil }
        return (String(parts[0]), width, tail[1] == "webp")
    }

    /// The id of one of our photos inside an image URL (`…/anh/<id>-1280.jpg`), whatever the host.
    public static func id(inURL url: String) -> String? {
        guard let range = url.range(of: "/anh/", options: .backwards) else { return nil }
        return parse(fileName: String(url[range.upperBound...])).map(\.id)
    }

    static func isID(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// A WebP file without its `EXIF` and `XMP ` chunks (and their flags in `VP8X`). libvips 8.14
    /// keeps the source's EXIF in WebP output even when told to strip, and writes one of its own: a
    /// GPS position must never reach a buyer's browser.
    public static func strippingWebPMetadata(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8)
        else { return bytes }
        var out = Array(bytes[0..<12])
        var offset = 12
        while offset + 8 <= bytes.count {
            let tag = String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self)
            let size =
                Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16
                | Int(bytes[offset + 7]) << 24
            let end = min(bytes.count, offset + 8 + size + (size & 1))
            if tag != "EXIF" && tag != "XMP " {
                var chunk = Array(bytes[offset..<end])
                if tag == "VP8X", chunk.count > 8 { chunk[8] &= ~UInt8(0x08 | 0x04) }
                out += chunk
            }
            offset = end
        }
        let riffSize = UInt32(out.count - 8)
        out[4] = UInt8(riffSize & 0xFF)
        out[5] = UInt8(riffSize >> 8 & 0xFF)
        out[6] = UInt8(riffSize >> 16 & 0xFF)
        out[7] = UInt8(riffSize >> 24 & 0xFF)
        return out
    }
}
