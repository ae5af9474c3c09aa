import Foundation

/// The payload of a VietQR (NAPAS 247) "transfer to account" code, as EMVCo Merchant-Presented Mode
/// tag-length-value fields. A banking app that scans it opens a transfer with the bank, account, amount
/// and description filled in, so a clerk paying suppliers by hand cannot mistype any of them.
public enum VietQR {
    /// Longest description after cleaning: EMVCo's limit for the purpose of transaction (field 62-08).
    public static let descriptionLimit = 25

    /// Field order and values follow the NAPAS specification: 00 format "01"; 01 initiation "12" (dynamic,
    /// because the amount is set); 38 merchant account {00 GUID "A000000727", 01 beneficiary {00 bank
    /// BIN, 01 account number}, 02 service "QRIBFTTA" (transfer to an account)}; 53 currency "704";
    /// 54 amount; 58 country "VN"; 62 additional data {08 purpose = the description}; 63 CRC.
    ///
    /// The description is folded to ASCII and shortened to ``descriptionLimit`` characters rather than
    /// refused (see ``asciiDescription(_:)``): it is a memo for the supplier's statement, and a transfer
    /// with a shortened memo is better than none. Field 62 is left out when nothing of it remains.
    public static func payload(
        bankBIN: String, accountNo: String, amountVND: Int64, description: String
    ) throws(VietQRError) -> String {
        guard bankBIN.utf8.count == 6, bankBIN.utf8.allSatisfy(isDigit) else { throw .badBIN }
        // NAPAS allows letters for virtual accounts (used by payment gateways); 19 is its maximum length.
        guard (1...19).contains(accountNo.utf8.count), accountNo.utf8.allSatisfy(isLetterOrDigit) else {
            throw .badAccount
        }
        // A dynamic code must carry an amount, and EMVCo caps the amount field at 13 characters.
        guard (1...9_999_999_999_999).contains(amountVND) else { throw .badAmount }

        // With the inputs capped (BIN 6, account 19, amount 13, description 25 characters), the largest field,
        // template 38, holds at most 63 characters: every length fits EMVCo's two digits with no further check.
        let beneficiary = tlv("00", bankBIN) + tlv("01", accountNo)
        let merchant = tlv("00", "A000000727") + tlv("01", beneficiary) + tlv("02", "QRIBFTTA")
        var text = tlv("00", "01") + tlv("01", "12") + tlv("38", merchant) + tlv("53", "704")
        text += tlv("54", String(amountVND)) + tlv("58", "VN")
        let purpose = asciiDescription(description)
        if !purpose.isEmpty { text += tlv("62", tlv("08", purpose)) }
        text += "6304"
        return text + hex4(crc16CCITTFalse(text.utf8))
    }

    /// CRC-16/CCITT-FALSE as EMVCo specifies for field 63: polynomial 0x1021, initial 0xFFFF, no reflection,
    /// no final XOR. Check value: "123456789" → 0x29B1.
    public static func crc16CCITTFalse(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 {
                crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
            }
        }
        return crc
    }

    /// What banks accept in a transfer memo: ASCII letters, digits and single spaces, at most
    /// ``descriptionLimit`` characters. Vietnamese is folded (đ/Đ to d/D, other letters by dropping their
    /// combining marks: "Thanh toán đơn" → "Thanh toan don"); any other character is dropped.
    static func asciiDescription(_ text: String) -> String {
        var folded = ""
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar {
            case "đ": folded.append("d")
            case "Đ": folded.append("D")
            case "a"..."z", "A"..."Z", "0"..."9": folded.unicodeScalars.append(scalar)
            case _ where scalar.properties.isWhitespace: folded.append(" ")
            default: continue
            }
        }
        let words = folded.split(separator: " ").joined(separator: " ")
        return String(words.prefix(descriptionLimit)).trimmingCharacters(in: .whitespaces)
    }

    /// Values here are under 100 characters (see ``payload(bankBIN:accountNo:amountVND:description:)``).
    private static func tlv(_ id: String, _ value: String) -> String {
        let length = value.utf8.count
        return id + (length < 10 ? "0" : "") + String(length) + value
    }

    private static func hex4(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}

public enum VietQRError: Error, Equatable {
    /// Not six ASCII digits.
    case badBIN
    /// Empty, longer than 19 characters, or not ASCII letters and digits.
    case badAccount
    /// Not 1 to 9,999,999,999,999 đồng.
    case badAmount
}
