import Catalog
import Foundation
import Kernel
import MarketWeb
import OpenAPIRuntime

extension APIHandlers {
    func listCategories(_ input: Operations.ListCategories.Input) async throws -> Operations.ListCategories.Output {
        .ok(.init(body: .json(.init(items: try await reference.categories().map(\.schema), nextCursor: nil))))
    }

    func listBanks(_ input: Operations.ListBanks.Input) async throws -> Operations.ListBanks.Output {
        let banks = try await reference.banks().map {
            Components.Schemas.Bank(bin: $0.bin, shortName: $0.shortName, name: $0.name)
        }
        return .ok(.init(body: .json(.init(items: banks, nextCursor: nil))))
    }

    func searchProducts(_ input: Operations.SearchProducts.Input) async throws -> Operations.SearchProducts.Output {
        let q = input.query
        let search = try ProductSearch.validated(
            q: q.q, category: q.category, province: q.province, ocopMinStars: q.ocopMinStars, priceMin: q.priceMin,
            priceMax: q.priceMax, supplierID: q.supplierId, inStock: q.inStock, sort: q.sort?.rawValue, limit: q.limit,
            cursor: q.cursor, intents: try await searchStore.intents(),
            places: try await searchStore.places())
        let result = try await searchStore.search(search)
        let facets = Components.Schemas.SearchPage.FacetsPayload(
            complete: result.facets.complete, category: result.facets.category.map(\.schema),
            province: result.facets.province.map(\.schema),
            stars: result.facets.stars.map(\.schema))
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: result.hits.map(\.schema), nextCursor: result.next?.encoded,
                        correctedQ: result.correctedText, facets: facets))))
    }

    func getProduct(_ input: Operations.GetProduct.Input) async throws -> Operations.GetProduct.Output {
        let id = try parseID(input.path.productId, "product")
        return .ok(.init(body: .json(try await products.get(id, caller: caller).schema)))
    }

    func listSupplierProducts(_ input: Operations.ListSupplierProducts.Input) async throws
        -> Operations.ListSupplierProducts.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.supplierId, "supplier")
        let limit = try PageCursor.limit(input.query.limit)
        let cursor = try input.query.cursor.map { text throws(DomainError) in try PageCursor.decode(text) }
        let status = input.query.status.flatMap { ProductStatus(rawValue: $0.rawValue) }
        let page = try await products.list(supplier: id, status: status, limit: limit, after: cursor, caller: caller)
        return .ok(.init(body: .json(.init(items: page.items.map(\.schema), nextCursor: page.next?.encoded))))
    }

    func createProduct(_ input: Operations.CreateProduct.Input) async throws -> Operations.CreateProduct.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.supplierId, "supplier")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let new = try NewProduct.validated(
            title: body.title, description: body.description, categoryCode: body.categoryCode,
            originProvinceCode: body.originProvinceCode, images: body.images,
            isRegionalSpecialty: body.isRegionalSpecialty,
            variants: try body.variants.enumerated().map { index, variant throws(DomainError) in
                try variant.draft(prefix: "variants[\(index)].")
            })
        return .created(.init(body: .json(try await products.create(new, supplier: id, caller: caller).schema)))
    }

    func updateProduct(_ input: Operations.UpdateProduct.Input) async throws -> Operations.UpdateProduct.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.productId, "product")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let patch = try ProductPatch.validated(
            title: body.title, description: body.description, categoryCode: body.categoryCode,
            originProvinceCode: body.originProvinceCode, images: body.images,
            isRegionalSpecialty: body.isRegionalSpecialty)
        return .ok(.init(body: .json(try await products.update(id, patch, caller: caller).schema)))
    }

    func submitProduct(_ input: Operations.SubmitProduct.Input) async throws -> Operations.SubmitProduct.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.productId, "product")
        return .ok(.init(body: .json(try await products.transition(id, .submit, reason: nil, caller: caller).schema)))
    }

    func approveProduct(_ input: Operations.ApproveProduct.Input) async throws -> Operations.ApproveProduct.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.productId, "product")
        return .ok(.init(body: .json(try await products.transition(id, .approve, reason: nil, caller: caller).schema)))
    }

    func rejectProduct(_ input: Operations.RejectProduct.Input) async throws -> Operations.RejectProduct.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.productId, "product")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let reason = try validatedReason(body.reason, required: true, field: "reason")
        return .ok(
            .init(body: .json(try await products.transition(id, .reject, reason: reason, caller: caller).schema)))
    }

    func archiveProduct(_ input: Operations.ArchiveProduct.Input) async throws -> Operations.ArchiveProduct.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.productId, "product")
        return .ok(.init(body: .json(try await products.transition(id, .archive, reason: nil, caller: caller).schema)))
    }

    func addProductPhoto(_ input: Operations.AddProductPhoto.Input) async throws
        -> Operations.AddProductPhoto.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.productId, "product")
        guard case .multipartForm(let parts) = input.body else { throw DomainError.invalid("photo", "send a photo") }
        var photo: [UInt8]?
        // Parts arrive as a stream and must be read in order; anything besides the one photo is drained.
        do {
            for try await part in parts {
                switch part {
                case .photo(let file):
                    photo = try await Self.bytes(of: file.payload.body)
                case .undocumented(let raw):
                    _ = try await Self.bytes(of: raw.body)
                }
            }
        } catch let error as DomainError {
            throw error
        } catch {
            // The runtime's multipart parser: broken framing, a missing or repeated `photo`, a part
            // that says it is not an image.
            throw DomainError.badRequest(
                kind: "malformed-form", detail: "The multipart body could not be read: \(error)")
        }
        guard let photo else { throw DomainError.invalid("photo", "send a photo") }
        let origin = RequestScope.facts.map { PublicOrigin.of($0.head) } ?? "http://localhost"
        return .created(
            .init(body: .json(try await productPhotos.add(photo, to: id, origin: origin, caller: caller).schema)))
    }

    /// A part's bytes, at most the photo limit (the body as a whole is bounded by the middleware).
    static func bytes(of body: HTTPBody) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await chunk in body {
            guard bytes.count + chunk.count <= PhotoRules.maxBytes else {
                throw DomainError.invalid("photo", "must be at most \(PhotoRules.maxBytes >> 20) MB")
            }
            bytes += chunk
        }
        return bytes
    }

    func addVariant(_ input: Operations.AddVariant.Input) async throws -> Operations.AddVariant.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.productId, "product")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        return .created(
            .init(body: .json(try await products.addVariant(try body.draft(), product: id, caller: caller).schema)))
    }

    func updateVariant(_ input: Operations.UpdateVariant.Input) async throws -> Operations.UpdateVariant.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.productId, "product")
        let variantID = try parseID(input.path.variantId, "variant")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let patch = try VariantPatch.validated(
            name: body.name, priceVND: body.priceVnd, weightGrams: body.weightGrams, isActive: body.isActive,
            lengthCM: body.lengthCm, widthCM: body.widthCm, heightCM: body.heightCm)
        return .ok(
            .init(body: .json(try await products.updateVariant(variantID, of: id, patch, caller: caller).schema)))
    }

    func adjustStock(_ input: Operations.AdjustStock.Input) async throws -> Operations.AdjustStock.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.productId, "product")
        let variantID = try parseID(input.path.variantId, "variant")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let adjustment = try await products.adjustStock(
            variant: variantID, of: id, delta: body.delta, reason: body.reason, caller: caller)
        return .created(.init(body: .json(adjustment.schema)))
    }

    func listStockAdjustments(_ input: Operations.ListStockAdjustments.Input) async throws
        -> Operations.ListStockAdjustments.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.productId, "product")
        let variantID = try parseID(input.path.variantId, "variant")
        let limit = try PageCursor.limit(input.query.limit)
        let cursor = try input.query.cursor.map { text throws(DomainError) in try PageCursor.decode(text) }
        let page = try await products.stockAdjustments(
            variant: variantID, of: id, limit: limit, after: cursor, caller: caller)
        return .ok(.init(body: .json(.init(items: page.items.map(\.schema), nextCursor: page.next?.encoded))))
    }

    func listProductsForReview(_ input: Operations.ListProductsForReview.Input) async throws
        -> Operations.ListProductsForReview.Output
    {
        let caller = try signedIn()
        let limit = try PageCursor.limit(input.query.limit)
        let cursor = try input.query.cursor.map { text throws(DomainError) in try PageCursor.decode(text) }
        let page = try await products.reviewQueue(limit: limit, after: cursor, caller: caller)
        return .ok(.init(body: .json(.init(items: page.items.map(\.schema), nextCursor: page.next?.encoded))))
    }

    // MARK: OCOP

    func listOcopCertifications(_ input: Operations.ListOcopCertifications.Input) async throws
        -> Operations.ListOcopCertifications.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.productId, "product")
        let items = try await ocop.list(product: id, caller: caller)
        return .ok(.init(body: .json(.init(items: items.map(\.schema), nextCursor: nil))))
    }

    func recordOcopCertification(_ input: Operations.RecordOcopCertification.Input) async throws
        -> Operations.RecordOcopCertification.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.productId, "product")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let claim = try OcopRules.validate(
            stars: body.stars, certificateNo: body.certificateNo, issuedBy: body.issuedBy.rawValue,
            issuedOn: body.issuedOn, expiresOn: body.expiresOn, today: .today())
        return .created(.init(body: .json(try await ocop.record(claim, product: id, caller: caller).schema)))
    }

    func verifyOcopCertification(_ input: Operations.VerifyOcopCertification.Input) async throws
        -> Operations.VerifyOcopCertification.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.certificationId, "certificate")
        return .ok(.init(body: .json(try await ocop.review(id, verify: true, note: nil, caller: caller).schema)))
    }

    func rejectOcopCertification(_ input: Operations.RejectOcopCertification.Input) async throws
        -> Operations.RejectOcopCertification.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.certificationId, "certificate")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let reason = try validatedReason(body.reason, required: true, field: "reason")
        return .ok(.init(body: .json(try await ocop.review(id, verify: false, note: reason, caller: caller).schema)))
    }

    func listOcopCertificationsForReview(_ input: Operations.ListOcopCertificationsForReview.Input) async throws
        -> Operations.ListOcopCertificationsForReview.Output
    {
        let caller = try signedIn()
        let limit = try PageCursor.limit(input.query.limit)
        let cursor = try input.query.cursor.map { text throws(DomainError) in try PageCursor.decode(text) }
        let page = try await ocop.reviewQueue(limit: limit, after: cursor, caller: caller)
        return .ok(.init(body: .json(.init(items: page.items.map(\.schema), nextCursor: page.next?.encoded))))
    }
}
