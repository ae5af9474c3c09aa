import Foundation
import HTTPTypes
import PostgresNIO
import Testing

@testable import MarketAPI

/// Vietnamese with diacritics, emoji, SQL and LIKE metacharacters, quotes and a backslash in every
/// free-text field of every request body (`FreeTextSchemas`): text is text. Each field is sent
/// alone in an otherwise valid request (`ScopeWorld.call`) by a caller allowed to make it.
@Suite("Free text: Vietnamese, emoji and SQL metacharacters in every free-text field")
struct FreeTextFieldTests {
    /// NFC (precomposed) on purpose: the server must hand back these exact bytes.
    static let nasty =
        "Nguy\u{1EC5}n Th\u{1ECB} \u{00C1}nh \u{2014} N\u{01B0}\u{1EDB}c m\u{1EAF}m C\u{1EED}a \u{0110}\u{1EA1}i "
        + "\u{1F33E}\u{1F41F} '; DROP TABLE users; -- \" % _ \\ ' OR '1'='1"

    enum Outcome: Equatable, CustomStringConvertible {
        /// 2xx, and the reply carries the value at the field's path, byte for byte.
        case echoed
        /// 2xx, and the reply carries the value byte for byte under another name (a reason sent
        /// with a refusal comes back as the resource's `rejection_reason`).
        case returned
        /// 2xx; the reply does not carry the value (passwords are checked by signing in with them).
        case stored
        /// Refused as expected: this status, a problem naming `field` (nil: a problem naming none).
        case refused(Int, field: String?)

        var description: String {
            switch self {
            case .echoed: "echoed"
            case .returned: "returned"
            case .stored: "stored"
            case .refused(let status, let field): "refused \(status) \(field ?? "-")"
            }
        }
    }

    /// Every free-text field of the document and what sending `nasty` in it gives.
    static let expected: [String: Outcome] = [
        // The first step answers alike for every address; the value is checked in the account the
        // emailed code then creates (below).
        "register display_name": .stored,
        "register password": .stored,
        // No account has that address or password: the answer is the usual 401, not a 5xx.
        "login email": .refused(401, field: nil),
        "login password": .refused(401, field: nil),
        // Not a phone: no account has it.
        "login phone": .refused(401, field: nil),
        "changePassword current_password": .refused(422, field: "current_password"),
        "changePassword new_password": .stored,
        // Whatever the address or phone, the answer is the same 202.
        "requestPasswordReset email": .stored,
        "requestPasswordReset phone": .stored,
        "confirmPasswordReset email": .refused(422, field: "code"),
        "confirmPasswordReset phone": .refused(422, field: "code"),
        "confirmPasswordReset new_password": .refused(422, field: "code"),
        "updateUser display_name": .echoed,
        "createWebhookEndpoint description": .echoed,
        "updateWebhookEndpoint description": .echoed,
        "createUser display_name": .echoed,
        "createUser password": .stored,
        "applySupplier name": .echoed,
        "applySupplier description": .echoed,
        "applySupplier pickup_address.address_line": .echoed,
        "updateSupplier name": .echoed,
        "updateSupplier description": .echoed,
        "updateSupplier pickup_address.address_line": .echoed,
        "suspendSupplier reason": .returned,
        "reinstateSupplier reason": .returned,
        "createProduct title": .echoed,
        "createProduct description": .echoed,
        "createProduct variants.[].name": .echoed,
        "updateProduct title": .echoed,
        "updateProduct description": .echoed,
        "rejectProduct reason": .returned,
        "addVariant name": .echoed,
        "updateVariant name": .echoed,
        "adjustStock reason": .echoed,
        "recordOcopCertification certificate_no": .echoed,
        "rejectOcopCertification reason": .returned,
        "createShippingTariff note": .echoed,
        "placeOrder shipping_address.recipient_name": .echoed,
        "placeOrder shipping_address.address_line": .echoed,
        "rejectPackage reason": .returned,
        // The package is not handed to the post office yet: the text is checked, then the state refuses it.
        "instructDelivery address.recipient_name": .refused(409, field: nil),
        "instructDelivery address.address_line": .refused(409, field: nil),
        "instructDelivery address.phone": .refused(422, field: "address.phone"),
        "openComplaint description": .echoed,
        // Kept as banks hold a name: capitals without diacritics, so most text is refused.
        "openComplaint refund_account.account_name": .refused(422, field: "refund_account.account_name"),
        "acceptComplaint note": .returned,
        "disputeComplaint note": .returned,
        "decideComplaint note": .returned,
        "createPostOffice name": .echoed,
        "createPostOffice address_line": .echoed,
        "updatePostOffice name": .echoed,
        "updatePostOffice address_line": .echoed,
        "recordScan reason": .stored,
        "recordScan recipient_name": .stored,
        "commentDiscrepancy body": .returned,
        "resolveDiscrepancy note": .returned,
        "markRemittanceLineFailed reason": .returned,
        "refundPaymentReceipt reason": .returned,
    ]

