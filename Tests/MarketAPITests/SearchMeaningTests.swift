import Foundation
import Testing

@testable import MarketAPI

/// Issue 17: accents matter when the buyer types them and do not when they don't; intent words
/// ("đặc sản", "ocop 4 sao") become their filters; NFD input equals NFC; a query of punctuation only
/// browses.
@Suite("Search: accents typed rank first, intent words, queries without words")
struct SearchMeaningTests {
    @Test func accentsTypedRankExactMatchesFirst() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            _ = try await world.listed("Cá tra phi lê An Giang", category: "processed-food")
            _ = try await world.listed("Mật ong hoa cà phê Trà Linh", category: "honey")
            _ = try await world.listed("Trà xanh Hòa Vang", category: "tea")
            _ = try await world.listed("Bò khô Tam Kỳ", category: "processed-food")
            _ = try await world.listed("Bộ ấm chén Bát Tràng", category: "pottery")
            _ = try await world.listed("Tré bó rơm Đại Lộc", category: "processed-food")

            // "cá tra" is the fish; without accents both match, as before.
            #expect(try await world.titles("q=\("cá tra".q)").first == "Cá tra phi lê An Giang")
            #expect(
                try await Set(world.titles("q=\("ca tra".q)"))
                    == ["Cá tra phi lê An Giang", "Mật ong hoa cà phê Trà Linh"])
            // Typed as combining marks (a phone's NFD): the same answer in the same order.
            #expect(
                try await world.titles("q=\("ca\u{0301} tra".q)") == world.titles("q=\("cá tra".q)"))
            // "trà": teas (and the Trà Linh honey) before the fish.
            let tea = try await world.titles("q=\("trà".q)")
            #expect(tea.last == "Cá tra phi lê An Giang", "\(tea)")
            #expect(Set(tea.prefix(2)) == ["Trà xanh Hòa Vang", "Mật ong hoa cà phê Trà Linh"])
            // "bò": beef first, then the folded matches.
            let beef = try await world.titles("q=\("bò".q)")
            #expect(beef.first == "Bò khô Tam Kỳ", "\(beef)")
            #expect(Set(beef) == ["Bò khô Tam Kỳ", "Bộ ấm chén Bát Tràng", "Tré bó rơm Đại Lộc"])
            // Either tone-mark placement is the exact spelling.
            #expect(try await world.titles("q=\("hoà vang".q)").first == "Trà xanh Hòa Vang")
        }
    }

    /// After a consonant, a word's final i and y are one sound spelled two ways ("mĩ"/"mỹ", "kĩ"/"kỹ").
    @Test func iAndYAfterAConsonantAreOneSpelling() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            _ = try await world.listed("Đồ mỹ nghệ mây tre", category: "bamboo-rattan")
            _ = try await world.listed("Mì gạo lứt", category: "processed-food")
            _ = try await world.listed("Nước mắm Tam Thủy", category: "seasonings")
            #expect(try await world.titles("q=\("mĩ nghệ".q)") == ["Đồ mỹ nghệ mây tre"])
            #expect(try await world.titles("q=\("mi nghe".q)") == ["Đồ mỹ nghệ mây tre"])
            // Typed with its tone, "mĩ" is the exact spelling of "mỹ", not of "mì".
            let mi = try await world.titles("q=\("mĩ".q)")
            #expect(mi == ["Đồ mỹ nghệ mây tre", "Mì gạo lứt"], "\(mi)")
            #expect(try await world.titles("q=\("mì".q)").first == "Mì gạo lứt")
            // A vowel before the y keeps it ("thủy" is not "thủi"), and so does y alone ("y tế").
            #expect(try await world.titles("q=\("tam thuy".q)") == ["Nước mắm Tam Thủy"])
            let keys = try await api.db.query(
                "SELECT vn_accent_key('Kỹ thuật quý, Lý'), vn_search_norm('Lý do y tế của Thủy, hy vọng')"
            ).collect().decode((String, String).self)
            #expect(keys.first?.0 == " kĩ thuật quí lí ")
            #expect(keys.first?.1 == "li do y te cua thuy, hi vong")
        }
    }

    @Test func intentWordsBecomeTheirFilters() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let specialty = try await world.listed("Mật ong rừng Trà My", category: "honey")
            _ = try await world.listed("Mật ong hoa nhãn", category: "honey")
            let fish = try await world.listed("Nước mắm Cửa Đại", category: "seasonings")
            for id in [specialty, fish] {
                try await world.expect(
                    .patch, "/v1/products/\(id)", world.producer, json: ["is_regional_specialty": true], status: .ok)
            }
            let certificate = try await world.expect(
                .post, "/v1/products/\(fish)/ocop-certifications", world.producer,
                json: [
                    "stars": 4, "certificate_no": "OCOP-48-2026-0042", "issued_by": "province",
                    "issued_on": OcopTests.day(-30), "expires_on": OcopTests.day(0, months: 30),
                ], status: .created)
            let certificateID = try #require(certificate.json["id"] as? String)
            try await world.expect(
                .post, "/v1/ocop-certifications/\(certificateID)/verify", world.clerkA, status: .ok)

            // None of their words says "đặc sản": the intent finds them all the same.
            #expect(
                try await Set(world.titles("q=\("đặc sản".q)")) == ["Mật ong rừng Trà My", "Nước mắm Cửa Đại"])
            #expect(try await Set(world.titles("q=\("dac san".q)")) == ["Mật ong rừng Trà My", "Nước mắm Cửa Đại"])
            #expect(try await world.titles("q=\("mật ong đặc sản".q)") == ["Mật ong rừng Trà My"])
            #expect(try await world.titles("q=\("ocop 4 sao".q)") == ["Nước mắm Cửa Đại"])
            #expect(try await world.titles("q=\("OCOP".q)") == ["Nước mắm Cửa Đại"])
            #expect(try await world.titles("q=\("nước mắm ocop 5 sao".q)").isEmpty)
        }
    }

    @Test func aQueryWithoutWordsBrowses() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            _ = try await world.listed("Nước mắm Cửa Đại", category: "seasonings")
            _ = try await world.listed("Trà xanh Hòa Vang", category: "tea")
            for query in ["!!!", "  --  ", "%_\\", "…"] {
                let reply = try await world.expect(.get, "/v1/products?q=\(query.q)", nil, status: .ok)
                #expect((reply.json["items"] as? [Any])?.count == 2, "\(query)")
            }
        }
    }
}
