import Foundation
import Orders
import Testing

@testable import Logistics

@Suite("Scan state machine and out-of-order replay")
struct ScanHistoryTests {
    static let start = ParcelState(status: .readyForPickup)
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static func scan(_ type: ScanType, _ minute: Double, received: Double? = nil) -> RecordedScan {
        RecordedScan(
            id: UUID(), type: type, occurredAt: t0 + minute * 60, receivedAt: t0 + (received ?? minute) * 60,
            postOfficeID: nil, applied: false)
    }

    @Test(arguments: [
        (ScanType.pickedUp, PackageStatus.readyForPickup, PackageStatus?.some(.pickedUp)),
        (.arrivedAtHub, .pickedUp, .inTransit),
        (.arrivedAtHub, .inTransit, .inTransit),
        (.arrivedAtHub, .returning, .returning),
        (.outForDelivery, .inTransit, .outForDelivery),
        (.delivered, .outForDelivery, .delivered),
        (.deliveryFailed, .outForDelivery, .waitingForInstruction),
        (.outForDelivery, .waitingForInstruction, .outForDelivery),
        (.redeliveryRequested, .waitingForInstruction, .inTransit),
        (.returnRequested, .waitingForInstruction, .returning),
        (.redeliveryRequested, .inTransit, nil),
        (.returnRequested, .outForDelivery, nil),
        (.returnedToSender, .returning, .returned),
        (.pickedUp, .pickedUp, nil),
        (.delivered, .inTransit, nil),
        (.outForDelivery, .delivered, nil),
        (.returnedToSender, .inTransit, nil),
        (.arrivedAtHub, .readyForPickup, nil),
    ])
    func transitions(scan: ScanType, from: PackageStatus, to: PackageStatus?) {
        #expect(ParcelState(status: from).after(scan, maxAttempts: 3)?.status == to)
    }

    @Test func theLastAllowedFailureSendsTheParcelBack() {
        var state = ParcelState(status: .outForDelivery)
        for attempt in 1...3 {
            guard let failed = state.after(.deliveryFailed, maxAttempts: 3) else {
                Issue.record("failure \(attempt) refused")
                return
            }
            #expect(failed.attempts == attempt)
            #expect(failed.status == (attempt < 3 ? .waitingForInstruction : .returning))
            state = failed.after(.outForDelivery, maxAttempts: 3) ?? failed
        }
        #expect(ParcelState(status: .outForDelivery).after(.deliveryFailed, maxAttempts: 1)?.status == .returning)
    }

