import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logistics

/// The admin's accounts page: who has an account, with which roles (each with its post office), found
/// by role or by the start of an email; roles granted and revoked, and an account switched off (every
/// session ends at once) or on again, through the same `AccountStore` operations as the API.
extension ConsoleSite {
    /// The roles an admin grants here, in the glossary's words. A producer's role comes with a seat in
    /// a shop (invitations and members, on the seller pages), never from this page.
    static let grantableRoles: [(Role, String)] = [
        (.clerk, "giao dịch viên"), (.courier, "bưu tá"), (.finance, "kế toán"), (.admin, "quản trị viên"),
        (.buyer, "người mua"),
    ]

    func users(_ session: WebSession, role roleText: String?, email: String?, after: String?, result: String?)
        async throws -> Response
    {
        guard session.principal.isAdmin else {
            throw DomainError.forbidden("This page is for admins.")
        }
        let role = try roleText.flatMap { text throws(DomainError) -> Role? in
            guard !text.isEmpty else { return nil }
            guard let role = Role(rawValue: text) else { throw .invalid("role", "is not a role") }
            return role
        }
        let prefix = email.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.flatMap {
            $0.isEmpty ? nil : $0
        }
        if let prefix, prefix.utf8.count > 254 { throw DomainError.invalid("email", "is too long") }
        let cursor = try after.map { text throws(DomainError) in try PageCursor.decode(text, field: "sau") }
        let page = try await services.accounts.users(limit: 50, after: cursor, role: role, emailPrefix: prefix)
        let offices = try await services.postOffices.list(provinceCode: nil)
            .sorted { VietnameseOrder.precedes($0.name, $1.name) }
        let officeNames = Dictionary(uniqueKeysWithValues: offices.map { ($0.id, $0.name) })
        let items: [[String: Any]] = page.users.map { user in
            let id = user.id.uuidString.lowercased()
            var item: [String: Any] = [
                "id": id, "name": user.displayName, "email": user.email,
                "phone": user.phone.map(VietnameseFormat.phone) ?? "—",
                "grants": user.grants.map { grant in
                    var scope = WebSession.roleNames([grant])
                    if let office = grant.postOfficeID { scope += " · " + (officeNames[office] ?? "bưu cục khác") }
                    if grant.supplierID != nil { scope += " · một gian hàng" }
                    return [
                        "label": scope,
                        "action": "/console/nguoi-dung/\(id)/vai-tro/\(grant.id.uuidString.lowercased())/thu-hoi",
                        "csrf": session.csrf,
                    ]
                },
                "active": user.isActive, "self": user.id == session.principal.userID,
                "created": VietnameseFormat.date(user.createdAt), "csrf": session.csrf,
                "roles": Self.grantableRoles.map { ["value": $0.0.rawValue, "label": $0.1] },
                "offices": offices.map { ["value": $0.id.uuidString.lowercased(), "label": $0.name] },
            ]
            if user.grants.isEmpty { item["noGrants"] = true }
            return item
        }
        var query: [String] = []
        if let role { query.append("vai-tro=\(role.rawValue)") }
        if let prefix { query.append("email=\(URLText.component(prefix))") }
        var values: [String: Any] = [
            "user": session.header, "items": items, "email": prefix ?? "", "csrf": session.csrf,
            "roles": Self.grantableRoles.map { ["value": $0.0.rawValue, "label": $0.1] },
            "offices": offices.map { ["value": $0.id.uuidString.lowercased(), "label": $0.name] },
            "filterRoles": (Self.grantableRoles + [(.producer, "người bán")]).map { option in
                var item: [String: Any] = ["value": option.0.rawValue, "label": option.1]
                if option.0 == role { item["selected"] = true }
                return item
            },
        ]
        if let next = page.next {
            values["next"] = "/console/nguoi-dung?" + (query + ["sau=\(next.encoded)"]).joined(separator: "&")
        }
        switch result {
        case "da-khoa": values["notice"] = "Đã khoá tài khoản: mọi phiên đăng nhập của người đó đã kết thúc."
        case "da-mo": values["notice"] = "Đã mở lại tài khoản. Người đó đăng nhập lại bằng mật khẩu của mình."
        case "da-cap": values["notice"] = "Đã cấp vai trò; có hiệu lực ngay ở lần bấm tiếp theo của người đó."
        case "da-thu-hoi": values["notice"] = "Đã thu hồi vai trò; có hiệu lực ngay."
        case "da-tao":
            values["notice"] =
                "Đã tạo tài khoản và gửi mã đặt mật khẩu tới email của người đó: họ đặt mật khẩu ở trang "
                + "“Quên mật khẩu” (/quen-mat-khau) rồi đăng nhập."
        default: break
        }
        return render("users", values)
    }

