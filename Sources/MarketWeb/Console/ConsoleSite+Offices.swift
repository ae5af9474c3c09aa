import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logistics

/// The admin's post offices: each office's details and the communes it serves (the communes decide
/// which office picks up from a producer and delivers to a buyer), and a new office. Every write is
/// `PostOfficeStore`'s, with its validation and audit.
extension ConsoleSite {
    func offices(_ session: WebSession, province chosen: String?, result: String?) async throws -> Response {
        guard session.principal.isAdmin else { throw DomainError.forbidden("This page is for admins.") }
        let offices = try await services.postOffices.list(provinceCode: nil)
        let provinces = try await services.reference.provinces()
        let provinceNames = Dictionary(uniqueKeysWithValues: provinces.map { ($0.code, $0.name) })
        // The new office's province: the one asked for, else the one most offices are in.
        let counts = Dictionary(grouping: offices, by: \.provinceCode).mapValues(\.count)
        let province = chosen ?? counts.max { $0.value < $1.value }?.key ?? provinces.first?.code ?? ""
        guard provinceNames[province] != nil else { throw DomainError.invalid("province_code", "is not a province") }
        let communes = try await services.reference.communes(province: province)
            .sorted { VietnameseOrder.precedes($0.name, $1.name) }
        var values: [String: Any] = [
            "user": session.header, "csrf": session.csrf, "province": province,
            "items": offices.sorted { VietnameseOrder.precedes($0.name, $1.name) }.map { office in
                var item: [String: Any] = [
                    "id": office.id.uuidString.lowercased(), "name": office.name, "code": office.code,
                    "province": provinceNames[office.provinceCode] ?? office.provinceCode,
                    "communes": office.communes.count,
                ]
                if !office.isActive { item["inactive"] = true }
                if office.isSortingHub { item["hub"] = true }
                return item
            },
            "provinces": provinces.sorted { VietnameseOrder.precedes($0.name, $1.name) }.map { item in
                var option: [String: Any] = ["value": item.code, "label": item.name]
                if item.code == province { option["selected"] = true }
                return option
            },
            "communeOptions": communes.map { ["value": $0.code, "label": $0.name] },
        ]
        if result == "da-tao" { values["notice"] = "Đã tạo bưu cục. Hãy chọn các xã bưu cục phục vụ." }
        return render("offices", values)
    }

    func createOffice(_ session: WebSession, fields: FormBody) async throws -> Response {
        guard session.principal.isAdmin else { throw DomainError.forbidden("This page is for admins.") }
        var input = try Self.officeInput(fields)
        // Without coordinates the office stands at its commune's centroid (the reference data's).
        if input.lat == nil || input.lon == nil, let province = input.provinceCode, let commune = input.communeCode {
            let centroid = try await services.reference.communes(province: province).first { $0.code == commune }
            input.lat = input.lat ?? centroid?.lat
            input.lon = input.lon ?? centroid?.lon
        }
        let office = try await services.postOffices.create(input, caller: session.caller)
        return PageResponse.redirect(to: "/console/buu-cuc/\(office.id.uuidString.lowercased())?ket-qua=da-tao")
    }

    func office(_ session: WebSession, id text: String?, result: String?) async throws -> Response {
        guard session.principal.isAdmin else { throw DomainError.forbidden("This page is for admins.") }
        guard let text, let id = UUID(uuidString: text) else { throw DomainError.notFound("No post office.") }
        let office = try await services.postOffices.get(id)
        let served = Set(office.communes)
        // A commune another office serves moves here when ticked: say which office that is.
        var owners: [String: String] = [:]
        for other in try await services.postOffices.list(provinceCode: office.provinceCode) where other.id != id {
            for commune in other.communes { owners[commune] = other.name }
        }
        let local = try await services.reference.communes(province: office.provinceCode)
            .sorted { VietnameseOrder.precedes($0.name, $1.name) }
        let elsewhere = served.subtracting(local.map(\.code)).sorted()
        var values: [String: Any] = [
            "user": session.header, "csrf": session.csrf, "id": office.id.uuidString.lowercased(),
            "name": office.name, "code": office.code, "address": office.addressLine, "phone": office.phone ?? "",
            "lat": String(office.location.lat), "lon": String(office.location.lon), "served": served.count,
            "communes": local.map { commune in
                var item: [String: Any] = ["value": commune.code, "label": commune.name]
                if served.contains(commune.code) { item["checked"] = true }
                if let owner = owners[commune.code] { item["owner"] = owner }
                return item
            } + elsewhere.map { ["value": $0, "label": "Mã xã \($0) (tỉnh khác)", "checked": true] },
        ]
        if office.isActive { values["active"] = true }
        if office.isSortingHub { values["hub"] = true }
        switch result {
        case "da-tao": values["notice"] = "Đã tạo bưu cục. Hãy chọn các xã bưu cục phục vụ."
        case "da-luu": values["notice"] = "Đã lưu thông tin bưu cục."
        case "da-luu-xa": values["notice"] = "Đã lưu các xã bưu cục phục vụ; đơn mới được giao theo danh sách này ngay."
        default: break
        }
        return render("office", values)
    }

    func saveOffice(_ session: WebSession, id text: String?, fields: FormBody) async throws -> Response {
        guard session.principal.isAdmin else { throw DomainError.forbidden("This page is for admins.") }
        guard let text, let id = UUID(uuidString: text) else { throw DomainError.notFound("No post office.") }
        var input = try Self.officeInput(fields)
        input.isActive = fields["hoat-dong"] == "1"
        input.isSortingHub = fields["trung-tam"] == "1"
        _ = try await services.postOffices.update(id, input, caller: session.caller)
        return PageResponse.redirect(to: "/console/buu-cuc/\(id.uuidString.lowercased())?ket-qua=da-luu")
    }

    func saveOfficeCommunes(_ session: WebSession, id text: String?, fields: FormBody) async throws -> Response {
        guard session.principal.isAdmin else { throw DomainError.forbidden("This page is for admins.") }
        guard let text, let id = UUID(uuidString: text) else { throw DomainError.notFound("No post office.") }
        _ = try await services.postOffices.setCommunes(id, fields.values("xa"), caller: session.caller)
        return PageResponse.redirect(to: "/console/buu-cuc/\(id.uuidString.lowercased())?ket-qua=da-luu-xa")
    }

    /// The office's fields as typed: blank means "not given" (the store's rules say which are required).
    static func officeInput(_ fields: FormBody) throws(DomainError) -> PostOfficeInput {
        func text(_ name: String) -> String? {
            let value = (fields[name] ?? "").trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : value
        }
        func coordinate(_ name: String, _ field: String) throws(DomainError) -> Double? {
            guard let value = text(name) else { return nil }
            guard let number = Double(value.replacingOccurrences(of: ",", with: ".")), number.isFinite else {
                throw .invalid(field, "must be a number")
            }
            return number
        }
        return PostOfficeInput(
            code: text("ma")?.uppercased(), name: text("ten"), provinceCode: text("tinh"), communeCode: text("xa"),
            addressLine: text("dia-chi"), lat: try coordinate("vi-do", "lat"), lon: try coordinate("kinh-do", "lon"),
            phone: text("dien-thoai")?.filter { !$0.isWhitespace && $0 != "." })
    }
}
