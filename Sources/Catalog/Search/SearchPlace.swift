import Foundation
import Kernel

/// One row of `search_places` (migration 0051): a place's name, folded as `SearchIntent.foldedWords`
/// folds, and the origin it stands for (a whole province when `communeCode` is nil).
public struct SearchPlace: Sendable, Equatable {
    public var phrase: String
    public var provinceCode: String
    public var communeCode: String?

    public init(phrase: String, provinceCode: String, communeCode: String? = nil) {
        self.phrase = phrase
        self.provinceCode = provinceCode
        self.communeCode = communeCode
    }
}

/// The place phrases, looked up by the words of a query.
public struct SearchPlaces: Sendable, Equatable {
    struct Origins: Sendable, Equatable {
        var provinces: [String] = []
        var communes: [String] = []
    }

    let byPhrase: [String: Origins]
    /// The most words a phrase has: no longer run of a query's words can be one.
    let longest: Int

    public init(_ places: [SearchPlace] = []) {
        var byPhrase: [String: Origins] = [:]
        for place in places {
            if let commune = place.communeCode {
                byPhrase[place.phrase, default: Origins()].communes.append(commune)
            } else {
                byPhrase[place.phrase, default: Origins()].provinces.append(place.provinceCode)
            }
        }
        self.byPhrase = byPhrase.mapValues { Origins(provinces: $0.provinces.sorted(), communes: $0.communes.sorted()) }
        longest = places.map { $0.phrase.split(separator: " ").count }.max() ?? 0
    }
}

/// The place a query names, as the buyer typed it, and the origins it stands for: a product matches the
/// place by those words in its text or by coming from there (`origin_province_code` in `provinces`, or a
/// supplier whose commune is in `communes`).
public struct PlaceMatch: Sendable, Equatable {
    public var words: String
    public var provinces: [String]
    public var communes: [String]
    /// The query without the place: the words every product must have (nil when the place is all of it).
    public var rest: String?
}

extension ProductSearch {
    /// The query's longest run of words that names a place (the first of equals), taken out of the words
    /// every product must have: "mật ong Trà My" is honey, from Trà My or saying so. The text stays the
    /// whole query, so products whose text has it all (the place too, the words next to each other) rank
    /// first.
    func applying(_ places: SearchPlaces) -> ProductSearch {
        guard let text, places.longest > 0 else { return self }
        let originals = text.split(whereSeparator: \.isWhitespace).map(String.init)
        let folded = originals.map { SearchIntent.foldedWords($0).joined(separator: " ") }
        for length in stride(from: min(places.longest, originals.count), through: 1, by: -1) {
            for start in 0...(originals.count - length) {
                let run = folded[start..<(start + length)]
                guard !run.contains(""), let origins = places.byPhrase[run.joined(separator: " ")] else { continue }
                var search = self
                let words = originals[start..<(start + length)].joined(separator: " ")
                let rest = (originals[..<start] + originals[(start + length)...]).joined(separator: " ")
                search.place = PlaceMatch(
                    words: words, provinces: origins.provinces, communes: origins.communes,
                    rest: SearchText.meaningful(rest))
                return search
            }
        }
        return self
    }

    /// Whether the place's words are the whole text (then the text itself is the words alternative).
    var placeIsText: Bool { place != nil && place?.rest == nil }
}
