import Foundation
import Testing

@testable import MarketAPI

@Suite("Suppliers apply, are approved, suspended and reinstated by their post office's clerks")
struct SupplierTests {
    @Test func lifecycleAndScopes() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let applicant = try await api.buyerToken()
            let id = try await world.applySupplier(applicant, name: "HTX Quế Trà My", commune: CatalogWorld.communeA2)

            // Pending: invisible to the public, visible to its producer with payout details.
            try await world.expect(.get, "/v1/suppliers/\(id)", nil, status: .notFound)
            let own = try await world.expect(.get, "/v1/suppliers/\(id)", applicant, status: .ok)
            #expect(own.json["status"] as? String == "pending")
            #expect((own.json["payout"] as? [String: Any])?["bank_name"] as? String == "Vietcombank")

            // Only a clerk of the post office serving the commune approves: another office's clerk gets 404,
            // a buyer 403, the producer itself 403.
            try await world.expect(.post, "/v1/suppliers/\(id)/approve", world.clerkB, status: .notFound)
            try await world.expect(.post, "/v1/suppliers/\(id)/approve", try await api.buyerToken(), status: .forbidden)
            try await world.expect(.post, "/v1/suppliers/\(id)/approve", applicant, status: .forbidden)
            let pending = try await world.expect(.get, "/v1/suppliers?status=pending", world.clerkA, status: .ok)
            #expect((pending.json["items"] as? [[String: Any]] ?? []).contains { $0["id"] as? String == id })
            let approved = try await world.expect(.post, "/v1/suppliers/\(id)/approve", world.clerkA, status: .ok)
            #expect(approved.json["status"] as? String == "active")

            // Public view: no contact or payout.
            let publicView = try await world.expect(.get, "/v1/suppliers/\(id)", nil, status: .ok)
            #expect(publicView.json["payout"] == nil && publicView.json["phone"] == nil)

            // Illegal transitions are 409 with the current state; suspend needs a reason.
            let again = try await world.expect(.post, "/v1/suppliers/\(id)/approve", world.clerkA, status: .conflict)
            #expect(again.json["current_state"] as? String == "active")
            let noReason = try await api.request(.post, "/v1/suppliers/\(id)/suspend", token: world.clerkA, json: [:])
            #expect(noReason.status == .unprocessableContent)
            let suspended = try await world.expect(
                .post, "/v1/suppliers/\(id)/suspend", world.clerkA, json: ["reason": "Hàng không đúng mô tả"],
                status: .ok)
            #expect(suspended.json["status"] as? String == "suspended")
            #expect(suspended.json["status_reason"] as? String == "Hàng không đúng mô tả")
            try await world.expect(.get, "/v1/suppliers/\(id)", nil, status: .notFound)
            try await world.expect(
                .post, "/v1/suppliers/\(id)/reinstate", world.clerkA, json: ["reason": "Đã khắc phục"], status: .ok)

            // Every change is in the audit trail with who made it.
            let audit = try await world.expect(
                .get, "/v1/audit-events?entity_type=supplier&entity_id=\(id)", world.admin, status: .ok)
            let actions = (audit.json["items"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(
                Set(actions).isSuperset(of: [
                    "supplier.applied", "supplier.approve", "supplier.suspend", "supplier.reinstate",
                ]))
        }
    }

