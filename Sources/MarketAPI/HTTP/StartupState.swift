import Synchronization

/// Whether the one-off start-up work (the bootstrap admin, the demo data on a private database) has
/// finished. Until it has, `/readyz` answers 503: a newcomer's first search must not find an empty
/// catalog while the server already says it is ready (issue 19, "First impressions").
final class StartupState: Sendable {
    private let done: Mutex<Bool>

    init(done: Bool) { self.done = Mutex(done) }

    var isDone: Bool { done.withLock { $0 } }

    func markDone() { done.withLock { $0 = true } }
}
