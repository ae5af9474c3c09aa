import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logistics

/// A shop's money and people: the remittances paid to it (each line and the parcels it paid for), and
/// its members (invite by email, remove). Both through the domain's services and scopes.
extension ShopSite {
    func sellerRemittances(
        _ visitor: ShopVisitor, supplier text: String?, result: String?, form: FormBody? = nil, problem: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (session, view) = try await sellerShop(visitor, text)
        let lines = try await services.remittances.lines(of: view.supplier.scope, caller: session.caller)
        let payout: String
        var current: (bin: String, account: String, name: String) = ("", "", "")
        switch view.supplier.payout {
        case .bankTransfer(let bin, let account, let name):
            payout = "Chuyển khoản vào tài khoản \(account) (\(view.supplier.bankName ?? bin)), chủ tài khoản \(name)"
            current = (bin, account, name)
        case .counterCash:
            payout = "Nhận tiền mặt tại quầy bưu cục"
        }
        let chosenBIN = form?["ngan-hang"] ?? current.bin
        let byBank = form.map { $0["cach"] != "counter_cash" } ?? (view.supplier.payout != .counterCash)
        var values: [String: Any] = [
            "shop": view.supplier.name, "base": "/gian-hang/\(view.supplier.id.uuidString.lowercased())",
            "payout": payout, "hasLines": !lines.isEmpty, "csrf": visitor.csrf,
            "byBank": byBank, "byCounter": !byBank,
            "accountNo": form?["so-tai-khoan"] ?? current.account,
            "accountName": form?["chu-tai-khoan"] ?? current.name,
            "banks": try await services.reference.banks().map { bank -> [String: Any] in
                ["bin": bank.bin, "name": "\(bank.shortName) · \(bank.name)", "selected": bank.bin == chosenBIN]
            },
            "lines": lines.map { line -> [String: Any] in
                [
                    "batch": line.batchNumber, "date": VietnameseFormat.date(line.createdAt),
                    "amount": VietnameseFormat.money(line.amountVND), "status": Self.remittanceStatus(line.status),
                    "reference": line.bankReference ?? "", "hasReference": line.bankReference != nil,
                    "parcelCount": line.parcels.count,
                    "parcels": line.parcels.map { parcel -> [String: Any] in
                        ["tracking": parcel.trackingNo ?? "—", "net": VietnameseFormat.money(parcel.netVND)]
                    },
                ]
            },
        ]
        if let problem { values["problem"] = problem }
        if result == "tai-khoan" {
            values["notice"] = "Đã đổi cách nhận tiền. Các đợt chi trả từ nay dùng thông tin mới."
        }
        return render("seller-remittances", visitor, values, status: status)
    }

    /// New payout details. The account holder's name is put the way banks hold it (capitals without
    /// diacritics) rather than refused: "Nguyễn Văn Ba" is "NGUYEN VAN BA" at every Vietnamese bank.
    func sellerSetPayout(_ visitor: inout ShopVisitor, supplier text: String?, _ fields: FormBody) async throws
        -> Response
    {
        let (session, view) = try await sellerShop(visitor, text)
        do {
            var v = Validator()
            let byCounter = fields["cach"] == "counter_cash"
            let name = (fields["chu-tai-khoan"] ?? "").trimmingCharacters(in: .whitespaces)
            let payout = PayoutRules.validate(
                method: byCounter ? "counter_cash" : "bank_transfer",
                bankBIN: byCounter ? nil : fields["ngan-hang"] ?? "",
                accountNo: byCounter ? nil : (fields["so-tai-khoan"] ?? "").filter { !$0.isWhitespace },
                accountName: byCounter ? nil : PayoutRules.bankAccountName(name), prefix: "", into: &v)
            try v.done()
            guard let payout else { throw DomainError.invalid("method", "must be bank_transfer or counter_cash") }
            _ = try await services.suppliers.setPayout(view.supplier.id, payout, caller: session.caller)
        } catch let error as DomainError {
            return try await sellerRemittances(
                visitor, supplier: text, result: nil, form: fields, problem: Self.sellerProblem(error),
                status: Self.status(error))
        }
        return PageResponse.redirect(
            to: "/gian-hang/\(view.supplier.id.uuidString.lowercased())/chi-tra?ket-qua=tai-khoan")
    }

    func sellerMembers(_ visitor: ShopVisitor, supplier text: String?, result: String?) async throws -> Response {
        let (session, view) = try await sellerShop(visitor, text)
        let members = try await services.suppliers.members(of: view.supplier.id, caller: session.caller)
        let invitations = try await services.suppliers.invitations(of: view.supplier.id, caller: session.caller)
            .filter { $0.status == .pending }
        let base = "/gian-hang/\(view.supplier.id.uuidString.lowercased())"
        var values: [String: Any] = [
            "shop": view.supplier.name, "base": base, "csrf": visitor.csrf,
            "members": members.map { member -> [String: Any] in
                [
                    "id": member.userID.uuidString.lowercased(), "name": member.displayName, "email": member.email,
                    "since": VietnameseFormat.date(member.grantedAt), "isMe": member.userID == session.principal.userID,
                    "canRemove": members.count > 1,
                ]
            },
            "invitations": invitations.map { invitation -> [String: Any] in
                [
                    "id": invitation.id.uuidString.lowercased(), "email": invitation.email,
                    "sent": VietnameseFormat.date(invitation.createdAt),
                ]
            },
            "hasInvitations": !invitations.isEmpty,
        ]
        switch result {
        case "moi": values["notice"] = "Đã gửi lời mời. Người được mời đăng nhập bằng email đó để nhận lời."
        case "bo": values["notice"] = "Đã bỏ thành viên khỏi gian hàng."
        case "thu-hoi": values["notice"] = "Đã thu hồi lời mời."
        default: break
        }
        return render("seller-members", visitor, values)
    }

    func sellerInvite(_ visitor: inout ShopVisitor, supplier text: String?, _ fields: FormBody) async throws
        -> Response
    {
        let (session, view) = try await sellerShop(visitor, text)
        let email = (fields["email"] ?? "").trimmingCharacters(in: .whitespaces)
        _ = try await services.suppliers.invite(email, to: view.supplier.id, caller: session.caller)
        return PageResponse.redirect(
            to: "/gian-hang/\(view.supplier.id.uuidString.lowercased())/thanh-vien?ket-qua=moi")
    }

    func sellerRemoveMember(_ visitor: inout ShopVisitor, supplier text: String?, _ fields: FormBody) async throws
        -> Response
    {
        let (session, view) = try await sellerShop(visitor, text)
        let base = "/gian-hang/\(view.supplier.id.uuidString.lowercased())/thanh-vien"
        if let member = fields["thanh-vien"].flatMap(UUID.init(uuidString:)) {
            try await services.suppliers.removeMember(member, from: view.supplier.id, caller: session.caller)
            return PageResponse.redirect(to: base + "?ket-qua=bo")
        }
        guard let invitation = fields["loi-moi"].flatMap(UUID.init(uuidString:)) else {
            throw DomainError.notFound("No such member.")
        }
        try await services.suppliers.revokeInvitation(invitation, of: view.supplier.id, caller: session.caller)
        return PageResponse.redirect(to: base + "?ket-qua=thu-hoi")
    }

    static func remittanceStatus(_ status: String) -> String {
        switch status {
        case "paid": "đã chi trả"
        case "failed": "chi trả không thành công, bưu điện sẽ chi lại"
        default: "đang chi trả"
        }
    }
}
