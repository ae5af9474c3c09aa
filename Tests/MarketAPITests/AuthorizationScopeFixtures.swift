import Foundation
import HTTPTypes
import PostgresNIO
import Testing

@testable import MarketAPI

/// For each operation of `AuthorizationScopes`, a fresh resource of S / office A / the first buyer
/// and a valid request on it, so that what the caller gets is the authorization answer, not a
/// validation or state error. `n` numbers the calls, for values that must be unique.
extension ScopeWorld {
    func call(_ operation: String, _ n: Int) async throws -> ScopeCall? {
        switch operation {
        // Accounts
        case "createUser":
            return ScopeCall(
                method: .post, uri: "/v1/users",
                json: [
                    "email": "new-\(UUID().uuidString.prefix(8))@example.vn", "password": "staff-password-1",
                    "display_name": "Nhân viên mới",
                ])
        case "getUser":
            return ScopeCall(method: .get, uri: "/v1/users/\(try await userID(buyer))")
        case "grantRole":
            return ScopeCall(method: .post, uri: "/v1/users/\(try await newUser().id)/roles", json: ["role": "finance"])
        case "revokeRole":
            let user = try await newUser().id
            let grant = try await expect(
                .post, "/v1/users/\(user)/roles", admin, json: ["role": "finance"], status: .created)
            return ScopeCall(
                method: .delete, uri: "/v1/users/\(user)/roles/\(try #require(grant.json["id"] as? String))")
        case "updateUser":
            return ScopeCall(
                method: .patch, uri: "/v1/users/\(try await newUser().id)", json: ["display_name": "Tên mới \(n)"])
        case "changePassword":
            return ScopeCall(
                method: .post, uri: "/v1/me/password",
                json: ["current_password": "correct-horse-battery", "new_password": "another-horse-\(n)"])
        case "setNotificationPreferences":
            return ScopeCall(
                method: .put, uri: "/v1/me/notification-preferences", json: ["email": true, "sms": false, "zalo": true])
        case "markNotificationRead":
            let owner = try #require(UUID(uuidString: try await userID(buyer)))
            let rows = try await api.db.query(
                """
                INSERT INTO notifications (user_id, kind, title, body, source)
                VALUES (\(owner), 'order.placed', 'Đã nhận đơn hàng', 'Thử', \("scope:\(n)")) RETURNING id
                """)
            var id = UUID()
            for try await inserted in rows.decode(UUID.self) { id = inserted }
            return ScopeCall(method: .post, uri: "/v1/me/notifications/\(id.uuidString.lowercased())/read")

        // Webhook endpoints of S
        case "createWebhookEndpoint":
            return ScopeCall(
                method: .post, uri: "/v1/webhook-endpoints",
                json: [
                    "url": "https://shop.example.vn/hooks/\(n)", "event_types": ["package.new"],
                    "supplier_id": supplier,
                    "description": "Cửa hàng",
                ])
        case "getWebhookEndpoint":
            return ScopeCall(method: .get, uri: "/v1/webhook-endpoints/\(try await webhookEndpoint(n))")
        case "updateWebhookEndpoint":
            return ScopeCall(
                method: .patch, uri: "/v1/webhook-endpoints/\(try await webhookEndpoint(n))",
                json: ["description": "Cửa hàng \(n)"])
        case "deleteWebhookEndpoint":
            return ScopeCall(method: .delete, uri: "/v1/webhook-endpoints/\(try await webhookEndpoint(n))")
        case "rotateWebhookSecret":
            return ScopeCall(method: .post, uri: "/v1/webhook-endpoints/\(try await webhookEndpoint(n))/rotate-secret")
        case "listWebhookDeliveries":
            return ScopeCall(method: .get, uri: "/v1/webhook-endpoints/\(try await webhookEndpoint(n))/deliveries")
        case "replayWebhookDelivery":
            let endpoint = try #require(UUID(uuidString: try await webhookEndpoint(n)))
            let rows = try await api.db.query(
                """
                INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, aggregate_id, body, status)
                VALUES (\(endpoint), \(n), 'package.new', \(UUID()), '{}', 'delivered') RETURNING id
                """)
            var id = UUID()
            for try await inserted in rows.decode(UUID.self) { id = inserted }
            return ScopeCall(method: .post, uri: "/v1/webhook-deliveries/\(id.uuidString.lowercased())/replay")

        // Suppliers
        case "applySupplier":
            return ScopeCall(
                method: .post, uri: "/v1/suppliers",
                json: [
                    "name": "Hộ kinh doanh \(n)", "kind": "household", "phone": "0905123456",
                    "pickup_address": [
                        "province_code": "48", "commune_code": CatalogWorld.communeA, "address_line": "3 Cửa Đại",
                    ],
                ])
        case "getSupplier":
            return ScopeCall(method: .get, uri: "/v1/suppliers/\(try await newSupplier())")
        case "updateSupplier":
            return ScopeCall(method: .patch, uri: "/v1/suppliers/\(supplier)", json: ["description": "Nước mắm \(n)"])
        case "setSupplierPayout":
            return ScopeCall(
                method: .put, uri: "/v1/suppliers/\(supplier)/payout",
                json: [
                    "method": "bank_transfer", "bank_bin": "970436", "account_no": "0123456789",
                    "account_name": "HTX NUOC MAM CUA DAI",
                ])
        case "approveSupplier":
            return ScopeCall(method: .post, uri: "/v1/suppliers/\(try await newSupplier())/approve")
        case "suspendSupplier":
            return ScopeCall(
                method: .post, uri: "/v1/suppliers/\(try await newSupplier(approved: true))/suspend",
                json: ["reason": "Kiểm tra an toàn thực phẩm"])
        case "reinstateSupplier":
            return ScopeCall(
                method: .post, uri: "/v1/suppliers/\(try await newSupplier(suspended: true))/reinstate",
                json: ["reason": "Đã khắc phục"])
        case "listSupplierMembers":
            return ScopeCall(method: .get, uri: "/v1/suppliers/\(supplier)/members")
        case "addSupplierMember":
            return ScopeCall(
                method: .post, uri: "/v1/suppliers/\(supplier)/members", json: ["email": try await newUser().email])
        case "removeSupplierMember":
            let member = try await newUser()
            let invited = try await expect(
                .post, "/v1/suppliers/\(supplier)/members", producer, json: ["email": member.email], status: .created)
            let invitation = try #require(invited.json["id"] as? String)
            try await expect(.post, "/v1/invitations/\(invitation)/accept", member.token, status: .ok)
            return ScopeCall(method: .delete, uri: "/v1/suppliers/\(supplier)/members/\(member.id)")
        case "acceptInvitation", "declineInvitation":
            let email = try #require(
                try await expect(.get, "/v1/me", buyer, status: .ok).json["email"] as? String)
            let invited = try await expect(
                .post, "/v1/suppliers/\(try await newSupplier(approved: true))/members", producer,
                json: ["email": email], status: .created)
            let invitation = try #require(invited.json["id"] as? String)
            let answer = operation == "acceptInvitation" ? "accept" : "decline"
            return ScopeCall(method: .post, uri: "/v1/invitations/\(invitation)/\(answer)")
        case "listSupplierInvitations":
            return ScopeCall(method: .get, uri: "/v1/suppliers/\(supplier)/invitations")
        case "revokeSupplierInvitation":
            let invited = try await expect(
                .post, "/v1/suppliers/\(supplier)/members", producer, json: ["email": try await newUser().email],
                status: .created)
            let invitation = try #require(invited.json["id"] as? String)
            return ScopeCall(method: .delete, uri: "/v1/suppliers/\(supplier)/invitations/\(invitation)")
        case "listSupplierProducts":
            return ScopeCall(method: .get, uri: "/v1/suppliers/\(supplier)/products")
        case "createProduct":
            return ScopeCall(
                method: .post, uri: "/v1/suppliers/\(supplier)/products",
                json: [
                    "title": "Mắm nêm \(n)", "category_code": "seasonings", "origin_province_code": "48",
                    "variants": [Self.variantBody()],
                ])
        case "listSupplierPackages":
            return ScopeCall(method: .get, uri: "/v1/suppliers/\(supplier)/packages")
        case "listSupplierRemittances":
            return ScopeCall(method: .get, uri: "/v1/suppliers/\(supplier)/remittances")

        // Products
        case "getProduct":
            return ScopeCall(method: .get, uri: "/v1/products/\(try await draft())")
        case "updateProduct":
            return ScopeCall(
                method: .patch, uri: "/v1/products/\(try await draft())", json: ["description": "Ủ chượp 12 tháng"])
        case "submitProduct":
            return ScopeCall(method: .post, uri: "/v1/products/\(try await draft())/submit")
        case "approveProduct":
            return ScopeCall(method: .post, uri: "/v1/products/\(try await submitted())/approve")
        case "rejectProduct":
            return ScopeCall(
                method: .post, uri: "/v1/products/\(try await submitted())/reject", json: ["reason": "Thiếu ảnh nhãn"])
        case "archiveProduct":
            return ScopeCall(method: .post, uri: "/v1/products/\(try await listed())/archive")
        case "addProductPhoto":
            let (body, type) = ProductPhotoAPITests.multipart([("photo", "image/jpeg", ProductPhotoAPITests.photo)])
            return ScopeCall(
                method: .post, uri: "/v1/products/\(try await draft())/photos", headers: [.contentType: type],
                bytes: body)
        case "addVariant":
            return ScopeCall(method: .post, uri: "/v1/products/\(try await draft())/variants", json: Self.variantBody())
        case "updateVariant":
            let product = try await draft()
            return ScopeCall(
                method: .patch, uri: "/v1/products/\(product)/variants/\(try await variant(of: product))",
                json: ["name": "Chai 1 lít"])
        case "listStockAdjustments":
            return ScopeCall(method: .get, uri: "/v1/products/\(product)/variants/\(variant)/stock-adjustments")
        case "adjustStock":
            return ScopeCall(
                method: .post, uri: "/v1/products/\(product)/variants/\(variant)/stock-adjustments",
                json: ["delta": 1, "reason": "Nhập kho"])
        case "listOcopCertifications":
            return ScopeCall(method: .get, uri: "/v1/products/\(product)/ocop-certifications")
        case "recordOcopCertification":
            return ScopeCall(
                method: .post, uri: "/v1/products/\(try await listed())/ocop-certifications", json: Self.certificate())
        case "verifyOcopCertification":
            return ScopeCall(method: .post, uri: "/v1/ocop-certifications/\(try await certification())/verify")
        case "rejectOcopCertification":
            return ScopeCall(
                method: .post, uri: "/v1/ocop-certifications/\(try await certification())/reject",
                json: ["reason": "Số chứng nhận không khớp"])
        case "createShippingTariff":
            // A version from a day of its own (one version per day).
            return ScopeCall(
                method: .post, uri: "/v1/shipping/tariffs", json: Self.tariff(from: OcopTests.day(400 + n)))

        // Orders
        case "listOrders":
            return ScopeCall(method: .get, uri: "/v1/orders")
        case "placeOrder":
            return ScopeCall(
                method: .post, uri: "/v1/orders",
                json: [
                    "lines": [["variant_id": variant, "quantity": 1]],
                    "shipping_address": [
                        "recipient_name": "Nguyễn Thị Mai", "phone": "0905123456", "province_code": "48",
                        "commune_code": CatalogWorld.communeA, "address_line": "12 Trần Phú",
                    ],
                    "payment_method": "cod",
                ], headers: [OrderTests.idempotencyKey: UUID().uuidString])
        case "getOrder":
            return ScopeCall(method: .get, uri: "/v1/orders/\(try #require(try await order()["id"] as? String))")
        case "renewDeliveryCode":
            return ScopeCall(
                method: .post, uri: "/v1/orders/\(try #require(try await order()["id"] as? String))/delivery-code")
        case "cancelOrder":
            return ScopeCall(
                method: .post, uri: "/v1/orders/\(try #require(try await order()["id"] as? String))/cancel")
        case "acceptPackage":
            return ScopeCall(method: .post, uri: "/v1/packages/\(try await package())/accept")
        case "rejectPackage":
            return ScopeCall(
                method: .post, uri: "/v1/packages/\(try await package())/reject", json: ["reason": "Hết hàng"])
        case "instructDelivery":
            return ScopeCall(
                method: .post, uri: "/v1/packages/\(try await package())/delivery-instructions",
                json: ["action": "return"])
        case "openComplaint":
            let (order, _) = try await delivered()
            return ScopeCall(
                method: .post, uri: "/v1/packages/\(try Self.package(of: order))/complaints",
                json: ["reason": "damaged", "description": "Hộp móp, chai nứt."])
        case "getComplaint":
            return ScopeCall(method: .get, uri: "/v1/complaints/\(try await complaint())")
        case "acceptComplaint":
            return ScopeCall(
                method: .post, uri: "/v1/complaints/\(try await complaint())/accept", json: [:] as [String: Any])
        case "disputeComplaint":
            return ScopeCall(
                method: .post, uri: "/v1/complaints/\(try await complaint())/dispute",
                json: ["note": "Hàng còn nguyên khi giao bưu tá."])
        case "decideComplaint":
            return ScopeCall(
                method: .post, uri: "/v1/complaints/\(try await complaint(disputed: true))/decide",
                json: ["decision": "refund", "liable": "seller", "note": "Ảnh cho thấy chai nứt."])
        case "markPackageReady":
            return ScopeCall(method: .post, uri: "/v1/packages/\(try await package(accepted: true))/ready")

        // Post offices and couriers
        case "listPostOfficePackages":
            return ScopeCall(method: .get, uri: "/v1/post-offices/\(office)/packages")
        case "createPostOffice":
            return ScopeCall(method: .post, uri: "/v1/post-offices", json: Self.postOfficeBody())
        case "updatePostOffice":
            return ScopeCall(method: .patch, uri: "/v1/post-offices/\(office)", json: ["phone": "02353861234"])
        case "setPostOfficeCommunes":
            // A new office and a commune no other fixture uses, so that no supplier changes office.
            return ScopeCall(
                method: .put, uri: "/v1/post-offices/\(try await newPostOffice())/communes",
                json: ["communes": ["20875"]])
        case "listCouriers":
            return ScopeCall(method: .get, uri: "/v1/post-offices/\(office)/couriers")
        case "addCourier":
            return ScopeCall(
                method: .post, uri: "/v1/post-offices/\(office)/couriers",
                json: ["user_id": try await newUser().id, "max_stops": 20, "max_grams": 50_000])
        case "getCourier":
            return ScopeCall(method: .get, uri: "/v1/couriers/\(courierID)")
        case "updateCourier":
            return ScopeCall(method: .patch, uri: "/v1/couriers/\(courierID)", json: ["max_stops": 40])
        case "planPickups", "planDeliveries":
            let kind = operation == "planPickups" ? "pickup" : "delivery"
            return ScopeCall(
                method: .post, uri: "/v1/post-offices/\(office)/\(kind)-schedules",
                json: ["service_on": LogisticsWorld.today, "shift": "morning"])
        case "listSchedules":
            return ScopeCall(
                method: .get, uri: "/v1/post-offices/\(office)/schedules?service_on=\(LogisticsWorld.today)")
        case "getManifest":
            return ScopeCall(method: .get, uri: "/v1/couriers/\(courierID)/manifests/\(LogisticsWorld.today)")
        case "recordScan":
            return ScopeCall(
                method: .post, uri: "/v1/shipments/\(try await parcel().tracking)/events",
                json: [
                    "client_event_id": UUID().uuidString, "type": "picked_up",
                    "occurred_at": ISO8601DateFormatter().string(from: Date()),
                ])
        case "reissueDeliveryCode":
            return ScopeCall(method: .post, uri: "/v1/shipments/\(try await parcel().tracking)/delivery-code")

        // COD money
        case "recordHandover":
            let courier = try await courierWithCash()
            return ScopeCall(
                method: .post, uri: "/v1/cod/handovers", json: ["courier_id": courier.id, "counted_vnd": courier.cash])
        case "commentDiscrepancy":
            return ScopeCall(
                method: .post, uri: "/v1/cod/discrepancies/\(try await discrepancy())/comments",
                json: ["body": "Bưu tá xác nhận thiếu"])
        case "resolveDiscrepancy":
            return ScopeCall(
                method: .post, uri: "/v1/cod/discrepancies/\(try await discrepancy())/resolve",
                json: ["resolution": "write_off"])
        case "runRemittance":
            try await delivered()
            return ScopeCall(method: .post, uri: "/v1/remittances", json: Self.cutoff())
        case "getRemittance":
            return ScopeCall(method: .get, uri: "/v1/remittances/\(try await remittance().batch)")
        case "getRemittanceBankFile":
            return ScopeCall(method: .get, uri: "/v1/remittances/\(try await remittance().batch)/bank-file")
        case "getRemittanceCounterCash":
            return ScopeCall(method: .get, uri: "/v1/remittances/\(try await remittance().batch)/counter-cash")
        case "markRemittanceLinePaid":
            let (batch, line) = try await remittance()
            return ScopeCall(
                method: .post, uri: "/v1/remittances/\(batch)/lines/\(line)/paid", json: ["bank_reference": "FT\(n)"])
        case "markRemittanceLineFailed":
            let (batch, line) = try await remittance()
            return ScopeCall(
                method: .post, uri: "/v1/remittances/\(batch)/lines/\(line)/failed",
                json: ["reason": "Sai số tài khoản"])
        case "importBankStatement":
            return ScopeCall(
                method: .post, uri: "/v1/finance/bank-statements",
                raw:
                    "bank_reference,amount_vnd,value_date,description\nFT\(UUID().uuidString.prefix(8)),5000,2026-11-27,x\n",
                headers: [.contentType: "text/csv"])
        case "setCategoryCommission":
            return ScopeCall(
                method: .put, uri: "/v1/finance/commission-rates/categories/seasonings", json: ["commission_bps": 800])
        case "setSupplierCommission":
            return ScopeCall(
                method: .put, uri: "/v1/finance/commission-rates/suppliers/\(supplier)", json: ["commission_bps": 500])
        case "clearSupplierCommission":
            try await expect(
                .put, "/v1/finance/commission-rates/suppliers/\(supplier)", admin, json: ["commission_bps": 500],
                status: .ok)
            return ScopeCall(method: .delete, uri: "/v1/finance/commission-rates/suppliers/\(supplier)")
        case "getPaymentReceipt":
            return ScopeCall(method: .get, uri: "/v1/finance/payment-receipts/\(try await heldReceipt())")
        case "applyPaymentReceipt":
            return ScopeCall(
                method: .post, uri: "/v1/finance/payment-receipts/\(try await heldReceipt(applicable: true))/apply")
        case "refundPaymentReceipt":
            return ScopeCall(
                method: .post, uri: "/v1/finance/payment-receipts/\(try await heldReceipt())/refund",
                json: ["reason": "Chuyển nhầm"])
        case "markPaymentReceiptRefundPaid":
            return ScopeCall(
                method: .post,
                uri: "/v1/finance/payment-receipts/\(try await heldReceipt(owedBack: true))/refund-paid",
                json: ["bank_reference": "RF\(n)"])
        case "markRefundPaid":
            return ScopeCall(
                method: .post, uri: "/v1/finance/refunds/\(try await refund())/paid", json: ["bank_reference": "RF\(n)"]
            )
        default:
            return nil
        }
    }

    /// A new webhook endpoint of S, registered by its producer.
    func webhookEndpoint(_ n: Int) async throws -> String {
        let created = try await expect(
            .post, "/v1/webhook-endpoints", producer,
            json: [
                "url": "https://shop.example.vn/hooks/\(n)", "event_types": ["package.new"], "supplier_id": supplier,
            ],
            status: .created)
        return try #require(created.json["id"] as? String)
    }

    static func variantBody() -> [String: Any] {
        [
            "sku": "SKU-\(UUID().uuidString.prefix(8))", "name": "Chai 500ml", "price_vnd": 85_000,
            "weight_grams": 700, "stock_on_hand": 10,
        ]
    }

    static func tariff(from day: String) -> [String: Any] {
        let rates = [
            ("same_commune", 11_000), ("same_province", 12_000), ("same_region", 13_000), ("other_region", 14_000),
        ]
        .map { zone, first in
            ["zone": zone, "first_grams": 1000, "first_fee_vnd": first, "step_grams": 1000, "step_fee_vnd": 1_000]
        }
        return ["effective_from": day, "cod_fee_bps": 100, "cod_fee_min_vnd": 5_000, "rates": rates]
    }
}
