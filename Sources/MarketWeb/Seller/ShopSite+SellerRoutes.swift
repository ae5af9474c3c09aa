import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Orders

/// The routes of the seller pages (`/gian-hang/`) and the photos they upload (`/anh/`).
extension ShopSite {
    func registerSeller<Context: RequestContext>(
        on router: Router<Context>, isSecure: @escaping @Sendable (Request) -> Bool
    ) {
        router.get("gian-hang") { request, _ in
            await visit(request, secure: isSecure(request)) { try await sellerHome($0) }
        }
        router.get("gian-hang/:supplier") { request, context in
            await visit(request, secure: isSecure(request)) {
                try await sellerPackages(
                    $0, supplier: context.parameters.get("supplier"), status: Self.query(request, "trang-thai"),
                    result: Self.query(request, "ket-qua"))
            }
        }
        router.get("gian-hang/:supplier/san-pham") { request, context in
            await visit(request, secure: isSecure(request)) {
                try await sellerProducts(
                    $0, supplier: context.parameters.get("supplier"), result: Self.query(request, "ket-qua"))
            }
        }
        for (word, accept) in [("nhan", true), ("tu-choi", false)] {
            router.post("gian-hang/loi-moi/:id/\(word)") { request, context in
                await post(request, secure: isSecure(request)) { visitor, _ in
                    try await sellerAnswer(&visitor, invitation: context.parameters.get("id"), accept: accept)
                }
            }
        }
        router.get("gian-hang/:supplier/khieu-nai") { request, context in
            await visit(request, secure: isSecure(request)) {
                try await sellerComplaints(
                    $0, supplier: context.parameters.get("supplier"), result: Self.query(request, "ket-qua"))
            }
        }
        for (word, accept) in [("chap-nhan", true), ("khong-dong-y", false)] {
            router.post("gian-hang/khieu-nai/:id/\(word)") { request, context in
                await post(request, secure: isSecure(request)) { visitor, fields in
                    try await sellerAnswerComplaint(
                        &visitor, complaint: context.parameters.get("id"), accept: accept, fields)
                }
            }
        }
        router.get("gian-hang/:supplier/chi-tra") { request, context in
            await visit(request, secure: isSecure(request)) {
                try await sellerRemittances(
                    $0, supplier: context.parameters.get("supplier"), result: Self.query(request, "ket-qua"))
            }
        }
        router.get("gian-hang/:supplier/thanh-vien") { request, context in
            await visit(request, secure: isSecure(request)) {
                try await sellerMembers(
                    $0, supplier: context.parameters.get("supplier"), result: Self.query(request, "ket-qua"))
            }
        }
        router.post("gian-hang/:supplier/thanh-vien") { request, context in
            await post(request, secure: isSecure(request)) { visitor, fields in
                try await sellerInvite(&visitor, supplier: context.parameters.get("supplier"), fields)
            }
        }
        router.post("gian-hang/:supplier/thanh-vien/bo") { request, context in
            await post(request, secure: isSecure(request)) { visitor, fields in
                try await sellerRemoveMember(&visitor, supplier: context.parameters.get("supplier"), fields)
            }
        }
        router.get("gian-hang/:supplier/san-pham/moi") { request, context in
            await visit(request, secure: isSecure(request)) {
                try await sellerNewProduct($0, supplier: context.parameters.get("supplier"))
            }
        }
        router.post("gian-hang/:supplier/san-pham") { request, context in
            await visit(request, secure: isSecure(request)) {
                try await sellerCreateProduct($0, supplier: context.parameters.get("supplier"), request: request)
            }
        }
        for (action, word) in [(PackageAction.accept, "xac-nhan"), (.reject, "tu-choi"), (.markReady, "san-sang")] {
            router.post("gian-hang/kien-hang/:id/\(word)") { request, context in
                await post(request, secure: isSecure(request)) { visitor, fields in
                    try await sellerMove(&visitor, package: context.parameters.get("id"), action, fields)
                }
            }
        }
        router.get("gian-hang/kien-hang/:id/nhan") { request, context in
            await visit(request, secure: isSecure(request)) {
                try await sellerLabel($0, package: context.parameters.get("id"))
            }
        }
        router.get("gian-hang/san-pham/:id") { request, context in
            await visit(request, secure: isSecure(request)) {
                try await sellerProduct($0, id: context.parameters.get("id"), result: Self.query(request, "ket-qua"))
            }
        }
        router.post("gian-hang/san-pham/:id") { request, context in
            await post(request, secure: isSecure(request)) { visitor, fields in
                try await sellerSaveProduct(&visitor, id: context.parameters.get("id"), fields)
            }
        }
        router.post("gian-hang/san-pham/:id/gui-duyet") { request, context in
            await post(request, secure: isSecure(request)) { visitor, _ in
                try await sellerSubmit(&visitor, id: context.parameters.get("id"))
            }
        }
        router.post("gian-hang/san-pham/:id/kho") { request, context in
            await post(request, secure: isSecure(request)) { visitor, fields in
                try await sellerStock(&visitor, id: context.parameters.get("id"), fields)
            }
        }
        router.post("gian-hang/san-pham/:id/loai") { request, context in
            await post(request, secure: isSecure(request)) { visitor, fields in
                try await sellerAddVariant(&visitor, id: context.parameters.get("id"), fields)
            }
        }
        router.post("gian-hang/san-pham/:id/loai/:variant") { request, context in
            await post(request, secure: isSecure(request)) { visitor, fields in
                try await sellerUpdateVariant(
                    &visitor, id: context.parameters.get("id"), variant: context.parameters.get("variant"), fields)
            }
        }
        router.post("gian-hang/:supplier/chi-tra/tai-khoan") { request, context in
            await post(request, secure: isSecure(request)) { visitor, fields in
                try await sellerSetPayout(&visitor, supplier: context.parameters.get("supplier"), fields)
            }
        }
        router.post("gian-hang/san-pham/:id/ocop") { request, context in
            await post(request, secure: isSecure(request)) { visitor, fields in
                try await sellerCertificate(&visitor, id: context.parameters.get("id"), fields)
            }
        }
        router.post("gian-hang/san-pham/:id/anh") { request, context in
            await visit(request, secure: isSecure(request)) {
                try await sellerAddPhoto($0, id: context.parameters.get("id"), request: request)
            }
        }
    }

    /// A stored photo file: immutable (its name is its content's hash), so cached for a year.
    func photo(_ name: String) async -> Response {
        var headers = PageResponse.securityHeaders
        guard let parsed = PhotoRules.parse(fileName: name) else {
            return Response(status: .notFound, headers: headers)
        }
        do {
            guard let bytes = try await services.photos.get(name) else {
                return Response(status: .notFound, headers: headers)
            }
            headers[.contentType] = parsed.webp ? "image/webp" : "image/jpeg"
            headers[.cacheControl] = "public, max-age=31536000, immutable"
            headers[.eTag] = "\"\(name)\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        } catch {
            logger.error("photo read failed", metadata: ["name": "\(name)", "error": "\(error)"])
            return Response(status: .serviceUnavailable, headers: headers)
        }
    }
}
