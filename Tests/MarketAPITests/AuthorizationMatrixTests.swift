import Catalog
import Foundation
import HTTPTypes
import Kernel
import Testing

@testable import MarketAPI

/// Who may call what, as data: every operation of the OpenAPI document is listed here, and the
/// tests fail when the document gains one that is not (SPEC §1). Scoped access (another supplier's
/// producer, another office's clerk or courier, another buyer) on real resources is the data of
/// AuthorizationScopes, run by AuthorizationScopeTests.
@Suite("Authorization matrix: every endpoint × every role")
struct AuthorizationMatrixTests {
    enum Access: Equatable {
        /// No sign-in needed.
        case anyone
        /// Authenticated by the bank's signature, not by a user.
        case signature
        /// Any signed-in user (what they see may depend on their roles).
        case signedIn
        /// Signed in with one of these roles (admins hold every role).
        case roles(Set<Role>)
    }

    static let matrix: [String: Access] = [
        "getHealth": .anyone, "getReadiness": .anyone, "getMetrics": .anyone, "getOpenAPIDocument": .anyone,
        "register": .anyone, "login": .anyone, "logout": .signedIn, "getMe": .signedIn,
        "listUsers": .roles([.admin]), "createUser": .roles([.admin]), "getUser": .roles([.admin]),
        "grantRole": .roles([.admin]), "revokeRole": .roles([.admin]), "listAuditEvents": .roles([.admin]),
        "listProvinces": .anyone, "listCommunes": .anyone, "listCategories": .anyone, "listBanks": .anyone,
        "listSuppliers": .anyone, "applySupplier": .signedIn, "getSupplier": .anyone,
        "updateSupplier": .roles([.producer]), "setSupplierPayout": .roles([.producer]),
        "approveSupplier": .roles([.clerk]), "suspendSupplier": .roles([.clerk]),
        "reinstateSupplier": .roles([.clerk]), "listSupplierMembers": .roles([.producer, .clerk]),
        "addSupplierMember": .roles([.producer]), "removeSupplierMember": .roles([.producer]),
        "listSupplierInvitations": .roles([.producer, .clerk]), "revokeSupplierInvitation": .roles([.producer]),
        "listMyInvitations": .signedIn, "acceptInvitation": .signedIn, "declineInvitation": .signedIn,
        "listSupplierProducts": .roles([.producer, .clerk]), "createProduct": .roles([.producer]),
        "searchProducts": .anyone, "getProduct": .anyone, "updateProduct": .roles([.producer]),
        "submitProduct": .roles([.producer]), "approveProduct": .roles([.clerk]),
        "rejectProduct": .roles([.clerk]), "archiveProduct": .roles([.producer, .clerk]),
        "addProductPhoto": .roles([.producer]), "addVariant": .roles([.producer]), "updateVariant": .roles([.producer]),
        "listStockAdjustments": .roles([.producer, .clerk]), "adjustStock": .roles([.producer]),
        "listOcopCertifications": .roles([.producer, .clerk]), "recordOcopCertification": .roles([.producer]),
        "verifyOcopCertification": .roles([.clerk]), "rejectOcopCertification": .roles([.clerk]),
        "listProductsForReview": .roles([.clerk]), "listOcopCertificationsForReview": .roles([.clerk]),
        "listShippingTariffs": .anyone, "createShippingTariff": .roles([.admin]), "quoteShipping": .anyone,
        "listOrders": .signedIn, "placeOrder": .roles([.buyer]), "getOrder": .signedIn,
        "cancelOrder": .signedIn, "renewDeliveryCode": .signedIn, "listSupplierPackages": .roles([.producer, .clerk]),
        "instructDelivery": .roles([.buyer, .producer]), "acceptPackage": .roles([.producer]),
        "openComplaint": .roles([.buyer]), "listComplaints": .signedIn, "getComplaint": .signedIn,
        "acceptComplaint": .roles([.producer]), "disputeComplaint": .roles([.producer]),
        "decideComplaint": .roles([.clerk]),
        "rejectPackage": .roles([.producer]),
        "markPackageReady": .roles([.producer]), "receivePaymentNotification": .signature,
        "listPostOfficePackages": .roles([.clerk]), "listPostOffices": .anyone,
        "createPostOffice": .roles([.admin]), "getPostOffice": .anyone, "updatePostOffice": .roles([.admin]),
        "setPostOfficeCommunes": .roles([.admin]), "listCouriers": .roles([.clerk, .courier]),
        "addCourier": .roles([.clerk]), "getCourier": .roles([.clerk, .courier]), "updateCourier": .roles([.clerk]),
        "planPickups": .roles([.clerk]), "planDeliveries": .roles([.clerk]), "listSchedules": .roles([.clerk]),
        "getManifest": .roles([.courier, .clerk]), "recordScan": .roles([.courier, .clerk]), "trackParcel": .anyone,
        "recordHandover": .roles([.clerk]), "listDiscrepancies": .roles([.finance, .clerk]),
        "commentDiscrepancy": .roles([.finance]), "resolveDiscrepancy": .roles([.finance]),
        "runRemittance": .roles([.finance]), "getRemittance": .roles([.finance]),
        "getRemittanceBankFile": .roles([.finance]), "getRemittanceCounterCash": .roles([.finance]),
        "markRemittanceLinePaid": .roles([.finance]), "markRemittanceLineFailed": .roles([.finance]),
        "importBankStatement": .roles([.finance]), "getReconciliation": .roles([.finance]),
        "listSupplierRemittances": .roles([.producer, .finance]), "listCommissionRates": .roles([.finance]),
        "setCategoryCommission": .roles([.finance]), "setSupplierCommission": .roles([.finance]),
        "clearSupplierCommission": .roles([.finance]), "listRefunds": .roles([.finance]),
        "markRefundPaid": .roles([.finance]), "listAccountBalances": .roles([.finance]),
        "listPaymentReceipts": .roles([.finance]), "getPaymentReceipt": .roles([.finance]),
        "applyPaymentReceipt": .roles([.finance]), "refundPaymentReceipt": .roles([.finance]),
        "markPaymentReceiptRefundPaid": .roles([.finance]),
        "changePassword": .signedIn, "requestPasswordReset": .anyone, "confirmPasswordReset": .anyone,
        "confirmRegistration": .anyone,
        "updateUser": .roles([.admin]), "listMyNotifications": .signedIn, "markAllNotificationsRead": .signedIn,
        "markNotificationRead": .signedIn, "getNotificationPreferences": .signedIn,
        "setNotificationPreferences": .signedIn, "listWebhookEndpoints": .roles([.producer]),
        "createWebhookEndpoint": .roles([.producer]), "getWebhookEndpoint": .roles([.producer]),
        "updateWebhookEndpoint": .roles([.producer]), "deleteWebhookEndpoint": .roles([.producer]),
        "rotateWebhookSecret": .roles([.producer]), "listWebhookDeliveries": .roles([.producer]),
        "replayWebhookDelivery": .roles([.producer]), "reissueDeliveryCode": .roles([.clerk]),
        "listOutboundMessages": .roles([.admin]),
    ]

