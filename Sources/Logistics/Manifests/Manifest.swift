import Foundation

/// One courier's printed run sheet for a business day: what to pick up and what to deliver, and the
/// cash on delivery to bring back. Plain values, built by the caller from the day's runs.
public struct Manifest: Sendable, Equatable {
    public struct Person: Sendable, Equatable {
        public var id: UUID
        public var name: String
        public var phone: String?

        public init(id: UUID, name: String, phone: String? = nil) {
            self.id = id
            self.name = name
            self.phone = phone
        }
    }

    public struct Office: Sendable, Equatable {
        public var code: String
        public var name: String
        public var addressLine: String

        public init(code: String, name: String, addressLine: String) {
            self.code = code
            self.name = name
            self.addressLine = addressLine
        }
    }

    public var courier: Person
    public var postOffice: Office
    /// The business day, "yyyy-MM-dd" in Asia/Ho_Chi_Minh.
    public var date: String
    public var generatedAt: Date
    /// Kept in print order (pickups before deliveries, morning before afternoon) however it is set, so
    /// the sheet follows the courier's day.
    public var runs: [ManifestRun] {
        didSet { runs = Self.printOrder(runs) }
    }

    public init(courier: Person, postOffice: Office, date: String, generatedAt: Date, runs: [ManifestRun]) {
        self.courier = courier
        self.postOffice = postOffice
        self.date = date
        self.generatedAt = generatedAt
        self.runs = Self.printOrder(runs)
    }

    public var parcelCount: Int { runs.reduce(0) { $0 + $1.parcelCount } }
    public var totalGrams: Int { runs.reduce(0) { $0 + $1.totalGrams } }
    /// Cash the courier must hand in at the end of the day: the COD of every delivery run.
    public var codToCollectVND: Int64 { runs.reduce(0) { $0 + $1.codToCollectVND } }

    private static func printOrder(_ runs: [ManifestRun]) -> [ManifestRun] {
        runs.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.kind == .pickup ? 0 : 1, lhs.element.shift == .morning ? 0 : 1, lhs.offset)
            let right = (rhs.element.kind == .pickup ? 0 : 1, rhs.element.shift == .morning ? 0 : 1, rhs.offset)
            return left < right
        }.map(\.element)
    }
}

public struct ManifestRun: Sendable, Equatable {
    public var kind: RunKind
    public var shift: Shift
    public var routeMeters: Int
    /// In route order, which is the order the stops are printed in.
    public var stops: [ManifestStop]

    public init(kind: RunKind, shift: Shift, routeMeters: Int, stops: [ManifestStop]) {
        self.kind = kind
        self.shift = shift
        self.routeMeters = routeMeters
        self.stops = stops
    }

    public var parcelCount: Int { stops.reduce(0) { $0 + $1.parcels.count } }
    public var totalGrams: Int { stops.reduce(0) { $0 + $1.totalGrams } }
    /// Zero for pickups whatever the parcels carry: COD is collected from the buyer, never the supplier.
    public var codToCollectVND: Int64 { kind == .delivery ? stops.reduce(0) { $0 + $1.codVND } : 0 }
}

public struct ManifestStop: Sendable, Equatable {
    /// 1-based position in the run.
    public var sequence: Int
    /// The supplier's name on a pickup, the recipient's on a delivery.
    public var name: String
    public var phone: String
    public var addressLine: String
    public var communeName: String
    public var provinceName: String
    public var parcels: [ManifestParcel]
    /// Free text from the run ("pending", "done", "failed", …); the renderers translate the known ones.
    public var status: String

    public init(
        sequence: Int, name: String, phone: String, addressLine: String, communeName: String, provinceName: String,
        parcels: [ManifestParcel], status: String
    ) {
        self.sequence = sequence
        self.name = name
        self.phone = phone
        self.addressLine = addressLine
        self.communeName = communeName
        self.provinceName = provinceName
        self.parcels = parcels
        self.status = status
    }

    public var totalGrams: Int { parcels.reduce(0) { $0 + $1.weightGrams } }
    public var codVND: Int64 { parcels.reduce(0) { $0 + $1.codVND } }
}

public struct ManifestParcel: Sendable, Equatable {
    public var trackingNo: String
    public var packageNumber: String
    public var weightGrams: Int
    /// Đồng to collect from the recipient; 0 on pickups and prepaid parcels.
    public var codVND: Int64
    public var status: String
    /// What the fee was computed on (actual or volumetric weight), and what the parcel is declared for.
    public var chargeableWeightGrams: Int? = nil
    public var declaredValueVND: Int64? = nil
    /// Set when this is a complaint's goods coming back rather than an order's parcel: the courier
    /// collects it from the recipient on a delivery round and hands it back to the seller on a pickup
    /// round (no COD either way).
    public var complaintNumber: String? = nil

    public init(trackingNo: String, packageNumber: String, weightGrams: Int, codVND: Int64, status: String) {
        self.trackingNo = trackingNo
        self.packageNumber = packageNumber
        self.weightGrams = weightGrams
        self.codVND = codVND
        self.status = status
    }

    /// Still to be done on a run of `kind`.
    public func isPending(on kind: RunKind) -> Bool {
        switch (kind, complaintNumber != nil) {
        case (.pickup, false), (.delivery, true): status == "ready_for_pickup"
        case (.delivery, false): status == "in_transit" || status == "out_for_delivery"
        case (.pickup, true): status == "in_transit"
        }
    }
}
