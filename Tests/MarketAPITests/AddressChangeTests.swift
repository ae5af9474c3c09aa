import Foundation
import HTTPTypes
import Kernel
import Orders
import Testing

@testable import MarketAPI

/// Issue 20, SPEC §5: a held parcel sent to another address: priced again, handed to the office that
/// serves the new commune, delivered from there with the new COD, and the books still balance.
@Suite("A held parcel sent to another address")
struct AddressChangeTests {
    static func newAddress(commune: String = CatalogWorld.communeB) -> [String: Any] {
        [
            "recipient_name": "Võ Thị Lan", "phone": "0914 222 333", "province_code": "48", "commune_code": commune,
            "address_line": "12 Hùng Vương",
        ]
    }

    @Test func theNewAddressIsPricedAgainAndDeliveredByTheOfficeThatServesIt() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (placed, tracking) = try await w.readyOrder()
            let order = try await LedgerTests.refreshed(w, placed)
            let buyer = try #require(order["buyer_token"] as? String)
            let number = tracking[0]
            let package = try await FailedDeliveryTests.packageID(order, number, w)
            let before = try #require(
                (order["packages"] as? [[String: Any]])?.first { $0["tracking_no"] as? String == number })
            let start = Date().addingTimeInterval(-3 * 3600)
            _ = try await FailedDeliveryTests.failed(w, number, "wrong_address", at: start)

            // A commune of another province is refused, nothing changes.
            var wrong = Self.newAddress()
            wrong["province_code"] = "01"
            let refused = try await FailedDeliveryTests.instruct(
                api, package, buyer, ["action": "change_address", "address": wrong])
            #expect(refused.status.code == 422 && refused.text.contains("address.commune_code"))
            let missing = try await FailedDeliveryTests.instruct(api, package, buyer, ["action": "change_address"])
            #expect(missing.status.code == 400 || missing.status.code == 422)

            let changed = try await FailedDeliveryTests.instruct(
                api, package, buyer, ["action": "change_address", "address": Self.newAddress()])
            #expect(changed.status == .ok, "\(changed.text)")
            let now = try await w.world.expect(
                .get, "/v1/orders/\(try #require(order["id"] as? String))", buyer, status: .ok)
            let moved = try #require(
                (now.json["packages"] as? [[String: Any]])?.first { $0["tracking_no"] as? String == number })
            let destination = try #require(moved["destination"] as? [String: Any])
            #expect(destination["phone"] as? String == "0914222333")
            #expect(destination["commune_code"] as? String == CatalogWorld.communeB)
            // Same commune as the seller before, the same province now: another fee, carried by the COD.
            let oldFee = try #require(before["shipping_fee_vnd"] as? Int)
            let newFee = try #require(moved["shipping_fee_vnd"] as? Int)
            #expect(moved["zone"] as? String == "same_province" && before["zone"] as? String == "same_commune")
            #expect(newFee != oldFee)
            #expect(moved["cod_amount_vnd"] as? Int == (before["cod_amount_vnd"] as? Int ?? 0) + newFee - oldFee)
            #expect(
                now.json["grand_total_vnd"] as? Int
                    == (now.json["items_total_vnd"] as? Int ?? 0) + (now.json["shipping_total_vnd"] as? Int ?? 0))
            #expect(
                now.json["shipping_total_vnd"] as? Int
                    == (order["shipping_total_vnd"] as? Int ?? 0) + newFee - oldFee)
            // The order keeps the address it was placed with.
            #expect(
                (now.json["shipping_address"] as? [String: Any])?["commune_code"] as? String == CatalogWorld.communeA)
            // Another office serves the new commune: office A no longer plans it; office B does once it arrives.
            let officeB = w.world.officeB
            #expect(
                try await OrderTests.count(
                    api,
                    "SELECT count(*)::int FROM packages WHERE id = '\(package)' AND delivery_post_office_id = '\(officeB)'"
                )
                    == 1)
            let planA = try await w.world.expect(
                .post, "/v1/post-offices/\(w.office)/delivery-schedules", w.clerk,
                json: ["service_on": LogisticsWorld.tomorrow, "shift": "morning"], status: .created)
            #expect(LogisticsWorld.stops(of: planA.json)[number] == nil)
            let courierB = try await CatalogWorld.staff(api, admin: w.world.admin, role: "courier", postOffice: officeB)
            // Scanned in at B after the change (scans replay in the order things happened).
            let later = Date().addingTimeInterval(2)
            try await w.scan(
                number, "arrived_at_hub", by: courierB, at: later,
                extra: ["post_office_id": officeB.uuidString], status: .created)
            let planB = try await w.world.expect(
                .post, "/v1/post-offices/\(officeB)/delivery-schedules", w.world.clerkB,
                json: ["service_on": LogisticsWorld.tomorrow, "shift": "morning"], status: .created)
            #expect(LogisticsWorld.stops(of: planB.json)[number] != nil)
            // Delivered there, with the new amount.
            try await w.scan(number, "out_for_delivery", by: courierB, at: later + 1, status: .created)
            try await w.scan(
                number, "delivered", by: courierB, at: later + 2,
                extra: [
                    "cod_collected_vnd": moved["cod_amount_vnd"] as? Int ?? -1, "recipient_name": "Võ Thị Lan",
                    "delivery_code": order["delivery_code"] as? String ?? "",
                ], status: .created)
            #expect(
                try await OrderTests.count(
                    api, "SELECT count(*)::int FROM cod_discrepancies WHERE package_id = '\(package)'")
                    == 0)
            try await LedgerTests.ledgerIsClean(api)
        }
    }

    @Test func theBuyerChangesTheAddressFromTheOrderPage() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (placed, tracking) = try await w.readyOrder()
            let order = try await LedgerTests.refreshed(w, placed)
            let orderID = try #require(order["id"] as? String)
            let package = try await FailedDeliveryTests.packageID(order, tracking[0], w)
            _ = try await FailedDeliveryTests.failed(
                w, tracking[0], "phone_unreachable", at: Date().addingTimeInterval(-3600))
            let buyer = try await SellerTests.signedIn(api, token: try #require(order["buyer_token"] as? String))
            let page = try await buyer.send(.get, "/don-hang/\(orderID)")
            #expect(page.text.contains("Đổi địa chỉ hoặc số điện thoại nhận hàng"))
            #expect(page.text.contains("value=\"\(CatalogWorld.communeB)\""))
            let moved = try await buyer.send(
                .post, "/don-hang/\(orderID)/kien-hang/\(package)/doi-dia-chi",
                form: [
                    "csrf": ConsoleTests.Browser.csrf(page) ?? "", "ten": "Võ Thị Lan", "sdt": "0914 222 333",
                    "tinh": "48", "xa": CatalogWorld.communeA2, "dia-chi": "12 Hùng Vương",
                ])
            #expect(moved.status == .seeOther, "\(moved.status) \(moved.text.prefix(300))")
            let after = try await buyer.send(.get, "/don-hang/\(orderID)?ket-qua=doi-dia-chi")
            #expect(after.text.contains("Đã đổi địa chỉ nhận") && after.text.contains("0914 222 333"))
            #expect(!after.text.contains("Giao không thành công."))
            try await LedgerTests.ledgerIsClean(api)
        }
    }

    @Test func aPrepaidParcelMovesOnlyToAnAddressPricedTheSame() {
        var tariff = Tariff(
            id: UUID(), effectiveFrom: "2026-01-01", codFeeBps: 100, codFeeMinVND: 5_000, note: "",
            rates: [
                .sameCommune: .init(firstGrams: 500, firstFeeVND: 15_000, stepGrams: 500, stepFeeVND: 2_000),
                .sameProvince: .init(firstGrams: 500, firstFeeVND: 18_000, stepGrams: 500, stepFeeVND: 2_500),
            ], createdAt: Date())
        tariff.returnInProvinceVND = 10_000
        let prepaid = tariff.repriced(
            chargeableGrams: 900, insuranceVND: 0, oldShippingVND: 17_000, oldCodVND: 0, cashOnDelivery: false,
            zone: .sameProvince)
        #expect(prepaid == nil)
        let same = tariff.repriced(
            chargeableGrams: 900, insuranceVND: 0, oldShippingVND: 17_000, oldCodVND: 0, cashOnDelivery: false,
            zone: .sameCommune)
        #expect(same?.differenceVND == 0 && same?.codAmountVND == 0)
        let cod = tariff.repriced(
            chargeableGrams: 900, insuranceVND: 1_000, oldShippingVND: 18_000, oldCodVND: 118_000,
            cashOnDelivery: true, zone: .sameProvince)
        #expect(cod?.shippingFeeVND == 21_500)
        #expect(cod?.differenceVND == 3_500)
        #expect(cod?.codAmountVND == 121_500)
        #expect(cod?.codFeeVND == 5_000)
        #expect(cod?.returnChargeVND == 31_500)
    }
}
