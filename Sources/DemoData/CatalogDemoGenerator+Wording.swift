import Foundation

// Titles and descriptions in Vietnamese.
extension CatalogDemoGenerator {
    static func title(_ noun: String, _ qualifier: String, _ place: String?) -> String {
        [noun, qualifier, place].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// A named place for the goods, or the producer's commune; regional specialities already name theirs.
    static func place(for line: ProductLine, commune: String, _ rng: inout SplitMix64) -> String? {
        if !line.places.isEmpty && rng.chance(0.6) { return rng.pick(line.places) }
        return line.specialty ? nil : commune
    }

    /// Most goods come from the province; a few resold ones (coffee from the Central Highlands, …) not.
    static func origin(_ line: ProductLine, _ rng: inout SplitMix64) -> String {
        guard !line.specialty, rng.chance(0.04) else { return DemoCommunes.province }
        return line.category == "coffee-cocoa" ? rng.pick(["66", "68", "52"]) : rng.pick(["46", "51", "52"])
    }

    static func description(
        _ line: ProductLine, supplier: String, commune: DemoCommune, resold: Bool = false, _ rng: inout SplitMix64
    ) -> String {
        let blurbs = line.blurbs.count > 1 && rng.chance(0.5) ? line.blurbs : [rng.pick(line.blurbs)]
        let place = "\(CatalogRowFactory.communePhrase(unitType: commune.unitType, name: commune.name)), \(province)"
        let origin =
            resold
            ? "Hàng của bà con \(place), bán tại \(supplier)."
            : "\(CatalogRowFactory.madeVerb(line)) tại \(place), bởi \(supplier)."
        return blurbs.joined(separator: " ") + " " + origin
    }

    /// A noun as it reads mid-sentence: "Nước mắm" → "nước mắm", but "Sâm Ngọc Linh" stays a name.
    static func inSentence(_ noun: String) -> String {
        let words = noun.split(separator: " ")
        if words.count > 1, let second = words[1].first, second.isUppercase { return noun }
        return noun.prefix(1).lowercased() + noun.dropFirst()
    }
}
