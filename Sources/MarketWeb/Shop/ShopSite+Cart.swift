import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Orders

/// The cart (a cookie of variant ids and quantities; prices are always read again) and the page
/// that shows it.
extension ShopSite {
    func cartPage(_ visitor: ShopVisitor) async throws -> Response {
        let variants = try await services.quotes.variants(visitor.cart.lines.map(\.variantID))
        var total: Int64 = 0
        var blocked = false
        let lines: [[String: Any]] = visitor.cart.lines.map { line in
            guard let variant = variants[line.variantID] else {
                blocked = true
                return [
                    "id": line.variantID.uuidString.lowercased(), "title": "Sản phẩm không còn bán", "gone": true,
                    "quantity": line.quantity,
                ]
            }
            let onSale = variant.isOnSale
            let enough = variant.stockOnHand >= line.quantity
            if onSale { total += variant.priceVND * Int64(line.quantity) }
            if !onSale || !enough { blocked = true }
            return [
                "id": variant.id.uuidString.lowercased(), "title": variant.productTitle, "variant": variant.variantName,
                "href": ProductURL.path(id: variant.productID, title: variant.productTitle),
                "price": VietnameseFormat.money(variant.priceVND), "quantity": line.quantity,
                "lineTotal": VietnameseFormat.money(variant.priceVND * Int64(line.quantity)),
                "gone": !onSale, "short": onSale && !enough, "stock": variant.stockOnHand,
            ]
        }
        return render(
            "shop-cart", visitor,
            [
                "lines": lines, "hasLines": !lines.isEmpty, "total": VietnameseFormat.money(total),
                "blocked": blocked, "csrf": visitor.csrf,
            ])
    }

    func addToCart(_ visitor: inout ShopVisitor, _ fields: FormBody) async throws -> Response {
        guard let id = fields["variant"].flatMap(UUID.init(uuidString:)),
            let quantity = Int(fields["quantity"] ?? "1"), Checkout.quantities.contains(quantity)
        else {
            return message(
                visitor, heading: "Chưa thêm được", text: "Hãy chọn loại hàng và số lượng từ 1 đến 999.",
                status: .unprocessableContent)
        }
        var cart = visitor.cart
        let added =
            if let session = visitor.session {
                try await services.carts.add(id, quantity: quantity, for: session.principal.userID)
            } else {
                cart.add(id, quantity: quantity)
            }
        guard added else {
            return message(
                visitor, heading: "Giỏ hàng đã đầy",
                text: "Một đơn hàng có tối đa \(Checkout.maxLines) loại hàng. Hãy đặt bớt rồi thêm tiếp.",
                status: .conflict)
        }
        if visitor.session == nil { visitor.keep(cart) }
        return PageResponse.redirect(to: "/gio-hang")
    }

    /// Every line's new quantity (`sl-<variant>`), or one line removed (`xoa`).
    func updateCart(_ visitor: inout ShopVisitor, _ fields: FormBody) async throws -> Response {
        var changes: [(UUID, Int)] = []
        if let removed = fields["xoa"].flatMap(UUID.init(uuidString:)) {
            changes.append((removed, 0))
        } else {
            for line in visitor.cart.lines {
                if let text = fields["sl-" + line.variantID.uuidString.lowercased()], let quantity = Int(text),
                    quantity != line.quantity
                {
                    changes.append((line.variantID, max(0, quantity)))
                }
            }
        }
        if let session = visitor.session {
            for (variant, quantity) in changes {
                try await services.carts.set(variant, quantity: quantity, for: session.principal.userID)
            }
        } else {
            var cart = visitor.cart
            for (variant, quantity) in changes { cart.set(variant, quantity: quantity) }
            visitor.keep(cart)
        }
        return PageResponse.redirect(to: "/gio-hang")
    }
}