    struct Operation: Sendable {
        var id: String
        var method: HTTPRequest.Method
        var path: String
        var hasBody: Bool
    }

    /// The operations of the served document (read line by line: its layout is fixed by this repo).
    static func operations() throws -> [Operation] {
        var result: [Operation] = []
        var path = ""
        var method: HTTPRequest.Method?
        for line in try OpenAPIDocument.text().split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("components:") { break }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                method = HTTPRequest.Method(String(line.dropFirst(4).dropLast()).uppercased())
            } else if let method, line.hasPrefix("      operationId: ") {
                let id = String(line.dropFirst("      operationId: ".count))
                result.append(Operation(id: id, method: method, path: path, hasBody: false))
            } else if line.hasPrefix("      requestBody:"), !result.isEmpty {
                result[result.count - 1].hasBody = true
            }
        }
        return result
    }

    /// A concrete URI for an operation: well-formed placeholders, and the required query parameters.
    static func uri(_ op: Operation) -> String {
        var uri = op.path
        for (name, value) in [
            ("{tracking_no}", "EC000000014VN"), ("{service_on}", "2026-11-27"), ("{province_code}", "48"),
            ("{category_code}", "food"),
        ] {
            uri = uri.replacingOccurrences(of: name, with: value)
        }
        while let start = uri.firstIndex(of: "{"), let end = uri[start...].firstIndex(of: "}") {
            uri.replaceSubrange(start...end, with: UUID().uuidString.lowercased())
        }
        switch op.id {
        case "listSchedules": uri += "?service_on=2026-11-27"
        case "getReconciliation": uri += "?from=2026-11-01T00:00:00Z&to=2026-11-30T00:00:00Z"
        default: break
        }
        return uri
    }

    @Test func everyOperationOfTheDocumentIsInTheMatrix() throws {
        let ids = Set(try Self.operations().map(\.id))
        #expect(ids.count >= 90)
        let missing = ids.subtracting(Self.matrix.keys).sorted()
        let stale = Set(Self.matrix.keys).subtracting(ids).sorted()
        #expect(missing.isEmpty, "operations with no row in the authorization matrix: \(missing)")
        #expect(stale.isEmpty, "matrix rows for operations the document no longer has: \(stale)")
    }

    /// Anonymous callers: 401 wherever a sign-in is needed, and never where it is not.
    @Test func anonymousCallersAreAskedToSignInExactlyWhereTheMatrixSays() async throws {
        try await withTestApp { api in
            for op in try Self.operations() {
                guard let access = Self.matrix[op.id], access != .signature else { continue }
                let reply = try await api.request(
                    op.method, Self.uri(op), json: op.hasBody ? [:] as [String: Any] : nil)
                if access == .anyone {
                    #expect(reply.status != .unauthorized, "\(op.id) is public but answered 401")
                } else {
                    #expect(reply.status == .unauthorized, "\(op.id) answered \(reply.status) without a sign-in")
                }
                // Readiness answers 503 by design when `SELECT 1` takes over 2 s, which a loaded test
                // machine can cause; ReadinessTests covers it.
                if op.id != "getReadiness" { #expect(reply.status.code < 500, "\(op.id) answered \(reply.status)") }
            }
        }
    }

    /// Signed-in callers of every role on every operation that needs no resource id or body: the
    /// roles the matrix allows get an answer (2xx), the others 403.
    @Test func everyRoleGetsExactlyWhatTheMatrixAllowsOnRoleWideOperations() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let courier = try await CatalogWorld.staff(
                api, admin: world.admin, role: "courier", postOffice: world.officeA)
            // Each caller with the roles it holds (a producer registered as a buyer first).
            let tokens: [(Set<Role>, String)] = [
                ([.buyer], try await api.buyerToken()), ([.buyer, .producer], world.producer), ([.courier], courier),
                ([.clerk], world.clerkA), ([.finance], try await world.financeToken()),
                ([.admin], world.admin),
            ]
            var checked = 0
            for op in try Self.operations() where !op.hasBody && !op.path.contains("{") && op.method == .get {
                guard case .roles(let allowed) = Self.matrix[op.id] else { continue }
                for (roles, token) in tokens {
                    let reply = try await api.request(op.method, Self.uri(op), token: token)
                    if roles.contains(.admin) || !roles.isDisjoint(with: allowed) {
                        #expect((200..<300).contains(reply.status.code), "\(op.id) as \(roles): \(reply.status)")
                    } else {
                        #expect(reply.status == .forbidden, "\(op.id) as \(roles): \(reply.status), expected 403")
                    }
                    checked += 1
                }
            }
            #expect(checked >= 50)
        }
    }
}
