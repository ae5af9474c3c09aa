import Foundation
import NIOCore

/// Rows in the text format of PostgreSQL's `COPY … FROM STDIN`: tab-separated fields, `\N` for
/// NULL, and backslash escapes for the characters the format itself uses.
struct CopyTextRows {
    private(set) var buffer: ByteBuffer
    private var atRowStart = true

    init(capacity: Int = 1 << 18) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    var byteCount: Int { buffer.readableBytes }

    /// Hands over what was written so far and starts an empty buffer.
    mutating func take() -> ByteBuffer {
        let full = buffer
        buffer = ByteBufferAllocator().buffer(capacity: max(1024, full.capacity))
        return full
    }

    mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        atRowStart = true
    }

    mutating func text(_ value: String?) {
        separate()
        guard let value else { return null() }
        escaped(value)
    }

    mutating func uuid(_ value: UUID?) {
        separate()
        guard let value else { return null() }
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        withUnsafeBytes(of: value.uuid) { bytes in
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { buffer.writeInteger(UInt8(ascii: "-")) }
                buffer.writeInteger(hex[Int(byte >> 4)])
                buffer.writeInteger(hex[Int(byte & 0x0F)])
            }
        }
    }

    mutating func int(_ value: Int64?) {
        separate()
        guard let value else { return null() }
        buffer.writeString(String(value))
    }

    mutating func int(_ value: Int) {
        int(Int64(value))
    }

    mutating func double(_ value: Double?) {
        separate()
        guard let value else { return null() }
        buffer.writeString("\(value)")
    }

    mutating func bool(_ value: Bool) {
        separate()
        buffer.writeInteger(UInt8(ascii: value ? "t" : "f"))
    }

    /// A `text[]` value: an array literal with every element quoted, then escaped for COPY.
    mutating func textArray(_ values: [String]) {
        var literal = "{"
        for (index, value) in values.enumerated() {
            if index > 0 { literal += "," }
            literal += "\""
            for character in value {
                if character == "\"" || character == "\\" { literal += "\\" }
                literal.append(character)
            }
            literal += "\""
        }
        text(literal + "}")
    }

    private mutating func separate() {
        if !atRowStart { buffer.writeInteger(UInt8(ascii: "\t")) }
        atRowStart = false
    }

    private mutating func null() {
        buffer.writeStaticString("\\N")
    }

    private mutating func escaped(_ value: String) {
        var value = value
        value.withUTF8 { bytes in
            // Most values need no escaping: copy them in one go.
            if !bytes.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
                buffer.writeBytes(bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case 0x5C: buffer.writeStaticString("\\\\")
                case 0x09: buffer.writeStaticString("\\t")
                case 0x0A: buffer.writeStaticString("\\n")
                case 0x0D: buffer.writeStaticString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
        }
    }
}
