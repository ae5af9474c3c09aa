import Foundation

/// Vietnamese text as ASCII where a machine needs it: URLs (product slugs, demo image names), and the
/// ASCII forms the demo data derives. One folding for the whole project.
public enum VietnameseText {
    /// Without tone marks and with đ/Đ as d/D ("Nguyễn Văn Sáu" → "Nguyen Van Sau").
    public static func folded(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.value {
            case 0x0300...0x036F: continue  // combining marks: the tones and vowel marks
            case 0x0111: scalars.append("d")
            case 0x0110: scalars.append("D")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Lower-case ASCII words joined by hyphens ("Nước mắm Cửa Đại 500ml" → "nuoc-mam-cua-dai-500ml").
    public static func slug(_ text: String) -> String {
        var slug = ""
        var pendingHyphen = false
        for character in folded(text).lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) {
                if pendingHyphen && !slug.isEmpty { slug.append("-") }
                slug.append(character)
                pendingHyphen = false
            } else {
                pendingHyphen = true
            }
        }
        return slug
    }
}
