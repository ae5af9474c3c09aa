import Kernel
import Testing

@Suite("VietnameseOrder: names as a Vietnamese reader sorts them")
struct VietnameseOrderTests {
    @Test func lettersWithMarksAreTheirOwnLettersInTheAlphabetsOrder() {
        let shuffled = [
            "Ý", "Ưng", "Ơn", "Đà Nẵng", "Ân", "Ăn", "Bảo", "Ông", "Dung", "An", "Uyên", "Ê-đê", "Em", "Oanh",
        ]
        #expect(
            shuffled.sorted(by: VietnameseOrder.precedes) == [
                "An", "Ăn", "Ân", "Bảo", "Dung", "Đà Nẵng", "Em", "Ê-đê", "Oanh", "Ông", "Ơn", "Uyên", "Ưng", "Ý",
            ])
    }

    @Test func tonesOnlyBreakTiesAndFollowTheConventionalOrder() {
        #expect(
            ["má", "mạ", "mà", "ma", "mã", "mả"].sorted(by: VietnameseOrder.precedes) == [
                "ma", "mà", "mả", "mã", "má", "mạ",
            ])
        // A later letter decides before any tone: "Bà Rịa" before "Bác Ái".
        #expect(VietnameseOrder.precedes("Bà Rịa", "Bác Ái"))
    }

    @Test func decomposedInputSortsLikeComposed() {
        let composed = "Đồng Hới"
        let decomposed = composed.decomposedStringWithCanonicalMapping
        #expect(!VietnameseOrder.precedes(composed, decomposed) || !VietnameseOrder.precedes(decomposed, composed))
        #expect(VietnameseOrder.precedes("Dương", decomposed))
    }
}
