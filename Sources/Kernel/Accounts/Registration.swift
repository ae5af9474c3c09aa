import Foundation

/// What a sign-up sends: a code to a new address, a notice to a taken one. Both answers look the same
/// to whoever asked, so registration tells nobody who has an account; only the mailbox's owner
/// learns which it was.
public enum Registration {
    /// Stored and compared as its SHA-256, tied to the request so that one code's digest says
    /// nothing about another's.
    public static func digest(code: String, requestID: UUID) -> String {
        Digest.sha256Hex("register-v1:\(requestID.uuidString.lowercased()):\(code)")
    }

    public static func codeMessage(code: String, minutes: Int) -> (subject: String, body: String) {
        (
            "Mã xác nhận đăng ký Chợ Bưu Điện",
            "Mã xác nhận đăng ký tài khoản Chợ Bưu Điện của bạn là \(code), dùng được trong \(minutes) phút. "
                + "Không đưa mã này cho bất kỳ ai, kể cả nhân viên bưu điện."
        )
    }

    /// For an address that already has an account: no code, only what to do if it was them.
    public static func takenMessage() -> (subject: String, body: String) {
        (
            "Email của bạn đã có tài khoản Chợ Bưu Điện",
            "Vừa có người dùng email này để đăng ký tài khoản Chợ Bưu Điện, nhưng email này đã có tài khoản. "
                + "Nếu đó là bạn, hãy đăng nhập, hoặc dùng \"Quên mật khẩu\" để đặt mật khẩu mới. "
                + "Nếu không phải bạn, bạn không cần làm gì."
        )
    }
}
