import Logistics
import Orders

/// The shop's words for states and fields (GLOSSARY "Package and parcel states"), one per thing.
enum ShopWords {
    static func package(_ status: PackageStatus) -> String {
        switch status {
        case .awaitingPayment: "chờ thanh toán"
        case .new: "chờ xác nhận"
        case .accepted: "đã xác nhận"
        case .readyForPickup: "chờ lấy hàng"
        case .pickedUp: "đã lấy hàng"
        case .inTransit: "đang trung chuyển"
        case .outForDelivery: "đang giao hàng"
        case .waitingForInstruction: "chờ xử lý"
        case .delivered: "giao thành công"
        case .returning: "đang chuyển hoàn"
        case .returned: "đã chuyển hoàn"
        case .cancelled: "đã hủy"
        case .rejected: "bị từ chối"
        case .expired: "quá hạn thanh toán"
        }
    }

    static func order(_ status: OrderStatus) -> String {
        switch status {
        case .awaitingPayment: "chờ thanh toán"
        case .placed: "đã đặt"
        case .inProgress: "đang giao"
        case .completed: "hoàn tất"
        case .returned: "đã chuyển hoàn"
        case .cancelled: "đã hủy"
        case .expired: "quá hạn thanh toán"
        }
    }

    /// A tracking step (a scan type, or the state the package ended in).
    static func step(_ type: String) -> String {
        switch type {
        case "ready_for_pickup": "Người bán đã chuẩn bị xong, chờ bưu tá lấy hàng"
        case "picked_up": "Bưu tá đã lấy hàng"
        case "arrived_at_hub": "Đến bưu cục"
        case "out_for_delivery": "Bưu tá đang giao hàng"
        case "delivered": "Giao thành công"
        case "delivery_failed": "Giao không thành công"
        case "returned_to_sender": "Đã chuyển hoàn cho người bán"
        case "redelivery_requested": "Đã hẹn giao lại"
        case "return_requested": "Đã yêu cầu chuyển hoàn"
        default: PackageStatus(rawValue: type).map { package($0).capitalizedFirst } ?? type
        }
    }

    static func payment(_ method: PaymentMethod) -> String {
        switch method {
        case .cod: "Thanh toán khi nhận hàng"
        case .bankTransfer: "Chuyển khoản"
        }
    }

    /// The fields a form names, in the words of its labels, each once.
    static func fieldNames(_ fields: [String]) -> String {
        var seen: Set<String> = []
        return fields.map(fieldName).filter { seen.insert($0).inserted }.joined(separator: ", ")
    }

    static func fieldName(_ field: String) -> String {
        let name = field.split(separator: ".").last.map(String.init) ?? field
        switch name {
        case "recipient_name": return "họ tên người nhận"
        case "phone": return "số điện thoại"
        case "province_code": return "tỉnh, thành phố"
        case "commune_code": return "xã, phường"
        case "address_line": return "địa chỉ (số nhà, đường, thôn)"
        case "email": return "email"
        case "password": return "mật khẩu (ít nhất 10 ký tự)"
        case "display_name": return "họ tên"
        case "q": return "từ khóa tìm kiếm"
        case "title": return "tên sản phẩm"
        case "price_vnd": return "giá bán (từ 1.000 ₫)"
        case "weight_grams": return "khối lượng cả bao bì (gam)"
        case "stock_on_hand": return "số lượng trong kho"
        case "category_code": return "danh mục"
        case "name": return "tên loại"
        case "description": return "mô tả"
        case "origin_province_code": return "nơi sản xuất (địa chỉ gian hàng)"
        case "images": return "ảnh"
        case "photo": return "ảnh"
        case "stars": return "số sao"
        case "certificate_no": return "số chứng nhận"
        case "issued_by": return "nơi cấp (5 sao do Trung ương cấp)"
        case "issued_on": return "ngày cấp (không sau hôm nay)"
        case "expires_on": return "ngày hết hạn (sau ngày cấp, tối đa 36 tháng)"
        case "cursor", "sau": return "trang kết quả (hãy tìm lại từ đầu)"
        case "category": return "danh mục"
        case "province": return "tỉnh"
        case "bank_bin": return "ngân hàng"
        case "length_cm", "width_cm", "height_cm": return "kích thước (dài, rộng, cao: đủ cả ba, 1 đến 300 cm)"
        case "account_no": return "số tài khoản (6 đến 19 chữ số)"
        case "account_name": return "tên chủ tài khoản (như ngân hàng ghi, chữ in hoa không dấu)"
        case "method": return "cách nhận tiền"
        case "declared_value_vnd": return "giá trị khai giá (ít nhất bằng tiền hàng, tối đa 100.000.000 ₫)"
        default:
            if name.hasPrefix("lines") || field.hasPrefix("lines") { return "sản phẩm trong giỏ" }
            return name
        }
    }
}

extension ShopWords {
    /// The photo rule that was broken, in plain words.
    static func photoMessage(_ message: String) -> String {
        if message.contains("MB") { return "ảnh quá lớn (tối đa 10 MB)." }
        if message.contains("pixels") { return "ảnh quá lớn (tối đa 40 triệu điểm ảnh)." }
        if message.contains("JPEG") { return "chỉ nhận ảnh JPEG, PNG hoặc WebP." }
        if message.contains("empty") || message.contains("choose") { return "chưa chọn ảnh." }
        return "tệp hỏng hoặc không phải ảnh."
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

extension ShopWords {
    /// GLOSSARY "complaint": khiếu nại; its states and reasons as people read them.
    static func complaint(_ status: ComplaintStatus) -> String {
        switch status {
        case .open: "chờ người bán trả lời"
        case .disputed: "bưu cục đang xem xét"
        case .awaitingReturn: "chờ bưu tá lấy lại hàng"
        case .refunded: "được hoàn tiền"
        case .rejected: "không được hoàn tiền"
        }
    }

    static func complaintReason(_ reason: ComplaintReason) -> String {
        switch reason {
        case .damaged: "hàng hư hỏng, móp méo"
        case .spoiled: "hàng hư, ôi thiu"
        case .wrongItem: "giao sai hàng"
        case .missingItem: "thiếu hàng"
        }
    }

    static func returnParcel(_ status: ReturnParcelStatus) -> String {
        switch status {
        case .awaitingPickup: "chờ bưu tá lấy hàng"
        case .pickedUp: "bưu điện đã nhận hàng, đang chuyển hoàn"
        case .delivered: "đã chuyển hoàn cho người bán"
        }
    }
}
