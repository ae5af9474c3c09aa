import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logistics

/// The courier's day on a phone: today's manifest in route order, and each parcel's next scan as one
/// form. Each form carries the scan's `client_event_id`, made when the page was drawn, so a form sent
/// twice (a double tap, a retry on a bad network) records the scan once.
extension ConsoleSite {
    static let states: [String: String] = [
        "ready_for_pickup": "chờ lấy hàng", "picked_up": "đã lấy hàng", "in_transit": "đang trung chuyển",
        "out_for_delivery": "đang giao hàng", "waiting_for_instruction": "chờ xử lý",
        "delivered": "giao thành công", "returning": "đang chuyển hoàn",
        "returned": "đã chuyển hoàn",
    ]

    func manifest(_ session: WebSession, result: String?, find: String?) async throws -> Response {
        try session.principal.require(.courier)
        let today = BusinessDay.string(for: Date())
        let manifest = try await services.manifests.manifest(
            courier: session.principal.userID, on: today, caller: session.caller)
        let runs: [[String: Any]] = manifest.runs.map { run in
            let shift = run.shift == .morning ? "ca sáng" : "ca chiều"
            return [
                "label": (run.kind == .pickup ? "Chuyến lấy hàng, " : "Chuyến phát, ") + shift,
                "stops": run.stops.map { stop in
                    var item: [String: Any] = [
                        "sequence": stop.sequence, "name": stop.name,
                        "address": [stop.addressLine, stop.communeName].filter { !$0.isEmpty }.joined(separator: ", "),
                        "parcels": stop.parcels.map { Self.parcel($0, run: run.kind, csrf: session.csrf) },
                    ]
                    if !stop.phone.isEmpty {
                        item["phone"] = stop.phone
                        item["phoneShown"] = VietnameseFormat.phone(stop.phone)
                    }
                    return item
                },
            ]
        }
        var values: [String: Any] = [
            "user": session.header, "runs": runs, "hasRuns": !runs.isEmpty, "office": manifest.postOffice.name,
            "date": VietnameseFormat.date(Date()), "parcels": manifest.parcelCount,
        ]
        if manifest.codToCollectVND > 0 { values["cod"] = VietnameseFormat.money(manifest.codToCollectVND) }
        if let find, !find.isEmpty { values.merge(Self.found(find, in: runs)) { $1 } }
        switch result {
        case "da-ghi": values["notice"] = "Đã ghi nhận."
        case "cho": values["notice"] = "Đã lưu; sẽ có hiệu lực khi các lần quét trước đó đến."
        default: break
        }
        return render("manifest", values)
    }

    /// A parcel the courier typed or scanned: its number checked (the S10 check digit catches a
    /// mistyped digit before anything is looked up), then its stop shown first with just that parcel.
    static func found(_ text: String, in runs: [[String: Any]]) -> [String: Any] {
        let typed = text.trimmingCharacters(in: .whitespaces).uppercased()
        var values: [String: Any] = ["typed": typed]
        do throws(S10Error) {
            _ = try S10(parsing: typed)
        } catch .badCheckDigit {
            values["problem"] = "Mã vận đơn \(typed) sai số kiểm tra: hãy xem lại từng chữ số."
            return values
        } catch {
            values["problem"] = "Mã vận đơn gồm 2 chữ cái, 9 chữ số và VN, ví dụ EC123456785VN."
            return values
        }
        for run in runs {
            for stop in run["stops"] as? [[String: Any]] ?? [] {
                let parcels = (stop["parcels"] as? [[String: Any]] ?? []).filter { $0["tracking"] as? String == typed }
                if !parcels.isEmpty {
                    var match = stop
                    match["parcels"] = parcels
                    match["run"] = run["label"]
                    values["found"] = match
                    return values
                }
            }
        }
        values["problem"] = "Bưu gửi \(typed) không có trong bảng kê hôm nay của bạn."
        return values
    }

    static func parcel(_ parcel: ManifestParcel, run: RunKind, csrf: String) -> [String: Any] {
        var item: [String: Any] = [
            "tracking": parcel.trackingNo, "weight": VietnameseFormat.weight(grams: parcel.weightGrams),
            "state": states[parcel.status] ?? parcel.status, "csrf": csrf,
            "event": UUID().uuidString.lowercased(), "failEvent": UUID().uuidString.lowercased(),
            "codValue": String(parcel.codVND),
        ]
        if parcel.codVND > 0 { item["cod"] = VietnameseFormat.money(parcel.codVND) }
        if let complaint = parcel.complaintNumber {
            // A complaint's goods coming back: collected from the buyer on a delivery round, handed to the
            // seller (who signs with a name, no code, no cash) on a pickup round.
            item["complaint"] = complaint
            switch (run, parcel.status) {
            case (.delivery, "ready_for_pickup"):
                item["state"] = "chờ thu hồi"
                item["collect"] = true
            case (.pickup, "in_transit"):
                item["state"] = "chờ trả người bán"
                item["handBack"] = true
            case (_, "delivered"): item["state"] = "đã trả người bán"
            default: item["state"] = "đã thu hồi"
            }
            return item
        }
        switch (run, parcel.status) {
        case (.pickup, "ready_for_pickup"): item["pickUp"] = true
        case (.delivery, "in_transit"), (.delivery, "waiting_for_instruction"): item["takeOut"] = true
        case (.delivery, "out_for_delivery"): item["deliver"] = true
        default: break
        }
        return item
    }

