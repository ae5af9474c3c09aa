import Catalog
import Kernel
import OpenAPIRuntime

extension APIHandlers {
    func listProvinces(_ input: Operations.ListProvinces.Input) async throws -> Operations.ListProvinces.Output {
        let provinces = try await reference.provinces()
        let items = provinces.map { province in
            Components.Schemas.Province(
                code: province.code,
                name: province.name,
                fullName: province.fullName,
                nameEn: province.nameEn,
                region: Components.Schemas.Province.RegionPayload(rawValue: province.region) ?? .central
            )
        }
        return .ok(.init(body: .json(.init(items: items, nextCursor: nil))))
    }

    func listCommunes(_ input: Operations.ListCommunes.Input) async throws -> Operations.ListCommunes.Output {
        let code = input.path.provinceCode
        guard code.utf8.count == 2, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw DomainError.notFound("No province with code \(code).")
        }
        let items = try await reference.communes(province: code).map { commune in
            Components.Schemas.Commune(
                code: commune.code,
                provinceCode: commune.provinceCode,
                name: commune.name,
                fullName: commune.fullName,
                nameEn: commune.nameEn,
                lat: commune.lat,
                lon: commune.lon
            )
        }
        return .ok(.init(body: .json(.init(items: items, nextCursor: nil))))
    }
}
