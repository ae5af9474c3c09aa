import Foundation
import HTTPTypes
import NIOCore
import Testing

@testable import MarketAPI
@testable import MarketWeb

/// A browser for console tests: a cookie jar over the test client, and the helpers every console
/// suite signs in with.
extension ConsoleTests {
    final class Browser: @unchecked Sendable {
        var cookies: [String: String] = [:]
        let api: TestAPI

        init(_ api: TestAPI) { self.api = api }

        /// `raw`: a form body written out (a name given twice, as checkboxes send it).
        func send(
            _ method: HTTPRequest.Method, _ uri: String, form: [String: String]? = nil, raw body: String? = nil,
            accept: String? = nil
        ) async throws -> TestAPI.Reply {
            var headers = HTTPFields()
            if let accept { headers[.accept] = accept }
            if !cookies.isEmpty {
                headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")
            }
            var raw: String?
            if let form {
                headers[.contentType] = "application/x-www-form-urlencoded"
                raw = form.map { key, value in
                    "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                }.joined(separator: "&")
            }
            if let body {
                headers[.contentType] = "application/x-www-form-urlencoded"
                raw = body
            }
            let reply = try await api.request(method, uri, raw: raw, headers: headers)
            for header in reply.headers[values: .setCookie] {
                // `name=; …; Max-Age=0` clears: split keeping the empty value.
                let pair = header.split(separator: ";")[0]
                    .split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                guard pair.count == 2 else { continue }
                if header.contains("Max-Age=0") { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] }
            }
            return reply
        }

        /// A `multipart/form-data` post, as a form with a file input sends it.
        func upload(
            _ uri: String, fields: [String: String], file: (field: String, name: String, bytes: [UInt8])?
        ) async throws -> TestAPI.Reply {
            let boundary = "----cbd\(UUID().uuidString.prefix(12))"
            var body = ByteBuffer()
            for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
                body.writeString(
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
            }
            if let file {
                body.writeString(
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                body.writeBytes(file.bytes)
                body.writeString("\r\n")
            }
            body.writeString("--\(boundary)--\r\n")
            var headers = HTTPFields()
            headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
            headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")
            let response = try await api.client.execute(uri: uri, method: .post, headers: headers, body: body)
            return TestAPI.Reply(status: response.status, headers: response.headers, body: response.body)
        }

        /// Signs up in the shop as a buyer does: the details, then the code from the email.
        func register(_ api: TestAPI, name: String, email: String, password: String) async throws {
            let form = try await send(.get, "/dang-ky")
            let asked = try await send(
                .post, "/dang-ky",
                form: ["ten": name, "email": email, "password": password, "csrf": Self.csrf(form) ?? ""])
            guard asked.status == .ok,
                let code = try await api.queuedCode(to: email.lowercased(), template: "registration_code")
            else { throw TestFailure("shop registration failed: \(asked.status)") }
            let confirmed = try await send(
                .post, "/dang-ky/xac-nhan", form: ["email": email, "ma": code, "csrf": Self.csrf(asked) ?? ""])
            guard confirmed.status == .seeOther else {
                throw TestFailure("shop confirmation failed: \(confirmed.status)")
            }
        }

        /// The CSRF value of the first form on a page.
        static func csrf(_ page: TestAPI.Reply) -> String? {
            guard let range = page.text.range(of: #"name="csrf" value=""#) else { return nil }
            return String(page.text[range.upperBound...].prefix { $0 != "\"" })
        }

        /// A new staff member (`role` at `office`), signed in in a browser of their own.
        static func staff(
            _ world: CatalogWorld, role: String, office: UUID?, name: String = "Nhân viên thử"
        ) async throws -> (browser: Browser, email: String, id: String) {
            let email = "\(role)-\(UUID().uuidString.prefix(8))@example.vn"
            var grant = ["role": role]
            if let office { grant["post_office_id"] = office.uuidString }
            let created = try await world.expect(
                .post, "/v1/users", world.admin,
                json: ["email": email, "password": "staff-password-1", "display_name": name, "roles": [grant]],
                status: .created)
            let browser = Browser(world.api)
            guard try await browser.signIn(email, "staff-password-1").status == .seeOther else {
                throw TestFailure("\(email) could not sign in to the console")
            }
            return (browser, email, created.json["id"] as? String ?? "")
        }

        func signIn(_ email: String, _ password: String) async throws -> TestAPI.Reply {
            let form = try await send(.get, "/console/dang-nhap")
            return try await send(
                .post, "/console/dang-nhap",
                form: ["email": email, "password": password, "csrf": Self.csrf(form) ?? ""])
        }
    }

    static func status(_ api: TestAPI, _ product: String, _ world: CatalogWorld) async throws -> String? {
        try await world.expect(.get, "/v1/products/\(product)", world.producer, status: .ok).json["status"] as? String
    }
}
