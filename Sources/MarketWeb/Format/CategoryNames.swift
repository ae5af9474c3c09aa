import Catalog

extension [Catalog.Category] {
    /// Every category's Vietnamese name by code, the tree flattened.
    var namesByCode: [String: String] {
        var names: [String: String] = [:]
        var stack = self
        while let category = stack.popLast() {
            names[category.code] = category.name
            stack.append(contentsOf: category.children)
        }
        return names
    }
}
