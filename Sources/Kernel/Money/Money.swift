/// Money is whole đồng in an `Int64`; rates are basis points. This is the one rounding rule of the
/// service (SPEC §2): half up, to the đồng.
public enum Money {
    /// `amount × bps / 10,000`, rounded half up. Amounts here are at most 10¹² đồng, so the product
    /// stays far inside `Int64`.
    public static func basisPoints(_ amount: Int64, _ bps: Int) -> Int64 {
        precondition(amount >= 0 && bps >= 0, "money rates apply to non-negative amounts")
        return (amount * Int64(bps) + 5_000) / 10_000
    }
}
