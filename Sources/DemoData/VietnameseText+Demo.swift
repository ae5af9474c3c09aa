import Foundation
import Kernel

/// Spelling helpers for generated names: bank account names and SKUs are ASCII (folding and slugs are
/// the Kernel's `VietnameseText`).
extension VietnameseText {
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

    /// The first letter of each word, capitalised ASCII, at most `limit` letters ("cá cơm nhĩ" → "CCN").
    static func initials(_ text: String, limit: Int = 4) -> String {
        let words = folded(text).uppercased().split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) })
        return String(words.compactMap(\.first).prefix(limit))
    }
}
