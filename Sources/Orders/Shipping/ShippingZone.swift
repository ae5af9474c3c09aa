/// How far a parcel travels, from the sender's commune to the recipient's.
public enum ShippingZone: String, Sendable, CaseIterable, Codable {
    case sameCommune = "same_commune"
    case sameProvince = "same_province"
    case sameRegion = "same_region"
    case otherRegion = "other_region"

    /// A place as the tariff sees it.
    public struct Place: Sendable, Equatable {
        public var communeCode: String
        public var provinceCode: String
        /// north, central or south (the `provinces.region` column).
        public var region: String

        public init(communeCode: String, provinceCode: String, region: String) {
            self.communeCode = communeCode
            self.provinceCode = provinceCode
            self.region = region
        }
    }

    public static func between(_ from: Place, _ to: Place) -> ShippingZone {
        if from.communeCode == to.communeCode { return .sameCommune }
        if from.provinceCode == to.provinceCode { return .sameProvince }
        if from.region == to.region { return .sameRegion }
        return .otherRegion
    }
}