    @Test func payoutDetailsAreValidated() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let uri = "/v1/suppliers/\(world.supplier)/payout"
            let unknownBank = try await api.request(
                .put, uri, token: world.producer,
                json: [
                    "method": "bank_transfer", "bank_bin": "123456", "account_no": "0123456789", "account_name": "A B",
                ])
            #expect(unknownBank.status == .unprocessableContent)
            #expect(unknownBank.errorFields == ["bank_bin"])
            let diacritics = try await api.request(
                .put, uri, token: world.producer,
                json: [
                    "method": "bank_transfer", "bank_bin": "970405", "account_no": "0123456789",
                    "account_name": "Nguyễn Văn Đức",
                ])
            #expect(diacritics.status == .unprocessableContent)
            #expect(diacritics.text.contains("NGUYEN VAN DUC"))
            let letters = try await api.request(
                .put, uri, token: world.producer,
                json: [
                    "method": "bank_transfer", "bank_bin": "970405", "account_no": "01234A6789", "account_name": "AB",
                ])
            #expect(letters.errorFields == ["account_no"])
            let mixed = try await api.request(
                .put, uri, token: world.producer, json: ["method": "counter_cash", "bank_bin": "970405"])
            #expect(mixed.errorFields == ["bank_bin"])
            let cash = try await world.expect(.put, uri, world.producer, json: ["method": "counter_cash"], status: .ok)
            #expect((cash.json["payout"] as? [String: Any])?["method"] as? String == "counter_cash")
            // Another supplier's producer cannot see that this one exists.
            let other = try await api.buyerToken()
            _ = try await world.applySupplier(other, name: "Hộ kinh doanh Mật ong")
            try await world.expect(.put, uri, other, json: ["method": "counter_cash"], status: .notFound)
        }
    }

    @Test func badApplicationsNameEveryField() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let token = try await api.buyerToken()
            let reply = try await api.request(
                .post, "/v1/suppliers", token: token,
                json: [
                    "name": "  ", "kind": "cooperative", "phone": "0905123456", "tax_code": "12345",
                    "pickup_address": [
                        "province_code": "01", "commune_code": CatalogWorld.communeA, "address_line": "x",
                    ],
                ])
            #expect(reply.status == .unprocessableContent)
            #expect(Set(reply.errorFields) == ["name", "tax_code"])
            let wrongProvince = try await api.request(
                .post, "/v1/suppliers", token: token,
                json: [
                    "name": "HTX", "kind": "household", "phone": "0905123456",
                    "pickup_address": [
                        "province_code": "01", "commune_code": CatalogWorld.communeA, "address_line": "x",
                    ],
                ])
            #expect(wrongProvince.errorFields == ["pickup_address.commune_code"])
            // Post-office points of sale are opened by staff only.
            let point = try await api.request(
                .post, "/v1/suppliers", token: token,
                json: [
                    "name": "Điểm BĐVHX", "kind": "post_office_point", "phone": "0905123456",
                    "pickup_address": [
                        "province_code": "48", "commune_code": CatalogWorld.communeA, "address_line": "x",
                    ],
                ])
            #expect(point.status == .forbidden)
            // Nothing was written by the failed attempts.
            let rows = try await api.db.query("SELECT count(*) FROM suppliers WHERE kind <> 'cooperative'")
            for try await count in rows.decode(Int.self) { #expect(count == 0) }
            _ = world
        }
    }

    @Test func membersAreManagedByProducers() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let uri = "/v1/suppliers/\(world.supplier)/members"
            let email = "member-\(UUID().uuidString.prefix(6))@example.vn"
            try await api.register(
                email: email, password: "correct-horse-battery", displayName: "B", phone: "0905123456")
            let invited = try await world.expect(.post, uri, world.producer, json: ["email": email], status: .created)
            let invitation = try #require(invited.json["id"] as? String)
            #expect(invited.json["status"] as? String == "pending")
            // Nobody is a member before accepting.
            #expect((try await world.expect(.get, uri, world.clerkA, status: .ok).json["items"] as? [Any])?.count == 1)
            let member = try await api.login(email, "correct-horse-battery")
            let mine = try await world.expect(.get, "/v1/me/invitations", member, status: .ok)
            #expect((mine.json["items"] as? [[String: Any]])?.first?["id"] as? String == invitation)
            // Only the invitee answers it.
            try await world.expect(
                .post, "/v1/invitations/\(invitation)/accept", try await api.buyerToken(), status: .notFound)
            let accepted = try await world.expect(.post, "/v1/invitations/\(invitation)/accept", member, status: .ok)
            #expect(accepted.json["status"] as? String == "accepted")
            try await world.expect(.post, "/v1/invitations/\(invitation)/accept", member, status: .notFound)
            try await world.expect(.post, uri, world.producer, json: ["email": email], status: .conflict)
            let list = try await world.expect(.get, uri, world.clerkA, status: .ok)
            let items = list.json["items"] as? [[String: Any]] ?? []
            #expect(items.count == 2)
            let newUser = try #require(
                items.first { ($0["email"] as? String)?.lowercased() == email.lowercased() }?["user_id"] as? String)
            try await world.expect(
                .patch, "/v1/suppliers/\(world.supplier)", member, json: ["description": "Làng nghề"], status: .ok)
            try await world.expect(.delete, "\(uri)/\(newUser)", world.producer, status: .noContent)
            // The last member stays.
            let me = try await world.expect(.get, "/v1/me", world.producer, status: .ok)
            let myID = try #require(me.json["id"] as? String)
            try await world.expect(.delete, "\(uri)/\(myID)", world.producer, status: .conflict)
            try await world.expect(.get, uri, try await api.buyerToken(), status: .forbidden)
        }
    }
}

