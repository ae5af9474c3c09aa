import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// The home page and search: shelves of products, and the API's search with its facets as plain
/// links (so it works without JavaScript).
extension ShopSite {
    func home(_ visitor: ShopVisitor) async throws -> Response {
        let names = try await placeNames()
        let content = try await homeShelves.value { try await loadHome() }
        let shelves: [[String: Any]] = content.shelves.map { shelf in
            ["heading": shelf.heading, "more": shelf.more, "items": shelf.hits.map { card($0, names) }]
        }
        let all = content.origins
        let categories = try await services.reference.categories().map { category -> [String: Any] in
            ["name": category.name, "href": "/tim-kiem?danh-muc=" + category.code]
        }
        let origins = all.prefix(12).map { facet -> [String: Any] in
            [
                "name": names.provinces[facet.value] ?? facet.value, "count": facet.count,
                "href": "/tim-kiem?tinh=" + facet.value,
            ]
        }
        return render(
            "shop-home", visitor,
            [
                "shelves": shelves, "categories": categories, "origins": origins, "hasOrigins": !origins.isEmpty,
                "description":
                    "Sản phẩm OCOP và đặc sản vùng miền từ hộ sản xuất, hợp tác xã; bưu điện đến lấy hàng, giao tận nơi, thu hộ.",
            ])
    }

    /// The home page's shelves (four searches) and origin counts: the same for every visitor, read at
    /// most once per `HomeShelves` lifetime per process (a catalog of a million products takes seconds
    /// to find its newest 5-star items in stock).
    func loadHome() async throws -> HomeShelves.Content {
        func shelf(_ heading: String, _ more: String, _ change: (inout ProductSearch) -> Void) async throws
            -> HomeShelves.Shelf?
        {
            var search = try ProductSearch.validated(
                q: nil, category: nil, province: nil, ocopMinStars: nil, priceMin: nil, priceMax: nil, supplierID: nil,
                inStock: true, sort: nil, limit: 8, cursor: nil)
            search.countsFacets = false
            change(&search)
            let result = try await services.search.search(search)
            return result.hits.isEmpty ? nil : HomeShelves.Shelf(heading: heading, more: more, hits: result.hits)
        }
        var shelves: [HomeShelves.Shelf] = []
        if let five = try await shelf("OCOP 5 sao", "/tim-kiem?sao=5", { $0.ocopMinStars = 5 }) { shelves.append(five) }
        if let four = try await shelf("OCOP từ 4 sao", "/tim-kiem?sao=4", { $0.ocopMinStars = 4 }) {
            shelves.append(four)
        }
        if let specialties = try await shelf(
            "Đặc sản vùng miền", "/tim-kiem?dac-san=1", { $0.regionalSpecialty = true })
        {
            shelves.append(specialties)
        }
        if let newest = try await shelf("Mới lên kệ", "/tim-kiem?sap-xep=newest", { _ in }) { shelves.append(newest) }
        let all = try await services.search.search(
            try ProductSearch.validated(
                q: nil, category: nil, province: nil, ocopMinStars: nil, priceMin: nil, priceMax: nil, supplierID: nil,
                inStock: nil, sort: nil, limit: 1, cursor: nil))
        return HomeShelves.Content(shelves: shelves, origins: all.facets.province)
    }

    func searchPage(_ visitor: ShopVisitor, _ request: Request) async throws -> Response {
        let query = SearchQuery(request)
        var search = try ProductSearch.validated(
            q: query.text, category: query.category, province: query.province, ocopMinStars: query.stars,
            priceMin: nil, priceMax: nil, supplierID: query.supplier, inStock: query.inStock ? true : nil,
            sort: query.sort,
            limit: 24, cursor: query.cursor, intents: try await services.search.intents(),
            places: try await services.search.places())
        if query.specialty { search.regionalSpecialty = true }
        let result = try await services.search.search(search)
        let names = try await placeNames()
        let categoryNames = try await services.reference.categories().namesByCode
        func facet(_ counts: [FacetCount], _ key: String, _ selected: String?, _ label: (String) -> String)
            -> [[String: Any]]
        {
            // A picked value always shows, so it can be taken off, even when nothing else picked
            // leaves it an item (each facet counts within the other filters).
            var counts = counts
            if let selected, !counts.contains(where: { $0.value == selected }) {
                counts.append(FacetCount(value: selected, count: 0))
            }
            return counts.map { facet in
                let on = selected == facet.value
                return [
                    // A lower bound when the counts stopped at `countedMatches` matches: "10.000+".
                    "label": label(facet.value),
                    "count": VietnameseFormat.number(facet.count) + (result.facets.complete ? "" : "+"),
                    "selected": on,
                    "href": query.link(setting: key, to: on ? nil : facet.value),
                ]
            }
        }
        let categories = facet(result.facets.category, "danh-muc", query.category) { categoryNames[$0] ?? $0 }
        let provinces = facet(result.facets.province, "tinh", query.province) { names.provinces[$0] ?? $0 }
        let stars = facet(result.facets.starsAtLeast, "sao", query.stars.map(String.init)) { "OCOP \($0) sao trở lên" }
        let sorts: [[String: Any]] = [
            ("relevance", "Phù hợp nhất"), ("newest", "Mới nhất"), ("price_asc", "Giá thấp trước"),
            ("price_desc", "Giá cao trước"),
        ].filter { $0.0 != "relevance" || query.text != nil }.map { value, label in
            [
                "label": label, "href": query.link(setting: "sap-xep", to: value),
                "selected": search.sort.rawValue == value,
            ]
        }
        var heading = query.text.map { "Kết quả cho “\($0)”" } ?? "Tất cả sản phẩm"
        if query.specialty { heading = "Đặc sản vùng miền" }
        if let stars = query.stars, query.text == nil { heading = "Sản phẩm OCOP \(stars) sao trở lên" }
        if let category = query.category, query.text == nil { heading = categoryNames[category] ?? heading }
        var correctedNote: String?
        if let corrected = result.correctedText, let typed = query.text {
            // Nothing had the words typed: say what was searched instead.
            heading = "Kết quả cho “\(corrected)”"
            correctedNote = "Không có sản phẩm nào có đúng các chữ “\(typed)”; đây là kết quả cho những chữ gần nhất."
        }
        var values: [String: Any] = [
            "heading": heading, "q": query.text ?? "", "items": result.hits.map { card($0, names) },
            "hasItems": !result.hits.isEmpty, "categories": categories, "hasCategories": !categories.isEmpty,
            "provinces": provinces, "hasProvinces": !provinces.isEmpty, "stars": stars, "hasStars": !stars.isEmpty,
            "sorts": sorts, "inStock": query.inStock,
            "inStockHref": query.link(setting: "con-hang", to: query.inStock ? nil : "1"),
            "description": "Tìm sản phẩm OCOP và đặc sản: \(heading).",
        ]
        if let correctedNote { values["correctedNote"] = correctedNote }
        // How many filters are on, in the panel's title: on a phone the panel starts folded (shop.js).
        let picked =
            [query.category, query.province, query.stars.map(String.init)].compactMap { $0 }.count
            + (query.inStock ? 1 : 0)
        if picked > 0 { values["picked"] = picked }
        if let next = result.next {
            values["nextHref"] = query.link(setting: "sau", to: next.encoded, keepCursor: true)
        }
        if query.cursor != nil { values["firstHref"] = query.link(setting: "sau", to: nil) }
        return render("shop-search", visitor, values)
    }

