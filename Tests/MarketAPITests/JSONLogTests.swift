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

    @Test func theFormatIsReadFromTheEnvironment() throws {
        #expect(try AppConfig.fromEnvironment(["LOG_FORMAT": "json"]).logFormat == .json)
        #expect(try AppConfig.fromEnvironment([:]).logFormat == .text)
        #expect(throws: (any Error).self) { try AppConfig.fromEnvironment(["LOG_FORMAT": "xml"]) }
    }
}
