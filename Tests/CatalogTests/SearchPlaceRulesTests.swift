import Testing

@testable import Catalog

/// The place a query names, found without a database.
@Suite("Search: a place in the query")
struct SearchPlaceRulesTests {
    static let places = SearchPlaces([
        SearchPlace(phrase: "tra my", provinceCode: "48", communeCode: "20944"),
        SearchPlace(phrase: "tra my", provinceCode: "48", communeCode: "20900"),
        SearchPlace(phrase: "nam tra my", provinceCode: "48", communeCode: "20944"),
        SearchPlace(phrase: "da nang", provinceCode: "48"),
        SearchPlace(phrase: "hue", provinceCode: "46"),
        SearchPlace(phrase: "quang nam", provinceCode: "48", communeCode: "20410"),
    ])

    static func search(_ q: String) throws -> ProductSearch {
        try ProductSearch.validated(
            q: q, category: nil, province: nil, ocopMinStars: nil, priceMin: nil, priceMax: nil, supplierID: nil,
            inStock: nil, sort: nil, limit: nil, cursor: nil, places: places)
    }

    @Test func thePlaceLeavesTheWordsEveryProductMustHave() throws {
        let honey = try Self.search("mật ong Trà My")
        #expect(honey.text == "mật ong Trà My")
        #expect(
            honey.place
                == PlaceMatch(words: "Trà My", provinces: [], communes: ["20900", "20944"], rest: "mật ong"))
        // Without accents, in any case, in any position.
        #expect(try Self.search("TRA MY mat ong").place?.communes == ["20900", "20944"])
        #expect(try Self.search("tra my mat ong").place?.rest == "mat ong")
    }

    @Test func theLongestPlaceWinsAndAPlaceAloneStaysTheText() throws {
        let nam = try Self.search("quế Nam Trà My")
        #expect(nam.place?.communes == ["20944"] && nam.place?.words == "Nam Trà My" && nam.place?.rest == "quế")
        let alone = try Self.search("Trà My")
        #expect(alone.text == "Trà My" && alone.placeIsText && alone.place?.rest == nil)
        #expect(
            try Self.search("bún bò Huế").place
                == PlaceMatch(words: "Huế", provinces: ["46"], communes: [], rest: "bún bò"))
        // One place per query: the first of two as long.
        #expect(try Self.search("quang nam da nang").place?.words == "quang nam")
    }

    @Test func noPlaceNoChange() throws {
        let plain = try Self.search("mật ong")
        #expect(plain.place == nil && plain.text == "mật ong")
        // Part of a phrase is not the phrase.
        #expect(try Self.search("trà xanh").place == nil)
        #expect(try Self.search("my").place == nil)
    }
}
