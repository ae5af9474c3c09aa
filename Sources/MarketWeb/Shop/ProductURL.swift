import Foundation
import Kernel

/// A product's address in the shop: `/san-pham/nuoc-mam-cua-dai-<uuid>`. The words are for people
/// and search engines; only the id at the end is read back, so a renamed product keeps working
/// (its old address redirects to the new one).
public enum ProductURL {
    public static let prefix = "/san-pham/"

    public static func path(id: UUID, title: String) -> String {
        let words = slug(title)
        return prefix + (words.isEmpty ? "" : words + "-") + id.uuidString.lowercased()
    }

    /// The product id at the end of a path segment, if it ends with one.
    public static func id(inSegment segment: String) -> UUID? {
        guard segment.utf8.count >= 36 else { return nil }
        let tail = String(segment.suffix(36))
        let head = segment.dropLast(36)
        guard head.isEmpty || head.hasSuffix("-") else { return nil }
        return UUID(uuidString: tail)
    }

    /// `"Nước mắm Cửa Đại 500ml"` → `"nuoc-mam-cua-dai-500ml"`: Vietnamese letters without their
    /// marks (đ → d), lower case, anything else one hyphen, at most 60 characters cut at a word.
    public static func slug(_ text: String) -> String {
        let out = VietnameseText.slug(text)
        guard out.count > 60 else { return out }
        let cut = out.prefix(60)
        return String(cut.lastIndex(of: "-").map { cut[..<$0] } ?? cut)
    }
}
