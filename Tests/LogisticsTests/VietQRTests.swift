import Foundation
import Testing

@testable import Logistics

@Suite("VietQR transfer payloads")
struct VietQRTests {
    /// Reads EMVCo tag-length-value fields back, failing on any length that does not fit.
    static func fields(_ text: Substring) -> [(id: String, value: Substring)]? {
        var rest = text
        var out: [(String, Substring)] = []
        while !rest.isEmpty {
            guard rest.count >= 4, let length = Int(rest.dropFirst(2).prefix(2)), rest.count >= 4 + length else {
                return nil
            }
            out.append((String(rest.prefix(2)), rest.dropFirst(4).prefix(length)))
            rest = rest.dropFirst(4 + length)
        }
        return out
    }

    static func value(_ fields: [(id: String, value: Substring)]?, _ id: String) -> Substring? {
        fields?.first { $0.id == id }?.value
    }

    @Test func crcCheckValue() {
        #expect(VietQR.crc16CCITTFalse(Array("123456789".utf8)) == 0x29B1)
        #expect(VietQR.crc16CCITTFalse([UInt8]()) == 0xFFFF)
    }

    /// Payloads published with VietQR generators, whose CRCs check: the first is the example of
    /// github.com/subiz/vietqr (a description with diacritics), the last pays a gateway's virtual account,
    /// which has letters.
    @Test(arguments: [
        (
            "970415", "0011001932418", 120_000 as Int64, "ủng hộ lũ lụt",
            "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN"
                + "62170813ung ho lu lut6304C15C"
        ),
        (
            "970436", "1023456789", 1_943_000, "TT000069",
            "00020101021238540010A00000072701240006970436011010234567890208QRIBFTTA5303704540719430005802VN"
                + "62120808TT0000696304A8E5"
        ),
        (
            "970422", "VQRQADAIJ5512", 7_000, "TL89 100",
            "00020101021238570010A000000727012700069704220113VQRQADAIJ55120208QRIBFTTA5303704540470005802VN"
                + "62120808TL89 1006304E346"
        ),
    ])
    func publishedPayloads(bin: String, account: String, amount: Int64, description: String, expected: String)
        throws
    {
        #expect(
            try VietQR.payload(bankBIN: bin, accountNo: account, amountVND: amount, description: description)
                == expected)
    }

    @Test func payloadStructure() throws {
        let payload = try VietQR.payload(
            bankBIN: "970405", accountNo: "0123456789012", amountVND: 1_250_000,
            description: "Thanh toán đơn DH261127")
        let top = Self.fields(payload[...])
        #expect(top?.map(\.id) == ["00", "01", "38", "53", "54", "58", "62", "63"])
        #expect(Self.value(top, "00") == "01")
        #expect(Self.value(top, "01") == "12")
        #expect(Self.value(top, "53") == "704")
        #expect(Self.value(top, "54") == "1250000")
        #expect(Self.value(top, "58") == "VN")
        let merchant = Self.value(top, "38").flatMap(Self.fields)
        #expect(merchant?.map(\.id) == ["00", "01", "02"])
        #expect(Self.value(merchant, "00") == "A000000727")
        #expect(Self.value(merchant, "02") == "QRIBFTTA")
        let beneficiary = Self.value(merchant, "01").flatMap(Self.fields)
        #expect(Self.value(beneficiary, "00") == "970405")
        #expect(Self.value(beneficiary, "01") == "0123456789012")
        let additional = Self.value(top, "62").flatMap(Self.fields)
        #expect(Self.value(additional, "08") == "Thanh toan don DH261127")
        let crc = try #require(Self.value(top, "63"))
        #expect(crc == VietQR.crc16CCITTFalse(payload.dropLast(4).utf8).hexUppercased)
        #expect(payload.hasSuffix("6304" + crc))
    }

    @Test func longestInputsStillFitTwoDigitLengths() throws {
        let payload = try VietQR.payload(
            bankBIN: "999999", accountNo: String(repeating: "9", count: 19), amountVND: 9_999_999_999_999,
            description: String(repeating: "Nguyễn Thị Đào ", count: 10))
        let top = Self.fields(payload[...])
        #expect(top?.count == 8)
        #expect(Self.value(top, "38").flatMap(Self.fields)?.count == 3)
        #expect(Self.value(top, "54") == "9999999999999")
        #expect(Self.value(Self.value(top, "62").flatMap(Self.fields), "08") == "Nguyen Thi Dao Nguyen Thi")
    }

    @Test(arguments: [
        ("Thanh toán đơn DH261127", "Thanh toan don DH261127"),
        ("ĐƠN HÀNG Quảng Nam", "DON HANG Quang Nam"),
        ("Trả tiền — đơn #DH-26/11, 2026!", "Tra tien don DH2611 2026"),
        ("  tabs\tand\nlines  ", "tabs and lines"),
        ("Thanh toán cho hợp tác xã Điện Bàn", "Thanh toan cho hop tac xa"),  // 25, trailing space trimmed
        ("🙂 漢字", ""),
    ])
    func descriptionsAreFoldedToASCII(_ input: String, _ expected: String) {
        #expect(VietQR.asciiDescription(input) == expected)
    }

    @Test func emptyDescriptionLeavesOutField62() throws {
        let payload = try VietQR.payload(
            bankBIN: "970415", accountNo: "0011001932418", amountVND: 1, description: "???")
        #expect(Self.fields(payload[...])?.map(\.id) == ["00", "01", "38", "53", "54", "58", "63"])
    }

    @Test(arguments: [
        ("97041", "0011001932418", 1 as Int64, VietQRError.badBIN),
        ("9704155", "0011001932418", 1, .badBIN),
        ("97041A", "0011001932418", 1, .badBIN),
        ("９７０４１５", "0011001932418", 1, .badBIN),  // full-width digits
        ("", "0011001932418", 1, .badBIN),
        ("970415", "", 1, .badAccount),
        ("970415", String(repeating: "1", count: 20), 1, .badAccount),
        ("970415", "0011-001932", 1, .badAccount),
        ("970415", "tài khoản", 1, .badAccount),
        ("970415", "0011001932418", 0, .badAmount),
        ("970415", "0011001932418", -120_000, .badAmount),
        ("970415", "0011001932418", 10_000_000_000_000, .badAmount),
    ])
    func rejects(bin: String, account: String, amount: Int64, error: VietQRError) {
        #expect(throws: error) {
            try VietQR.payload(bankBIN: bin, accountNo: account, amountVND: amount, description: "x")
        }
    }
}

extension UInt16 {
    fileprivate var hexUppercased: String {
        let digits = String(self, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
