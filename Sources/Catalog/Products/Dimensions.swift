import Kernel

/// A packed item's outside measurements in whole centimetres, as carriers take them for volumetric
/// weight (length × width × height / the tariff's divisor).
public struct Dimensions: Sendable, Equatable, Hashable {
    public var lengthCM: Int
    public var widthCM: Int
    public var heightCM: Int

    /// A parcel a motorbike courier carries: at most 3 m a side.
    public static let sides = 1...300

    public init(lengthCM: Int, widthCM: Int, heightCM: Int) {
        self.lengthCM = lengthCM
        self.widthCM = widthCM
        self.heightCM = heightCM
    }

    public var volumeCM3: Int64 { Int64(lengthCM) * Int64(widthCM) * Int64(heightCM) }

    /// All three given, or none; nil with the fields failed otherwise.
    public static func validated(
        length: Int?, width: Int?, height: Int?, prefix: String, into v: inout Validator
    ) -> Dimensions? {
        let given = [length, width, height].compactMap { $0 }
        guard !given.isEmpty else { return nil }
        guard let length, let width, let height else {
            v.fail("\(prefix)length_cm", "length_cm, width_cm and height_cm go together")
            return nil
        }
        v.range(length, "\(prefix)length_cm", sides)
        v.range(width, "\(prefix)width_cm", sides)
        v.range(height, "\(prefix)height_cm", sides)
        return Dimensions(lengthCM: length, widthCM: width, heightCM: height)
    }
}
