import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logistics
import Orders

/// The admin's shipping tariff: the versions (the one in force marked), and a new version from a date,
/// prefilled with the one in force. A version never changes once made, and takes effect today or
/// later, so a quote or an order is always priced by the version of its day (`NewTariff.validated`).
extension ConsoleSite {
    static let zoneNames: [(ShippingZone, String)] = [
        (.sameCommune, "Nội xã"), (.sameProvince, "Nội tỉnh"), (.sameRegion, "Nội vùng"), (.otherRegion, "Liên vùng"),
    ]

    func tariffs(_ session: WebSession, result: String?) async throws -> Response {
        guard session.principal.isAdmin else { throw DomainError.forbidden("This page is for admins.") }
        let versions = try await services.tariffs.all()
        let today = CalendarDay.today().description
        let current = versions.first { $0.effectiveFrom <= today }
        let versionItems: [[String: Any]] = versions.map { tariff in
            var item: [String: Any] = [
                "from": VietnameseFormat.date(isoDay: tariff.effectiveFrom),
                "cod": Self.percent(bps: tariff.codFeeBps), "codMin": VietnameseFormat.money(tariff.codFeeMinVND),
                "returnIn": VietnameseFormat.money(tariff.returnInProvinceVND),
                "returnBeyond": Self.percent(bps: tariff.returnBeyondBps),
                "ceiling": tariff.codCeilingVND > 0 ? VietnameseFormat.money(tariff.codCeilingVND) : "không giới hạn",
                "divisor": String(tariff.volumetricDivisor),
                "insurance": tariff.insuranceBps > 0
                    ? "\(Self.percent(bps: tariff.insuranceBps)) giá trị khai giá, tối thiểu "
                        + VietnameseFormat.money(tariff.insuranceMinVND) : "không thu",
                "rates": Self.zoneNames.map { zone, name -> [String: Any] in
                    guard let rate = tariff.rates[zone] else { return ["zone": name] }
                    return [
                        "zone": name,
                        "first": "\(VietnameseFormat.weight(grams: rate.firstGrams)) đầu: "
                            + VietnameseFormat.money(rate.firstFeeVND),
                        "step": "mỗi \(VietnameseFormat.weight(grams: rate.stepGrams)) thêm: "
                            + VietnameseFormat.money(rate.stepFeeVND),
                    ]
                },
            ]
            if !tariff.note.isEmpty { item["note"] = tariff.note }
            if tariff.id == current?.id { item["current"] = true }
            if tariff.effectiveFrom > today { item["future"] = true }
            return item
        }
        var values: [String: Any] = [
            "user": session.header, "csrf": session.csrf, "versions": versionItems,
            "from": BusinessDay.adding(1, to: today) ?? today, "today": today,
            "codBps": String(current?.codFeeBps ?? 0), "codMin": String(current?.codFeeMinVND ?? 0),
            "returnIn": String(current?.returnInProvinceVND ?? 0), "returnBps": String(current?.returnBeyondBps ?? 0),
            "ceiling": String(current?.codCeilingVND ?? 5_000_000),
            "divisor": String(current?.volumetricDivisor ?? 6000),
            "insuranceBps": String(current?.insuranceBps ?? 0), "insuranceMin": String(current?.insuranceMinVND ?? 0),
            "zones": Self.zoneNames.map { zone, name -> [String: Any] in
                let rate = current?.rates[zone]
                return [
                    "zone": zone.rawValue, "name": name, "firstGrams": String(rate?.firstGrams ?? 500),
                    "firstFee": String(rate?.firstFeeVND ?? 0), "stepGrams": String(rate?.stepGrams ?? 500),
                    "stepFee": String(rate?.stepFeeVND ?? 0),
                ]
            },
        ]
        if result == "da-tao" { values["notice"] = "Đã tạo bảng cước mới; nó áp dụng từ ngày đã chọn." }
        return render("tariffs", values)
    }

    func createTariff(_ session: WebSession, fields: FormBody) async throws -> Response {
        guard session.principal.isAdmin else { throw DomainError.forbidden("This page is for admins.") }
        func number(_ name: String, _ field: String) throws(DomainError) -> Int64 {
            try Self.amount(fields[name] ?? "", field: field)
        }
        let rates = try Self.zoneNames.map { zone, _ throws(DomainError) in
            NewTariff.RateInput(
                zone: zone.rawValue, firstGrams: Int(try number("\(zone.rawValue)-g1", "first_grams")),
                firstFeeVND: try number("\(zone.rawValue)-p1", "first_fee_vnd"),
                stepGrams: Int(try number("\(zone.rawValue)-g2", "step_grams")),
                stepFeeVND: try number("\(zone.rawValue)-p2", "step_fee_vnd"))
        }
        let note = (fields["ghi-chu"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let new = try NewTariff.validated(
            effectiveFrom: fields["tu-ngay"] ?? "", codFeeBps: Int(try number("thu-ho-bps", "cod_fee_bps")),
            codFeeMinVND: try number("thu-ho-toi-thieu", "cod_fee_min_vnd"), note: note.isEmpty ? nil : note,
            rates: rates, returnInProvinceVND: try number("hoan-noi-tinh", "return_in_province_vnd"),
            returnBeyondBps: Int(try number("hoan-ngoai-tinh-bps", "return_beyond_bps")),
            codCeilingVND: try number("tran-thu-ho", "cod_ceiling_vnd"),
            volumetricDivisor: Int(try number("he-so-quy-doi", "volumetric_divisor")),
            insuranceBps: Int(try number("bao-hiem-bps", "insurance_bps")),
            insuranceMinVND: try number("bao-hiem-toi-thieu", "insurance_min_vnd"), today: .today())
        _ = try await services.tariffs.create(new, caller: session.caller)
        return PageResponse.redirect(to: "/console/bang-cuoc?ket-qua=da-tao")
    }

    /// Basis points as a Vietnamese percentage: 120 → "1,2 %".
    static func percent(bps: Int) -> String {
        let whole = bps / 100
        let rest = bps % 100
        if rest == 0 { return "\(whole) %" }
        let decimals = rest % 10 == 0 ? "\(rest / 10)" : String(format: "%02d", rest)
        return "\(whole),\(decimals) %"
    }
}
