import Foundation
import Kernel

/// A phrase that says what the buyer wants rather than what a product is called ("đặc sản",
/// "ocop 4 sao"), and the filter it stands for. Loaded from `search_intents` (migration 0044).
public struct SearchIntent: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case regionalSpecialty = "regional_specialty"
        case ocop
    }

    /// Folded as `vn_search_norm` folds (no tone marks, đ → d, lower case), words separated by one space.
    public var phrase: String
    public var kind: Kind
    public var minStars: Int?

    public init(phrase: String, kind: Kind, minStars: Int? = nil) {
        self.phrase = phrase
        self.kind = kind
        self.minStars = minStars
    }

    /// Words of a query as folded, for matching phrases.
    static func foldedWords(_ text: String) -> [String] {
        VietnameseText.folded(text).lowercased()
            .split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }
}

extension ProductSearch {
    /// The query with its intent phrases taken out and turned into their filters: "mật ong đặc sản"
    /// searches "mật ong" among regional specialities; "ocop 4 sao" lists products with 4★ or more. The
    /// longest phrase wins where two overlap.
    func applying(_ intents: [SearchIntent]) -> ProductSearch {
        guard let text, !intents.isEmpty else { return self }
        let originals = text.split(whereSeparator: \.isWhitespace).map(String.init)
        var folded = originals.map { SearchIntent.foldedWords($0).joined(separator: " ") }
        var kept = Array(repeating: true, count: originals.count)
        var search = self
        for intent in intents.sorted(by: { $0.phrase.count > $1.phrase.count }) {
            let words = intent.phrase.split(separator: " ").map(String.init)
            guard !words.isEmpty, words.count <= folded.count else { continue }
            for start in 0...(folded.count - words.count)
            where kept[start..<(start + words.count)].allSatisfy({ $0 })
                && Array(folded[start..<(start + words.count)]) == words
            {
                for index in start..<(start + words.count) {
                    kept[index] = false
                    folded[index] = ""
                }
                switch intent.kind {
                case .regionalSpecialty: search.regionalSpecialty = true
                case .ocop: search.ocopMinStars = max(search.ocopMinStars ?? 0, intent.minStars ?? 3)
                }
            }
        }
        let rest = zip(originals, kept).filter(\.1).map(\.0).joined(separator: " ")
        search.text = SearchText.meaningful(rest)
        return search
    }
}

/// What of a typed query can be searched.
enum SearchText {
    /// NFC (a phone's NFD input equals a keyboard's NFC), trimmed; nil when nothing in it is a letter or
    /// a digit ("!!!", "--"): such a query browses instead of matching nothing.
    static func meaningful(_ text: String?) -> String? {
        guard let text else { return nil }
        let composed = text.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespaces)
        guard composed.contains(where: { $0.isLetter || $0.isNumber }) else { return nil }
        return composed
    }

    /// Whether the buyer typed tone or vowel marks (or đ): then exact-accent matches rank first.
    static func isAccented(_ text: String) -> Bool {
        VietnameseText.folded(text) != text
    }
}
