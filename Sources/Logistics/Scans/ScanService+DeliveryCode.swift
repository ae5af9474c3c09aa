import Foundation
import Kernel
import PostgresNIO

extension ScanService {
    /// A clerk of the parcel's delivering office has a new delivery code sent to the buyer (who could
    /// not find it, or whose parcel is locked after wrong codes). The clerk is told nothing of the
    /// code; the buyer gets it by the inbox and their channels. Another office's clerk: not found.
    public func reissueDeliveryCode(trackingNo text: String, caller: Caller) async throws {
        let principal = try caller.signedIn()
        try principal.require(.clerk)
        let trackingNo = try S10.parsed(text).description
        try await db.withTransaction(logger: logger) { connection in
            let parcel = try await lock(trackingNo, on: connection)
            guard let office = parcel.deliveryOffice, principal.worksAt(postOffice: office, as: .clerk) else {
                throw DomainError.notFound("No parcel with this tracking number.")
            }
            try await orders.reissueDeliveryCode(
                order: parcel.orderID, actor: principal.userID, requestID: caller.requestID, on: connection)
        }
    }
}
