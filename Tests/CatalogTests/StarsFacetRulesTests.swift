import Testing

@testable import Catalog

@Suite("Search: the stars facet as the filter reads it")
struct StarsFacetRulesTests {
    @Test func eachLevelCountsThatManyStarsOrMore() {
        var facets = SearchFacets()
        facets.stars = [
            FacetCount(value: "3", count: 7), FacetCount(value: "5", count: 1), FacetCount(value: "4", count: 2),
        ]
        #expect(
            facets.starsAtLeast == [
                FacetCount(value: "5", count: 1), FacetCount(value: "4", count: 3), FacetCount(value: "3", count: 10),
            ])
        #expect(SearchFacets().starsAtLeast.isEmpty)
    }
}
