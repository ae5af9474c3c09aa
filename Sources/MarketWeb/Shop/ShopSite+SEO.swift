import Catalog
import Foundation
import HTTPTypes
import Hummingbird

/// What search engines read besides the pages: `robots.txt`, `sitemap.xml` and its files.
extension ShopSite {
    func robots(_ request: Request) -> Response {
        let text = """
            User-agent: *
            Disallow: /console/
            Disallow: /gio-hang
            Disallow: /thanh-toan
            Disallow: /don-hang
            Disallow: /v1/
            Sitemap: \(Self.baseURL(request))/sitemap.xml

            """
        return Self.text(text, type: "text/plain; charset=utf-8")
    }

    /// The sitemap index: one file per slice of the catalog (`SitemapPart`), so a national catalog
    /// stays within the protocol's 50,000 addresses a file.
    func sitemap(_ request: Request) async -> Response {
        do {
            let base = Self.baseURL(request)
            let parts = SitemapPart.parts(forCount: try await services.products.listedCount())
            var xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">

                """
            for part in parts { xml += "<sitemap><loc>\(base)/sitemap/\(part.fileName)</loc></sitemap>\n" }
            xml += "</sitemapindex>\n"
            return Self.text(xml, type: "application/xml; charset=utf-8")
        } catch {
            return problem(error, nil)
        }
    }

    /// One file of the sitemap: its slice's listed products, newest change first, with their last
    /// change; the first file also names the home page.
    func sitemapFile(_ request: Request, name: String) async -> Response {
        guard let part = SitemapPart(fileName: name) else {
            return message(nil, heading: "Không tìm thấy", text: "Trang này không có.", status: .notFound)
        }
        do {
            let base = Self.baseURL(request)
            var xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">

                """
            if part.index == 0 { xml += "<url><loc>\(base)/</loc></url>\n" }
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime]
            for entry in try await services.products.listedEntries(in: part) {
                let loc = base + ProductURL.path(id: entry.id, title: entry.title)
                xml += "<url><loc>\(loc)</loc><lastmod>\(formatter.string(from: entry.updatedAt))</lastmod></url>\n"
            }
            xml += "</urlset>\n"
            return Self.text(xml, type: "application/xml; charset=utf-8")
        } catch {
            return problem(error, nil)
        }
    }

    static func text(_ text: String, type: String) -> Response {
        var headers = PageResponse.securityHeaders
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
