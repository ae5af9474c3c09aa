import Foundation
import Testing

@testable import Logistics

@Suite("Code 128 barcodes: symbols, checksum, module widths and the SVG")
struct Code128Tests {
    // The widely published Code 128-B example: Start B, W i k i p e d i a, checksum 88, Stop.
    // 104 + 1·55 + 2·73 + 3·75 + 4·73 + 5·80 + 6·69 + 7·68 + 8·73 + 9·65 = 3281 = 31·103 + 88
    @Test func wikipediaExample() throws {
        let symbols = try Code128.symbols("Wikipedia")
        #expect(symbols == [104, 55, 73, 75, 73, 80, 69, 68, 73, 65, 88, 106])
        let modules = try Code128.modules("Wikipedia")
        #expect(Array(modules.prefix(6)) == [2, 1, 1, 2, 1, 4])  // Start B
        #expect(Array(modules.suffix(7)) == [2, 3, 3, 1, 1, 1, 2])  // Stop
        let width = modules.reduce(0, +)
        #expect(width == 134)  // 11 symbols of 11 modules and the 13-module stop
    }

    @Test func digitRunsUseCodeSetC() throws {
        // E B 1 in set B, then 23 45 67 85 in set C, back to B for V N; checksum worked by hand is 16.
        #expect(
            try Code128.symbols("EB123456785VN") == [104, 37, 34, 17, 99, 23, 45, 67, 85, 100, 54, 46, 16, 106])
        #expect(try Code128.symbols("1234") == [105, 12, 34, 82, 106])
        #expect(try Code128.symbols("12") == [105, 12, 14, 106])
        #expect(try Code128.symbols("123") == [104, 17, 18, 19, 8, 106])
    }

    @Test func patternTableIsWellFormed() {
        #expect(Code128.patterns.count == 107)
        for (value, pattern) in Code128.patterns.enumerated() {
            #expect(pattern.reduce(0, +) == (value == 106 ? 13 : 11))
            let bars = stride(from: 0, to: pattern.count, by: 2).map { pattern[$0] }.reduce(0, +)
            #expect(bars % 2 == 0, "bar modules are even in every Code 128 symbol")
        }
        #expect(Set(Code128.patterns).count == 107)
    }

    @Test func randomTrackingNumbersDecodeBack() throws {
        var random = SplitMix64(seed: 0x5EED_C0DE)
        for _ in 0..<500 {
            let service = ParcelService.allCases[Int(random.next() % 2)]
            let number = try S10(service, serial: Int(random.next() % 100_000_000)).description
            let modules = try Code128.modules(number)
            #expect(Self.decode(modules) == number)
            #expect(modules.reduce(0, +) <= 156, "set C keeps an S10 number at 13 symbols or fewer")
        }
    }

    @Test func printableAsciiDecodesBack() throws {
        let alphabet = Array(" !\"#$%&'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~0123456789")
        var random = SplitMix64(seed: 42)
        for _ in 0..<500 {
            let length = Int(random.next() % 24) + 1
            let text = String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            #expect(Self.decode(try Code128.modules(text)) == text)
        }
    }

    @Test func rejectsWhatCodeSetBCannotCarry() {
        #expect(throws: Code128Error.empty) { try Code128.symbols("") }
        #expect(throws: Code128Error.unsupportedCharacter("à")) { try Code128.symbols("Hà Nội") }
        #expect(throws: Code128Error.unsupportedCharacter("\t")) { try Code128.modules("A\tB") }
        #expect(throws: Code128Error.unsupportedCharacter("\n")) { try Code128.svg("A\n") }
    }

    @Test func svgIsLabelledAndWellFormed() throws {
        let svg = try Code128.svg("EB123456785VN")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>"))
        #expect(!svg.contains("<?xml"))
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("aria-label=\"EB123456785VN\""))
        #expect(svg.contains(">EB123456785VN</text>"))
        // (10 + 156 + 10) modules of 1.5 px
        #expect(svg.contains("width=\"264\""))
        #expect(Self.markupIsClean(svg))

        let hostile = try Code128.svg("A<&\"'>B", moduleWidth: 0.33, height: -1)
        #expect(hostile.contains("aria-label=\"A&lt;&amp;&quot;&#39;&gt;B\""))
        #expect(Self.markupIsClean(hostile))
        #expect(hostile.contains("v48h"), "a bad height falls back to 48")
    }

    /// Reads module widths back to text: the inverse of the encoder, written independently of it.
    static func decode(_ modules: [Int]) -> String? {
        var byPattern: [[Int]: Int] = [:]
        for (value, pattern) in Code128.patterns.enumerated() { byPattern[pattern] = value }
        var symbols: [Int] = []
        var index = 0
        while index < modules.count {
            let width = modules.count - index == 7 ? 7 : 6
            guard index + width <= modules.count, let value = byPattern[Array(modules[index..<index + width])]
            else { return nil }
            symbols.append(value)
            index += width
        }
        guard symbols.count >= 4, symbols.last == 106 else { return nil }
        let data = Array(symbols.dropLast(2))
        var sum = data[0]
        for (position, value) in data.enumerated().dropFirst() { sum += position * value }
        guard sum % 103 == symbols[symbols.count - 2] else { return nil }
        var inC = data[0] == 105
        var text = ""
        for value in data.dropFirst() {
            if !inC, value == 99 {
                inC = true
            } else if inC, value == 100 {
                inC = false
            } else if inC {
                text += value < 10 ? "0\(value)" : "\(value)"
            } else {
                text.unicodeScalars.append(UnicodeScalar(UInt8(value + 32)))
            }
        }
        return text
    }

    /// No raw `<`, `>` or `"` inside attribute values or text, and every `&` starts an entity.
    static func markupIsClean(_ markup: String) -> Bool {
        var inTag = false
        var inQuote = false
        let scalars = Array(markup.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "<" where inQuote: return false
            case "<": if inTag { return false } else { inTag = true }
            case ">" where inQuote: return false
            case ">": if inTag { inTag = false } else { return false }
            case "\"" where inTag: inQuote.toggle()
            case "\"", "'": if !inTag { return false }
            case "&":
                let rest = String(String.UnicodeScalarView(scalars[(index + 1)...].prefix(6)))
                guard ["amp;", "lt;", "gt;", "quot;", "#39;"].contains(where: rest.hasPrefix) else { return false }
            default: break
            }
        }
        return !inTag && !inQuote
    }
}

/// A fixed-seed generator so a failing random case fails the same way on the next run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
