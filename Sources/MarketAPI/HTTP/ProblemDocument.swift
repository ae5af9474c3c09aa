import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// An RFC 9457 problem document. `type` is a stable identifier clients may switch on.
struct ProblemDocument: Codable, Sendable {
    var type: String
    var title: String
    var status: Int
    var detail: String?
    var instance: String?
    var requestID: String?
    var errors: [FieldError]?
    var currentState: String?

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, instance, errors
        case requestID = "request_id"
        case currentState = "current_state"
    }

    init(kind: String, status: HTTPResponse.Status, detail: String?, errors: [FieldError]? = nil) {
        self.type = "/problems/\(kind)"
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.errors = errors
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    func response(headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "application/problem+json"
        headers[.cacheControl] = "no-store"
        let data =
            (try? Self.encoder.encode(self))
            ?? Data(#"{"type":"/problems/internal-error","title":"Internal Server Error","status":500}"#.utf8)
        return Response(
            status: HTTPResponse.Status(code: status),
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
