import Orders

/// What Orders calls into Logistics: tracking numbers when a package is ready, and the books when
/// a bank transfer is confirmed or held, or a paid package ends before delivery.
public enum LogisticsHooks {
    public static let hooks = PackageHooks(
        readyForPickup: { id, connection, logger in
            try await ParcelRegistry.register(id, on: connection, logger: logger)
        },
        orderPaid: { id, connection, logger in try await ParcelPostings(logger: logger).orderPaid(id, on: connection) },
        packageEnded: { id, connection, logger in
            try await ParcelPostings(logger: logger).packageEnded(id, on: connection)
        },
        paymentHeld: { id, connection, logger in
            try await ReceiptPostings(logger: logger).held(id, on: connection)
        })
}
