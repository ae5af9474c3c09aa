import Foundation
import Logging
import Testing

@testable import MarketAPI

@Suite("LOG_FORMAT=json: one JSON object per line")
struct JSONLogTests {
    @Test func aLineIsOneJSONObjectWithTheRequestFacts() throws {
        let line = JSONLogHandler.line(
            at: Date(timeIntervalSince1970: 1_796_000_000.5), level: .info, label: "market",
            message: "request \"quoted\"\nnext line\u{1}",
            metadata: [
                "request_id": .string("r-1"), "user_id": .string("u-1"), "route": .string("/v1/orders/{order_id}"),
                "status": .stringConvertible(201), "level": .string("spoofed"),
            ])
        #expect(line.hasSuffix("}\n"))
        #expect(line.filter { $0 == "\n" }.count == 1)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["msg"] == "request \"quoted\"\nnext line\u{1}")
        #expect(object["level"] == "info")
        #expect(object["label"] == "market")
        #expect(object["request_id"] == "r-1")
        #expect(object["user_id"] == "u-1")
        #expect(object["route"] == "/v1/orders/{order_id}")
        #expect(object["status"] == "201")
        #expect(object["ts"] == "2026-11-30T00:53:20.500Z")
    }

    @Test func datesAreReadWithFractionalSecondsAndOffsetsAndWrittenAsBefore() throws {
        let transcoder = RFC3339DateTranscoder()
        let instant = Date(timeIntervalSince1970: 1_796_000_003)
        #expect(try transcoder.decode("2026-11-30T00:53:23Z") == instant)
        #expect(try transcoder.decode("2026-11-30T07:53:23+07:00") == instant)
        #expect(try transcoder.decode("2026-11-30T00:53:23.5Z") == instant + 0.5)
        #expect(abs(try transcoder.decode("2026-11-30T07:53:23.123+07:00").timeIntervalSince(instant) - 0.123) < 0.0005)
        #expect(try transcoder.encode(instant) == "2026-11-30T00:53:23Z")
        #expect(throws: (any Error).self) { try transcoder.decode("2026-11-30 00:53:23") }
        #expect(throws: (any Error).self) { try transcoder.decode("yesterday") }
    }

    /// Issue 16: a guessable payment secret lets anyone forge a "paid" notification.
    @Test func theServerRefusesAWeakPaymentSecret() throws {
        for weak in [
            "CHANGE-ME", "fuzz-payment-secret", String(repeating: "a", count: 40),
            "change-me-" + String(repeating: "x1y2z3", count: 6),
        ] {
            #expect(throws: AppConfig.Problem.self) { try AppConfig.fromEnvironment(["PAYMENT_WEBHOOK_SECRET": weak]) }
        }
        let strong = "4f9c2d7e1a8b3c6d5e0f7a2b9c4d1e8f"
        #expect(try AppConfig.fromEnvironment(["PAYMENT_WEBHOOK_SECRET": strong]).paymentSecret == strong)
        #expect(try AppConfig.fromEnvironment([:]).paymentSecret == nil)
    }

    @Test func theFormatIsReadFromTheEnvironment() throws {
        #expect(try AppConfig.fromEnvironment(["LOG_FORMAT": "json"]).logFormat == .json)
        #expect(try AppConfig.fromEnvironment([:]).logFormat == .text)
        #expect(throws: (any Error).self) { try AppConfig.fromEnvironment(["LOG_FORMAT": "xml"]) }
    }
}
