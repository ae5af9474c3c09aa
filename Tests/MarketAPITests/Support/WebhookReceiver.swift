import Crypto
import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A webhook receiver on a local port, as a seller's shop would run one: it keeps every request it
/// got, can be told to fail or to hang, and checks signatures with its own HMAC code (not the
/// service's), as the Standard Webhooks specification describes them.
final class WebhookReceiver: Sendable {
    struct Request: Sendable {
        var id: String
        var timestamp: String
        var signature: String
        var body: String
        var headers: [String: String] = [:]
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        }
        var type: String { json["type"] as? String ?? "" }
        var aggregate: String {
            let data = json["data"] as? [String: Any] ?? [:]
            return ((data["package"] as? [String: Any])?["package_id"] as? String) ?? (data["order_id"] as? String)
                ?? ""
        }
        var eventNumber: Int { Int(id.dropFirst(4)) ?? -1 }
    }

    let requests = Mutex<[Request]>([])
    /// Requests still to answer 503.
    let failuresLeft = Mutex(0)
    /// How long to wait before answering.
    let delay = Mutex(Duration.zero)
    let port = Mutex(0)
    /// What it answers (a provider's JSON), and with which status when not failing.
    let reply = Mutex("")
    let status = Mutex(HTTPResponse.Status.ok)

    var received: [Request] { requests.withLock { $0 } }
    var url: String { "http://127.0.0.1:\(port.withLock { $0 })/hooks" }

    /// Runs the receiver for the duration of `body`.
    static func with<T: Sendable>(_ body: @Sendable (WebhookReceiver) async throws -> T) async throws -> T {
        let receiver = WebhookReceiver()
        let router = Router()
        router.post("hooks") { request, _ -> Response in
            let text = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let pause = receiver.delay.withLock { $0 }
            if pause > .zero { try await Task.sleep(for: pause) }
            let fail = receiver.failuresLeft.withLock { left -> Bool in
                guard left > 0 else { return false }
                left -= 1
                return true
            }
            receiver.requests.withLock {
                $0.append(
                    Request(
                        id: request.headers.first(where: { $0.name.canonicalName == "webhook-id" })?.value ?? "",
                        timestamp: request.headers.first(where: { $0.name.canonicalName == "webhook-timestamp" })?.value
                            ?? "",
                        signature: request.headers.first(where: { $0.name.canonicalName == "webhook-signature" })?.value
                            ?? "", body: text,
                        headers: Dictionary(
                            request.headers.map { ($0.name.canonicalName, $0.value) }, uniquingKeysWith: { a, _ in a }))
                )
            }
            let answer = receiver.reply.withLock { $0 }
            return Response(
                status: fail ? .serviceUnavailable : receiver.status.withLock { $0 },
                headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: answer)))
        }
        let started = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                started.continuation.yield(channel.localAddress?.port ?? 0)
                started.continuation.finish()
            })
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.run()
                return nil
            }
            for await port in started.stream { receiver.port.withLock { $0 = port } }
            let result = try await body(receiver)
            group.cancelAll()
            return result
        }
    }

    /// Whether the request is signed with `secret`: `v1,` + base64(HMAC-SHA256(key, id.timestamp.body)),
    /// the key being the bytes after `whsec_`, among the space-separated signatures.
    static func isSigned(_ request: Request, secret: String) -> Bool {
        guard let key = Data(base64Encoded: String(secret.dropFirst("whsec_".count))) else { return false }
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("\(request.id).\(request.timestamp).\(request.body)".utf8), using: SymmetricKey(data: key))
        return request.signature.split(separator: " ").contains { $0 == "v1," + Data(mac).base64EncodedString() }
    }
}
