import Foundation

/// Spelling helpers for generated names: bank account names and SKUs are ASCII, URLs are slugs.
enum VietnameseText {
    /// Without tone marks and with đ/Đ as d/D ("Nguyễn Văn Sáu" → "Nguyen Van Sau").
    static func folded(_ text: String) -> String {
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

    /// A bank account holder's name as banks print it: capitals, no diacritics, at most 70 characters,
    /// only the characters NAPAS accepts (`suppliers.account_name`).
    static func accountName(_ text: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,&()-")
        let upper = folded(text).uppercased().filter { allowed.contains($0) }
        var words: [Substring] = []
        var length = 0
        for word in upper.split(separator: " ") {
            let next = length + (words.isEmpty ? 0 : 1) + word.count
            if next > 70 { break }
            words.append(word)
            length = next
        }
        return words.joined(separator: " ")
    }

    /// Lower-case ASCII words joined by hyphens, for image URLs.
    static func slug(_ text: String) -> String {
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

    /// The first letter of each word, capitalised ASCII, at most `limit` letters ("cá cơm nhĩ" → "CCN").
    static func initials(_ text: String, limit: Int = 4) -> String {
        let words = folded(text).uppercased().split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) })
        return String(words.compactMap(\.first).prefix(limit))
    }
}
