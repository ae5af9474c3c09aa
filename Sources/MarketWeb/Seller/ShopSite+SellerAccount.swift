import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logistics

/// A shop's money and people: the remittances paid to it (each line and the parcels it paid for), and
/// its members (invite by email, remove). Both through the domain's services and scopes.
extension ShopSite {
    func sellerRemittances(_ visitor: ShopVisitor, supplier text: String?) async throws -> Response {
        let (session, view) = try await sellerShop(visitor, text)
        let lines = try await services.remittances.lines(of: view.supplier.scope, caller: session.caller)
        let payout: String =
            switch view.supplier.payout {
            case .bankTransfer(let bin, let account, let name):
                "Chuyển khoản vào tài khoản \(account) (\(view.supplier.bankName ?? bin)), chủ tài khoản \(name)"
            case .counterCash: "Nhận tiền mặt tại quầy bưu cục"
            }
        return render(
            "seller-remittances", visitor,
            [
                "shop": view.supplier.name, "base": "/gian-hang/\(view.supplier.id.uuidString.lowercased())",
                "payout": payout, "hasLines": !lines.isEmpty,
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
            ])
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
