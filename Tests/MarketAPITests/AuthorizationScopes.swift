/// Who may act on one resource, as data (SPEC §1): for each operation that names a resource or takes
/// a body, the status each caller class gets on a resource of supplier S, post office A and the
/// first buyer (see `ScopeWorld`). A missing role is 403; a role held for another supplier, post
/// office or buyer is 404 wherever the answer would tell that the resource exists. "2xx" is any
/// success (planning answers 201 the first time and 200 after).
///
/// Operations left out must be listed in `roleWide`, and may only be public, signed by the bank, or
/// free of resource ids and bodies (AuthorizationMatrixTests covers those for every role).
enum AuthorizationScopes {
    static let rows: [String] = [
        // operation               buyer buyer' prod prod' cour cour' clerk clerk' fin  admin
        // Accounts
        "createUser                403   403    403  403   403  403   403   403    403  201",
        "getUser                   403   403    403  403   403  403   403   403    403  200",
        "grantRole                 403   403    403  403   403  403   403   403    403  201",
        "revokeRole                403   403    403  403   403  403   403   403    403  204",
        "updateUser                403   403    403  403   403  403   403   403    403  200",
        // A parcel delivered by office A: its clerks (never told the code) and the admins.
        "reissueDeliveryCode       403   403    403  403   403  403   204   404    403  204",
        // The current password is the buyers' and producers' (their accounts were registered with it),
        // not the staff's: every signed-in caller may try, and only with the right one succeeds.
        "changePassword            204   204    204  204   422  422   422   422    422  422",
        "setNotificationPreferences 200  200    200  200   200  200   200   200    200  200",
        // A notification of the first buyer's: nobody else's to read, not even an admin's.
        "markNotificationRead      200   404    404  404   404  404   404   404    404  404",
        // Webhook endpoints of S: its producers' and the admins'.
        "createWebhookEndpoint     403   403    201  403   403  403   403   403    403  201",
        "getWebhookEndpoint        403   403    200  404   403  403   403   403    403  200",
        "updateWebhookEndpoint     403   403    200  404   403  403   403   403    403  200",
        "deleteWebhookEndpoint     403   403    204  404   403  403   403   403    403  204",
        "rotateWebhookSecret       403   403    200  404   403  403   403   403    403  200",
        "listWebhookDeliveries     403   403    200  404   403  403   403   403    403  200",
        "replayWebhookDelivery     403   403    200  404   403  403   403   403    403  200",
        // Suppliers (S, served by office A; a pending one for getSupplier and approve)
        "applySupplier             201   201    201  201   201  201   201   201    201  201",
        "getSupplier               404   404    200  404   404  404   200   404    404  200",
        "updateSupplier            403   403    200  404   403  403   403   403    403  200",
        "setSupplierPayout         403   403    200  404   403  403   403   403    403  200",
        "approveSupplier           403   403    403  403   403  403   200   404    403  200",
        "suspendSupplier           403   403    403  403   403  403   200   404    403  200",
        "reinstateSupplier         403   403    403  403   403  403   200   404    403  200",
        "listSupplierMembers       403   403    200  404   403  403   200   404    403  200",
        "addSupplierMember         403   403    201  404   403  403   403   403    403  201",
        "removeSupplierMember      403   403    204  404   403  403   403   403    403  204",
        "listSupplierInvitations   403   403    200  404   403  403   200   404    403  200",
        "revokeSupplierInvitation  403   403    204  404   403  403   403   403    403  204",
        // An invitation to the first buyer's address: only that buyer answers it; to all others it is
        // not there.
        "acceptInvitation          200   404    404  404   404  404   404   404    404  404",
        "declineInvitation         200   404    404  404   404  404   404   404    404  404",
        "listSupplierProducts      403   403    200  404   403  403   200   404    403  200",
        "createProduct             403   403    201  404   403  403   403   403    403  201",
        "addProductPhoto           403   403    201  404   403  403   403   403    403  201",
        "listSupplierPackages      403   403    200  404   403  403   200   404    403  200",
        "listSupplierRemittances   403   403    200  404   403  403   403   403    200  200",
        // Products of S (a draft for getProduct: only S and its office see it)
        "getProduct                404   404    200  404   404  404   200   404    404  200",
        "updateProduct             403   403    200  404   403  403   403   403    403  200",
        "submitProduct             403   403    200  404   403  403   403   403    403  200",
        "approveProduct            403   403    403  403   403  403   200   404    403  200",
        "rejectProduct             403   403    403  403   403  403   200   404    403  200",
        "archiveProduct            403   403    200  404   403  403   200   404    403  200",
        "addVariant                403   403    201  404   403  403   403   403    403  201",
        "updateVariant             403   403    200  404   403  403   403   403    403  200",
        "listStockAdjustments      403   403    200  404   403  403   200   404    403  200",
        "adjustStock               403   403    201  404   403  403   403   403    403  201",
        "listOcopCertifications    403   403    200  404   403  403   200   404    403  200",
        "recordOcopCertification   403   403    201  404   403  403   403   403    403  201",
        "verifyOcopCertification   403   403    403  403   403  403   200   404    403  200",
        "rejectOcopCertification   403   403    403  403   403  403   200   404    403  200",
        "createShippingTariff      403   403    403  403   403  403   403   403    403  201",
        // Orders of the first buyer (producers registered as buyers first, so they may order too)
        "listOrders                200   200    200  200   200  200   200   200    200  200",
        "placeOrder                201   201    201  201   403  403   403   403    403  201",
        "getOrder                  200   404    404  404   404  404   404   404    404  200",
        "cancelOrder               200   404    404  404   404  404   404   404    404  200",
        "renewDeliveryCode         200   404    404  404   404  404   404   404    404  200",
        "acceptPackage             403   403    200  404   403  403   403   403    403  200",
        "rejectPackage             403   403    200  404   403  403   403   403    403  200",
        // The order's buyer and the seller reach the state check (a package not yet shipped: 409).
        "instructDelivery          409   404    409  404   403  403   403   403    403  409",
        "markPackageReady          403   403    200  404   403  403   403   403    403  200",
        // Complaints about a delivered package of S, delivered by office A: the buyer files; the seller's
        // producers answer; a clerk of A decides a dispute; the couriers of A, finance and the parties read it.
        "openComplaint             201   404    404  404   403  403   403   403    403  201",
        "getComplaint              200   404    200  404   200  404   200   404    200  200",
        "acceptComplaint           403   403    200  404   403  403   403   403    403  200",
        "disputeComplaint          403   403    200  404   403  403   403   403    403  200",
        "decideComplaint           403   403    403  403   403  403   200   404    403  200",
        // Post office A and its couriers
        "listPostOfficePackages    403   403    403  403   403  403   200   404    403  200",
        "createPostOffice          403   403    403  403   403  403   403   403    403  201",
        "updatePostOffice          403   403    403  403   403  403   403   403    403  200",
        "setPostOfficeCommunes     403   403    403  403   403  403   403   403    403  200",
        "listCouriers              403   403    403  403   200  404   200   404    403  200",
        "addCourier                403   403    403  403   403  403   201   404    403  201",
        "getCourier                403   403    403  403   200  404   200   404    403  200",
        "updateCourier             403   403    403  403   403  403   200   404    403  200",
        "planPickups               403   403    403  403   403  403   2xx   404    403  2xx",
        "planDeliveries            403   403    403  403   403  403   2xx   404    403  2xx",
        "listSchedules             403   403    403  403   403  403   200   404    403  200",
        "getManifest               403   403    403  403   200  404   200   404    403  200",
        // Tracking numbers are public (GET /v1/track), so another office's staff may be told 403.
        "recordScan                403   403    403  403   201  403   201   403    403  201",
        // COD money
        "recordHandover            403   403    403  403   403  403   201   404    403  201",
        "commentDiscrepancy        403   403    403  403   403  403   403   403    201  201",
        "resolveDiscrepancy        403   403    403  403   403  403   403   403    200  200",
        "runRemittance             403   403    403  403   403  403   403   403    201  201",
        "getRemittance             403   403    403  403   403  403   403   403    200  200",
        "getRemittanceBankFile     403   403    403  403   403  403   403   403    200  200",
        "getRemittanceCounterCash  403   403    403  403   403  403   403   403    200  200",
        "markRemittanceLinePaid    403   403    403  403   403  403   403   403    200  200",
        "markRemittanceLineFailed  403   403    403  403   403  403   403   403    200  200",
        "importBankStatement       403   403    403  403   403  403   403   403    201  201",
        "setCategoryCommission     403   403    403  403   403  403   403   403    200  200",
        "setSupplierCommission     403   403    403  403   403  403   403   403    200  200",
        "clearSupplierCommission   403   403    403  403   403  403   403   403    200  200",
        "markRefundPaid            403   403    403  403   403  403   403   403    200  200",
        "getPaymentReceipt         403   403    403  403   403  403   403   403    200  200",
        "applyPaymentReceipt       403   403    403  403   403  403   403   403    200  200",
        "refundPaymentReceipt      403   403    403  403   403  403   403   403    200  200",
        "markPaymentReceiptRefundPaid 403 403   403  403   403  403   403   403    200  200",
    ]

