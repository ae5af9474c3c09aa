/// One kind of goods a producer makes ("Nước mắm", "Mật ong", …): how its listings are titled,
/// categorised, packed and priced. The demo and scale generators build every product from one.
struct ProductLine: Sendable {
    /// A pack a variant can be sold in, with a typical price in đồng.
    struct Pack: Sendable {
        var name: String
        var code: String
        var grams: Int
        var price: Int64
    }

    var sku: String
    /// The goods ("Nước mắm"); empty when each qualifier names the goods itself ("Chả bò").
    var noun: String
    var category: String
    var qualifiers: [String]
    /// Places the goods are known by ("Cửa Đại", "Trà My"); empty means the producer's own commune.
    var places: [String]
    var packs: [Pack]
    var blurbs: [String]
    /// A regional speciality of province 48 (`products.is_regional_specialty`).
    var specialty: Bool = false

    /// What the line sells, for sentences about a producer.
    var goods: String { noun.isEmpty ? qualifiers.first ?? sku : noun }
}

/// A trade: what a producer is known for (the word in its name, "HTX Nước mắm …") and which lines
/// it makes, and where such producers are found.
struct Trade: Sendable {
    var label: String
    var lines: [ProductLine]
    /// Commune codes of province 48 where this trade clusters; empty means anywhere.
    var communes: [String]
    var specialty: Bool = false
}

extension ProductLine.Pack {
    init(_ name: String, _ code: String, _ grams: Int, _ price: Int64) {
        self.init(name: name, code: code, grams: grams, price: price)
    }
}