    /// Operations whose body is not JSON (CSV): no field of theirs is read from the document.
    static let nonJSON: Set<String> = ["importBankStatement", "addProductPhoto"]

    @Test func everyFreeTextFieldOfTheDocumentHasAnExpectation() throws {
        let (fields, nonJSON) = try FreeTextSchemas.fields()
        let keys = Set(fields.map(\.key))
        let missing = keys.subtracting(Self.expected.keys).sorted()
        #expect(missing.isEmpty, "free-text fields with no expectation in FreeTextFieldTests.expected: \(missing)")
        let stale = Set(Self.expected.keys).subtracting(keys).sorted()
        #expect(stale.isEmpty, "FreeTextFieldTests.expected names fields the document no longer has: \(stale)")
        #expect(Set(nonJSON) == Self.nonJSON, "request bodies that are not JSON: \(nonJSON.sorted())")
        // The reader must see the structured fields too, or it would find nothing and pass.
        #expect(fields.count >= 30)
        #expect(!keys.contains("register phone") && !keys.contains("createProduct category_code"))
    }

    /// `nasty`, cut to the field's maxLength (in code points, as JSON Schema counts) without a
    /// trailing space.
    static func value(for field: FreeTextSchemas.Field) -> String {
        guard let max = field.maxLength, Self.nasty.unicodeScalars.count > max else { return Self.nasty }
        var scalars = String.UnicodeScalarView(Self.nasty.unicodeScalars.prefix(max))
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }

    @Test func nastyTextInEveryFieldIsJustText() async throws {
        let (fields, _) = try FreeTextSchemas.fields()
        let table = try AuthorizationScopes.table()
        // Applying for a supplier makes the caller a producer: last, as in AuthorizationScopeTests.
        let ordered = fields.sorted {
            ($0.operation == "applySupplier" ? 1 : 0, $0.key) < ($1.operation == "applySupplier" ? 1 : 0, $1.key)
        }
        try await withTestApp { api in
            let world = try await ScopeWorld.make(api)
            var n = 1000
            for field in ordered {
                guard let want = Self.expected[field.key] else { continue }
                n += 1
                let value = Self.value(for: field)
                do {
                    let (call, token) = try await Self.request(field, value, world: world, table: table, n: n)
                    let reply = try await api.request(
                        call.method, call.uri, token: token, json: call.json, raw: call.raw, headers: call.headers)
                    let got = Self.outcome(reply, field: field, value: value)
                    #expect(
                        got == want,
                        "\(field.key): \(got), expected \(want): \(reply.status.code) \(reply.text.prefix(300))")
                    #expect(reply.status.code < 500, "\(field.key): \(reply.status.code)")
                    if field.operation == "register", got == .stored {
                        let email = try #require((call.json as? [String: Any])?["email"] as? String)
                        let code = try #require(try await api.queuedCode(to: email, template: "registration_code"))
                        let confirmed = try await api.request(
                            .post, "/v1/auth/register/confirm", json: ["email": email, "code": code])
                        #expect(confirmed.status == .created, "\(field.key): \(confirmed.text.prefix(300))")
                        if field.path == ["display_name"] {
                            let name = confirmed.json["display_name"] as? String ?? ""
                            #expect(Array(name.utf8) == Array(value.utf8), "\(field.key): stored as \(name)")
                        }
                    }
                    if field.path == ["password"], got == .stored {
                        // A password comes back only as a working sign-in, and only itself: this one is
                        // longer than the 72 bytes bcrypt reads, so the same text with one more
                        // character must not sign in (passwords are hashed over their SHA-256).
                        let email = try #require((call.json as? [String: Any])?["email"] as? String)
                        _ = try await api.login(email, value)
                        let longer = try await api.request(
                            .post, "/v1/auth/login", json: ["email": email, "password": value + "x"])
                        #expect(longer.status == .unauthorized, "\(field.key): a longer password signed in")
                    }
                    if field.operation == "recordScan", got == .stored {
                        // The scan's reply carries neither: read the event row it wrote.
                        let body = try #require(call.json as? [String: Any])
                        let event = try #require(UUID(uuidString: body["client_event_id"] as? String ?? ""))
                        let column = try #require(field.path.last)
                        var stored: [String?] = []
                        for try await text in try await api.db.query(
                            "SELECT \(unescaped: column) FROM shipment_events WHERE client_event_id = \(event)"
                        ).decode(String?.self) {
                            stored.append(text)
                        }
                        #expect(
                            stored.map { $0.map { Array($0.utf8) } } == [Array(value.utf8)],
                            "\(field.key): stored as \(stored)")
                    }
                    // A value that comes back at all must come back unchanged (no trimming or normalizing).
                    for string in Self.strings(in: reply.json) where Array(string.utf8) != Array(value.utf8) {
                        // Swift's == holds for canonically equivalent strings (NFC and NFD alike).
                        let near =
                            string == value
                            || string.trimmingCharacters(in: .whitespaces) == value.trimmingCharacters(in: .whitespaces)
                        #expect(
                            !near, "\(field.key): came back changed: \(Array(string.utf8)) for \(Array(value.utf8))")
                    }
                } catch {
                    Issue.record("\(field.key): the fixture failed: \(error)")
                }
            }

            #expect(n - 1000 == Self.expected.count, "fields sent: \(n - 1000) of \(Self.expected.count)")

            let search = try await api.request(
                .get,
                "/v1/products?q=\(Self.nasty.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
            #expect(search.status == .ok, "search: \(search.status.code) \(search.text.prefix(300))")

            for tableName in ["users", "suppliers", "products", "orders"] {
                let rows = try await api.db.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(tableName)"))
                    .decode(Int.self).reduce(0, +)
                #expect(rows > 0, "\(tableName) is empty")
            }
        }
    }

    /// The request for one field, with the caller that sends it.
    static func request(
        _ field: FreeTextSchemas.Field, _ value: String, world: ScopeWorld, table: [String: [ScopeCaller: Int?]],
        n: Int
    ) async throws -> (ScopeCall, String?) {
        let password = "correct-horse-battery"
        switch field.operation {
        case "register":
            var body: [String: Any] = [
                "email": "free-\(n)@example.vn", "password": password, "display_name": "Nguyễn Văn A",
                "phone": "0905123456",
            ]
            body = try set(body, field.path, value)
            return (ScopeCall(method: .post, uri: "/v1/auth/register", json: body), nil)
        case "login":
            let user = try await world.newUser()
            let base: [String: Any] =
                field.path == ["phone"] ? ["password": password] : ["email": user.email, "password": password]
            let body = try set(base, field.path, value)
            return (ScopeCall(method: .post, uri: "/v1/auth/login", json: body), nil)
        case "requestPasswordReset":
            return (
                ScopeCall(method: .post, uri: "/v1/auth/password-reset", json: try set([:], field.path, value)), nil
            )
        case "confirmPasswordReset":
            let user = try await world.newUser()
            var base: [String: Any] = ["code": "000000", "new_password": "reset-password-1"]
            if field.path != ["email"] && field.path != ["phone"] { base["email"] = user.email }
            let body = try set(base, field.path, value)
            return (ScopeCall(method: .post, uri: "/v1/auth/password-reset/confirm", json: body), nil)
        default:
            break
        }
        guard var call = try await world.call(field.operation, n), var body = call.json as? [String: Any] else {
            throw TestFailure("no JSON request for \(field.operation) in ScopeWorld.call")
        }
        switch field.key {
        case "updateSupplier pickup_address.address_line":
            // An address goes whole.
            body["pickup_address"] = [
                "province_code": "48", "commune_code": CatalogWorld.communeA, "address_line": "3 Cửa Đại",
            ]
        case "recordScan recipient_name":
            // A recipient is named on delivery: the parcel goes out first.
            let (order, tracking) = try await world.parcel()
            let start = Date().addingTimeInterval(-3600)
            try await world.scan(tracking, "picked_up", by: world.courier, at: start)
            try await world.scan(
                tracking, "arrived_at_hub", by: world.courier, at: start + 60,
                extra: ["post_office_id": world.office.uuidString])
            try await world.scan(tracking, "out_for_delivery", by: world.courier, at: start + 120)
            let cod = try #require((order["packages"] as? [[String: Any]])?.first?["cod_amount_vnd"] as? Int)
            call.uri = "/v1/shipments/\(tracking)/events"
            body = [
                "client_event_id": UUID().uuidString, "type": "delivered",
                "occurred_at": ISO8601DateFormatter().string(from: start + 180), "cod_collected_vnd": cod,
                "delivery_code": order["delivery_code"] as? String ?? "",
            ]
        case "instructDelivery address.recipient_name", "instructDelivery address.address_line",
            "instructDelivery address.phone":
            // The order's buyer (no caller gets a 2xx here: the parcel is not shipped yet).
            call.json = try set(
                ["action": "change_address", "address": AddressChangeTests.newAddress()], field.path, value)
            return (call, world.token(.buyer))
        case "openComplaint refund_account.account_name":
            // An account goes whole.
            body["refund_account"] = ["bank_bin": "970436", "account_no": "0071000123456", "account_name": "A"]
        case "recordScan reason":
            // A reason goes with a failed attempt: the parcel is out for delivery first.
            let (_, tracking) = try await world.parcel()
            let start = Date().addingTimeInterval(-3600)
            try await world.scan(tracking, "picked_up", by: world.courier, at: start)
            try await world.scan(
                tracking, "arrived_at_hub", by: world.courier, at: start + 60,
                extra: ["post_office_id": world.office.uuidString])
            try await world.scan(tracking, "out_for_delivery", by: world.courier, at: start + 120)
            call.uri = "/v1/shipments/\(tracking)/events"
            body = [
                "client_event_id": UUID().uuidString, "type": "delivery_failed", "reason_code": "other",
                "occurred_at": ISO8601DateFormatter().string(from: start + 180),
            ]
        default:
            break
        }
        call.json = try set(body, field.path, value)
        let row = table[field.operation] ?? [:]
        guard let caller = ScopeCaller.allCases.first(where: { AuthorizationScopeTests.allows(row[$0]) }) else {
            throw TestFailure("no caller may make \(field.operation)")
        }
        return (call, world.token(caller))
    }

    /// `body` with the string at `path` set to `value` ("[]": in every element of the array).
    static func set(_ body: [String: Any], _ path: [String], _ value: String) throws -> [String: Any] {
        guard let key = path.first else { throw TestFailure("empty path") }
        var body = body
        if path.count == 1 {
            body[key] = value
        } else if path[1] == "[]" {
            guard let items = body[key] as? [[String: Any]], !items.isEmpty else {
                throw TestFailure("no array \(key) in the fixture's body")
            }
            body[key] = try items.map { try set($0, Array(path.dropFirst(2)), value) }
        } else {
            body[key] = try set(body[key] as? [String: Any] ?? [:], Array(path.dropFirst()), value)
        }
        return body
    }

    /// The strings at `path` in a reply ("[]": every element).
    static func values(_ json: Any?, _ path: ArraySlice<String>) -> [String] {
        guard let key = path.first else { return (json as? String).map { [$0] } ?? [] }
        if key == "[]" { return (json as? [Any] ?? []).flatMap { values($0, path.dropFirst()) } }
        return values((json as? [String: Any])?[key], path.dropFirst())
    }

    static func strings(in json: Any) -> [String] {
        if let string = json as? String { return [string] }
        if let list = json as? [Any] { return list.flatMap(strings(in:)) }
        if let map = json as? [String: Any] { return map.values.flatMap(strings(in:)) }
        return []
    }

    static func outcome(_ reply: TestAPI.Reply, field: FreeTextSchemas.Field, value: String) -> Outcome {
        let code = Int(reply.status.code)
        guard (200..<300).contains(code) else {
            guard reply.contentType == "application/problem+json" else { return .refused(code, field: "not a problem") }
            let fields = reply.errorFields
            return .refused(code, field: fields.isEmpty ? nil : fields.joined(separator: ","))
        }
        let back = values(reply.json, field.path[...])
        if back.isEmpty {
            let anywhere = strings(in: reply.json).contains { Array($0.utf8) == Array(value.utf8) }
            return anywhere ? .returned : .stored
        }
        // Byte for byte: Swift's == would call NFC and NFD equal.
        return back.allSatisfy({ Array($0.utf8) == Array(value.utf8) }) ? .echoed : .refused(code, field: "changed")
    }
}