    /// A product as a card on a shelf or in results. Every key is set (false or empty when there is
    /// nothing) and named for the card: a missing key would be looked up in the page around it.
    func card(_ hit: ProductHit, _ names: PlaceNames) -> [String: Any] {
        let origin = names.provinces[hit.originProvinceCode]
        let image = hit.image.flatMap(Self.localImage)
        return [
            "cardHref": ProductURL.path(id: hit.id, title: hit.title), "cardTitle": hit.title,
            "cardSupplier": hit.supplier.name, "cardOrigin": origin ?? "", "cardHasOrigin": origin != nil,
            "cardSoldOut": !hit.inStock, "cardSpecialty": hit.isRegionalSpecialty,
            "cardInitial": String(hit.title.prefix(1)),
            "cardPrice": hit.priceMinVND.map(VietnameseFormat.money) ?? "", "cardHasPrice": hit.priceMinVND != nil,
            "cardStars": hit.ocop.map(\.stars) ?? false,
            "cardPhoto": image ?? "", "cardHasImage": image != nil,
        ]
    }

    /// Only photos this site stores are shown (their id): the page's CSP loads nothing from elsewhere,
    /// and an image URL on another host may not answer at all.
    static func localImage(_ url: String) -> String? {
        PhotoRules.id(inURL: url)
    }

    struct PlaceNames {
        var provinces: [String: String]
    }

    func placeNames() async throws -> PlaceNames {
        PlaceNames(
            provinces: Dictionary(
                try await services.reference.provinces().map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a }))
    }
}

/// The search page's address: its parameters in Vietnamese, and links that change one of them.
struct SearchQuery {
    var text: String?
    var category: String?
    var province: String?
    var supplier: String?
    var stars: Int?
    var sort: String?
    var inStock: Bool
    var specialty: Bool
    var cursor: String?

    init(_ request: Request) {
        // Decoded as a form decodes it: the search box sends spaces as `+`.
        let form = FormBody(request.uri.query ?? "")
        func value(_ name: String) -> String? {
            form[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        text = value("q")
        category = value("danh-muc")
        province = value("tinh")
        supplier = value("nguoi-ban")
        stars = value("sao").flatMap { Int($0) }
        sort = value("sap-xep")
        inStock = value("con-hang") == "1"
        specialty = value("dac-san") == "1"
        cursor = value("sau")
    }

    var parameters: [(String, String)] {
        var list: [(String, String)] = []
        if let text { list.append(("q", text)) }
        if let category { list.append(("danh-muc", category)) }
        if let province { list.append(("tinh", province)) }
        if let supplier { list.append(("nguoi-ban", supplier)) }
        if let stars { list.append(("sao", String(stars))) }
        if specialty { list.append(("dac-san", "1")) }
        if inStock { list.append(("con-hang", "1")) }
        if let sort { list.append(("sap-xep", sort)) }
        if let cursor { list.append(("sau", cursor)) }
        return list
    }

    /// This search with one parameter set (or removed), back on its first page unless it is the cursor.
    func link(setting key: String, to value: String?, keepCursor: Bool = false) -> String {
        var list = parameters.filter { $0.0 != key && (keepCursor || $0.0 != "sau") }
        if let value { list.append((key, value)) }
        guard !list.isEmpty else { return "/tim-kiem" }
        return "/tim-kiem?" + list.map { "\($0.0)=\(URLText.component($0.1))" }.joined(separator: "&")
    }
}