    /// One scan from a manifest form, then back to the manifest. Sent by the page's offline queue
    /// (`Accept: application/json`), it carries the time the courier tapped (`occurred_at`, which the
    /// scan rules bound) and is answered in JSON: applied, waiting for earlier scans, or refused and why.
    func scan(_ session: WebSession, tracking: String?, fields: FormBody, wantsJSON: Bool) async throws -> Response {
        guard let tracking, let type = ScanType(rawValue: fields["type"] ?? "") else {
            throw DomainError.invalid("type", "is not a scan")
        }
        guard let event = UUID(uuidString: fields["event"] ?? "") else {
            throw DomainError.invalid("event", "is missing; open the manifest again")
        }
        var occurredAt = Date()
        if let text = fields["occurred_at"], !text.isEmpty {
            guard let parsed = try? Date(text, strategy: .iso8601) else {
                throw DomainError.invalid("occurred_at", "must be an RFC 3339 time")
            }
            occurredAt = parsed
        }
        let input = ScanInput(
            clientEventID: event, type: type, occurredAt: occurredAt,
            reasonCode: type == .deliveryFailed ? FailureReason(rawValue: fields["reason_code"] ?? "") : nil,
            reason: (fields["reason"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty ? nil : fields["reason"],
            codCollectedVND: type == .delivered ? Int64(fields["cod"] ?? "") ?? -1 : nil,
            recipientName: type == .delivered ? fields["recipient"] : nil,
            deliveryCode: type == .delivered ? fields["code"] : nil)
        let outcome: String
        do {
            let result = try await services.scans.record(trackingNo: tracking, input, caller: session.caller)
            outcome = result.outcome == .waiting ? "waiting" : "applied"
        } catch DomainError.unprocessable(let kind, _) where kind == "client-event-id-reused" {
            // The same form again (a double tap, a retry): its event id was recorded by the first one,
            // at the time of that tap, and the API's rule sees this one's later time as another scan.
            outcome = "applied"
        } catch let error as DomainError where wantsJSON {
            // Refused for good: the queue shows why and stops sending this one.
            return Self.queueAnswer("refused", message: Self.refusal(error), status: .unprocessableContent)
        }
        if wantsJSON { return Self.queueAnswer(outcome, message: nil, status: .ok) }
        if fields["ve"] == "khieu-nai" { return PageResponse.redirect(to: "/console/khieu-nai?ket-qua=da-ghi") }
        return PageResponse.redirect(to: "/console/bang-ke?ket-qua=\(outcome == "waiting" ? "cho" : "da-ghi")")
    }

    static func queueAnswer(_ outcome: String, message: String?, status: HTTPResponse.Status) -> Response {
        var body: [String: String] = ["outcome": outcome]
        if let message { body["message"] = message }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        var headers = PageResponse.securityHeaders
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    /// Why the server will never take this scan, in the courier's words.
    static func refusal(_ error: DomainError) -> String {
        switch error {
        case .conflict(let kind, _, _, _) where kind == "delivery-code-locked":
            "Nhập sai mã nhận hàng quá 5 lần: người mua cần lấy mã mới."
        case .conflict(let kind, _, _, _) where kind == "not-on-route":
            "Bưu gửi này không thuộc tuyến của bưu cục bạn."
        case .conflict(_, _, let state, _):
            "Bưu gửi đã ở trạng thái khác" + (state.map { " (\(states[$0] ?? $0))" } ?? "") + "."
        case .validation(let fields):
            fields.contains { $0.field == "delivery_code" }
                ? "Sai mã nhận hàng."
                : "Thông tin chưa đúng: " + fields.map { fieldName($0.field) }.joined(separator: ", ")
        case .notFound:
            "Không có bưu gửi này trong phạm vi của bạn."
        case .forbidden:
            "Tài khoản của bạn không được ghi lần quét này."
        default:
            "Máy chủ không nhận lần quét này."
        }
    }
}