@Suite("Nulls, sign-in before validation, explicit null cursors")
struct RequestConventionTests {
    @Test func nullsAreRefusedAfterSignIn() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let patch = try await api.request(
                .patch, "/v1/suppliers/\(world.supplier)", token: world.producer,
                json: ["pickup_address": NSNull(), "name": "HTX"])
            #expect(patch.status == .unprocessableContent)
            #expect(patch.errorFields == ["pickup_address"])
            let nested = try await api.request(
                .post, "/v1/suppliers/\(world.supplier)/products", token: world.producer,
                json: [
                    "title": "A", "category_code": "honey", "origin_province_code": "48",
                    "variants": [
                        ["sku": "A", "name": "A", "price_vnd": 1, "weight_grams": 1, "stock_on_hand": NSNull()]
                    ],
                ])
            #expect(nested.errorFields == ["variants[0].stock_on_hand"])
            // Without a token the answer is 401 whatever the body holds.
            let anonymous = try await api.request(
                .patch, "/v1/suppliers/\(world.supplier)", json: ["pickup_address": NSNull(), "tax_code": "1"])
            #expect(anonymous.status == .unauthorized)
            let register = try await api.request(
                .post, "/v1/auth/register",
                json: ["email": "n@example.vn", "password": "long-enough-1", "display_name": "N", "phone": NSNull()])
            #expect(register.errorFields == ["phone"])
        }
    }

    @Test func lastPagesSayNullExplicitly() async throws {
        try await withTestApp { api in
            for uri in ["/v1/products", "/v1/provinces", "/v1/categories", "/v1/suppliers", "/v1/banks"] {
                let reply = try await api.request(.get, uri)
                #expect(reply.status == .ok)
                #expect(reply.text.contains(#""next_cursor":null"#), "\(uri)")
                #expect(reply.json.keys.contains("next_cursor"))
                if let length = reply.headers[.contentLength] { #expect(Int(length) == reply.body.readableBytes) }
            }
        }
    }
}

/// Issue 16: a producer added an existing buyer as a member without asking, and the answer told him
/// which emails have accounts.
@Suite("Membership by invitation: the same answer for every address, nobody added without accepting")
struct InvitationTests {
    @Test func inviteesAcceptOrDeclineAndTheInviterLearnsNothing() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let uri = "/v1/suppliers/\(world.supplier)/members"
            _ = try await api.buyerToken(email: "has-account@example.vn")
            let known = try await world.expect(
                .post, uri, world.producer, json: ["email": "has-account@example.vn"], status: .created)
            let unknown = try await world.expect(
                .post, uri, world.producer, json: ["email": "no-account@example.vn"], status: .created)
            func shape(_ json: [String: Any]) -> [String] {
                json.filter { !["id", "email", "created_at", "expires_at"].contains($0.key) }
                    .map { "\($0.key)=\($0.value)" }.sorted()
            }
            #expect(shape(known.json) == shape(unknown.json))
            #expect(Set(known.json.keys) == Set(unknown.json.keys))
            // Inviting again returns the open invitation.
            let again = try await world.expect(
                .post, uri, world.producer, json: ["email": "HAS-ACCOUNT@example.vn"], status: .created)
            #expect(again.json["id"] as? String == known.json["id"] as? String)
            let grants = try await api.db.query(
                "SELECT count(*) FROM role_grants WHERE role = 'producer' AND supplier_id = \(UUID(uuidString: world.supplier))"
            ).decode(Int.self).reduce(0, +)
            #expect(grants == 1)
            // Someone who registers later with the address sees it, and may decline.
            let later = try await api.buyerToken(email: "no-account@example.vn")
            let id = try #require(unknown.json["id"] as? String)
            let declined = try await world.expect(.post, "/v1/invitations/\(id)/decline", later, status: .ok)
            #expect(declined.json["status"] as? String == "declined")
            try await world.expect(.post, "/v1/invitations/\(id)/accept", later, status: .notFound)
            // A withdrawn invitation cannot be accepted.
            let withdrawn = try #require(known.json["id"] as? String)
            try await world.expect(
                .delete, "/v1/suppliers/\(world.supplier)/invitations/\(withdrawn)", world.producer,
                status: .noContent)
            let invitee = try await api.login("has-account@example.vn", "correct-horse-battery")
            try await world.expect(.post, "/v1/invitations/\(withdrawn)/accept", invitee, status: .notFound)
            let listed = try await world.expect(
                .get, "/v1/suppliers/\(world.supplier)/invitations", world.clerkA, status: .ok)
            let statuses = (listed.json["items"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String }
            #expect(statuses.sorted() == ["declined", "revoked"])
        }
    }
}
