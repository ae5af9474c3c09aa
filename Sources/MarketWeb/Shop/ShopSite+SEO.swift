import Catalog
import Foundation
import HTTPTypes
import Hummingbird

/// What search engines read besides the pages: `robots.txt` and `sitemap.xml`.
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

    /// Every listed product, newest change first, with its last change (a sitemap holds 50,000).
    func sitemap(_ request: Request) async -> Response {
        do {
            let base = Self.baseURL(request)
            var xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                <url><loc>\(base)/</loc></url>

                """
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime]
            for entry in try await services.products.listedEntries() {
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
