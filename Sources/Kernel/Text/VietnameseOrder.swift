import Foundation

/// Names in Vietnamese alphabetical order (the glossary's rule, ICU's `vi` at the letter level):
/// A Ă Â B C D Đ E Ê G … O Ô Ơ … U Ư … Y, so "Đà Nẵng" sorts after every "D…", not among the "Ð"-less
/// "Da…" as code-point order or accent folding would put it. Tone marks only break ties between names
/// whose letters are equal (unmarked, grave, hook, tilde, acute, dot below, the conventional order).
public enum VietnameseOrder {
    public static func precedes(_ left: String, _ right: String) -> Bool {
        let a = key(left)
        let b = key(right)
        if a.letters != b.letters { return a.letters.lexicographicallyPrecedes(b.letters) }
        if a.tones != b.tones { return a.tones.lexicographicallyPrecedes(b.tones) }
        return left < right
    }

    /// The letters (each base letter with its vowel or consonant mark as one rank) and the tone of each.
    static func key(_ text: String) -> (letters: [Int], tones: [Int]) {
        var letters: [Int] = []
        var tones: [Int] = []
        for character in text.lowercased().decomposedStringWithCanonicalMapping {
            let scalars = Array(character.unicodeScalars)
            guard let base = scalars.first else { continue }
            var letter = Int(base.value) * 4
            var tone = 0
            for mark in scalars.dropFirst() {
                switch mark.value {
                case 0x0306: letter += 1  // breve: ă after a
                case 0x0302: letter += 2  // circumflex: â after ă, ê after e, ô after o
                case 0x031B: letter += 3  // horn: ơ after ô, ư after u
                case 0x0300: tone = 1
                case 0x0309: tone = 2
                case 0x0303: tone = 3
                case 0x0301: tone = 4
                case 0x0323: tone = 5
                default: break
                }
            }
            // đ is its own letter right after d (it does not decompose).
            if base == "đ" { letter = Int(("d" as Unicode.Scalar).value) * 4 + 1 }
            letters.append(letter)
            tones.append(tone)
        }
        return (letters, tones)
    }
}