    func setActive(_ session: WebSession, id text: String?, active: Bool) async throws -> Response {
        guard let text, let id = UUID(uuidString: text) else { throw DomainError.notFound("No user with this id.") }
        guard session.principal.isAdmin else { throw DomainError.forbidden("This page is for admins.") }
        _ = try await services.accounts.update(
            id, UserChanges(isActive: active), actor: session.principal.userID, requestID: nil)
        return PageResponse.redirect(to: "/console/nguoi-dung?ket-qua=\(active ? "da-mo" : "da-khoa")")
    }

    /// A role for a user, with its post office where the role needs one (the store checks the scope).
    func grantRole(_ session: WebSession, id text: String?, fields: FormBody) async throws -> Response {
        guard let text, let id = UUID(uuidString: text) else { throw DomainError.notFound("No user with this id.") }
        guard session.principal.isAdmin else { throw DomainError.forbidden("This page is for admins.") }
        guard let role = Role(rawValue: fields["vai-tro"] ?? ""), Self.grantableRoles.contains(where: { $0.0 == role })
        else { throw DomainError.invalid("role", "is not a role granted here") }
        let needsOffice = role == .clerk || role == .courier
        var office: UUID?
        if needsOffice {
            guard let chosen = UUID(uuidString: fields["buu-cuc"] ?? "") else {
                throw DomainError.invalid("post_office_id", "is needed for this role")
            }
            office = chosen
        }
        _ = try await services.accounts.grant(
            GrantSpec(role: role, postOfficeID: office), to: id, actor: session.principal.userID, requestID: nil)
        return PageResponse.redirect(to: "/console/nguoi-dung?ket-qua=da-cap")
    }

    /// A staff account: the admin never chooses (or learns) its password. The account starts with a
    /// random one and the person is sent a reset code at once, to set their own on the shop's
    /// "forgotten password" page, so no password passes through a third pair of hands.
    func createAccount(_ session: WebSession, fields: FormBody) async throws -> Response {
        guard session.principal.isAdmin else { throw DomainError.forbidden("This page is for admins.") }
        guard let role = Role(rawValue: fields["vai-tro"] ?? ""), Self.grantableRoles.contains(where: { $0.0 == role })
        else { throw DomainError.invalid("role", "is not a role granted here") }
        var office: UUID?
        if role == .clerk || role == .courier {
            guard let chosen = UUID(uuidString: fields["buu-cuc"] ?? "") else {
                throw DomainError.invalid("post_office_id", "is needed for this role")
            }
            office = chosen
        }
        let email = (fields["email"] ?? "").trimmingCharacters(in: .whitespaces)
        let phone = (fields["dien-thoai"] ?? "").filter { !$0.isWhitespace && $0 != "." }
        let random = (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 36) }.joined(separator: "-")
        let account = try NewAccount.validated(
            email: email, password: random, displayName: (fields["ten"] ?? "").trimmingCharacters(in: .whitespaces),
            phone: phone.isEmpty ? nil : phone, grants: [GrantSpec(role: role, postOfficeID: office)])
        let user = try await services.accounts.create(account, actor: session.principal.userID, requestID: nil)
        try await services.accounts.requestPasswordReset(
            name: .email(user.email), rules: services.passwordReset, requestID: nil)
        return PageResponse.redirect(to: "/console/nguoi-dung?email=\(URLText.component(user.email))&ket-qua=da-tao")
    }

    func revokeRole(_ session: WebSession, id text: String?, grant grantText: String?) async throws -> Response {
        guard let text, let id = UUID(uuidString: text), let grantText, let grant = UUID(uuidString: grantText) else {
            throw DomainError.notFound("No such role grant.")
        }
        guard session.principal.isAdmin else { throw DomainError.forbidden("This page is for admins.") }
        try await services.accounts.revokeGrant(grant, of: id, actor: session.principal.userID, requestID: nil)
        return PageResponse.redirect(to: "/console/nguoi-dung?ket-qua=da-thu-hoi")
    }
}
