/// Money is whole đồng in an `Int64`; rates are basis points. This is the one rounding rule of the
/// service (SPEC §2): half up, to the đồng.
public enum Money {
    /// `amount × bps / 10,000`, rounded half up. The product is taken in 128 bits: an extreme but
    /// valid amount (a full cart of the dearest goods at the heaviest weight, issue 16) once trapped in
    /// 64. With `bps` at most 10,000 (every rate is validated so) the result is at most `amount`.
    public static func basisPoints(_ amount: Int64, _ bps: Int) -> Int64 {
        precondition(amount >= 0 && bps >= 0, "money rates apply to non-negative amounts")
        return Int64(clamping: (Int128(amount) * Int128(bps) + 5_000) / 10_000)
    }
}
