import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// Sessions, forms and errors: the same for every console page.
extension ConsoleSite {
    /// The signed-in staff member of this request, or nil (no cookie, or a token that is unknown,
    /// expired or revoked).
    func session(_ request: Request) async throws -> WebSession? {
        guard let token = SessionCookie.token(in: request.headers),
            let principal = try await services.accounts.principal(forToken: token)
        else { return nil }
        let user = try await services.accounts.user(id: principal.userID, knownGrants: principal.grants)
        return WebSession(principal: principal, displayName: user.displayName, token: token)
    }

    /// A page for signed-in staff: without a session, the sign-in page.
    func page(_ request: Request, _ body: (WebSession) async throws -> Response) async -> Response {
        do {
            guard let session = try await session(request) else {
                return PageResponse.redirect(to: "/console/dang-nhap")
            }
            do {
                return try await body(session)
            } catch {
                return problem(error, session: session)
            }
        } catch {
            return problem(error, session: nil)
        }
    }

    /// A form post by signed-in staff: the session first, then its CSRF token, then the work.
    func form(_ request: Request, _ body: (WebSession, FormBody) async throws -> Response) async -> Response {
        await page(request) { session in
            let fields = try await Self.fields(request)
            guard CSRF.isValid(fields[CSRF.field], forSecret: session.token.text) else {
                return message(
                    session, heading: "Biểu mẫu đã hết hạn",
                    text: "Trang này đã cũ hoặc không phải do Chợ Bưu Điện gửi. Hãy mở lại trang và làm lại.",
                    status: .forbidden)
            }
            return try await body(session, fields)
        }
    }

    static func fields(_ request: Request) async throws -> FormBody {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        return FormBody(String(buffer: buffer))
    }

    /// A domain error as a page in Vietnamese. Another office's data is "not found", exactly as the
    /// API answers 404: the page says nothing about whether it exists.
    func problem(_ error: any Error, session: WebSession?) -> Response {
        switch error {
        case DomainError.unauthenticated:
            return PageResponse.redirect(to: "/console/dang-nhap")
        case DomainError.notFound:
            return message(
                session, heading: "Không tìm thấy",
                text: "Mục này không có, hoặc không thuộc phạm vi công việc của bạn.", status: .notFound)
        case DomainError.forbidden:
            return message(
                session, heading: "Không được phép",
                text: "Tài khoản của bạn không được làm việc này (việc của chính mình do người khác duyệt).",
                status: .forbidden)
        case DomainError.validation(let fields):
            return message(
                session, heading: "Thông tin chưa đúng",
                text: "Hãy kiểm tra lại: "
                    + Self.unique(fields.map { Self.fieldName($0.field) }).joined(separator: ", ")
                    + ".",
                status: .unprocessableContent)
        case DomainError.conflict(let kind, _, _, _) where kind == "delivery-code-locked":
            return message(
                session, heading: "Mã nhận hàng bị khoá",
                text:
                    "Đã nhập sai mã 5 lần. Người mua lấy mã mới trên trang đơn hàng (hoặc nhờ giao dịch viên bưu cục gửi mã mới), rồi đọc lại cho bạn.",
                status: .conflict)
        case DomainError.conflict(let kind, _, _, _) where kind == "duplicate-code":
            return message(
                session, heading: "Mã đã có", text: "Một bưu cục khác đã dùng mã này. Hãy chọn mã khác.",
                status: .conflict)
        case DomainError.conflict(let kind, _, _, _) where kind == "tariff-exists":
            return message(
                session, heading: "Đã có bảng cước từ ngày này",
                text: "Mỗi ngày chỉ có một bảng cước bắt đầu áp dụng. Hãy chọn ngày khác.", status: .conflict)
        case DomainError.conflict(let kind, _, _, _) where kind == "email-taken" || kind == "phone-taken":
            return message(
                session, heading: "Đã có tài khoản",
                text: "Email hoặc số điện thoại này đã thuộc một tài khoản. Hãy tìm tài khoản đó và cấp thêm vai trò.",
                status: .conflict)
        case DomainError.conflict(let kind, _, _, _) where kind == "grant-exists":
            return message(
                session, heading: "Đã có vai trò này", text: "Người này đã có vai trò này ở phạm vi đó.",
                status: .conflict)
        case DomainError.conflict(let kind, _, _, _) where kind == "separation-of-duties":
            return message(
                session, heading: "Không cấp được",
                text: "Một người không thể vừa là giao dịch viên vừa là bưu tá của cùng một bưu cục.",
                status: .conflict)
        case DomainError.conflict(let kind, _, _, _)
        where kind == "not-held-by-courier" || kind == "nothing-to-hand-over":
            return message(
                session, heading: "Tiền đã được nộp",
                text:
                    "Tiền của các bưu gửi này không còn ở bưu tá (có thể vừa có người xác nhận). Hãy mở lại trang nộp tiền.",
                status: .conflict)
        case DomainError.conflict:
            return message(
                session, heading: "Không thực hiện được",
                text: "Mục này vừa thay đổi trạng thái (có thể người khác đã xử lý). Hãy mở lại danh sách.",
                status: .conflict)
        case DomainError.unprocessable, DomainError.badRequest:
            return message(
                session, heading: "Không thực hiện được",
                text: "Yêu cầu này không hợp lệ. Hãy mở lại trang và làm lại.", status: .unprocessableContent)
        case DomainError.tooManyRequests(_, let seconds):
            return message(
                session, heading: "Quá nhiều yêu cầu",
                text: "Hãy thử lại sau \(max(1, (seconds + 59) / 60)) phút.", status: .tooManyRequests)
        default:
            logger.error("console page failed", metadata: ["error": "\(String(reflecting: error))"])
            return message(
                session, heading: "Lỗi hệ thống", text: "Đã có lỗi. Hãy thử lại sau ít phút.",
                status: .internalServerError)
        }
    }

