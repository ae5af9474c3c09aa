import Foundation
import Kernel

/// A photo from a producer's phone becoming one of a product's images: checked and resized by the
/// processor, its files stored, its URL appended to the product. The API's upload and the seller
/// pages' both come here, so the limits, the stripping of EXIF and the scope are one.
public struct ProductPhotos: Sendable {
    let products: ProductStore
    let store: any PhotoStore
    /// Nil when libvips' tools are missing: uploads are refused, everything else works.
    let processor: PhotoProcessor?

    public init(products: ProductStore, store: any PhotoStore, processor: PhotoProcessor?) {
        self.products = products
        self.store = store
        self.processor = processor
    }

    /// Appends the photo to the product. Who may change the product is checked before a byte is
    /// decoded: a stranger learns nothing, and costs no resizing.
    public func add(_ bytes: [UInt8], to id: UUID, origin: String, caller: Caller) async throws -> Product {
        // The role first, as the store's writes do: a buyer is refused the same way on any product.
        let principal = try caller.signedIn()
        try principal.require(.producer)
        let product = try await products.get(id, caller: caller)
        try principal.requireMember(of: product.scope, "product")
        let url = try await store(bytes, origin: origin)
        return try await products.addImage(url, to: id, caller: caller)
    }

    /// Stores the photo and returns its URL (the widest JPEG, under `origin`), for a product about
    /// to be created with it.
    public func store(_ bytes: [UInt8], origin: String) async throws -> String {
        guard let processor else {
            throw DomainError.unprocessable(
                kind: "photos-unavailable", detail: "This server cannot resize photos (libvips-tools is missing).")
        }
        let photo = try await processor.process(bytes)
        for file in photo.files { try await store.put(file.name, file.bytes) }
        return origin + "/anh/" + PhotoRules.fileName(id: photo.id, width: PhotoRules.widths.last ?? 1280, webp: false)
    }
}
