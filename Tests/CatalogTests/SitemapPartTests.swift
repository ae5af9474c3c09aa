import Foundation
import Testing

@testable import Catalog

@Suite("Sitemap files: slices of the id space")
struct SitemapPartTests {
    @Test func aCatalogIsSplitSoEveryFileStaysUnderTheProtocolLimit() {
        #expect(SitemapPart.parts(forCount: 0).map(\.fileName) == ["san-pham-0-0.xml"])
        #expect(SitemapPart.parts(forCount: 40_000).count == 1)
        #expect(SitemapPart.parts(forCount: 40_001).count == 2)
        #expect(SitemapPart.parts(forCount: 1_010_479).count == 32)
        // 200 million products still fit the index's limits (4,096 files).
        #expect(SitemapPart.parts(forCount: 200_000_000).count == 4_096)
    }

    @Test func slicesCoverTheIdSpaceWithoutGapsOrOverlaps() throws {
        for bits in [0, 1, 5, 12] {
            let parts = (0..<(1 << bits)).compactMap { SitemapPart(bits: bits, index: $0) }
            #expect(parts.first?.bounds.0 == UUID(uuidString: "00000000-0000-0000-0000-000000000000"))
            #expect(parts.last?.bounds.1 == nil)
            for (this, next) in zip(parts, parts.dropFirst()) {
                #expect(this.bounds.1 == next.bounds.0)
            }
        }
        let half = try #require(SitemapPart(bits: 1, index: 1))
        #expect(half.bounds.0 == UUID(uuidString: "80000000-0000-0000-0000-000000000000"))
        // Random ids land in one slice each, and in the one their bounds say.
        let parts = SitemapPart.parts(forCount: 1_000_000)
        for _ in 0..<1_000 {
            let id = UUID()
            let holding = parts.filter { part in
                let (low, high) = part.bounds
                return low.uuidString <= id.uuidString && (high.map { id.uuidString < $0.uuidString } ?? true)
            }
            #expect(holding.count == 1)
        }
    }

    @Test func onlyCanonicalFileNamesNameAFile() {
        #expect(SitemapPart(fileName: "san-pham-5-31.xml") == SitemapPart(bits: 5, index: 31))
        for name in [
            "san-pham-5-32.xml", "san-pham-05-3.xml", "san-pham-+5-3.xml", "san-pham-13-0.xml", "san-pham--1-0.xml",
            "san-pham-1-0.xml.gz", "other-1-0.xml", "san-pham-1.xml", "san-pham-99999999999999999999-0.xml",
        ] {
            #expect(SitemapPart(fileName: name) == nil, "\(name)")
        }
    }
}
