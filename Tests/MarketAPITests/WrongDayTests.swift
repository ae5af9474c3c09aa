import Foundation
import HTTPTypes
import Testing

@testable import MarketAPI

/// Issue 20's "done when": a day at office A where delivery goes wrong in every way the issue names, then a
/// remittance and the refunds paid; `market ledger check` finds nothing.
@Suite("A day of things going wrong leaves the books clean")
struct WrongDayTests {
    @Test func refusalHoldRedeliveryAddressChangeAndTwoComplaints() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let finance = try await LedgerTests.financeToken(w)
            let start = Date().addingTimeInterval(-5 * 3600)

            // Refused at the door: back to the seller, who pays the return.
            let (refusedOrder, refused) = try await w.readyOrder()
            _ = refusedOrder
            _ = try await FailedDeliveryTests.failed(w, refused[0], "refused", at: start)
            try await w.scan(refused[0], "returned_to_sender", at: start + 600, status: .created)

            // Held, the buyer asks for another attempt, delivered on it.
            let (heldPlaced, held) = try await w.readyOrder()
            let heldOrder = try await LedgerTests.refreshed(w, heldPlaced)
            let heldBuyer = try #require(heldOrder["buyer_token"] as? String)
            _ = try await FailedDeliveryTests.failed(w, held[0], "recipient_absent", at: start)
            let heldPackage = try await FailedDeliveryTests.packageID(heldOrder, held[0], w)
            try await w.world.expect(
                .post, "/v1/packages/\(heldPackage)/delivery-instructions", heldBuyer, json: ["action": "redeliver"],
                status: .ok)
            let again = Date().addingTimeInterval(2)
            try await w.scan(held[0], "out_for_delivery", at: again, status: .created)
            try await w.scan(
                held[0], "delivered", at: again + 1,
                extra: [
                    "cod_collected_vnd": LedgerTests.cod(heldOrder, held[0]), "recipient_name": "Nguyễn Thị Mai",
                    "delivery_code": heldOrder["delivery_code"] as? String ?? "",
                ], status: .created)

            // Held for a wrong address: sent to another commune of the office, delivered with the new COD.
            let (movedPlaced, moved) = try await w.readyOrder()
            let movedOrder = try await LedgerTests.refreshed(w, movedPlaced)
            let movedBuyer = try #require(movedOrder["buyer_token"] as? String)
            _ = try await FailedDeliveryTests.failed(w, moved[0], "wrong_address", at: start)
            let movedPackage = try await FailedDeliveryTests.packageID(movedOrder, moved[0], w)
            try await w.world.expect(
                .post, "/v1/packages/\(movedPackage)/delivery-instructions", movedBuyer,
                json: [
                    "action": "change_address",
                    "address": AddressChangeTests.newAddress(commune: CatalogWorld.communeA2),
                ],
                status: .ok)
            let now = try await w.world.expect(
                .get, "/v1/orders/\(try #require(movedOrder["id"] as? String))", movedBuyer, status: .ok)
            let newCOD = LedgerTests.cod(now.json, moved[0])
            // Scans happen after the instruction (they replay in the order things happened).
            let afterChange = Date().addingTimeInterval(2)
            try await w.scan(moved[0], "out_for_delivery", at: afterChange, status: .created)
            try await w.scan(
                moved[0], "delivered", at: afterChange + 1,
                extra: [
                    "cod_collected_vnd": newCOD, "recipient_name": "Võ Thị Lan",
                    "delivery_code": movedOrder["delivery_code"] as? String ?? "",
                ], status: .created)

            // Two complaints about delivered parcels: one the seller refunds, one ruled against transport.
            let (_, buyerA, fishA, _) = try await ComplaintTests.delivered(w, at: start)
            let first = try await w.world.expect(
                .post, "/v1/packages/\(fishA)/complaints", buyerA, json: ComplaintTests.complaint(), status: .created)
            try await w.world.expect(
                .post, "/v1/complaints/\(try #require(first.json["id"] as? String))/accept", w.world.producer,
                json: [:] as [String: Any], status: .ok)
            let (_, buyerB, fishB, _) = try await ComplaintTests.delivered(w, at: start)
            let second = try await w.world.expect(
                .post, "/v1/packages/\(fishB)/complaints", buyerB, json: ComplaintTests.complaint(reason: "damaged"),
                status: .created)
            let secondID = try #require(second.json["id"] as? String)
            try await w.world.expect(
                .post, "/v1/complaints/\(secondID)/dispute", w.world.producer, json: ["note": "Đóng gói kỹ."],
                status: .ok)
            try await w.world.expect(
                .post, "/v1/complaints/\(secondID)/decide", w.clerk,
                json: ["decision": "refund", "liable": "post_office", "note": "Thùng móp do vận chuyển."], status: .ok)
            try await LedgerTests.ledgerIsClean(api)

            // The remittance nets the return charge and the seller's refund; both refunds are paid.
            _ = try await w.world.expect(
                .post, "/v1/remittances", finance,
                json: ["cutoff_at": ISO8601DateFormatter().string(from: Date().addingTimeInterval(2))], status: .created
            )
            for package in [fishA, fishB] {
                try await w.world.expect(
                    .post, "/v1/finance/refunds/\(package)/paid", finance,
                    json: ["bank_reference": "FT\(UUID().uuidString.prefix(10))"], status: .ok)
            }
            try await LedgerTests.ledgerIsClean(api)
        }
    }
}