    /// Operations with no row above: public ones (scoped answers only where listed above), the
    /// bank's signed notification, and those with no resource id or body.
    static let roleWide: Set<String> = [
        "getHealth", "getReadiness", "getMetrics", "getOpenAPIDocument", "register", "login", "logout", "getMe",
        "listUsers", "listAuditEvents", "listProvinces", "listCommunes", "listCategories", "listBanks",
        "listSuppliers", "searchProducts", "listProductsForReview", "listOcopCertificationsForReview",
        "listShippingTariffs", "quoteShipping", "receivePaymentNotification", "listPostOffices", "getPostOffice",
        "trackParcel", "listDiscrepancies", "getReconciliation", "listCommissionRates", "listRefunds",
        "listAccountBalances", "listPaymentReceipts", "listMyInvitations", "requestPasswordReset",
        "confirmPasswordReset", "listMyNotifications", "markAllNotificationsRead", "getNotificationPreferences",
        "listWebhookEndpoints", "listOutboundMessages", "confirmRegistration", "listComplaints",
    ]

    /// The rows by operation: each caller's status, nil for "2xx".
    static func table() throws -> [String: [ScopeCaller: Int?]] {
        var table: [String: [ScopeCaller: Int?]] = [:]
        for row in rows {
            let cells = row.split(separator: " ").map(String.init)
            guard let operation = cells.first, cells.count == ScopeCaller.allCases.count + 1 else {
                throw TestFailure("row \"\(row)\" needs an operation and \(ScopeCaller.allCases.count) statuses")
            }
            guard table[operation] == nil else { throw TestFailure("two rows for \(operation)") }
            var statuses: [ScopeCaller: Int?] = [:]
            for (caller, cell) in zip(ScopeCaller.allCases, cells.dropFirst()) {
                if cell == "2xx" {
                    statuses[caller] = .some(nil)
                } else if let code = Int(cell), (200..<600).contains(code) {
                    statuses[caller] = code
                } else {
                    throw TestFailure("row \"\(row)\": \(cell) is not a status")
                }
            }
            table[operation] = statuses
        }
        return table
    }
}
