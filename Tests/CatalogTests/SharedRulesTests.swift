import Foundation
import Kernel
import Testing

@testable import Catalog

@Suite("Validation, authorization and paging rules")
struct SharedRulesTests {
    @Test(arguments: [
        ("0905123456", "0905123456"), ("+84905123456", "0905123456"), ("84905123456", "0905123456"),
        ("0905 123 456", "0905123456"), ("0905.123.456", "0905123456"), ("+84 (0) 905 123 456", "0905123456"),
        ("+84 32 456 7890", "0324567890"), ("0865-123-456", "0865123456"), ("02353123456", "02353123456"),
        ("0236 3822 345", "02363822345"), ("024 3825 1234", "02438251234"), ("+84 28 3829 5555", "02838295555"),
    ])
    func vietnamesePhonesAreAcceptedInOneForm(_ phone: String, _ national: String) {
        #expect(VietnamesePhone.canonical(phone) == national)
        #expect(Validator.isVietnamesePhone(phone))
    }

    @Test(arguments: [
        "", "12345", "0005123456", "+8490512345", "090512345a", "+1 905 123 4567", "090512345678",
        // A pre-2018 11-digit mobile, a prefix no network has, a 10-digit landline, an unknown area code.
        "0123456789", "01223456789", "0905123456 7", "0601234567", "0235123456", "02003822345", "84 905 12",
        "++84905123456", "0905+123456", "0905/123/456",
    ])
    func numbersNoNetworkIssuesAreRejected(_ phone: String) {
        #expect(VietnamesePhone.canonical(phone) == nil)
    }

    @Test func numbersAreShownAsPeopleWriteThem() {
        #expect(VietnamesePhone.display("+84905123456") == "0905 123 456")
        #expect(VietnamesePhone.display("02363822345") == "0236 3822 345")
        #expect(VietnamesePhone.display("02438251234") == "024 3825 1234")
        #expect(VietnamesePhone.display("not a number") == "not a number")
    }

    @Test func emailsFollowTheDocumentedPattern() {
        #expect(Validator.isEmail("mai@example.vn"))
        #expect(Validator.isEmail("o'brien+x@sub.example.vn"))
        #expect(!Validator.isEmail("no-at.example.vn"))
        #expect(!Validator.isEmail("a@b"))
        #expect(!Validator.isEmail("a b@example.vn"))
        #expect(!Validator.isEmail("a@@example.vn"))
        #expect(!Validator.isEmail("a\u{0}@example.vn"))
    }

    @Test func textLengthsCountUnicodeScalarsAndRefuseControlCharacters() {
        var v = Validator()
        v.text("Hội An", "a", max: 6)
        v.text("   ", "b", max: 10)
        v.text("tab\there", "c", max: 20)
        v.text("xxxxxxx", "d", max: 6)
        v.paragraph("line one\nline two", "e", max: 100)
        #expect(v.errors.map(\.field) == ["b", "c", "d"])
        #expect(throws: DomainError.self) { try v.done() }
    }

    @Test func principalsAnswerRoleAndScopeQuestions() {
        let supplier = UUID()
        let office = UUID()
        let producer = Principal(
            userID: UUID(),
            grants: [
                RoleGrant(id: UUID(), role: .producer, supplierID: supplier, postOfficeID: nil, grantedAt: Date()),
                RoleGrant(id: UUID(), role: .buyer, supplierID: nil, postOfficeID: nil, grantedAt: Date()),
            ]
        )
        #expect(producer.actsFor(supplier: supplier))
        #expect(!producer.actsFor(supplier: UUID()))
        #expect(!producer.worksAt(postOffice: office, as: .clerk))
        #expect(throws: DomainError.self) { try producer.require(.admin) }
        #expect((try? producer.require(.producer, .clerk)) != nil)

        let admin = Principal(
            userID: UUID(),
            grants: [RoleGrant(id: UUID(), role: .admin, supplierID: nil, postOfficeID: nil, grantedAt: Date())])
        #expect(admin.actsFor(supplier: supplier))
        #expect(admin.worksAt(postOffice: office, as: .courier))
        #expect((try? admin.require(.finance)) != nil)
    }

    @Test func cursorsRoundTripAndForgeriesAreRejected() throws {
        let cursor = PageCursor(key: "2026-11-27 02:33:31.123456+00", id: "abc")
        #expect(try PageCursor.decode(cursor.encoded) == cursor)
        #expect(!cursor.encoded.contains("="))
        #expect(throws: DomainError.self) { try PageCursor.decode("%%%") }
        #expect(throws: DomainError.self) { try PageCursor.decode("bm9waXBl") }
        #expect(try PageCursor.limit(nil) == 20)
        #expect(throws: DomainError.self) { try PageCursor.limit(0) }
        #expect(throws: DomainError.self) { try PageCursor.limit(101) }
    }

    @Test func timeOrderedUUIDsAreVersion7AndSortByTime() {
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        var previous = UUID.timeOrdered(at: start).uuidString
        for step in 1...200 {
            let id = UUID.timeOrdered(at: start.addingTimeInterval(Double(step) * 0.002))
            let text = id.uuidString
            let characters = Array(text)
            #expect(characters[14] == "7")  // version
            #expect("89AB".contains(characters[19]))  // RFC 9562 variant
            #expect(text > previous)  // a later millisecond sorts later, as PostgreSQL compares uuids
            previous = text
        }
        // The first 48 bits are the Unix time in milliseconds.
        let id = UUID.timeOrdered(at: start)
        let hex = id.uuidString.replacingOccurrences(of: "-", with: "").prefix(12)
        #expect(UInt64(hex, radix: 16) == 1_795_000_000_000)
        #expect(UUID.timeOrdered(at: start) != UUID.timeOrdered(at: start))
    }
}
