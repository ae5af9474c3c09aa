import Kernel

extension S10 {
    /// A tracking number from a request: anything malformed, including a wrong check digit, is the
    /// client's mistake (400), told apart from "no such parcel" (404).
    public static func parsed(_ text: String) throws(DomainError) -> S10 {
        do {
            return try S10(parsing: text)
        } catch .badCheckDigit {
            throw .badRequest(kind: "invalid-tracking-number", detail: "\(text) has a wrong check digit.")
        } catch .unsupportedCountry {
            throw .badRequest(kind: "invalid-tracking-number", detail: "Only VN parcels are handled here.")
        } catch {
            throw .badRequest(
                kind: "invalid-tracking-number",
                detail: "A tracking number is two letters, nine digits and VN, such as EC000000014VN.")
        }
    }
}
