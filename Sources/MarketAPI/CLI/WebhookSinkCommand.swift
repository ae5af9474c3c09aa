import ArgumentParser
import Foundation
import Hummingbird
import Logistics
import Synchronization

/// A webhook receiver for trying endpoints and measuring the relay (`Benchmarks/webhooks`): verifies
/// every signature, drops a `webhook-id` it already had (as receivers are told to), checks that each
/// order's and package's events arrive in order, and appends one line per event to `--record`.
struct WebhookSinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook-sink",
        abstract: "Receive webhooks on a local port, verify and count them (for tests and benchmarks).",
        shouldDisplay: false
    )

    @Option(help: "Port to listen on.") var port = 9099
    @Option(help: "The endpoint's secret (whsec_…).") var secret: String
    @Option(help: "A file to append `<received-at> <webhook-id> <aggregate> <type>` lines to.") var record: String?

    struct Counts {
        var received = 0
        var duplicates = 0
        var badSignatures = 0
        var outOfOrder = 0
        var lastEventByAggregate: [String: Int64] = [:]
        var seen: Set<String> = []
    }

    func run() async throws {
        let counts = Mutex(Counts())
        let secret = self.secret
        let output = try record.map { path in
            if !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: nil)
            }
            return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        }
        try output?.seekToEnd()
        let router = Router()
        router.post("/") { request, _ -> HTTPResponse.Status in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let id = request.headers.first(where: { $0.name.canonicalName == "webhook-id" })?.value ?? ""
            let timestamp = request.headers.first(where: { $0.name.canonicalName == "webhook-timestamp" })?.value ?? ""
            let signatures = request.headers.first(where: { $0.name.canonicalName == "webhook-signature" })?.value ?? ""
            guard
                WebhookSignature.verify(
                    id: id, timestamp: timestamp, body: body, signatures: signatures, secret: secret)
            else {
                counts.withLock { $0.badSignatures += 1 }
                return .unauthorized
            }
            let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
            let data = object["data"] as? [String: Any] ?? [:]
            let aggregate =
                ((data["package"] as? [String: Any])?["package_id"] as? String) ?? (data["order_id"] as? String) ?? ""
            let type = object["type"] as? String ?? ""
            let event = Int64(id.dropFirst("msg_".count)) ?? 0
            let fresh = counts.withLock { counts -> Bool in
                guard counts.seen.insert(id).inserted else {
                    counts.duplicates += 1
                    return false
                }
                counts.received += 1
                if let last = counts.lastEventByAggregate[aggregate], last > event { counts.outOfOrder += 1 }
                counts.lastEventByAggregate[aggregate] = max(event, counts.lastEventByAggregate[aggregate] ?? 0)
                return true
            }
            if fresh, let output {
                output.write(Data("\(Date().timeIntervalSince1970) \(id) \(aggregate) \(type)\n".utf8))
            }
            return .noContent
        }
        router.get("/stats") { _, _ -> String in
            let c = counts.withLock { $0 }
            return
                "{\"received\":\(c.received),\"duplicates\":\(c.duplicates),\"bad_signatures\":\(c.badSignatures),\"out_of_order\":\(c.outOfOrder)}\n"
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }
}
