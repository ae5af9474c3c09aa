import Foundation
import Orders

/// The cart of a browser, kept in a cookie (`cbd_cart`): variant ids and quantities only, never a
/// price (prices are read again when the cart is shown and when the order is placed, so an edited
/// cookie can change nothing but what is in the cart). `uuid:qty.uuid:qty`, at most
/// `Checkout.maxLines` lines; whatever does not parse is dropped.
public struct CartCookie: Sendable, Equatable {
    public static let name = "cbd_cart"
    public private(set) var lines: [CartLine]

    public init(lines: [CartLine] = []) { self.lines = lines }

    public init(value: String?) {
        var lines: [CartLine] = []
        for item in (value ?? "").split(separator: ".") {
            let parts = item.split(separator: ":")
            guard parts.count == 2, let id = UUID(uuidString: String(parts[0])), let quantity = Int(parts[1]),
                Checkout.quantities.contains(quantity), !lines.contains(where: { $0.variantID == id }),
                lines.count < Checkout.maxLines
            else { continue }
            lines.append(CartLine(variantID: id, quantity: quantity))
        }
        self.lines = lines
    }

    public var value: String {
        lines.map { "\($0.variantID.uuidString.lowercased()):\($0.quantity)" }.joined(separator: ".")
    }

    public var itemCount: Int { lines.reduce(0) { $0 + $1.quantity } }

    /// Adds to a line already in the cart (up to the largest quantity an order takes), or appends
    /// one; false when the cart is full.
    @discardableResult
    public mutating func add(_ variant: UUID, quantity: Int) -> Bool {
        if let index = lines.firstIndex(where: { $0.variantID == variant }) {
            lines[index].quantity = min(Checkout.quantities.upperBound, lines[index].quantity + quantity)
            return true
        }
        guard lines.count < Checkout.maxLines else { return false }
        lines.append(CartLine(variantID: variant, quantity: min(Checkout.quantities.upperBound, quantity)))
        return true
    }

    /// Sets a line's quantity; 0 removes it.
    public mutating func set(_ variant: UUID, quantity: Int) {
        guard let index = lines.firstIndex(where: { $0.variantID == variant }) else { return }
        if quantity <= 0 {
            lines.remove(at: index)
        } else {
            lines[index].quantity = min(Checkout.quantities.upperBound, quantity)
        }
    }
}
