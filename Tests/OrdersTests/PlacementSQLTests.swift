import Foundation
import Testing

@testable import Orders

@Suite("The order-writing statements bind every declared value once")
struct PlacementSQLTests {
    static func numbers(_ sql: String) -> Set<Int> {
        var found = Set<Int>()
        var rest = Substring(sql)
        while let dollar = rest.firstIndex(of: "$") {
            rest = rest[rest.index(after: dollar)...]
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            if let n = Int(digits) { found.insert(n) }
        }
        return found
    }

    @Test func placeUsesEachBindItDeclares() {
        #expect(Self.numbers(OrderPlacement.Place.sql) == Set(OrderPlacement.PlaceBind.allCases.map(\.rawValue)))
    }

    @Test func aBatchUsesEachBindItDeclares() {
        #expect(Self.numbers(OrderBatch.Statement.sql) == Set(OrderBatch.BatchBind.allCases.map(\.rawValue)))
    }
}
