/// The audit trail in an admin's words: what each recorded action and kind of record is called. An
/// action missing here shows as its code, which is still exact, only less friendly.
enum AuditWords {
    static let actions: [(code: String, label: String)] = [
        ("login.failed", "Đăng nhập sai"), ("user.create", "Tạo tài khoản"), ("user.lock", "Khoá / mở tài khoản"),
        ("user.password_change", "Đổi mật khẩu"), ("password_reset.request", "Yêu cầu đặt lại mật khẩu"),
        ("password_reset.done", "Đặt lại mật khẩu"), ("password_reset.throttled", "Đặt lại mật khẩu bị chặn"),
        ("registration.request", "Đăng ký tài khoản"), ("registration.taken", "Đăng ký bằng email đã có"),
        ("registration.throttled", "Đăng ký bị chặn"), ("role.grant", "Cấp vai trò"),
        ("role.revoke", "Thu hồi vai trò"),
        ("user.notification_channels", "Đổi kênh thông báo"), ("supplier.applied", "Đăng ký bán hàng"),
        ("supplier.updated", "Sửa thông tin người bán"), ("supplier.payout_changed", "Đổi tài khoản nhận tiền"),
        ("supplier.member_invited", "Mời thành viên gian hàng"),
        ("supplier.member_removed", "Bớt thành viên gian hàng"),
        ("supplier.invitation_revoked", "Huỷ lời mời"), ("product.created", "Tạo sản phẩm"),
        ("product.updated", "Sửa sản phẩm"), ("variant.created", "Thêm phân loại"),
        ("variant.updated", "Sửa phân loại"),
        ("product.submit", "Gửi duyệt sản phẩm"), ("product.approve", "Duyệt sản phẩm"),
        ("product.reject", "Từ chối sản phẩm"), ("product.archive", "Ngừng bán sản phẩm"),
        ("supplier.approve", "Duyệt người bán"), ("supplier.suspend", "Tạm ngừng người bán"),
        ("supplier.reinstate", "Cho người bán hoạt động lại"), ("package.pay", "Kiện đã thanh toán"),
        ("package.accept", "Người bán xác nhận kiện"), ("package.reject", "Người bán từ chối kiện"),
        ("package.ready", "Kiện chờ lấy hàng"), ("package.cancel", "Huỷ kiện"),
        ("package.expire", "Kiện quá hạn thanh toán"),
        ("stock.adjusted", "Điều chỉnh tồn kho"), ("ocop.recorded", "Ghi chứng nhận OCOP"),
        ("ocop.verified", "Xác nhận chứng nhận OCOP"), ("ocop.rejected", "Từ chối chứng nhận OCOP"),
        ("commission.set", "Đặt phí hoa hồng"), ("order.cancel", "Huỷ đơn hàng"),
        ("package.cancel_unaccepted", "Huỷ kiện chưa xác nhận"),
        ("order.delivery_code_renewed", "Gia hạn mã nhận hàng"),
        ("order.delivery_code_reissued", "Gửi mã nhận hàng mới"),
        ("parcel.delivery_code_failed", "Nhập sai mã nhận hàng"), ("schedule.plan", "Lập chuyến"),
        ("cod.handover", "Nộp tiền thu hộ"), ("cod.discrepancy.resolve", "Xử lý chênh lệch"),
        ("remittance.run", "Lập đợt chi trả"), ("bank_statement.import", "Nhập sao kê ngân hàng"),
        ("receipt.applied", "Áp tiền chuyển khoản vào đơn"), ("receipt.refund_owed", "Hoàn tiền chuyển khoản"),
        ("receipt.refund_paid", "Đã hoàn tiền chuyển khoản"), ("refund.paid", "Đã hoàn tiền"),
        ("post_office.create", "Tạo bưu cục"), ("post_office.update", "Sửa bưu cục"),
        ("post_office.communes", "Đổi xã bưu cục phục vụ"), ("tariff.created", "Tạo bảng cước mới"),
        ("webhook_endpoint.disable", "Tắt webhook"), ("demo.seed", "Nạp dữ liệu mẫu"),
    ]

    static let entityTypes: [(code: String, label: String)] = [
        ("user", "Tài khoản"), ("sign_in_name", "Tên đăng nhập"), ("supplier", "Người bán"), ("product", "Sản phẩm"),
        ("variant", "Phân loại"), ("order", "Đơn hàng"), ("package", "Kiện hàng"), ("schedule", "Chuyến"),
        ("courier", "Bưu tá"), ("cod_handover", "Nộp tiền thu hộ"), ("cod_discrepancy", "Chênh lệch"),
        ("remittance_batch", "Đợt chi trả"), ("remittance_line", "Dòng chi trả"), ("bank_statement", "Sao kê"),
        ("payment_notification", "Báo có ngân hàng"), ("post_office", "Bưu cục"), ("shipping_tariff", "Bảng cước"),
        ("webhook_endpoint", "Webhook"), ("catalog", "Danh mục"),
    ]

    static let actionLabels = Dictionary(uniqueKeysWithValues: actions.map { ($0.code, $0.label) })
    static let entityLabels = Dictionary(uniqueKeysWithValues: entityTypes.map { ($0.code, $0.label) })
}
