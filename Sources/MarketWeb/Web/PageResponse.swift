import Foundation
import HTTPTypes
import Hummingbird

/// What every page answers with: HTML in UTF-8 and the headers that keep it to itself. The policy
/// allows nothing but this origin's own files: no inline script or style, no frames, forms only back
/// here.
public enum PageResponse {
    public static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        + "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

    public static func html(_ body: String, status: HTTPResponse.Status = .ok, cookies: [String] = []) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// A self-contained printable document (a manifest) whose one inline stylesheet is allowed by its
    /// hash; everything else stays as strict as on any page (no script at all).
    public static func printable(_ body: String, inlineStyleHash hash: String) -> Response {
        var response = html(body)
        response.headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src '\(hash)'; img-src 'self' data:; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'none'"
        return response
    }

    /// A CSV download. It starts with a byte-order mark: Excel, which finance opens it in, reads a CSV
    /// without one in the machine's legacy code page and garbles every Vietnamese letter.
    public static func csv(_ body: String, filename: String) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "\u{FEFF}" + body)))
    }

    /// After a form: back to a page with a GET (so a reload does not post again).
    public static func redirect(to location: String, cookies: [String] = []) -> Response {
        var headers = securityHeaders
        headers[.location] = location
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }

    static var securityHeaders: HTTPFields {
        var headers = HTTPFields()
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return headers
    }
}