    static func unique(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }

    static func fieldName(_ field: String) -> String {
        switch field {
        case "reason": "lý do"
        case "reason_code": "lý do giao không thành công"
        case "delivery_code": "mã nhận hàng"
        case "recipient_name": "tên người nhận"
        case "cod_collected_vnd": "tiền thu hộ"
        case "occurred_at": "thời điểm quét"
        case "email": "email"
        case "password": "mật khẩu"
        case "from": "từ ngày"
        case "to": "đến ngày (không trước từ ngày, kỳ tối đa một năm)"
        case "group_by": "cách nhóm"
        case "phone": "điện thoại"
        case "lat": "vĩ độ"
        case "lon": "kinh độ"
        case "code": "mã"
        case "name": "tên"
        case "address_line": "địa chỉ"
        case "province_code": "tỉnh"
        case "commune_code": "xã"
        case "max_stops": "số điểm tối đa"
        case "max_grams": "khối lượng tối đa"
        case "counted_vnd": "số tiền đếm được"
        case "service_on": "ngày"
        case "shift": "ca, loại chuyến"
        case "effective_from": "ngày áp dụng (hôm nay hoặc sau)"
        case "cod_fee_bps", "cod_fee_min_vnd": "phí thu hộ"
        case "first_grams", "step_grams": "khối lượng nấc"
        case "first_fee_vnd", "step_fee_vnd": "giá nấc"
        case "note": "ghi chú"
        case "role": "vai trò"
        case "post_office_id": "bưu cục"
        case "entity_type": "loại"
        case "entity_id": "mã"
        case "action": "việc"
        case "resolution": "cách xử lý"
        case _ where field.hasPrefix("communes"): "xã phục vụ"
        case _ where field.hasPrefix("rates"): "giá theo vùng"
        case _ where field.hasPrefix("tracking_numbers"): "mã vận đơn"
        default: field
        }
    }
}
