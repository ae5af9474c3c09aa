import HTTPTypes

/// `https://host` of a request, for absolute links (sitemaps, Open Graph) and the URLs of uploaded
/// photos: the scheme from the trusted proxy's header, the host only if it looks like one.
public enum PublicOrigin {
    public static func of(_ head: HTTPRequest) -> String {
        let scheme = head.headerFields[HTTPField.Name("X-Forwarded-Proto")!] == "https" ? "https" : "http"
        let host = head.authority ?? ""
        let allowed = host.utf8.allSatisfy {
            (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0)
                || [0x2D, 0x2E, 0x3A, 0x5B, 0x5D].contains($0)
        }
        return "\(scheme)://" + (allowed && !host.isEmpty && host.utf8.count <= 255 ? host : "localhost")
    }
}
