import Foundation
import Kernel
import Testing

@testable import Logistics

@Suite("Complaint rules")
struct ComplaintRulesTests {
    let delivered = Date(timeIntervalSince1970: 1_800_000_000)
    let fishSauce = DeliveredLine(
        orderLineID: UUID(), title: "Nước mắm Cửa Đại", variantName: "Chai 500 ml", quantity: 3, unitPriceVND: 85_000,
        windowDays: 3)
    let basket = DeliveredLine(
        orderLineID: UUID(), title: "Giỏ mây", variantName: "Cỡ vừa", quantity: 1, unitPriceVND: 240_000, windowDays: 7)

    @Test func theWindowIsWholeDaysAfterDelivery() {
        let day: TimeInterval = 86_400
        #expect(ComplaintRules.isWithinWindow(fishSauce, deliveredAt: delivered, now: delivered + 3 * day - 1))
        #expect(!ComplaintRules.isWithinWindow(fishSauce, deliveredAt: delivered, now: delivered + 3 * day))
        #expect(ComplaintRules.isWithinWindow(basket, deliveredAt: delivered, now: delivered + 6 * day))
    }

    @Test func theWholePackageOrSomeLinesAreClaimedAtTheirPrice() throws {
        let whole = try ComplaintRules.claimed(nil, of: [fishSauce, basket], deliveredAt: delivered, now: delivered)
        #expect(whole.map(\.amountVND) == [255_000, 240_000])
        let some = try ComplaintRules.claimed(
            [(fishSauce.orderLineID, 2)], of: [fishSauce, basket], deliveredAt: delivered, now: delivered)
        #expect(some.count == 1 && some[0].amountVND == 170_000 && some[0].quantity == 2)
    }

    @Test func linesOutsideThePackageBeyondTheQuantityOrPastTheWindowAreNamed() {
        func fields(_ body: () throws -> Void) -> [String] {
            do {
                try body()
                return []
            } catch {
                guard case .validation(let errors) = error as? DomainError else { return ["?"] }
                return errors.map(\.field)
            }
        }
        #expect(
            fields {
                _ = try ComplaintRules.claimed(
                    [(UUID(), 1), (fishSauce.orderLineID, 4)], of: [fishSauce], deliveredAt: delivered, now: delivered)
            } == ["lines[0].order_line_id", "lines[1].quantity"])
        // Four days on: the fish sauce's window closed, the basket's did not.
        let later = delivered + 4 * 86_400
        #expect(
            fields {
                _ = try ComplaintRules.claimed(
                    [(basket.orderLineID, 1), (fishSauce.orderLineID, 1)], of: [fishSauce, basket],
                    deliveredAt: delivered,
                    now: later)
            } == ["lines[1].order_line_id"])
        #expect(
            fields { _ = try ComplaintRules.claimed(nil, of: [fishSauce], deliveredAt: delivered, now: later) }
                == ["package"])
    }

    @Test func theStateMachine() {
        let apply = ComplaintRules.apply
        #expect(apply(.accept(returnGoods: false), .open, nil) == .refunded)
        #expect(apply(.accept(returnGoods: true), .open, nil) == .awaitingReturn)
        #expect(apply(.acceptByDeadline, .open, nil) == .refunded)
        #expect(apply(.dispute, .open, nil) == .disputed)
        #expect(apply(.decideRefund(liable: .seller, returnGoods: true), .disputed, nil) == .awaitingReturn)
        #expect(apply(.decideRefund(liable: .postOffice, returnGoods: false), .disputed, nil) == .refunded)
        // Transport's damage stays with the buyer: no return at the post office's cost.
        #expect(apply(.decideRefund(liable: .postOffice, returnGoods: true), .disputed, nil) == nil)
        #expect(apply(.decideReject, .disputed, nil) == .rejected)
        #expect(apply(.returnPickedUp, .awaitingReturn, .awaitingPickup) == .refunded)
        #expect(apply(.returnDelivered, .refunded, .pickedUp) == .refunded)
        // Nothing twice, nothing out of turn.
        for status in ComplaintStatus.allCases where status != .open {
            #expect(apply(.accept(returnGoods: false), status, nil) == nil)
            #expect(apply(.dispute, status, nil) == nil)
            #expect(apply(.acceptByDeadline, status, nil) == nil)
        }
        #expect(apply(.decideReject, .open, nil) == nil)
        #expect(apply(.returnPickedUp, .awaitingReturn, .pickedUp) == nil)
        #expect(apply(.returnDelivered, .refunded, .delivered) == nil)
        #expect(apply(.returnDelivered, .refunded, nil) == nil)
    }

    @Test func theRefundIsOwedWhenGrantedWithoutReturnOrWhenTheGoodsArePickedUp() {
        #expect(ComplaintRules.owesRefund(.accept(returnGoods: false), after: .refunded))
        #expect(!ComplaintRules.owesRefund(.accept(returnGoods: true), after: .awaitingReturn))
        #expect(ComplaintRules.owesRefund(.returnPickedUp, after: .refunded))
        #expect(!ComplaintRules.owesRefund(.returnDelivered, after: .refunded))
        #expect(!ComplaintRules.owesRefund(.decideReject, after: .rejected))
    }

    @Test func aNewComplaintIsCheckedBeforeAnythingIsRead() throws {
        let ok = try NewComplaint.validated(
            reason: "damaged", description: "Móp hộp", lines: nil, photoURLs: ["https://a.vn/1.jpg", "/anh/abc.webp"],
            refundAccount: ("970436", "0071000123456", "Nguyễn Thị Đào"))
        #expect(ok.refundAccount?.accountName == "NGUYEN THI DAO")
        #expect(throws: DomainError.self) {
            try NewComplaint.validated(
                reason: "late", description: " ", lines: [], photoURLs: ["javascript:alert(1)", "//evil.example/x"],
                refundAccount: ("97043", "12", "!!"))
        }
    }

    @Test func complaintChargesAreNettedFromTheSellersParcelsAndCarriedWhileShort() {
        let seller = UUID()
        let parcel = PayableParcel(packageID: UUID(), supplierID: seller, sellerShareVND: 100_000, returnChargeVND: 0)
        let refund = PayableCharge(transactionID: UUID(), supplierID: seller, amountVND: 150_000)
        let short = RemittanceNetting.lines([parcel], charges: [refund])
        #expect(short.lines.isEmpty && short.carriedOver == [seller])
        let next = PayableParcel(packageID: UUID(), supplierID: seller, sellerShareVND: 90_000, returnChargeVND: 0)
        let netted = RemittanceNetting.lines([parcel, next], charges: [refund])
        #expect(netted.lines.count == 1)
        #expect(netted.lines[0].amountVND == 40_000)
        #expect(netted.lines[0].chargeIDs == [refund.transactionID])
        #expect(netted.lines[0].packageIDs.count == 2)
        // Charges alone never make a line.
        let alone = RemittanceNetting.lines([], charges: [refund])
        #expect(alone.lines.isEmpty && alone.carriedOver == [seller])
    }

    @Test func postingsForRefundsBalance() {
        let seller = UUID()
        let office = UUID()
        let refund = Postings.complaintRefund(120_000, supplier: seller)
        #expect(refund.isBalanced && refund.kind == "complaint_refund")
        #expect(refund.postings.first { $0.account == AccountRef(.sellerPayable, seller) }?.amountVND == 120_000)
        let claim = Postings.transportClaim(120_000, postOffice: office)
        #expect(claim.isBalanced)
        #expect(claim.postings.first { $0.account == AccountRef(.refundsPayable) }?.amountVND == -120_000)
    }
}