    @Test func aRefusalSendsTheParcelBackAtOnce() {
        let refused = ParcelState(status: .outForDelivery).after(.deliveryFailed, reason: .refused, maxAttempts: 3)
        #expect(refused?.status == .returning)
        #expect(refused?.attempts == 1)
        for reason in FailureReason.allCases where reason != .refused {
            #expect(
                ParcelState(status: .outForDelivery).after(.deliveryFailed, reason: reason, maxAttempts: 3)?.status
                    == .waitingForInstruction, "\(reason)")
        }
    }

    @Test func failuresWithinOneShiftCountOnce() {
        // 08:00 and 10:30 the same morning (UTC+7), then 15:00 that afternoon.
        let morning = Self.t0
        var state = ParcelState(status: .outForDelivery)
        state = state.after(.deliveryFailed, reason: .recipientAbsent, at: morning, maxAttempts: 2) ?? state
        #expect(state.attempts == 1)
        state = state.after(.outForDelivery, maxAttempts: 2) ?? state
        state = state.after(.deliveryFailed, reason: .phoneUnreachable, at: morning + 9000, maxAttempts: 2) ?? state
        #expect(state.attempts == 1)
        #expect(state.status == .waitingForInstruction)
        state = state.after(.outForDelivery, maxAttempts: 2) ?? state
        let afternoon = morning + 7 * 3600
        #expect(DeliveryShift.key(afternoon) != DeliveryShift.key(morning))
        state = state.after(.deliveryFailed, reason: .recipientAbsent, at: afternoon, maxAttempts: 2) ?? state
        #expect(state.attempts == 2)
        #expect(state.status == .returning)
    }

    @Test func instructionsJoinTheReplayInTheOrderThingsHappened() {
        var failed = Self.scan(.deliveryFailed, 130)
        failed.reason = .postponed
        let history = [
            Self.scan(.pickedUp, 0), Self.scan(.arrivedAtHub, 60), Self.scan(.outForDelivery, 120), failed,
        ]
        let held = ScanHistory.replay(history, from: Self.start, maxAttempts: 3)
        #expect(held.state.status == .waitingForInstruction)
        #expect(held.lastFailureAt == failed.occurredAt)
        let again = ScanHistory.replay(
            history + [Self.scan(.redeliveryRequested, 200), Self.scan(.outForDelivery, 300)], from: Self.start,
            maxAttempts: 3)
        #expect(again.state.status == .outForDelivery)
        let back = ScanHistory.replay(history + [Self.scan(.returnRequested, 200)], from: Self.start, maxAttempts: 3)
        #expect(back.state.status == .returning)
        // Before any failure an instruction does not fit (the service refuses what does not apply now).
        let early = ScanHistory.admit(
            Self.scan(.returnRequested, 100), to: Array(history.prefix(2)), from: Self.start, maxAttempts: 3)
        if case .applied = early { Issue.record("a return asked for before any attempt applied") }
    }

    @Test func replayFollowsWhenThingsHappenedNotWhenTheyArrived() {
        let hub = Self.scan(.arrivedAtHub, 60, received: 61)
        let pickup = Self.scan(.pickedUp, 0, received: 120)
        let replay = ScanHistory.replay([hub, pickup], from: Self.start, maxAttempts: 3)
        #expect(replay.state.status == .inTransit)
        #expect(replay.applied == [pickup.id, hub.id])
    }

    @Test func aScanAheadOfItsTimeWaitsAndAppliesWhenTheGapFills() {
        let hub = Self.scan(.arrivedAtHub, 60)
        guard case .waiting(let waiting) = ScanHistory.admit(hub, to: [], from: Self.start, maxAttempts: 3) else {
            Issue.record("hub scan before pickup should wait")
            return
        }
        #expect(waiting.state.status == .readyForPickup)
        let pickup = Self.scan(.pickedUp, 0, received: 90)
        let admitted = ScanHistory.admit(pickup, to: [hub], from: Self.start, maxAttempts: 3)
        guard case .applied(let replay, let newlyApplied) = admitted else {
            Issue.record("pickup should apply")
            return
        }
        #expect(newlyApplied == [pickup.id, hub.id])
        #expect(replay.state.status == .inTransit)
    }

    @Test func aScanThatWouldUndoWhatTookEffectIsRefused() {
        let pickup = Self.scan(.pickedUp, 0)
        let hub = Self.scan(.arrivedAtHub, 60)
        let out = Self.scan(.outForDelivery, 120)
        let delivered = Self.scan(.delivered, 180)
        var recorded = [pickup, hub, out, delivered]
        for index in recorded.indices { recorded[index].applied = true }
        // A failed attempt reported late, between "out for delivery" and "delivered", would make the
        // delivery no longer fit: refused, since the delivery already took effect.
        let failed = Self.scan(.deliveryFailed, 150, received: 300)
        #expect(
            ScanHistory.admit(failed, to: recorded, from: Self.start, maxAttempts: 3)
                == .refused(current: ParcelState(status: .delivered)))
        // A second pickup can never fit after the first.
        let again = Self.scan(.pickedUp, 30, received: 300)
        #expect(
            ScanHistory.admit(again, to: recorded, from: Self.start, maxAttempts: 3)
                == .refused(current: ParcelState(status: .delivered)))
    }

    @Test func aDuplicateScanOfAStepAlreadyPassedIsRefusedNotKept() {
        let pickup = Self.scan(.pickedUp, 0)
        let hub = Self.scan(.arrivedAtHub, 60)
        let duplicateHub = Self.scan(.pickedUp, 90)
        let admitted = ScanHistory.admit(duplicateHub, to: [pickup, hub], from: Self.start, maxAttempts: 3)
        if case .refused(let current) = admitted {
            #expect(current.status == .inTransit)
        } else {
            Issue.record("expected refusal, got \(admitted)")
        }
    }

    @Test func reachabilityFollowsTheStateMachine() {
        #expect(ParcelState(status: .readyForPickup).canReach(.delivered, maxAttempts: 3))
        #expect(ParcelState(status: .inTransit).canReach(.returnedToSender, maxAttempts: 3))
        #expect(!ParcelState(status: .pickedUp).canReach(.pickedUp, maxAttempts: 3))
        #expect(!ParcelState(status: .delivered).canReach(.outForDelivery, maxAttempts: 3))
    }
}

@Suite("Shift timetable and business days")
struct TimetableTests {
    static func at(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text) ?? .distantPast
    }

    @Test func shiftsArePlannedInTheHourBeforeTheyStart() {
        #expect(ShiftTimetable.due(at: Self.at("2026-11-27T07:30:00+07:00")).map(\.shift) == [.morning])
        #expect(ShiftTimetable.due(at: Self.at("2026-11-27T06:59:00+07:00")).isEmpty)
        #expect(ShiftTimetable.due(at: Self.at("2026-11-27T08:00:00+07:00")).isEmpty)
        let afternoon = ShiftTimetable.due(at: Self.at("2026-11-27T12:45:00+07:00"))
        #expect(afternoon.map(\.shift) == [.afternoon])
        #expect(afternoon.map(\.day) == ["2026-11-27"])
        // 00:30 in Hà Nội is still the previous day in UTC: the business day is Vietnam's.
        #expect(BusinessDay.string(for: Self.at("2026-11-26T17:30:00Z")) == "2026-11-27")
    }

    @Test func businessDaysAreRealDates() {
        #expect(BusinessDay.start(of: "2026-02-29") == nil)
        #expect(BusinessDay.start(of: "2028-02-29") != nil)
        #expect(BusinessDay.start(of: "2026-1-01") == nil)
        #expect(BusinessDay.adding(1, to: "2026-12-31") == "2027-01-01")
    }
}
