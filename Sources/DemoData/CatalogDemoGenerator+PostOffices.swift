import Foundation

// The demo post offices, placed at commune centroids, and their couriers and clerks.
extension CatalogDemoGenerator {
    func postOffices(_ seedRNG: SplitMix64) -> [SeedPostOffice] {
        var rng = seedRNG
        var offices: [SeedPostOffice] = CatalogDemoData.postOffices.map { hub in
            let commune = Self.communes[hub.commune]
            let isDemo = hub.code == "DN-HOIAN"
            // The demo post office row predates this generator: same place, same address.
            return SeedPostOffice(
                id: isDemo ? DemoSeed.postOfficeID : rng.uuid(),
                code: hub.code,
                name: hub.name,
                communeCode: hub.commune,
                addressLine: isDemo ? "6 Trần Hưng Đạo" : "\(rng.int(1...200)) \(rng.pick(CatalogDemoData.streets))",
                lat: isDemo ? 15.877 : commune?.lat ?? 0,
                lon: isDemo ? 108.328 : commune?.lon ?? 0,
                communes: []
            )
        }
        // Each commune goes to the nearest post office (distances on the map, east–west shrunk by
        // the cosine of the latitude), unless it is routed elsewhere on purpose.
        for commune in DemoCommunes.all {
            let index: Int
            if let code = CatalogDemoData.servedByOverride[commune.code],
                let override = offices.firstIndex(where: { $0.code == code })
            {
                index = override
            } else {
                let scale = cos(commune.lat * Double.pi / 180)
                let distances = offices.map { office -> Double in
                    let hub = Self.communes[office.communeCode] ?? commune
                    let dLon = (hub.lon - commune.lon) * scale
                    return (hub.lat - commune.lat) * (hub.lat - commune.lat) + dLon * dLon
                }
                index = distances.indices.min { distances[$0] < distances[$1] } ?? 0
            }
            offices[index].communes.append(commune.code)
        }
        return offices
    }

    static func staff(of office: SeedPostOffice, _ rng: inout SplitMix64) -> [SeedStaff] {
        let code = office.code.lowercased()
        var staff: [SeedStaff] = []
        for number in 1...rng.int(2...6) {
            staff.append(
                SeedStaff(
                    id: rng.uuid(), grantID: rng.uuid(), email: "courier.\(code).\(number)@demo.chobuudien.vn",
                    displayName: Factory.person(&rng), phone: Factory.mobile(&rng), role: "courier",
                    postOfficeID: office.id))
        }
        staff.append(
            SeedStaff(
                id: rng.uuid(), grantID: rng.uuid(), email: "clerk.\(code)@demo.chobuudien.vn",
                displayName: Factory.person(&rng), phone: Factory.mobile(&rng), role: "clerk", postOfficeID: office.id))
        return staff
    }
}
