import Foundation
import Testing

@testable import Catalog

@Suite("Search intents and query text, without a database")
struct SearchIntentTests {
    static let intents = [
        SearchIntent(phrase: "dac san", kind: .regionalSpecialty),
        SearchIntent(phrase: "ocop", kind: .ocop, minStars: 3),
        SearchIntent(phrase: "ocop 4 sao", kind: .ocop, minStars: 4),
    ]

    static func search(_ q: String?) throws -> ProductSearch {
        try ProductSearch.validated(
            q: q, category: nil, province: nil, ocopMinStars: nil, priceMin: nil, priceMax: nil, supplierID: nil,
            inStock: nil, sort: nil, limit: nil, cursor: nil, intents: intents)
    }

    @Test func intentPhrasesBecomeFiltersAndTheRestIsSearched() throws {
        let specialty = try Self.search("Mật ong ĐẶC SẢN")
        #expect(specialty.text == "Mật ong")
        #expect(specialty.regionalSpecialty)
        #expect(specialty.sort == .relevance)
        let only = try Self.search("đặc sản")
        #expect(only.text == nil)
        #expect(only.regionalSpecialty)
        #expect(only.sort == .newest)
        // The longest phrase wins: "ocop 4 sao" is four stars, not "ocop" and the words "4 sao".
        let four = try Self.search("trà ocop 4 sao")
        #expect(four.text == "trà")
        #expect(four.ocopMinStars == 4)
        // Words that only contain a phrase's letters are left alone.
        let place = try Self.search("Đắc Pring sản vật")
        #expect(place.text == "Đắc Pring sản vật")
        #expect(!place.regionalSpecialty)
    }

    @Test func nfdEqualsNfcAndPunctuationOnlyBrowses() throws {
        #expect(try Self.search("ca\u{0301} tra").text == "cá tra")
        #expect(try Self.search("!!! --").text == nil)
        #expect(try Self.search("!!! --").sort == .newest)
        #expect(try Self.search("  nước mắm  ").text == "nước mắm")
    }
}
