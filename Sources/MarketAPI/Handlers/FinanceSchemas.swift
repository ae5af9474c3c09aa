import Foundation
import Logistics

extension Handover {
    var schema: Components.Schemas.Handover {
        .init(
            id: id.text, courierId: courierID.text, postOfficeId: postOfficeID.text, businessDay: businessDay,
            parcelCount: parcelCount, expectedVnd: expectedVND, countedVnd: countedVND, differenceVnd: differenceVND,
            discrepancyId: discrepancyID?.text, createdAt: createdAt)
    }
}

extension Discrepancy {
    var schema: Components.Schemas.Discrepancy {
        .init(
            id: id.text, kind: kind == "handover" ? .handover : .collection, courierId: courierID?.text,
            postOfficeId: postOfficeID?.text, packageId: packageID?.text, handoverId: handoverID?.text,
            businessDay: businessDay, amountVnd: amountVND, status: status == "open" ? .open : .resolved,
            resolution: resolution, openedAt: openedAt, resolvedAt: resolvedAt,
            comments: comments.map { .init(authorId: $0.authorID.text, body: $0.body, createdAt: $0.createdAt) })
    }
}

extension RemittanceBatch {
    var schema: Components.Schemas.RemittanceBatch {
        .init(
            id: id.text, number: number, cutoffAt: cutoffAt, createdAt: createdAt, totalVnd: totalVND,
            lines: lines.map { line in
                .init(
                    id: line.id.text, lineNo: line.lineNo, supplierId: line.supplierID.text,
                    supplierName: line.supplierName,
                    payoutMethod: line.payoutMethod == "counter_cash" ? .counterCash : .bankTransfer,
                    bankBin: line.bankBIN, bankName: line.bankName, accountNo: line.accountNo,
                    accountName: line.accountName, amountVnd: line.amountVND, parcelCount: line.parcelCount,
                    status: .init(rawValue: line.status) ?? .pending, bankReference: line.bankReference,
                    failureReason: line.failureReason, description: line.description,
                    vietqrPayload: line.payoutMethod == "bank_transfer"
                        ? try? VietQR.payload(
                            bankBIN: line.bankBIN ?? "", accountNo: line.accountNo ?? "", amountVND: line.amountVND,
                            description: line.description) : nil)
            })
    }
}

extension StatementImport {
    var schema: Components.Schemas.StatementImport {
        .init(
            id: id.text, alreadyImported: alreadyImported,
            rows: rows.map {
                .init(
                    rowNo: $0.rowNo, bankReference: $0.bankReference, amountVnd: $0.amountVND,
                    outcome: .init(rawValue: $0.outcome) ?? .unmatched, lineId: $0.lineID?.text)
            })
    }
}

extension ReconciliationRow {
    var schema: Components.Schemas.Reconciliation.ItemsPayloadPayload {
        .init(
            id: id.text, name: name, parcels: parcels, expectedCodVnd: expectedCODVND, collectedVnd: collectedVND,
            handedOverVnd: handedOverVND, remittedVnd: remittedVND, outstandingVnd: outstandingVND,
            openDiscrepancies: openDiscrepancies, openDiscrepancyVnd: openDiscrepancyVND)
    }
}

extension SupplierRemittance {
    var schema: Components.Schemas.SupplierRemittanceList.ItemsPayloadPayload {
        .init(
            batchId: batchID.text, batchNumber: batchNumber, lineId: lineID.text, amountVnd: amountVND,
            status: .init(rawValue: status) ?? .pending, bankReference: bankReference, createdAt: createdAt,
            parcels: parcels.map { .init(packageId: $0.packageID.text, trackingNo: $0.trackingNo, netVnd: $0.netVND) })
    }
}
