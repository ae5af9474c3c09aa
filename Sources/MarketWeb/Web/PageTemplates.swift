import Foundation
import Hummingbird
import Mustache

/// The templates and stylesheets of every page, read once at start from the module's resources
/// (synchronously: the router is built before anything runs). The console and the shop share one
/// library, so a partial or the layout's conventions are written once.
struct PageTemplates: Sendable {
    let library: MustacheLibrary
    /// Stylesheet and script text by file name (`console.css`, `shop.css`, `shop.js`).
    let stylesheets: [String: String]

    static func load() throws -> PageTemplates {
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil),
            let assets = Bundle.module.url(forResource: "Assets", withExtension: nil)
        else { throw CocoaError(.fileNoSuchFile) }
        var library = MustacheLibrary()
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            try library.register(text, named: String(file.dropLast(".mustache".count)))
        }
        var stylesheets: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: assets.path)
        where file.hasSuffix(".css") || file.hasSuffix(".js") {
            stylesheets[file] = try String(contentsOf: assets.appendingPathComponent(file), encoding: .utf8)
        }
        return PageTemplates(library: library, stylesheets: stylesheets)
    }

    /// A stylesheet as a response: cached for an hour (the file changes only with a new release).
    func stylesheet(_ name: String) -> Response { asset(name, type: "text/css; charset=utf-8") }

    /// A script (small, dependency-free, only ever an enhancement of a page that works without it).
    func script(_ name: String) -> Response { asset(name, type: "text/javascript; charset=utf-8") }

    private func asset(_ name: String, type: String) -> Response {
        var headers = PageResponse.securityHeaders
        guard let text = stylesheets[name] else { return Response(status: .notFound, headers: headers) }
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
